"""Blackout days from an iCalendar file or from typed dates and ranges.

A school-holiday calendar, the client's own closing days or a carnaval week: the rollout plans
no wave on them. Only days off count: all-day events (one or more days) and timed events of a
day or longer; a meeting of an hour is not a day off and is skipped. Repeating events
(`RRULE`, as in published holiday calendars) are expanded over the years a plan can reach.
Every refusal names what is wrong: the event, the property or the line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import icalendar
from dateutil.rrule import rrulestr
from django.utils.translation import gettext as _

from .waves import MAX_DAYS

MAX_BYTES = 1024 * 1024  # a holiday calendar of 40 years is about 125 KB
MAX_EVENT_DAYS = 366  # a "day off" of more than a year is a mistake, not a blackout
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


class BlackoutError(ValueError):
    """The input gives no blackout days; `message` says what is wrong, for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Found:
    days: tuple[date, ...]  # sorted, from today on
    events: int  # events that gave days off
    skipped: int  # timed events shorter than a day
    names: tuple[str, ...] = ()  # what those events are called, once each, as they came


def _span(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _name(event: icalendar.cal.Component) -> str:
    return str(event.get("SUMMARY") or event.get("UID") or "?").strip()[:80]


def _last_day(start: date | datetime, end: date | datetime | None) -> date:
    """The last day an event covers; iCalendar's end is exclusive (the day or moment after)."""
    if end is None:
        return start.date() if isinstance(start, datetime) else start
    if isinstance(end, datetime):
        last = end.date()
        if end.time() == datetime.min.time() and end > _as_datetime(start):
            last -= timedelta(days=1)
        return last
    first = start.date() if isinstance(start, datetime) else start
    # Some exports give DTEND equal to DTSTART for a one-day event.
    return max(first, end - timedelta(days=1))


def _as_datetime(value: date | datetime) -> datetime:
    if isinstance(value, datetime):
        return value
    return datetime(value.year, value.month, value.day)


def _event_days(event: icalendar.cal.Component, *, first: date, last: date) -> list[date] | None:
    """Return the days off of one event within [first, last]; None for a short timed event."""
    if event.errors:
        prop, problem = event.errors[0]
        raise BlackoutError(
            _("Event %(event)s: %(property)s cannot be read (%(problem)s).")
            % {"event": _name(event), "property": prop, "problem": problem}
        )
    if "DTSTART" not in event:
        raise BlackoutError(_("Event %(event)s has no start (DTSTART).") % {"event": _name(event)})
    start = event.decoded("DTSTART")
    end = event.decoded("DTEND") if "DTEND" in event else None
    if end is None and "DURATION" in event:
        end = start + event.decoded("DURATION")
    if not isinstance(start, date):
        raise BlackoutError(_("Event %(event)s: DTSTART is not a date.") % {"event": _name(event)})
    if isinstance(start, datetime) and (end is None or end - start < timedelta(days=1)):
        return None
    start_day = start.date() if isinstance(start, datetime) else start
    length = (_last_day(start, end) - start_day).days + 1
    if length < 1:
        raise BlackoutError(_("Event %(event)s ends before it starts.") % {"event": _name(event)})
    if length > MAX_EVENT_DAYS:
        raise BlackoutError(
            _("Event %(event)s lasts %(days)d days; a blackout lasts at most a year.")
            % {"event": _name(event), "days": length}
        )
    starts = [start_day]
    rule = event.get("RRULE")
    if rule:  # an empty "RRULE:" line, as some exports write, repeats nothing
        try:
            repeat = rrulestr(
                rule.to_ical().decode(), dtstart=_as_datetime(start_day), ignoretz=True
            )
        except (ValueError, TypeError) as error:
            raise BlackoutError(
                _("Event %(event)s: its repetition (RRULE) cannot be read (%(problem)s).")
                % {"event": _name(event), "problem": str(error)}
            ) from error
        stop = _as_datetime(last)
        starts = [
            when.date()
            for when in repeat.between(_as_datetime(first) - timedelta(days=length), stop, inc=True)
        ]
        excluded = {
            (d.dt.date() if isinstance(d.dt, datetime) else d.dt)
            for value in _as_list(event.get("EXDATE"))
            for d in value.dts
        }
        starts = [s for s in starts if s not in excluded]
    days: list[date] = []
    for begin in starts:
        days.extend(
            d for d in _span(begin, begin + timedelta(days=length - 1)) if first <= d <= last
        )
    return days


def _as_list(value: object) -> list[icalendar.prop.vDDDLists]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]  # type: ignore[list-item]


def read_ics(data: bytes, *, today: date, limit_bytes: int = MAX_BYTES) -> Found:
    """Return the days off an iCalendar file gives from `today` on, as far as a plan reaches."""
    if len(data) > limit_bytes:
        raise BlackoutError(
            _("The file is %(size)d KB; a calendar file may be at most %(limit)d KB.")
            % {"size": -(-len(data) // 1024), "limit": limit_bytes // 1024}
        )
    if not data.strip():
        raise BlackoutError(_("The file is empty."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise BlackoutError(
            _(
                "The file is not UTF-8 text, as iCalendar files are: byte %(byte)s at "
                "position %(at)d cannot be read. Export the calendar again as .ics."
            )
            % {"byte": f"0x{data[error.start]:02X}", "at": error.start}
        ) from error
    if not text.lstrip().upper().startswith("BEGIN:VCALENDAR"):
        raise BlackoutError(
            _("This is not an iCalendar file: it does not start with BEGIN:VCALENDAR.")
        )
    try:
        calendar = icalendar.Calendar.from_ical(text)
    except ValueError as error:
        raise BlackoutError(
            _("The calendar cannot be read: %(problem)s") % {"problem": str(error)[:200]}
        ) from error
    events = calendar.walk("VEVENT")
    if not events:
        raise BlackoutError(_("The file holds no events (VEVENT)."))
    last = today + timedelta(days=MAX_DAYS)
    found: set[date] = set()
    names: dict[str, None] = {}
    used = skipped = 0
    for event in events:
        days = _event_days(event, first=today, last=last)
        if days is None:
            skipped += 1
            continue
        if days:
            used += 1
            found.update(days)
            names[_name(event)] = None
    return Found(tuple(sorted(found)), used, skipped, tuple(names))


def parse_days(text: str) -> list[date]:
    """Read typed blackout days: one day or one range of days per line.

    `2026-05-15`, or `2026-02-14 to 2026-02-22 carnaval` (any words beside the two dates).
    """
    days: set[date] = set()
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        found = ISO_DATE.findall(line)
        if not found or len(found) > 2:
            raise BlackoutError(
                _("Line %(line)d (%(value)s): give one date like 2026-02-16, or two for a range.")
                % {"line": number, "value": line.strip()[:60]}
            )
        try:
            first, last = date.fromisoformat(found[0]), date.fromisoformat(found[-1])
        except ValueError as error:
            raise BlackoutError(
                _("Line %(line)d (%(value)s): %(date)s is not a date.")
                % {"line": number, "value": line.strip()[:60], "date": _bad(found)}
            ) from error
        if last < first:
            raise BlackoutError(
                _("Line %(line)d: the range ends before it starts.") % {"line": number}
            )
        if (last - first).days + 1 > MAX_EVENT_DAYS:
            raise BlackoutError(
                _("Line %(line)d: a range of blackout days lasts at most a year.")
                % {"line": number}
            )
        days.update(_span(first, last))
    return sorted(days)


def _bad(found: list[str]) -> str:
    for text in found:
        try:
            date.fromisoformat(text)
        except ValueError:
            return text
    return found[0]


def as_ranges(days: Iterable[date]) -> list[tuple[date, date]]:
    """Join consecutive days into ranges, to show and edit them as typed."""
    ranges: list[tuple[date, date]] = []
    for day in sorted(set(days)):
        if ranges and day == ranges[-1][1] + timedelta(days=1):
            ranges[-1] = (ranges[-1][0], day)
        else:
            ranges.append((day, day))
    return ranges


def as_text(days: Iterable[date]) -> str:
    """Write days back as the lines `parse_days` reads: one day or range per line."""
    return "\n".join(
        first.isoformat() if first == last else f"{first.isoformat()} \u2013 {last.isoformat()}"
        for first, last in as_ranges(days)
    )
