"""iCalendar files Koers hands out (the plan feed, the wave calendar)."""

from django.conf import settings
from icalendar import Calendar, Timezone


def calendar_bytes(calendar: Calendar) -> bytes:
    """The calendar as a file that every client accepts, also without events: RFC 5545 asks
    for at least one component, so an empty calendar carries the workspace's time zone."""
    if not calendar.subcomponents:
        calendar.add_component(Timezone.from_tzid(settings.TIME_ZONE))
    data: bytes = calendar.to_ical()
    return data
