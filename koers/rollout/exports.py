"""Tell people when their turn is: a wave's people as CSV/XLSX, the waves as iCal, and the
paragraph that explains the big-bang comparison in a proposal."""

import csv
import io
from datetime import date, timedelta

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from icalendar import Calendar, Event
from openpyxl import Workbook
from openpyxl.styles import Font

from koers.documents.xlsx import safe
from koers.projects.models import Project

from . import waves as wave_rules
from .models import Wave

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PRODID = "-//Koers//Waves//EN"


def _rows(wave: Wave) -> tuple[list[str], list[list[object]]]:
    header = [
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
    ]
    rows: list[list[object]] = []
    members = (
        wave.members.order_by("live_on", "person__name")
        .values_list(
            "person__key",
            "person__name",
            "person__email",
            "person__department",
            "person__location",
            "person__job_title",
            "person__manager",
            "live_on",
        )
        .iterator(chunk_size=5000)
    )
    for *person, day in members:
        week = day.isocalendar()
        rows.append([*person, day, f"{week.year}-W{week.week:02d}", wave.label])
    return header, rows


def wave_people(wave: Wave, kind: str) -> tuple[bytes, str]:
    """Return the wave's people as CSV or XLSX bytes and the content type."""
    header, rows = _rows(wave)
    if kind == "xlsx":
        book = Workbook(write_only=True)
        sheet = book.create_sheet(_("Wave %(number)d") % {"number": wave.number})
        bold = Font(bold=True)
        from openpyxl.cell import WriteOnlyCell

        title_row = []
        for name in header:
            cell = WriteOnlyCell(sheet, value=name)
            cell.font = bold
            title_row.append(cell)
        sheet.append(title_row)
        for row in rows:
            sheet.append([safe(value) for value in row])
        out = io.BytesIO()
        book.save(out)
        return out.getvalue(), XLSX
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(header)
    writer.writerows(
        [safe(v.isoformat() if hasattr(v, "isoformat") else v) for v in row] for row in rows
    )
    # With a BOM, Excel opens the file as UTF-8 (names with accents stay right).
    return ("\ufeff" + text.getvalue()).encode("utf-8"), "text/csv; charset=utf-8"


def waves_calendar(project: Project, *, host: str) -> bytes:
    """Return the waves as all-day events; UIDs stay the same when a wave moves."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{project.name}: {_('waves')}")
    stamp = timezone.now()
    for wave in Wave.objects.filter(project=project).order_by("number"):
        event = Event()
        event.add("uid", f"wave-{wave.pk}@{host}")
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
    return calendar.to_ical()


def big_bang_paragraph(plan: wave_rules.Plan, comparison: wave_rules.Comparison) -> str:
    """Return a short paragraph for the proposal on why the rollout goes in waves."""
    bang, waves = comparison.big_bang, comparison.waves

    def day(value: date) -> str:
        return str(formats.date_format(value, "j F Y"))

    return _(
        "If all %(total)d people went live on %(bang_day)s, one defect found late would hit "
        "all %(total)d at once, and the service desk would expect about %(bang_peak)d tickets "
        "a day against the %(desk)d it handles, for %(bang_over)d day(s). With a pilot of "
        "%(pilot)d people on %(pilot_day)s and waves after it, the first real feedback comes "
        "from the pilot, a late defect hits at most %(largest)d people before the next gate "
        "stops it, and the desk expects at most %(wave_peak)d tickets a day. Everyone is live "
        "on %(waves_end)s."
    ) % {
        "total": plan.total,
        "bang_day": day(bang.first_feedback),
        "bang_peak": round(bang.peak_tickets),
        "desk": round(comparison.desk_per_day),
        "bang_over": bang.days_over_capacity,
        "pilot": plan.waves[0].size if plan.waves and plan.waves[0].kind == "pilot" else 0,
        "pilot_day": day(waves.first_feedback),
        "largest": waves.people_hit_at_once,
        "wave_peak": round(waves.peak_tickets),
        "waves_end": day(waves.everyone_live),
    }
