"""Reads on the decision log that pages, documents, the API and the CLI share.

The log shows three kinds of decision side by side without copying any: the project's own
decisions, the go/no-go decisions of its gates (rollout) and the guardrail deviations the team
accepted (roadmap). `log_page` merges them newest first and pages them by keyset, like
core.paging: a fixed number of queries for any page of any log.
"""

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from enum import IntEnum
from typing import Any

from django.core import signing
from django.db.models import F, Q, QuerySet

from koers.core.paging import MAX_LIMIT, CursorError
from koers.projects.models import Project
from koers.roadmap.describe import rule_title
from koers.roadmap.guardrails import Rule
from koers.roadmap.models import Deviation
from koers.roadmap.queries import deviations_of
from koers.rollout.queries import gate_decisions_of

from .models import Decision

SALT = "koers.decisions.log"
LOG_PAGE = 50


class Source(IntEnum):
    """Where an entry of the log comes from; also its place among entries of one moment."""

    LOG = 0
    GATE = 1
    GUARDRAIL = 2


@dataclass(frozen=True)
class Entry:
    """One line of the log: `item` is a Decision, a GateDecision or a Deviation."""

    source: Source
    at: datetime
    item: Any
    about: str = ""  # a deviation: the guardrail and the phase it concerns

    @property
    def kind(self) -> str:
        """ "log", "gate" or "guardrail": what templates and records tell apart."""
        return self.source.name.lower()


@dataclass(frozen=True)
class LogPage:
    count: int
    next: str | None
    entries: list[Entry]


def decision_rows(project: Project) -> QuerySet[Decision]:
    """Return the project's own decisions with what they concern, in one query."""
    return project.decisions.select_related(
        "project__workspace",
        "superseded_by",
        "phase",
        "wave",
        "gate_decision__gate__wave",
        "scope_item",
        "plan_revision",
    )


def needed(project: Project) -> QuerySet[Decision]:
    """Return the decisions still to be made: the soonest needed first, undated last."""
    return (
        decision_rows(project)
        .filter(status=Decision.Status.PROPOSED)
        .order_by(F("due_on").asc(nulls_last=True), "logged_at", "pk")
    )


def needed_shown(project: Project, limit: int) -> tuple[list[Decision], int]:
    """Return the first `limit` decisions needed and how many there are in all (2 queries)."""
    rows = needed(project)
    return list(rows[:limit]), rows.count()


def _sources(project: Project) -> list[tuple[Source, QuerySet[Any], str]]:
    """Each source's rows and the name of its moment field."""
    return [
        (Source.LOG, decision_rows(project), "logged_at"),
        (Source.GATE, gate_decisions_of(project), "decided_at"),
        (Source.GUARDRAIL, deviations_of(project), "accepted_at"),
    ]


def log_page(project: Project, *, cursor: str | None = None, limit: int = LOG_PAGE) -> LogPage:
    """Return one page of the merged log, newest first; raise CursorError for a bad cursor.

    Each source gives at most `limit + 1` rows past the cursor; merged, the first `limit` are
    the page and one more means there is a next page. Seven queries whatever the page.
    """
    after = _read(cursor, project) if cursor else None
    entries: list[Entry] = []
    count = 0
    for source, rows, moment in _sources(project):
        count += rows.count()
        if after is not None:
            rows = rows.filter(_past(after, source, moment))
        found = rows.order_by(f"-{moment}", "-pk")[: limit + 1]
        entries += [Entry(source, getattr(row, moment), row) for row in found]
    entries.sort(key=lambda e: (-e.at.timestamp(), e.source, -e.item.pk))
    shown = entries[:limit]
    following = _write(shown[-1], project) if len(entries) > limit else None
    titles = dict(project.phases.values_list("key", "title"))
    shown = [
        replace(e, about=deviation_about(e.item, titles)) if e.source == Source.GUARDRAIL else e
        for e in shown
    ]
    return LogPage(count=count, next=following, entries=shown)


def deviation_about(deviation: Deviation, phase_titles: dict[str, str]) -> str:
    """Return the guardrail a deviation accepts, and its phase: "No KPI (Quote tool)"."""
    title = str(rule_title(Rule(deviation.rule)))
    phase = phase_titles.get(deviation.subject) if deviation.subject else None
    return f"{title} ({phase})" if phase else title


def _past(after: Sequence[Any], source: Source, moment: str) -> Q:
    """Rows of `source` that come after the entry `after` = (moment, source, pk)."""
    at, last_source, pk = after
    earlier = Q(**{f"{moment}__lt": at})
    if source > last_source:
        return earlier | Q(**{moment: at})
    if source == last_source:
        return earlier | Q(**{moment: at, "pk__lt": pk})
    return earlier


def _write(entry: Entry, project: Project) -> str:
    return signing.dumps(
        [project.pk, entry.at.isoformat(), int(entry.source), entry.item.pk],
        salt=SALT,
        compress=True,
    )


def _read(cursor: str, project: Project) -> tuple[datetime, Source, int]:
    try:
        project_pk, at, source, pk = signing.loads(cursor, salt=SALT)
        if project_pk != project.pk:
            raise ValueError("a cursor of another project's log")
        return datetime.fromisoformat(at), Source(source), int(pk)
    except (signing.BadSignature, ValueError, TypeError) as error:
        raise CursorError() from error


def whole_log(project: Project) -> list[Entry]:
    """Return every entry of the log, newest first (for exports and the CLI: page by page)."""
    entries: list[Entry] = []
    cursor = None
    while True:
        shown = log_page(project, cursor=cursor, limit=MAX_LIMIT)
        entries += shown.entries
        if shown.next is None:
            return entries
        cursor = shown.next
