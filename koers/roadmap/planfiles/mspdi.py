"""Read a plan from MS Project XML (MSPDI), as MS Project, GanttProject and others write it.

Top-level tasks become phases (the summary tasks, normally), milestones stay milestones,
finish-to-start links between phases become "builds on", a task's cost becomes the phase's
budget. The project summary task (UID 0) only gives the plan its name. Blank rows (no name,
or IsNull) are skipped.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from xml.etree.ElementTree import Element

from django.utils.translation import gettext as _

from . import xml
from .draft import (
    DraftMilestone,
    DraftPhase,
    DraftPlan,
    PlanFileError,
    clean_title,
    milestone_kind,
    phase_from_days,
)
from .values import WorkCalendar, iso_duration_days, parse_datetime_day

FINISH_TO_START = "1"  # MSPDI link types: 0 FF, 1 FS, 2 SF, 3 SS
CENTS = Decimal(100)  # MSPDI writes money in hundredths
EVERY_DAY = {"", "1"}  # exception types: 1 daily (every day of its period); 2-7 recur


@dataclass
class Task:
    uid: str
    name: str
    level: int
    start: date
    last: date
    milestone: bool
    cost: Decimal | None
    predecessors: list[tuple[str, str]]  # (uid, link type)
    children: list[Task] = field(default_factory=list)


def read(root: Element) -> DraftPlan:
    calendars, skipped = _calendars(root)
    calendar = calendars.get(xml.text(root, "CalendarUID"), WorkCalendar())
    minutes = xml.text(root, "MinutesPerDay")
    hours_per_day = int(minutes) / 60 if minutes.isdigit() and int(minutes) > 0 else 8
    currency = xml.text(root, "CurrencyCode")
    tasks_element = xml.child(root, "Tasks")
    rows = xml.children(tasks_element, "Task") if tasks_element is not None else []
    name = xml.text(root, "Title") or xml.text(root, "Name")
    tasks: list[Task] = []
    for row in rows:
        if xml.text(row, "IsNull") == "1" or not xml.text(row, "Name"):
            continue
        level = _int(xml.text(row, "OutlineLevel"), default=1)
        if level == 0 or xml.text(row, "UID") == "0":
            name = xml.text(row, "Name") or name
            continue
        tasks.append(_task(row, level, calendar, hours_per_day))
    notes = []
    if skipped:
        notes.append(
            _(
                "%(count)d recurring calendar exceptions (weekly, monthly or yearly) were not "
                "counted: a last day computed from a duration may be a few days off."
            )
            % {"count": skipped}
        )
    if currency and currency != "EUR":
        notes.append(
            _("Costs in the file are in %(currency)s; they were taken as euros, not converted.")
            % {"currency": currency}
        )
    return plan_from_tasks("mspdi", name, tasks, notes)


def _task(row: Element, level: int, calendar: WorkCalendar, hours_per_day: float) -> Task:
    uid = xml.text(row, "UID") or xml.text(row, "ID")
    title = xml.text(row, "Name")
    where = _("task %(uid)s “%(name)s”") % {"uid": uid, "name": title[:60]}
    start_text = xml.text(row, "Start")
    start = parse_datetime_day(start_text) if start_text else None
    if start is None:
        raise PlanFileError(
            _("A task needs a start date."), where=where, field="Start", value=start_text
        )
    finish_text = xml.text(row, "Finish")
    last = parse_datetime_day(finish_text) if finish_text else None
    milestone = xml.text(row, "Milestone") == "1"
    if last is None:
        duration = xml.text(row, "Duration")
        days = iso_duration_days(duration, hours_per_day=hours_per_day) if duration else None
        if days is None:
            raise PlanFileError(
                _("A task needs a finish date or a duration."),
                where=where,
                field="Finish" if not duration else "Duration",
                value=finish_text or duration,
            )
        last = start if milestone or days == 0 else calendar.last_day(start, days)
    elif last > start and finish_text.endswith("T00:00:00"):
        last -= timedelta(days=1)  # finished at midnight: the work ended the day before
    cost_text = xml.text(row, "Cost") or xml.text(row, "FixedCost")
    try:
        cost = Decimal(cost_text) / CENTS if cost_text else None
    except InvalidOperation as error:
        raise PlanFileError(
            _("The cost is not a number."), where=where, field="Cost", value=cost_text
        ) from error
    links = [
        (xml.text(link, "PredecessorUID"), xml.text(link, "Type") or FINISH_TO_START)
        for link in xml.children(row, "PredecessorLink")
    ]
    return Task(uid, title, level, start, last, milestone, cost, links)


def _int(text: str, *, default: int) -> int:
    return int(text) if text.lstrip("-").isdigit() else default


def _calendars(root: Element) -> tuple[dict[str, WorkCalendar], int]:
    """Each calendar's working weekdays and days off (holidays in the old WeekDay form, and
    exceptions of every day in a range), and how many recurring exceptions were not counted."""
    found: dict[str, WorkCalendar] = {}
    skipped = 0
    element = xml.child(root, "Calendars")
    for cal in xml.children(element, "Calendar") if element is not None else []:
        working_weekdays, days_off = set(range(5)), set[date]()
        weekdays = xml.child(cal, "WeekDays")
        for day in xml.children(weekdays, "WeekDay") if weekdays is not None else []:
            kind, working = xml.text(day, "DayType"), xml.text(day, "DayWorking") == "1"
            if kind in {"1", "2", "3", "4", "5", "6", "7"}:
                weekday = (int(kind) + 5) % 7  # DayType 1 is Sunday; Python's Monday is 0
                if working:
                    working_weekdays.add(weekday)
                else:
                    working_weekdays.discard(weekday)
            elif kind == "0" and not working:
                _days_off(days_off, xml.child(day, "TimePeriod"))
        exceptions = xml.child(cal, "Exceptions")
        for exception in xml.children(exceptions, "Exception") if exceptions is not None else []:
            if xml.text(exception, "DayWorking") == "1":
                continue
            if xml.text(exception, "Type") in EVERY_DAY:
                _days_off(days_off, xml.child(exception, "TimePeriod"))
            else:  # weekly, monthly, yearly: its period is the range it recurs in, not days off
                skipped += 1
        found[xml.text(cal, "UID")] = WorkCalendar(working_weekdays, days_off)
    return found, skipped


def _days_off(days_off: set[date], period: Element | None) -> None:
    if period is None:
        return
    first = parse_datetime_day(xml.text(period, "FromDate"))
    last = parse_datetime_day(xml.text(period, "ToDate"))
    if first is None or last is None:
        return
    for offset in range(min((last - first).days + 1, 366)):
        days_off.add(first + timedelta(days=offset))


def plan_from_tasks(source: str, name: str, tasks: list[Task], notes: list[str]) -> DraftPlan:
    """The draft of a task tree given as a list in outline order (each with its level)."""
    tops: list[Task] = []
    stack: list[Task] = []
    for task in tasks:
        while stack and stack[-1].level >= task.level:
            stack.pop()
        (stack[-1].children if stack else tops).append(task)
        stack.append(task)
    top_of: dict[str, str] = {}
    for top in tops:
        for task in _walk(top):
            top_of[task.uid] = top.uid
    phases: list[DraftPhase] = []
    milestones: list[DraftMilestone] = []
    for top in tops:
        if top.milestone:
            milestones.append(_milestone(top, ""))
            continue
        phase_notes: list[str] = []
        budget = top.cost
        if budget is None or (budget == 0 and top.children):
            budget = sum((t.cost or Decimal(0) for t in _walk(top) if not t.children), Decimal(0))
        if budget == 0:
            phase_notes.append(_("No cost in the file: give the phase its budget."))
        phase = phase_from_days(
            ref=top.uid,
            title=top.name,
            first=top.start,
            last=top.last,
            budget=budget.quantize(Decimal("0.01")),
            notes=phase_notes,
        )
        phases.append(phase)
        milestones.extend(
            _milestone(t, top.uid) for t in _walk(top) if t.milestone and t is not top
        )
    phases, skipped = _links(phases, tasks, top_of)
    if skipped:
        notes.append(
            _(
                "%(count)d links are not finish-to-start; Koers only knows “builds on”, so "
                "they were left out."
            )
            % {"count": skipped}
        )
    return DraftPlan(
        source=source,
        name=clean_title(name, "", limit=200) if name.strip() else "",
        phases=tuple(phases),
        milestones=tuple(milestones),
        notes=tuple(notes),
    )


def _walk(task: Task) -> list[Task]:
    found = [task]
    for sub in task.children:
        found.extend(_walk(sub))
    return found


def _milestone(task: Task, phase: str) -> DraftMilestone:
    title = clean_title(task.name, task.uid)
    return DraftMilestone(
        ref=task.uid, title=title, on=task.start, kind=milestone_kind(title), phase=phase
    )


def _links(
    phases: list[DraftPhase], tasks: list[Task], top_of: dict[str, str]
) -> tuple[list[DraftPhase], int]:
    """Finish-to-start links between tasks of two phases: the later phase builds on the
    earlier one. A phase builds on one phase only: the one that ends last."""
    by_ref = {p.ref: p for p in phases}
    before: dict[str, str] = {}
    skipped = 0
    for task in tasks:
        for uid, kind in task.predecessors:
            successor, predecessor = top_of.get(task.uid), top_of.get(uid)
            if successor == predecessor or successor not in by_ref or predecessor not in by_ref:
                continue
            if kind != FINISH_TO_START:
                skipped += 1
                continue
            current = before.get(successor)
            if current is None or by_ref[predecessor].end > by_ref[current].end:
                before[successor] = predecessor
    return [replace(p, builds_on=before.get(p.ref, "")) for p in phases], skipped
