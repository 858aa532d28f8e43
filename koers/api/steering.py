"""API routes for a project's steering group meetings: plan one, read it with its agenda,
record the minutes and the decisions taken, mail the minutes to the steering group (each
member at most once). Guests get 404: the meetings name people and their decisions."""

from datetime import date
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from koers.core.errors import KoersError
from koers.core.paging import page
from koers.decisions.models import Decision
from koers.projects.models import Project
from koers.projects.queries import project_for
from koers.steering import records, services
from koers.steering.agenda import agenda_of
from koers.steering.models import Meeting
from koers.workspaces.models import Role

from .auth import workspace_route
from .errors import Error
from .inputs import Input
from .paging import PageIn, page_of
from .stakeholders import Id, MailSummaryOut

router = Router(tags=["steering"])
BASE = "w/{workspace}/projects/{project}/steering/meetings"


class MeetingOut(Schema):
    id: int
    on: date
    minutes: str
    decisions: list[int] = Field(description="The decisions taken at the meeting.")
    communication: int | None = Field(description="The minutes in the communication log.")


class AgendaOut(Schema):
    decisions_needed: list[dict[str, Any]] = Field(description="As the decision log lists them.")
    decisions_needed_count: int
    reported: str | None
    measured: str | None
    watermelon: bool
    risks: str = Field(description="The open risks of the last status update.")
    phases: list[dict[str, Any]]
    next_phase: int | None


class MeetingDetailOut(MeetingOut):
    agenda: AgendaOut


class MeetingIn(Input):
    on: date


class MinutesIn(Input):
    minutes: str = Field(..., min_length=1, max_length=8000)
    decided: list[Id] = Field(
        [], max_length=100, description="Ids of open decisions taken at the meeting."
    )
    new_decisions: list[str] = Field(
        [], max_length=50, description="Other decisions taken, one sentence each."
    )


def _project(request: HttpRequest, slug: str) -> Project:
    return project_for(request, slug)  # type: ignore[arg-type]


def _meeting(project: Project, pk: int) -> Meeting:
    rows = Meeting.objects.filter(project=project).prefetch_related("decisions")
    found: Meeting = get_object_or_404(rows, pk=pk)
    return found


def _detail(project: Project, meeting: Meeting) -> dict[str, Any]:
    agenda = records.agenda_record(agenda_of(project))
    return records.meeting_record(meeting) | {"agenda": agenda}


@router.get(BASE, response={200: page_of(MeetingOut), 404: Error})
@workspace_route()
def meeting_list(request: HttpRequest, workspace: str, project: str, paging: Query[PageIn]) -> Any:
    """The meetings, the latest first."""
    rows = Meeting.objects.filter(project=_project(request, project)).prefetch_related("decisions")
    found = page(rows, name="meetings", ordering=["-on", "-id"], **paging.dict())
    return {
        "count": found.count,
        "next": found.next,
        "items": [records.meeting_record(m) for m in found.items],
    }


@router.post(BASE, response={201: MeetingDetailOut, 400: Error, 403: Error, 404: Error})
@workspace_route(Role.MEMBER)
def meeting_add(request: HttpRequest, workspace: str, project: str, body: MeetingIn) -> Any:
    found = _project(request, project)
    made = services.meeting_create(project=found, on=body.on, actor=request.user)
    return Status(201, _detail(found, _meeting(found, made.pk)))


@router.get(f"{BASE}/{{meeting}}", response={200: MeetingDetailOut, 404: Error})
@workspace_route()
def meeting_read(request: HttpRequest, workspace: str, project: str, meeting: int) -> Any:
    """The meeting with its agenda as it stands now."""
    found = _project(request, project)
    return _detail(found, _meeting(found, meeting))


@router.post(
    f"{BASE}/{{meeting}}/minutes",
    response={200: MeetingDetailOut, 400: Error, 403: Error, 404: Error},
)
@workspace_route(Role.MEMBER)
def meeting_minutes(
    request: HttpRequest, workspace: str, project: str, meeting: int, body: MinutesIn
) -> Any:
    """Record the minutes; the open decisions `decided` are decided at the meeting and each
    of `new_decisions` is logged as decided there."""
    found = _project(request, project)
    shown = _meeting(found, meeting)
    decided = list(Decision.objects.filter(project=found, pk__in=body.decided))
    if len(decided) != len(set(body.decided)):
        raise KoersError(_("There is no such item in this project."), field="decided")
    services.meeting_minutes(
        meeting=shown,
        actor=request.user,
        minutes=body.minutes,
        decided=decided,
        new_decisions=body.new_decisions,
    )
    return _detail(found, _meeting(found, meeting))


@router.post(
    f"{BASE}/{{meeting}}/mail", response={200: MailSummaryOut, 400: Error, 403: Error, 404: Error}
)
@workspace_route(Role.MEMBER)
def meeting_mail(request: HttpRequest, workspace: str, project: str, meeting: int) -> Any:
    """Mail the minutes to the steering group, each member at most once ever."""
    found = _project(request, project)
    sent = services.minutes_mail(meeting=_meeting(found, meeting), actor=request.user)
    return {"mailed": sent.mailed, "before": sent.before, "no_address": sent.no_address}
