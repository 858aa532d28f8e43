"""Read a plan from a GanttProject file (.gan).

Tasks are nested elements with a start and a duration in working days, so the last day is
counted on the file's calendar: its weekend and its holidays (a holiday with an empty year
comes back every year). Dependencies sit on the earlier task; type 2 is finish-to-start.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from xml.etree.ElementTree import Element

from django.utils.translation import gettext as _

from . import xml
from .draft import DraftPlan, PlanFileError
from .mspdi import FINISH_TO_START, Task, plan_from_tasks
from .values import WorkCalendar, parse_date

GAN_FINISH_TO_START = "2"
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def read(root: Element) -> DraftPlan:
    calendar = _calendar(root)
    tasks_element = xml.child(root, "tasks")
    elements: list[tuple[Element, int]] = []
    if tasks_element is not None:
        _flatten(tasks_element, 1, elements)
    predecessors: dict[str, list[tuple[str, str]]] = {}
    for element, _level in elements:
        for depend in xml.children(element, "depend"):
            kind = FINISH_TO_START if depend.get("type") == GAN_FINISH_TO_START else "other"
            predecessors.setdefault(depend.get("id", ""), []).append((element.get("id", ""), kind))
    tasks = [_task(element, level, calendar, predecessors) for element, level in elements]
    return plan_from_tasks("gan", root.get("name", ""), tasks, [])


def _flatten(parent: Element, level: int, into: list[tuple[Element, int]]) -> None:
    for element in xml.children(parent, "task"):
        into.append((element, level))
        _flatten(element, level + 1, into)


def _task(
    element: Element,
    level: int,
    calendar: WorkCalendar,
    predecessors: dict[str, list[tuple[str, str]]],
) -> Task:
    uid, name = element.get("id", ""), element.get("name", "")
    where = _("task %(uid)s “%(name)s”") % {"uid": uid, "name": name[:60]}
    start_text = element.get("start", "")
    start = parse_date(start_text)
    if start is None:
        raise PlanFileError(
            _("A task needs a start date."), where=where, field="start", value=start_text
        )
    milestone = element.get("meeting") == "true"
    duration_text = element.get("duration", "")
    try:
        duration = Decimal(duration_text)
    except InvalidOperation as error:
        raise PlanFileError(
            _("The duration is not a number of days."),
            where=where,
            field="duration",
            value=duration_text,
        ) from error
    if not duration.is_finite() or duration < 0:
        raise PlanFileError(
            _("The duration is not a number of days."),
            where=where,
            field="duration",
            value=duration_text,
        )
    last = start if milestone or duration == 0 else calendar.last_day(start, float(duration))
    cost = None
    if element.get("cost-calculated") != "true":
        try:
            cost = Decimal(element.get("cost-manual-value") or "0")
        except InvalidOperation as error:
            raise PlanFileError(
                _("The cost is not a number."),
                where=where,
                field="cost-manual-value",
                value=element.get("cost-manual-value", ""),
            ) from error
    return Task(uid, name, level, start, last, milestone, cost, predecessors.get(uid, []))


def _calendar(root: Element) -> WorkCalendar:
    calendars = xml.child(root, "calendars")
    if calendars is None:
        return WorkCalendar()
    calendar = WorkCalendar(days_off=set(), yearly_days_off=set())
    day_types = xml.child(calendars, "day-types")
    week = xml.child(day_types, "default-week") if day_types is not None else None
    if week is not None:
        calendar.working_weekdays = {i for i, day in enumerate(WEEKDAYS) if week.get(day) != "1"}
    for holiday in xml.children(calendars, "date"):
        if holiday.get("type", "HOLIDAY") != "HOLIDAY":
            continue
        try:
            month, day = int(holiday.get("month", "")), int(holiday.get("date", ""))
            if holiday.get("year"):
                calendar.days_off.add(date(int(holiday.get("year", "")), month, day))
            else:
                calendar.yearly_days_off.add((month, day))
        except ValueError:
            continue  # a holiday Koers cannot place changes a day, not the plan
    return calendar
