"""API routes for aftercare: lessons learned, the earlier lessons that fit a project and the
ones its plan takes along, and the handover to operations. The team's internal record: client
guests get 404, as on the pages.
"""

from datetime import date, datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from koers.aftercare import queries, records, services
from koers.core.paging import page
from koers.projects.models import Project
from koers.projects.queries import project_for
from koers.workspaces.models import Role

from .auth import workspace_route
from .errors import Error
from .inputs import Input, unchanged
from .paging import PageIn, page_of

router = Router(tags=["aftercare"])
BASE = "w/{workspace}/projects/{project}"
Kind = Literal["documentation", "access", "monitoring", "support", "known_issues", "runbook"]
State = Literal["open", "done"]


class LessonOut(Schema):
    id: int
    project: str = Field(description="The short name of the project the lesson comes from.")
    phase: int | None
    phase_title: str | None
    title: str
    went_well: str
    could_be_better: str
    try_next: str
    tags: list[str]
    recorded_at: datetime


class LessonIn(Input):
    title: str = Field(..., min_length=1, max_length=200)
    phase: int | None = Field(None, description="The id of a phase of the project's plan.")
    went_well: str = Field("", max_length=4000)
    could_be_better: str = Field("", max_length=4000)
    try_next: str = Field("", max_length=4000)
    tags: str = Field("", max_length=300, description="Comma separated.")


class LessonPatch(Input):
    title: str = unchanged(min_length=1, max_length=200)
    phase: int | None = Field(None, description="The id of a phase of the project's plan.")
    went_well: str = unchanged(max_length=4000)
    could_be_better: str = unchanged(max_length=4000)
    try_next: str = unchanged(max_length=4000)
    tags: str = unchanged(max_length=300)


class MatchOut(Schema):
    lesson: LessonOut
    client: str
    score: float = Field(description="3 per shared tag + 2 for the same client + 4 x word overlap.")
    same_client: bool
    shared_tags: list[str]
    shared_words: list[str]
    taken: bool = Field(description="Whether the project's plan takes the lesson along.")


class MatchesOut(Schema):
    items: list[MatchOut] = Field(description=f"The best {queries.MATCHES_SHOWN}, best first.")


class TakeIn(Input):
    lesson: int = Field(..., ge=1, description="The id of a lesson of this workspace.")


class ItemOut(Schema):
    kind: Kind
    notes: str
    owner: str
    state: State


class HandoverOut(Schema):
    checklist: list[ItemOut]
    open: list[Kind]
    shadow_start: date | None
    shadow_end: date | None
    backup: str
    closed_open_reason: str


class ItemIn(Input):
    notes: str = Field("", max_length=2000, description="Where it is kept; never a secret.")
    owner: str = Field("", max_length=200)
    state: State = "open"


class ShadowIn(Input):
    shadow_start: date | None = None
    shadow_end: date | None = None
    backup: str = Field("", max_length=1000, description="Who backs up whom.")


def _project(request: HttpRequest, slug: str) -> Project:
    return project_for(request, slug)  # type: ignore[arg-type]


def _lesson_fields(project: Project, fields: dict[str, Any]) -> dict[str, Any]:
    if "phase" in fields:
        fields["phase"] = services.phase_of(project, fields["phase"])
    return fields


def _handover(project: Project) -> dict[str, Any]:
    return records.handover_record(queries.checklist(project), queries.handover_of(project))


@router.get(f"{BASE}/lessons", response={200: page_of(LessonOut), 404: Error})
@workspace_route()
def lesson_list(request: HttpRequest, workspace: str, project: str, paging: Query[PageIn]) -> Any:
    """The project's lessons learned, the last recorded first."""
    rows = queries.lesson_rows(_project(request, project))
    found = page(rows, name="lessons", ordering=["-recorded_at", "-id"], **paging.dict())
    return {
        "count": found.count,
        "next": found.next,
        "items": [records.lesson_record(lesson) for lesson in found.items],
    }


@router.post(f"{BASE}/lessons", response={201: LessonOut, 400: Error, 403: Error, 404: Error})
@workspace_route(Role.MEMBER)
def lesson_add(request: HttpRequest, workspace: str, project: str, body: LessonIn) -> Any:
    found = _project(request, project)
    made = services.lesson_create(
        project=found, actor=request.user, **_lesson_fields(found, body.dict())
    )
    return Status(201, records.lesson_record(made))


@router.get(f"{BASE}/lessons/matches", response={200: MatchesOut, 404: Error})
@workspace_route()
def lesson_matches(request: HttpRequest, workspace: str, project: str) -> Any:
    """The earlier lessons of this workspace that fit the project: a ranking, not a list."""
    return {"items": [records.match_record(f) for f in queries.matches(_project(request, project))]}


@router.post(
    f"{BASE}/lessons/taken", response={201: MatchesOut, 400: Error, 403: Error, 404: Error}
)
@workspace_route(Role.MEMBER)
def lesson_take(request: HttpRequest, workspace: str, project: str, body: TakeIn) -> Any:
    """Take an earlier lesson along in the project's plan; answers the matches."""
    found = _project(request, project)
    services.lesson_take(project=found, lesson=body.lesson, actor=request.user)
    return Status(201, {"items": [records.match_record(f) for f in queries.matches(found)]})


@router.patch(
    f"{BASE}/lessons/{{lesson}}", response={200: LessonOut, 400: Error, 403: Error, 404: Error}
)
@workspace_route(Role.MEMBER)
def lesson_change(
    request: HttpRequest, workspace: str, project: str, lesson: int, body: LessonPatch
) -> Any:
    found = _project(request, project)
    existing = get_object_or_404(queries.lesson_rows(found), pk=lesson)
    changes = _lesson_fields(found, body.dict(exclude_unset=True))
    return records.lesson_record(services.lesson_update(lesson=existing, **changes))


@router.delete(f"{BASE}/lessons/taken/{{lesson}}", response={204: None, 403: Error, 404: Error})
@workspace_route(Role.MEMBER)
def lesson_drop(request: HttpRequest, workspace: str, project: str, lesson: int) -> Any:
    services.lesson_drop(project=_project(request, project), lesson=lesson)
    return Status(204, None)


@router.get(f"{BASE}/handover", response={200: HandoverOut, 404: Error})
@workspace_route()
def handover_read(request: HttpRequest, workspace: str, project: str) -> Any:
    """The handover checklist and the shadow period."""
    return _handover(_project(request, project))


@router.put(
    f"{BASE}/handover/items/{{kind}}",
    response={200: HandoverOut, 400: Error, 403: Error, 404: Error},
)
@workspace_route(Role.MEMBER)
def handover_item_put(
    request: HttpRequest, workspace: str, project: str, kind: Kind, body: ItemIn
) -> Any:
    found = _project(request, project)
    services.handover_item_save(project=found, kind=kind, **body.dict())
    return _handover(found)


@router.put(
    f"{BASE}/handover/shadow", response={200: HandoverOut, 400: Error, 403: Error, 404: Error}
)
@workspace_route(Role.MEMBER)
def shadow_put(request: HttpRequest, workspace: str, project: str, body: ShadowIn) -> Any:
    found = _project(request, project)
    services.shadow_save(project=found, **body.dict())
    return _handover(found)
