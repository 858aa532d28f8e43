"""Tell people when their turn is: a wave's people as CSV/XLSX, the waves as iCal, and the
paragraph that explains the big-bang comparison in a proposal."""

import csv
import io
import re
from collections.abc import Iterator, Sequence
from datetime import date, timedelta

from django.db import connections
from django.db.models import CharField
from django.db.models.functions import Cast
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from icalendar import Calendar, Event

from koers.core.calendars import calendar_bytes
from koers.core.dates import iso_week
from koers.core.spreadsheets import FORMULA_STARTS, table_workbook
from koers.projects.models import Project

from . import waves as wave_rules
from .models import Wave

# A value of a row, each after a NUL, that starts with what a spreadsheet runs as a formula.
_FORMULA_AT_START = re.compile("\x00[" + re.escape("".join(FORMULA_STARTS)) + "]")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PRODID = "-//Koers//Waves//EN"


def _header() -> list[str]:
    return [
        _("Employee id"),
        _("Name"),
        _("E-mail address"),
        _("Department"),
        _("Location"),
        _("Job title"),
        pgettext("a person's boss", "Manager"),
        _("Your day"),
        _("ISO week"),
        _("Wave"),
        _("First name"),  # for a mail merge
    ]


def _rows(wave: Wave, *, for_csv: bool) -> Iterator[list[object]]:
    """The wave's people, by day and name: person's values, day, ISO week, wave.

    For a CSV the days are ISO text and every text is made harmless for spreadsheets here
    (see `safe`): a row is looked at whole, and only a row with such a value is made again.
    A workbook needs neither: its days are dates and its text cells are never formulas. The
    rows are read with the ORM's own SQL but without its per-row converters, 5,000 at a time;
    the day comes as text and is parsed once a day.
    """
    members = (
        wave.members.order_by("live_on", "person__name")
        .annotate(day=Cast("live_on", CharField()))
        .values_list(
            "person__key",
            "person__name",
            "person__email",
            "person__department",
            "person__location",
            "person__job_title",
            "person__manager",
            "day",
        )
    )
    sql, params = members.query.sql_with_params()
    by_day: dict[object, list[object]] = {}  # day -> [day, week, wave], made once a day
    label = "'" + wave.label if for_csv and wave.label.startswith(FORMULA_STARTS) else wave.label
    with connections[members.db].cursor() as cursor:
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(5000):
            for values in chunk:
                day = values[7]
                if day not in by_day:
                    parsed = day if isinstance(day, date) else date.fromisoformat(day)
                    by_day[day] = [
                        parsed.isoformat() if for_csv else parsed,
                        iso_week(parsed),
                        label,
                    ]
                person = values[:7]
                if for_csv and _FORMULA_AT_START.search("\x00" + "\x00".join(person)):
                    person = tuple("'" + v if v.startswith(FORMULA_STARTS) else v for v in person)
                yield [*person, *by_day[day], first_name(values[1])]


def first_name(name: str) -> str:
    """The first word of a person's name, for the greeting of a mail merge."""
    return name.split(maxsplit=1)[0] if name.strip() else ""


def wave_people(wave: Wave, kind: str, *, separator: str = ",") -> tuple[bytes, str]:
    """Return the wave's people as CSV (with `separator`) or XLSX bytes and the content type."""
    if kind == "xlsx":
        title = _("Wave %(number)d") % {"number": wave.number}
        return table_workbook(title, _header(), _rows(wave, for_csv=False)), XLSX
    text = io.StringIO()
    writer = csv.writer(text, delimiter=separator)
    writer.writerow(_header())
    writer.writerows(_rows(wave, for_csv=True))
    # With a BOM, Excel opens the file as UTF-8 (names with accents stay right).
    return ("\ufeff" + text.getvalue()).encode("utf-8"), "text/csv; charset=utf-8"


def waves_calendar(project: Project, *, host: str) -> bytes:
    """Return the waves as all-day events.

    A wave's UID is its project and number: planning the waves again makes new wave rows, and
    a subscribed calendar then moves the events it has instead of adding a second set.
    """
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{project.name}: {_('waves')}")
    stamp = timezone.now()
    for wave in Wave.objects.filter(project=project).order_by("number"):
        event = Event()
        event.add("uid", f"wave-{project.pk}-{wave.number}@{host}")
        event.add("dtstamp", stamp)
        event.add(
            "summary",
            _("%(wave)s: %(count)d people live (%(status)s)")
            % {"wave": wave.label, "count": wave.size, "status": wave.get_status_display()},
        )
        event.add("dtstart", wave.start_on)
        event.add("dtend", wave.end_on + timedelta(days=1))
        event.add("description", f"{wave.weeks} · {', '.join(wave.departments)}")
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar_bytes(calendar)


def big_bang_paragraph(
    planned: Sequence[wave_rules.Outline], comparison: wave_rules.Comparison
) -> str:
    """Return a short paragraph for the proposal on why the rollout goes in waves."""
    bang, waves = comparison.big_bang, comparison.waves

    def day(value: date) -> str:
        return str(formats.date_format(value, "j F Y"))

    pilot = next((w for w in planned if w.kind == "pilot"), None)
    ring = next((w for w in planned if w.kind == "first_ring"), None)
    first = (
        _(
            "First the %(ring)d people of IT and the service desk go live on %(ring_day)s, so "
            "they can support the others. "
        )
        % {"ring": ring.size, "ring_day": day(ring.start)}
        if ring
        else ""
    )
    return first + _(
        "If all %(total)d people went live on %(bang_day)s, one defect found late would hit "
        "all %(total)d at once, and the service desk would expect about %(bang_peak)d tickets "
        "a day against the %(desk)d it handles, for %(bang_over)d day(s). With a pilot of "
        "%(pilot)d people on %(pilot_day)s and waves after it, the first real feedback comes "
        "from the pilot, a late defect hits at most %(largest)d people before the next gate "
        "stops it, and the desk expects at most %(wave_peak)d tickets a day. Everyone is live "
        "on %(waves_end)s."
    ) % {
        "total": comparison.people,
        "bang_day": day(bang.first_feedback),
        "bang_peak": round(bang.peak_tickets),
        "desk": round(comparison.desk_per_day),
        "bang_over": bang.days_over_capacity,
        "pilot": pilot.size if pilot else 0,
        "pilot_day": day(pilot.start if pilot else waves.first_feedback),
        "largest": waves.people_hit_at_once,
        "wave_peak": round(waves.peak_tickets),
        "waves_end": day(waves.everyone_live),
    }
