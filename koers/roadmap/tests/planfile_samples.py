"""Plan files as MS Project, GanttProject and Jira write them, made here (never copied)."""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape

NS = "http://schemas.microsoft.com/project"


def mspdi_task(
    uid: int,
    name: str,
    level: int,
    start: str,
    finish: str | None = None,
    *,
    summary: bool = False,
    milestone: bool = False,
    cost: str | None = None,
    duration: str | None = None,
    links: Sequence[tuple[int, int]] = (),
    null: bool = False,
) -> str:
    parts = [f"<UID>{uid}</UID><ID>{uid}</ID>"]
    if null:
        return f"<Task>{parts[0]}<IsNull>1</IsNull></Task>"
    parts.append(f"<Name>{escape(name)}</Name><OutlineLevel>{level}</OutlineLevel>")
    parts.append(f"<Start>{start}T08:00:00</Start>")
    if finish:
        parts.append(f"<Finish>{finish}T17:00:00</Finish>")
    if duration:
        parts.append(f"<Duration>{duration}</Duration>")
    parts.append(f"<Summary>{int(summary)}</Summary><Milestone>{int(milestone)}</Milestone>")
    if cost is not None:
        parts.append(f"<Cost>{cost}</Cost>")
    for predecessor, kind in links:
        parts.append(
            f"<PredecessorLink><PredecessorUID>{predecessor}</PredecessorUID>"
            f"<Type>{kind}</Type><LinkLag>0</LinkLag></PredecessorLink>"
        )
    return "<Task>" + "".join(parts) + "</Task>"


def mspdi(tasks: Sequence[str], *, calendar: str = "", currency: str = "EUR") -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Project xmlns="{NS}"><Name>Klantplan.xml</Name><Title>Digitale balie</Title>'
        f"<CurrencyCode>{currency}</CurrencyCode><CalendarUID>1</CalendarUID>"
        f"<MinutesPerDay>480</MinutesPerDay><Calendars>{calendar}</Calendars>"
        "<Tasks>"
        + mspdi_task(0, "Digitale balie", 0, "2027-03-01", summary=True)
        + "".join(tasks)
        + "</Tasks></Project>"
    ).encode()


# Working days Monday to Friday (DayType 1 is Sunday), and one exception: 2027-04-27 (King's
# Day) off. The legacy WeekDay holiday form is used for 2027-05-05.
CALENDAR = (
    "<Calendar><UID>1</UID><Name>Standaard</Name><IsBaseCalendar>1</IsBaseCalendar><WeekDays>"
    + "".join(
        f"<WeekDay><DayType>{day}</DayType><DayWorking>{int(day not in (1, 7))}</DayWorking>"
        "</WeekDay>"
        for day in range(1, 8)
    )
    + "<WeekDay><DayType>0</DayType><DayWorking>0</DayWorking><TimePeriod>"
    "<FromDate>2027-05-05T00:00:00</FromDate><ToDate>2027-05-05T23:59:00</ToDate>"
    "</TimePeriod></WeekDay></WeekDays>"
    "<Exceptions><Exception><EnteredByOccurrences>0</EnteredByOccurrences><TimePeriod>"
    "<FromDate>2027-04-27T00:00:00</FromDate><ToDate>2027-04-27T23:59:00</ToDate></TimePeriod>"
    "<Occurrences>1</Occurrences><Name>Koningsdag</Name><Type>1</Type>"
    "<DayWorking>0</DayWorking></Exception>"
    # Every Monday of 2027 off, weekly: its period is where it recurs, not a year off.
    "<Exception><TimePeriod><FromDate>2027-01-01T00:00:00</FromDate>"
    "<ToDate>2027-12-31T23:59:00</ToDate></TimePeriod><Occurrences>52</Occurrences>"
    "<Name>Maandag vrij</Name><Type>6</Type><DaysOfWeek>2</DaysOfWeek>"
    "<DayWorking>0</DayWorking></Exception></Exceptions></Calendar>"
)


def gan(tasks: str, holidays: str = "") -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?><project name="Inventaire vert" version="3.3" '
        'locale="en_US"><calendars base-id="fr"><day-types><day-type id="0"/>'
        '<day-type id="1"/><default-week id="1" name="default" sun="1" mon="0" tue="0" '
        'wed="0" thu="0" fri="0" sat="1"/></day-types>'
        f"{holidays}</calendars><tasks>{tasks}</tasks></project>"
    ).encode()


JIRA_HEADER = (
    "Summary,Issue key,Issue id,Issue Type,Status,Priority,Due date,Sprint,Sprint,"
    "Custom field (Start date),Parent,Parent summary"
)


def jira(rows: Sequence[str]) -> bytes:
    return ("\n".join([JIRA_HEADER, *rows]) + "\n").encode()
