"""The plan as an iCal feed: phases as all-day spans, milestones as all-day events."""

from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from koers.core.calendars import calendar_bytes
from koers.projects.models import Project
from koers.roadmap import snapshot as snap
from koers.roadmap.describe import kpi_line
from koers.roadmap.models import Milestone

PRODID = "-//Koers//Plan feed//EN"


def plan_calendar(project: Project, snapshot: snap.Snapshot, *, host: str) -> bytes:
    """Return the calendar of a plan snapshot; UIDs stay the same across revisions."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"{project.name} ({project.client.name})")
    stamp = timezone.now()
    for number, phase in enumerate(snapshot["phases"], 1):
        if phase["status"] == "stopped":
            continue
        start = date.fromisoformat(phase["start_month"])
        event = Event()
        event.add("uid", f"phase-{phase['key']}@{host}")
        event.add("dtstamp", stamp)
        event.add(
            "summary",
            _("Phase %(number)d: %(title)s") % {"number": number, "title": phase["title"]},
        )
        event.add("dtstart", start)
        event.add("dtend", start + timedelta(weeks=int(phase["weeks"])))
        lines = [phase["goal"], phase["standalone_value"]] + [kpi_line(k) for k in phase["kpis"]]
        event.add("description", "\n".join(line for line in lines if line))
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    kinds = {k.value: str(k.label) for k in Milestone.Kind}
    for milestone in snapshot["milestones"]:
        day = date.fromisoformat(milestone["on"])
        event = Event()
        event.add("uid", f"milestone-{milestone['key']}@{host}")
        event.add("dtstamp", stamp)
        event.add("summary", f"{kinds.get(milestone['kind'], '')}: {milestone['title']}")
        event.add("dtstart", day)
        event.add("dtend", day + timedelta(days=1))
        if milestone["decision_needed"]:
            event.add(
                "description",
                _("Decision needed: %(text)s") % {"text": milestone["decision_needed"]},
            )
        calendar.add_component(event)
    return calendar_bytes(calendar)
