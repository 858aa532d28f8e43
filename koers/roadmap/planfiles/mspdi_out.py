"""Write a plan as MS Project XML (MSPDI), for the client who lives in MS Project.

Each phase a top-level task from its start month for its weeks (Monday to Friday, 8 hours),
its budget the fixed cost, "builds on" a finish-to-start link; each milestone a milestone.
Reading the file back gives the same phases, months and budgets.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from xml.etree.ElementTree import Element, SubElement, tostring

NAMESPACE = "http://schemas.microsoft.com/project"
HOURS_PER_DAY = 8


@dataclass(frozen=True)
class PhaseOut:
    key: str
    title: str
    start_month: date
    weeks: int
    budget: Decimal
    builds_on: str = ""  # key


@dataclass(frozen=True)
class MilestoneOut:
    title: str
    on: date


def write_mspdi(name: str, phases: Sequence[PhaseOut], milestones: Sequence[MilestoneOut]) -> bytes:
    root = Element("Project", xmlns=NAMESPACE)
    _add(root, "SaveVersion", "14")
    _add(root, "Name", name)
    _add(root, "Title", name)
    starts = [p.start_month for p in phases] + [m.on for m in milestones]
    _add(root, "StartDate", _moment(min(starts) if starts else date.today(), 8))
    _add(root, "MinutesPerDay", str(HOURS_PER_DAY * 60))
    _add(root, "MinutesPerWeek", str(HOURS_PER_DAY * 60 * 5))
    _add(root, "CurrencyCode", "EUR")
    _add(root, "CurrencySymbol", "€")
    _add(root, "CalendarUID", "1")
    _calendar(root)
    tasks = SubElement(root, "Tasks")
    summary = _task(tasks, 0, name, 0, summary=True)
    _add(summary, "Milestone", "0")
    uids = {p.key: number for number, p in enumerate(phases, start=1)}
    for phase in phases:
        last = phase.start_month + timedelta(weeks=phase.weeks) - timedelta(days=1)
        task = _task(tasks, uids[phase.key], phase.title, 1)
        _add(task, "Start", _moment(phase.start_month, 8))
        _add(task, "Finish", _moment(last, 17))
        _add(task, "Duration", f"PT{_working_days(phase.start_month, last) * HOURS_PER_DAY}H0M0S")
        _add(task, "DurationFormat", "7")
        _add(task, "Milestone", "0")
        cents = str((phase.budget * 100).quantize(Decimal(1)))
        _add(task, "FixedCost", cents)
        _add(task, "Cost", cents)
        if phase.builds_on in uids:
            link = SubElement(task, "PredecessorLink")
            _add(link, "PredecessorUID", str(uids[phase.builds_on]))
            _add(link, "Type", "1")
    for number, milestone in enumerate(milestones, start=len(phases) + 1):
        task = _task(tasks, number, milestone.title, 1)
        _add(task, "Start", _moment(milestone.on, 8))
        _add(task, "Finish", _moment(milestone.on, 8))
        _add(task, "Duration", "PT0H0M0S")
        _add(task, "Milestone", "1")
    return b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + tostring(
        root, encoding="utf-8", xml_declaration=False
    )


def _add(parent: Element, tag: str, text: str) -> Element:
    element = SubElement(parent, tag)
    element.text = text
    return element


def _moment(day: date, hour: int) -> str:
    return f"{day.isoformat()}T{hour:02d}:00:00"


def _working_days(first: date, last: date) -> int:
    return max(
        1, sum(1 for n in range((last - first).days + 1) if (first + timedelta(n)).weekday() < 5)
    )


def _task(tasks: Element, uid: int, name: str, level: int, *, summary: bool = False) -> Element:
    task = SubElement(tasks, "Task")
    _add(task, "UID", str(uid))
    _add(task, "ID", str(uid))
    _add(task, "Name", name)
    _add(task, "OutlineLevel", str(level))
    _add(task, "Summary", "1" if summary else "0")
    return task


def _calendar(root: Element) -> None:
    calendars = SubElement(root, "Calendars")
    calendar = SubElement(calendars, "Calendar")
    _add(calendar, "UID", "1")
    _add(calendar, "Name", "Standard")
    _add(calendar, "IsBaseCalendar", "1")
    weekdays = SubElement(calendar, "WeekDays")
    for day_type in range(1, 8):  # 1 is Sunday
        weekday = SubElement(weekdays, "WeekDay")
        _add(weekday, "DayType", str(day_type))
        _add(weekday, "DayWorking", "0" if day_type in (1, 7) else "1")
