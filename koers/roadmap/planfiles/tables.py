"""Read a plan from a CSV file: a Jira export ("Export CSV (all fields)") or a plain table
of phases and milestones, comma, semicolon or tab separated.

Jira: epics and their MoSCoW priority fill the scope canvas (must and should have: in; could
have: later; won't have: out). Teams that make an epic per MoSCoW bucket get each issue under
it as a scope item. An epic with a start and a due date also becomes a draft phase.

Plain: one row per phase or milestone; the columns are found by their names in Dutch or
English (name, start, end or duration, budget, type, builds on).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from .draft import (
    DraftMilestone,
    DraftPhase,
    DraftPlan,
    DraftScopeItem,
    PlanFileError,
    clean_title,
    milestone_kind,
    phase_from_days,
)
from .values import WorkCalendar, decode, duration_days, parse_date, parse_money

DELIMITERS = ",;\t"


def read(data: bytes) -> DraftPlan:
    text = decode(data)
    rows = _rows(text)
    if not rows:
        raise PlanFileError(_("The file is empty."))
    header = [_normal(cell) for cell in rows[0]]
    body = [
        (number, row) for number, row in enumerate(rows[1:], start=2) if any(c.strip() for c in row)
    ]
    if not body:
        raise PlanFileError(_("The file has a header but no rows."))
    if "issue type" in header and ("summary" in header or "samenvatting" in header):
        return _jira(header, body)
    return _plain(header, body)


def _rows(text: str) -> list[list[str]]:
    first = text.split("\n", 1)[0]
    delimiter = max(DELIMITERS, key=first.count)
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        raise PlanFileError(
            _("The file cannot be read as CSV: %(error)s") % {"error": str(error)}
        ) from error


def _normal(name: str) -> str:
    return " ".join(name.replace("\ufeff", "").strip().lower().split())


def _column(header: Sequence[str], *names: str) -> int | None:
    """The first column with one of these names: Jira repeats some (Sprint), the first counts."""
    for name in names:
        if name in header:
            return header.index(name)
    return None


def _cell(row: Sequence[str], index: int | None) -> str:
    return row[index].strip() if index is not None and index < len(row) else ""


def _where(number: int) -> str:
    return _("row %(row)d") % {"row": number}


# Jira.

MOSCOW = (
    (re.compile(r"won'?t|will not|niet|out of scope"), "out"),
    (re.compile(r"\bmust\b|\bmoet\b|highest|blocker|critical"), "in"),
    (re.compile(r"\bshould\b|\bzou\b|\bhigh\b|medium"), "in"),
    (re.compile(r"\bcould\b|\bkan\b|\bkun|\blow|lowest|trivial"), "later"),
)


def moscow(text: str) -> str | None:
    lowered = text.lower()
    for pattern, column in MOSCOW:
        if pattern.search(lowered):
            return column
    return None


def _is_bucket(summary: str) -> bool:
    """An epic named after a MoSCoW bucket is a column, not an item."""
    return bool(
        re.fullmatch(r"(must|should|could|won'?t|will not) have\W*", summary.strip().lower())
    )


def _jira(header: list[str], body: list[tuple[int, list[str]]]) -> DraftPlan:
    at = {
        "summary": _column(header, "summary", "samenvatting"),
        "key": _column(header, "issue key", "sleutel"),
        "id": _column(header, "issue id"),
        "type": _column(header, "issue type"),
        "priority": _column(header, "priority", "prioriteit"),
        "parent": _column(header, "parent", "parent id"),
        "start": _column(header, "custom field (start date)", "start date"),
        "due": _column(header, "due date", "vervaldatum"),
    }
    buckets: dict[str, str] = {}
    epics: list[tuple[int, list[str]]] = []
    for number, row in body:
        if _cell(row, at["type"]).lower() == "epic":
            summary = _cell(row, at["summary"])
            if _is_bucket(summary):
                buckets[_cell(row, at["id"])] = moscow(summary) or "in"
            else:
                epics.append((number, row))
    items: list[DraftScopeItem] = []
    phases: list[DraftPhase] = []
    for number, row in epics:
        item, phase = _epic(number, row, at)
        items.append(item)
        if phase is not None:
            phases.append(phase)
    for number, row in body:
        column = buckets.get(_cell(row, at["parent"]))
        if column is None or _cell(row, at["type"]).lower() == "epic":
            continue
        key, summary = _cell(row, at["key"]) or str(number), _cell(row, at["summary"])
        items.append(
            DraftScopeItem(
                ref=key,
                title=clean_title(summary, key, limit=200),
                column=column,
                reason=_("Jira %(key)s, under the epic for this MoSCoW priority.") % {"key": key},
            )
        )
    notes = []
    if not items:
        notes.append(_("The Jira export has no epics, so there is nothing for the scope canvas."))
    return DraftPlan(
        source="jira", phases=tuple(phases), scope_items=tuple(items), notes=tuple(notes)
    )


def _epic(
    number: int, row: list[str], at: dict[str, int | None]
) -> tuple[DraftScopeItem, DraftPhase | None]:
    key, summary = _cell(row, at["key"]) or str(number), _cell(row, at["summary"])
    priority = _cell(row, at["priority"])
    column = moscow(priority) or "in"
    item = DraftScopeItem(
        ref=key,
        title=clean_title(summary, key, limit=200),
        column=column,
        reason=_("Jira epic %(key)s, priority %(priority)s.")
        % {"key": key, "priority": priority or "-"},
    )
    start, due = (parse_date(_cell(row, at[name])) for name in ("start", "due"))
    phase = None
    if start and due:
        phase = phase_from_days(
            ref=key, title=summary, first=start, last=due, budget=Decimal(0), notes=[]
        )
    return item, phase


# Plain tables.

COLUMNS = {
    "title": ("name", "naam", "phase", "fase", "title", "titel", "task", "taak", "task name"),
    "start": ("start", "begin", "start date", "startdatum", "begindatum", "van", "from"),
    "end": ("end", "finish", "eind", "einde", "end date", "einddatum", "tot", "to", "until"),
    "duration": ("duration", "duur", "days", "dagen"),
    "weeks": ("weeks", "weken"),
    "budget": ("budget", "cost", "costs", "kosten", "bedrag", "amount"),
    "type": ("type", "soort", "kind"),
    "builds_on": ("builds on", "bouwt voort op", "predecessor", "predecessors", "voorganger"),
}
MILESTONE_TYPES = {"milestone", "mijlpaal", "mijlpalen", "milestones", "jalon"}


def _plain(header: list[str], body: list[tuple[int, list[str]]]) -> DraftPlan:
    at = {name: _column(header, *names) for name, names in COLUMNS.items()}
    for needed, label in (("title", _("name")), ("start", _("start"))):
        if at[needed] is None:
            raise PlanFileError(
                _(
                    "The file has no column for the %(what)s. Koers looks for a column named "
                    "one of: %(names)s."
                )
                % {"what": label, "names": ", ".join(COLUMNS[needed])}
            )
    phases: list[DraftPhase] = []
    milestones: list[DraftMilestone] = []
    titles: dict[str, str] = {}
    wanted: dict[str, str] = {}
    calendar = WorkCalendar()
    for number, row in body:
        ref, where = str(number), _where(number)
        title = clean_title(_cell(row, at["title"]), ref)
        start = _date(row, at["start"], where, header)
        if _cell(row, at["type"]).lower() in MILESTONE_TYPES:
            milestones.append(
                DraftMilestone(ref=ref, title=title, on=start, kind=milestone_kind(title))
            )
            continue
        last = _last_day(row, at, start, where, header, calendar)
        budget = Decimal(0)
        notes: list[str] = []
        if _cell(row, at["budget"]):
            amount = parse_money(_cell(row, at["budget"]))
            if amount is None or amount < 0:
                raise PlanFileError(
                    _("The budget is not an amount of money."),
                    where=where,
                    field=header[at["budget"] or 0],
                    value=_cell(row, at["budget"]),
                )
            budget = amount.quantize(Decimal("0.01"))
        else:
            notes.append(_("No budget in the file: give the phase its budget."))
        phases.append(
            phase_from_days(
                ref=ref, title=title, first=start, last=last, budget=budget, notes=notes
            )
        )
        titles[title.lower()] = ref
        if earlier := _cell(row, at["builds_on"]):
            wanted[ref] = earlier
    phases = [
        replace(p, builds_on=titles.get(" ".join(wanted[p.ref].lower().split()), ""))
        if p.ref in wanted
        else p
        for p in phases
    ]
    return DraftPlan(source="csv", phases=tuple(phases), milestones=tuple(milestones))


def _date(row: list[str], index: int | None, where: str, header: list[str]) -> date:
    value = _cell(row, index)
    found = parse_date(value)
    if found is None:
        raise PlanFileError(
            _("This is not a date Koers can read; write it as 2027-03-14 or 14-03-2027.")
            if value
            else _("The date is missing."),
            where=where,
            field=header[index or 0],
            value=value,
        )
    return found


def _last_day(
    row: list[str],
    at: dict[str, int | None],
    start: date,
    where: str,
    header: list[str],
    calendar: WorkCalendar,
) -> date:
    if _cell(row, at["end"]):
        last = _date(row, at["end"], where, header)
        if last < start:
            raise PlanFileError(
                _("The phase ends before it starts."),
                where=where,
                field=header[at["end"] or 0],
                value=_cell(row, at["end"]),
            )
        return last
    for name, per_unit in (("weeks", 5.0), ("duration", 1.0)):
        value = _cell(row, at[name])
        if value:
            days = duration_days(value)
            if days is None or days <= 0:
                raise PlanFileError(
                    _("This is not a duration Koers can read; write it as 10d, 80h or 6w."),
                    where=where,
                    field=header[at[name] or 0],
                    value=value,
                )
            unitless = value.replace(",", ".").replace(".", "", 1).isdigit()
            return calendar.last_day(start, days * per_unit if unitless else days)
    raise PlanFileError(_("The row has no end date and no duration."), where=where, field=_("end"))
