"""API routes for a project's small wins: what Koers proposes, the handled wins, celebrate or
dismiss a proposal. A celebrated win's message is a communication: mail it with
`POST .../communications/{communication}/mail` and `"template": "celebration"` (each
stakeholder at most once, failed mails retried there). Guests get 404, like stakeholders."""

from datetime import date
from typing import Any, Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from koers.core.paging import page
from koers.projects.models import Project
from koers.projects.queries import project_for
from koers.wins import queries, records, services, timeline
from koers.workspaces.models import Role

from .auth import workspace_route
from .errors import Error
from .inputs import Input
from .paging import PageIn, page_of

router = Router(tags=["wins"])
BASE = "w/{workspace}/projects/{project}/wins"
WinKind = Literal["kpi", "live", "decision"]
KEY_HELP = "The key of a proposal, as the proposals give it (e.g. `live:12`)."


class ProposalOut(Schema):
    key: str = Field(description=KEY_HELP)
    kind: WinKind
    title: str
    on: date


class WinOut(Schema):
    id: int
    key: str
    kind: WinKind
    status: Literal["celebrated", "dismissed"]
    title: str
    on: date
    communication: int | None = Field(description="The communication that tells the win.")
    message: str


class TimelineOut(Schema):
    kind: Literal["win", "decision", "communication"]
    on: date
    id: int = Field(description="The id of the win, decision or communication.")
    title: str
    win_kind: WinKind | None = None
    communication: int | None = Field(None, description="A win: the communication telling it.")
    status: str | None = Field(None, description="A decision: its status.")
    decided_by: str | None = None
    communication_kind: str | None = Field(None, description="A communication: its kind.")


class CelebrateIn(Input):
    key: str = Field(..., min_length=1, max_length=40, description=KEY_HELP)
    message: str = Field(..., min_length=1, max_length=8000)
    how: Literal["mail", "demo", "meeting"] = Field(
        "mail", description="mail: a planned update to mail next; demo, meeting: told, done."
    )
    title: str = Field("", max_length=200, description="Empty: the proposal's title.")
    on: date | None = Field(None, description="The communication's date; empty: the win's.")


class DismissIn(Input):
    key: str = Field(..., min_length=1, max_length=40, description=KEY_HELP)


def _project(request: HttpRequest, slug: str) -> Project:
    return project_for(request, slug)  # type: ignore[arg-type]


@router.get(f"{BASE}/proposals", response={200: page_of(ProposalOut), 404: Error})
@workspace_route()
def win_proposals(request: HttpRequest, workspace: str, project: str, paging: Query[PageIn]) -> Any:
    """What Koers proposes to celebrate now, the newest first (fresh facts only)."""
    found = queries.proposals_page(_project(request, project), **paging.dict())
    return {
        "count": found.count,
        "next": found.next,
        "items": [records.proposal_record(f) for f in found.items],
    }


@router.get(BASE, response={200: page_of(WinOut), 404: Error})
@workspace_route()
def win_list(request: HttpRequest, workspace: str, project: str, paging: Query[PageIn]) -> Any:
    """The wins celebrated or dismissed, the newest first."""
    rows = queries.wins_of(_project(request, project))
    found = page(rows, name="wins", ordering=["-on", "-id"], **paging.dict())
    return {
        "count": found.count,
        "next": found.next,
        "items": [records.win_record(w) for w in found.items],
    }


@router.get(
    "w/{workspace}/projects/{project}/timeline", response={200: page_of(TimelineOut), 404: Error}
)
@workspace_route()
def timeline_list(request: HttpRequest, workspace: str, project: str, paging: Query[PageIn]) -> Any:
    """The wins celebrated, the decisions made and the communications done, newest first."""
    found = timeline.timeline_page(
        _project(request, project), cursor=paging.cursor, limit=paging.limit
    )
    return {
        "count": found.count,
        "next": found.next,
        "items": [records.timeline_record(row) for row in found.rows],
    }


@router.post(f"{BASE}/dismiss", response={201: WinOut, 400: Error, 403: Error, 404: Error})
@workspace_route(Role.MEMBER)
def win_dismiss(request: HttpRequest, workspace: str, project: str, body: DismissIn) -> Any:
    """Do not celebrate a proposal: Koers does not propose it again."""
    made = services.win_dismiss(
        project=_project(request, project), key=body.key, actor=request.user
    )
    return Status(201, records.win_record(made))


@router.get(f"{BASE}/{{win}}", response={200: WinOut, 404: Error})
@workspace_route()
def win_read(request: HttpRequest, workspace: str, project: str, win: int) -> Any:
    found = _project(request, project)
    return records.win_record(get_object_or_404(queries.wins_of(found), pk=win))


@router.post(BASE, response={201: WinOut, 400: Error, 403: Error, 404: Error})
@workspace_route(Role.MEMBER)
def win_celebrate(request: HttpRequest, workspace: str, project: str, body: CelebrateIn) -> Any:
    """Celebrate a proposal: its message is logged as a communication (mail it next)."""
    made = services.win_celebrate(
        project=_project(request, project), actor=request.user, **body.dict()
    )
    return Status(201, records.win_record(made))
