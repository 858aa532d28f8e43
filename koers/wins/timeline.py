"""A project's timeline: the wins it celebrated, the decisions it made and what it told
people, in date order on one list, newest first. Nothing is copied: the rows are read where
they are kept and merged by core.merging, a fixed number of queries for any page.

A celebrated win is told through a communication: that communication shows as the win.
"""

from enum import IntEnum

from koers.core import merging
from koers.core.paging import MAX_LIMIT
from koers.decisions.models import Decision
from koers.projects.models import Project
from koers.stakeholders.models import Communication

from .models import Win

PAGE = 50
MADE = [Decision.Status.DECIDED, Decision.Status.REVISITED, Decision.Status.SUPERSEDED]


class Kind(IntEnum):
    """What a line of the timeline is; also its place among lines of one day."""

    WIN = 0
    DECISION = 1
    COMMUNICATION = 2

    @property
    def label(self) -> str:
        return self.name.lower()


def _sources(project: Project) -> list[merging.Source]:
    wins = Win.objects.filter(project=project, status=Win.Status.CELEBRATED)
    decisions = Decision.objects.filter(project=project, status__in=MADE, decided_on__isnull=False)
    told = Communication.objects.filter(
        project=project, status=Communication.Status.DONE, win__isnull=True
    )
    return [
        merging.Source(Kind.WIN, wins.select_related("communication"), "on"),
        merging.Source(Kind.DECISION, decisions, "decided_on"),
        merging.Source(Kind.COMMUNICATION, told, "on"),
    ]


def timeline_page(
    project: Project, *, cursor: str | None = None, limit: int = PAGE
) -> merging.MergedPage:
    """One page of the timeline, newest first (six queries); CursorError for a bad cursor."""
    name = f"koers.timeline:{project.pk}"
    return merging.merged_page(_sources(project), name=name, cursor=cursor, limit=limit)


def whole_timeline(project: Project) -> list[merging.Row]:
    """Every line of the timeline, newest first (the CLI: page by page)."""
    rows: list[merging.Row] = []
    cursor = None
    while True:
        shown = timeline_page(project, cursor=cursor, limit=MAX_LIMIT)
        rows += shown.rows
        if shown.next is None:
            return rows
        cursor = shown.next
