"""Weeks and lateness as every page, report and API shows them. Pure: no Django.

One place for the two questions a plan is read by: which ISO weeks does a span cover, and is
it late. Phases (roadmap) and waves (rollout) both ask here, so the board, the roadmap, the
status report and the API cannot disagree.
"""

from __future__ import annotations

from datetime import date

DASH = "\u2013"  # the en dash of a span of weeks


def iso_week(day: date) -> str:
    """Return the ISO week as planners write it: `2025-W09`."""
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def iso_weeks(first: date, last: date) -> str:
    """Return the ISO weeks from `first` to `last`, both days included.

    `2025-W10`, `2025-W10` to `W12`, or across a year end `2026-W52` to `2027-W02`. Give
    the last day of the span, not the day after it: a 12-week phase from a Monday ends on a
    Sunday and covers 12 weeks, not 13.
    """
    start, end = first.isocalendar(), last.isocalendar()
    left = f"{start.year}-W{start.week:02d}"
    if (start.year, start.week) == (end.year, end.week):
        return left
    if start.year == end.year:
        return f"{left}{DASH}W{end.week:02d}"
    return f"{left}{DASH}{end.year}-W{end.week:02d}"


def is_late(*, last_day: date | None, is_finished: bool, today: date) -> bool:
    """Return whether something planned to end on `last_day` is past it and not finished."""
    return last_day is not None and not is_finished and today > last_day
