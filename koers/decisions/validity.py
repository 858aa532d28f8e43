"""The rules a decision of the log keeps (no Django: plain values in, problems out).

Say it, give the reasons, repeat it (METHOD.md §4): a decision that is made has a date, a
superseded one names the decision that replaced it, and a chain of replacements never
leads back to where it started.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Status(StrEnum):
    PROPOSED = "proposed"
    DECIDED = "decided"
    REVISITED = "revisited"
    SUPERSEDED = "superseded"


class Problem(StrEnum):
    DATE_MISSING = "date_missing"  # decided or revisited, and no date
    DATE_TOO_EARLY = "date_too_early"  # a proposed decision cannot have been decided yet
    SUCCESSOR_MISSING = "successor_missing"  # superseded, by nothing
    SUCCESSOR_WITHOUT_STATUS = "successor_without_status"  # replaced, yet not superseded
    SUCCESSOR_IS_ITSELF = "successor_is_itself"
    SUCCESSOR_CYCLE = "successor_cycle"  # the replacement is (indirectly) replaced by this one


@dataclass(frozen=True)
class Entry:
    """A decision as the rules see it; `id` is None for one not saved yet."""

    id: int | None
    status: Status
    decided_on: date | None
    superseded_by: int | None


def problems(entry: Entry, successors: Mapping[int, int | None]) -> list[Problem]:
    """Return what is wrong with `entry`; `successors` maps each decision of the project to
    the one that replaced it (None: not replaced), as saved now."""
    found = []
    if entry.status in (Status.DECIDED, Status.REVISITED) and entry.decided_on is None:
        found.append(Problem.DATE_MISSING)
    if entry.status == Status.PROPOSED and entry.decided_on is not None:
        found.append(Problem.DATE_TOO_EARLY)
    if entry.status == Status.SUPERSEDED and entry.superseded_by is None:
        found.append(Problem.SUCCESSOR_MISSING)
    if entry.status != Status.SUPERSEDED and entry.superseded_by is not None:
        found.append(Problem.SUCCESSOR_WITHOUT_STATUS)
    if entry.superseded_by is not None:
        if entry.superseded_by == entry.id:
            found.append(Problem.SUCCESSOR_IS_ITSELF)
        elif entry.id is not None and leads_back(entry.id, entry.superseded_by, successors):
            found.append(Problem.SUCCESSOR_CYCLE)
    return found


def leads_back(start: int, successor: int, successors: Mapping[int, int | None]) -> bool:
    """Return whether following the replacements from `successor` reaches `start`."""
    seen = set()
    current: int | None = successor
    while current is not None and current not in seen:
        if current == start:
            return True
        seen.add(current)
        current = successors.get(current)
    return False


def is_told(status: Status, communicated_on: date | None) -> bool | None:
    """Return whether a made decision was communicated; None for one still proposed."""
    if status == Status.PROPOSED:
        return None
    return communicated_on is not None
