"""The values plan files write in many ways: text encodings, dates, money, durations, and
the working days of a calendar (a duration in working days needs one to find the last day).
"""

from __future__ import annotations

import codecs
import math
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from .draft import PlanFileError

HOURS_PER_DAY = 8
DAYS_PER_WEEK = 5


def decode(data: bytes) -> str:
    """The text of a CSV file: UTF-8 with or without BOM, UTF-16 with BOM, or Windows-1252."""
    if data.startswith(codecs.BOM_UTF8):
        codec = "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        codec = "utf-16"
    elif b"\x00" in data[:8192]:
        raise PlanFileError(_("This is not a text file, so it cannot be a CSV file."))
    else:
        codec = "utf-8"
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as error:
        if codec != "utf-8":
            raise PlanFileError(
                _("The file says it is %(codec)s but line %(line)d is not.")
                % {"codec": codec.upper(), "line": data.count(b"\n", 0, error.start) + 1}
            ) from error
        text = data.decode("cp1252", errors="replace")  # old Excel "CSV" on Windows
    if "\x00" in text:
        raise PlanFileError(_("The file holds a NUL character; this is not a clean text file."))
    return text


MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january", "januari", "janv", "janvier", "jän", "januar"),
            ("feb", "february", "februari", "févr", "fevr", "février", "februar"),
            ("mar", "march", "maart", "mrt", "mars", "mär", "märz"),
            ("apr", "april", "avr", "avril"),
            ("may", "mei", "mai"),
            ("jun", "june", "juni", "juin"),
            ("jul", "july", "juli", "juil", "juillet"),
            ("aug", "august", "augustus", "août", "aout"),
            ("sep", "sept", "september", "septembre"),
            ("oct", "october", "oktober", "okt", "octobre"),
            ("nov", "november", "novembre"),
            ("dec", "december", "dez", "déc", "décembre", "dezember"),
        ],
        start=1,
    )
    for name in names
}
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[t ].*)?$")
_NUMERIC = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})(?:[ t].*)?$")
_WORDS = re.compile(r"(\d{1,2})[-/. ]+([^\W\d_]+)\.?[-/. ]+(\d{2}|\d{4})(?:[ t,].*)?$")
_WORDS_FIRST = re.compile(r"([^\W\d_]+)\.? (\d{1,2}),? (\d{4})$")


def _year(text: str) -> int:
    year = int(text)
    return year + 2000 if year < 100 else year


# Years a plan can be about; outside them a date is a typo (and 9999 overflows in the roadmap).
YEARS = range(1900, 2201)


def parse_date(text: str) -> date | None:
    """A date as tools and people write it, or None when the text is no date (or one of a
    year no plan is about).

    2027-03-14, 14-03-2027 (day first, the Dutch way; month first only when the day-first
    reading is impossible), 14/Mar/27 3:31 PM (Jira), 14 maart 2027, March 14, 2027.
    """
    found = _parse_date(" ".join(text.strip().lower().split()))
    return found if found is not None and found.year in YEARS else None


def _parse_date(text: str) -> date | None:
    try:
        if match := _ISO.match(text):
            return date(int(match[1]), int(match[2]), int(match[3]))
        if match := _NUMERIC.match(text):
            first, second, year = int(match[1]), int(match[2]), _year(match[3])
            if second > 12 >= first:
                return date(year, first, second)
            return date(year, second, first)
        if (match := _WORDS.match(text)) and match[2] in MONTHS:
            return date(_year(match[3]), MONTHS[match[2]], int(match[1]))
        if (match := _WORDS_FIRST.match(text)) and match[1] in MONTHS:
            return date(int(match[3]), MONTHS[match[1]], int(match[2]))
    except ValueError:
        return None
    return None


def parse_money(text: str) -> Decimal | None:
    """An amount as written in either convention: 25.000,50 or 25,000.50, with € or EUR."""
    cleaned = re.sub(r"[^\d.,\-]", "", text)
    if not re.search(r"\d", cleaned):
        return None
    dot, comma = cleaned.rfind("."), cleaned.rfind(",")
    if dot >= 0 and comma >= 0:
        decimal_mark = "." if dot > comma else ","
    elif comma >= 0 or dot >= 0:
        mark = "," if comma >= 0 else "."
        tail = cleaned.rsplit(mark, 1)[1]
        # One mark before exactly three digits is a thousands separator (25.000 or 25,000).
        decimal_mark = "" if cleaned.count(mark) > 1 or len(tail) == 3 else mark
    else:
        decimal_mark = ""
    thousands = {".", ","} - {decimal_mark}
    for mark in thousands:
        cleaned = cleaned.replace(mark, "")
    try:
        amount = Decimal(cleaned.replace(",", ".")) if decimal_mark else Decimal(cleaned)
    except InvalidOperation:
        return None
    return amount if amount.is_finite() else None


_ISO_DURATION = re.compile(
    r"P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$"
)
_UNIT_DURATION = re.compile(r"(\d+(?:[.,]\d+)?)\s*([^\W\d_]*)$")
UNITS = {
    "": 1,
    "d": 1,
    "day": 1,
    "days": 1,
    "dag": 1,
    "dagen": 1,
    "h": 1 / HOURS_PER_DAY,
    "hr": 1 / HOURS_PER_DAY,
    "hrs": 1 / HOURS_PER_DAY,
    "hour": 1 / HOURS_PER_DAY,
    "hours": 1 / HOURS_PER_DAY,
    "u": 1 / HOURS_PER_DAY,
    "uur": 1 / HOURS_PER_DAY,
    "uren": 1 / HOURS_PER_DAY,
    "w": DAYS_PER_WEEK,
    "wk": DAYS_PER_WEEK,
    "week": DAYS_PER_WEEK,
    "weeks": DAYS_PER_WEEK,
    "weken": DAYS_PER_WEEK,
}


def iso_duration_days(text: str, *, hours_per_day: float = HOURS_PER_DAY) -> float | None:
    """Working days in an ISO 8601 duration as MS Project writes it (PT400H0M0S)."""
    match = _ISO_DURATION.match(text.strip().upper())
    if not match or not any(match.groups()):
        return None
    days, hours, minutes, seconds = (float(g) if g else 0.0 for g in match.groups())
    return days + (hours + minutes / 60 + seconds / 3600) / hours_per_day


def duration_days(text: str) -> float | None:
    """Working days in "10", "10d", "10 dagen", "80h", "80 uur", "6 weeks", or ISO 8601."""
    if text.strip().upper().startswith("P"):
        return iso_duration_days(text)
    match = _UNIT_DURATION.match(text.strip().lower())
    if not match or match[2] not in UNITS:
        return None
    return float(match[1].replace(",", ".")) * UNITS[match[2]]


@dataclass
class WorkCalendar:
    """Which days are worked: a week of working weekdays (Monday 0) and days off."""

    working_weekdays: Collection[int] = frozenset(range(5))
    days_off: set[date] = field(default_factory=set)
    yearly_days_off: set[tuple[int, int]] = field(default_factory=set)  # (month, day)

    def is_working(self, day: date) -> bool:
        return (
            day.weekday() in self.working_weekdays
            and day not in self.days_off
            and (day.month, day.day) not in self.yearly_days_off
        )

    def last_day(self, first: date, working_days: float) -> date:
        """The last day of work that starts on `first` and takes this many working days."""
        needed = max(1, math.ceil(working_days - 1e-9))
        if not self.working_weekdays:
            return first + timedelta(days=needed - 1)
        day, done = first, 0
        # A year of holidays cannot stall the count: give up after ten calendar years.
        for _step in range(3660 + needed * 7):
            if self.is_working(day):
                done += 1
                if done == needed:
                    return day
            day += timedelta(days=1)
        return day


def parse_datetime_day(text: str) -> date | None:
    """The day of an XML date-time (2003-01-07T08:00:00) or date."""
    try:
        day = datetime.fromisoformat(text.strip()).date()
    except ValueError:
        return parse_date(text)
    return day if day.year in YEARS else None
