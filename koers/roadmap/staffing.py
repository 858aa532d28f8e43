"""Who is on how many phases at once, across a workspace's projects (issue 18). Pure: no
Django, dataclasses in and out.

Month-level, like the roadmap: a phase is *in* a month when it has at least one day in it.
A consultant is *spread too thin* in a month when they are on more phases in it than the
workspace allows (`Limits.max_phases_at_once`, 3 by default).
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta


def month_start(day: date) -> date:
    return day.replace(day=1)


@dataclass(frozen=True)
class Assignment:
    person: int
    phase: int
    start: date
    end: date  # the day after the phase's last day


@dataclass(frozen=True)
class TooThin:
    person: int
    month: date  # its first day
    phases: tuple[int, ...]  # sorted


def months_of(start: date, end: date) -> list[date]:
    """The first days of the months that hold at least one day of [start, end)."""
    if end <= start:
        return []
    first, last = month_start(start), month_start(end - timedelta(days=1))
    months = []
    while first <= last:
        months.append(first)
        first = month_start(first + timedelta(days=32))
    return months


def too_thin(assignments: Iterable[Assignment], limit: int) -> list[TooThin]:
    """Every person and month with more than `limit` phases, by person then month."""
    per: dict[tuple[int, date], set[int]] = defaultdict(set)
    for a in assignments:
        for month in months_of(a.start, a.end):
            per[(a.person, month)].add(a.phase)
    return [
        TooThin(person, month, tuple(sorted(phases)))
        for (person, month), phases in sorted(per.items())
        if len(phases) > limit
    ]
