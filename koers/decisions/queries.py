"""Reads on the decision log that pages, documents, the API and the CLI share.

The log shows three kinds of decision side by side without copying any: the project's own
decisions, the go/no-go decisions of its gates (rollout) and the guardrail deviations the team
accepted (roadmap). `log_page` merges them newest first and pages them by keyset
(core.merging): a fixed number of queries for any page of any log.
"""

from dataclasses import dataclass
from datetime import date, datetime
from enum import IntEnum
from typing import Any

from django.db.models import Count, F, Q, QuerySet

from koers.core import merging
from koers.core.paging import MAX_LIMIT
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


def with_deciders(rows: QuerySet[Decision]) -> QuerySet[Decision]:
    """The decisions with the stakeholders who decided them (one query more)."""
    return rows.prefetch_related("deciders")


def needed(project: Project) -> QuerySet[Decision]:
    """Return the decisions still to be made: the soonest needed first, undated last."""
    return (
        decision_rows(project)
        .filter(status=Decision.Status.PROPOSED)
        .order_by(F("due_on").asc(nulls_last=True), "logged_at", "pk")
    )


def waiting_counts(projects: list[Project], today: date) -> dict[int, tuple[int, int]]:
    """Per project: the decisions still to be made, and how many of them are past their
    due day, in one query."""
    rows = (
        Decision.objects.filter(project__in=projects, status=Decision.Status.PROPOSED)
        .order_by()
        .values("project_id")
        .annotate(n=Count("pk"), late=Count("pk", filter=Q(due_on__lt=today)))
    )
    found = {p.pk: (0, 0) for p in projects}
    found.update({row["project_id"]: (row["n"], row["late"]) for row in rows})
    return found


def needed_shown(project: Project, limit: int) -> tuple[list[Decision], int]:
    """Return the first `limit` decisions needed and how many there are in all (2 queries)."""
    rows = needed(project)
    return list(rows[:limit]), rows.count()


def _sources(project: Project) -> list[merging.Source]:
    """Each source's rows and the name of its moment field."""
    return [
        merging.Source(Source.LOG, with_deciders(decision_rows(project)), "logged_at"),
        merging.Source(Source.GATE, gate_decisions_of(project), "decided_at"),
        merging.Source(Source.GUARDRAIL, deviations_of(project), "accepted_at"),
    ]


def log_page(project: Project, *, cursor: str | None = None, limit: int = LOG_PAGE) -> LogPage:
    """Return one page of the merged log, newest first; raise CursorError for a bad cursor.
    Eight queries whatever the page (merging.merged_page, and the phases' titles)."""
    found = merging.merged_page(
        _sources(project), name=f"{SALT}:{project.pk}", cursor=cursor, limit=limit
    )
    titles = dict(project.phases.values_list("key", "title"))
    entries = [
        Entry(
            Source(row.rank),
            row.at,  # type: ignore[arg-type]  # every moment of the log is a datetime
            row.item,
            deviation_about(row.item, titles) if row.rank == Source.GUARDRAIL else "",
        )
        for row in found.rows
    ]
    return LogPage(count=found.count, next=found.next, entries=entries)


def deviation_about(deviation: Deviation, phase_titles: dict[str, str]) -> str:
    """Return the guardrail a deviation accepts, and its phase: "No KPI (Quote tool)"."""
    title = str(rule_title(Rule(deviation.rule)))
    phase = phase_titles.get(deviation.subject) if deviation.subject else None
    return f"{title} ({phase})" if phase else title


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
