"""API routes for aftercare: lessons learned, the earlier lessons that fit a project and the
ones its plan takes along, the handover to operations, the client's evaluations and the
reference cases. The team's internal record: client
guests get 404, as on the pages.
"""

from datetime import date, datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from koers.aftercare import queries, records, services
from koers.aftercare.models import ReferenceCase
from koers.core.paging import page
from koers.projects.models import Project
from koers.projects.queries import project_for
from koers.workspaces.models import Client, Role

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


@router.delete(f"{BASE}/lessons/{{lesson}}", response={204: None, 403: Error, 404: Error})
@workspace_route(Role.MEMBER)
def lesson_delete(request: HttpRequest, workspace: str, project: str, lesson: int) -> Any:
    """Remove one of the project's lessons (and where plans took it along)."""
    found = _project(request, project)
    services.lesson_delete(lesson=get_object_or_404(queries.lesson_rows(found), pk=lesson))
    return Status(204, None)


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


# The client's evaluation.

EvaluationState = Literal["open", "answered", "revoked"]


class EvaluationOut(Schema):
    id: int
    project: str
    state: EvaluationState
    sent_at: datetime
    answered_at: datetime | None
    revoked_at: datetime | None
    score: int | None = Field(description="0 to 10; null until answered.")
    went_well: str
    could_be_better: str
    what_next: str
    language: str = Field(description="The language the client answered in.")


class EvaluationSent(EvaluationOut):
    link: str = Field(description="The path of the public form; shown this once only.")


class TrendOut(Schema):
    count: int
    mean: float | None
    last: int | None
    direction: Literal["up", "down", "steady", "none"]


def _evaluation(project: Project, pk: int) -> Any:
    return get_object_or_404(queries.evaluation_rows(project), pk=pk)


@router.get(f"{BASE}/evaluations", response={200: page_of(EvaluationOut), 404: Error})
@workspace_route()
def evaluation_list(
    request: HttpRequest, workspace: str, project: str, paging: Query[PageIn]
) -> Any:
    """The evaluation links sent to the client and their answers, the newest first."""
    rows = queries.evaluation_rows(_project(request, project))
    found = page(rows, name="evaluations", ordering=["-created_at", "-id"], **paging.dict())
    items = [records.evaluation_record(e) for e in found.items]
    return {"count": found.count, "next": found.next, "items": items}


@router.post(f"{BASE}/evaluations", response={201: EvaluationSent, 403: Error, 404: Error})
@workspace_route(Role.MEMBER)
def evaluation_send(request: HttpRequest, workspace: str, project: str) -> Any:
    """Make a new evaluation link for the client; its path is in the answer, this once."""
    made, token = services.evaluation_send(project=_project(request, project), actor=request.user)
    link = reverse("evaluation_answer", kwargs={"token": token})
    return Status(201, records.evaluation_record(made) | {"link": link})


@router.post(
    f"{BASE}/evaluations/{{evaluation}}/revoke",
    response={200: EvaluationOut, 403: Error, 404: Error},
)
@workspace_route(Role.MEMBER)
def evaluation_revoke(request: HttpRequest, workspace: str, project: str, evaluation: int) -> Any:
    """Close the link; an answer already given stays."""
    found = _evaluation(_project(request, project), evaluation)
    services.evaluation_revoke(evaluation=found)
    return records.evaluation_record(found)


CLIENT = "w/{workspace}/clients/{client}"


def _client(request: HttpRequest, slug: str) -> Client:
    found: Client = get_object_or_404(request.workspace.clients, slug=slug)  # type: ignore[attr-defined]
    return found


@router.get(f"{CLIENT}/evaluations", response={200: page_of(EvaluationOut), 404: Error})
@workspace_route()
def client_evaluation_list(
    request: HttpRequest, workspace: str, client: str, paging: Query[PageIn]
) -> Any:
    """The client's answered evaluations over all its projects, the last answered first."""
    rows = queries.client_evaluation_rows(_client(request, client)).select_related("project")
    found = page(rows, name="client-evaluations", ordering=["-answered_at", "-id"], **paging.dict())
    items = [records.evaluation_record(e) for e in found.items]
    return {"count": found.count, "next": found.next, "items": items}


@router.get(f"{CLIENT}/evaluation-trend", response={200: TrendOut, 404: Error})
@workspace_route()
def client_evaluation_trend(request: HttpRequest, workspace: str, client: str) -> Any:
    """How the client's scores move: the mean of the last three against the three before."""
    return records.trend_record(queries.client_trend(_client(request, client)))


# Reference cases.


class ReferenceOut(Schema):
    project: str
    summary: str
    rollout_story: str
    tags: list[str]
    show_client: bool = Field(description="Other clients may see the client's and project's name.")
    show_figures: bool = Field(description="Other clients may see the KPI figures.")
    show_rollout: bool = Field(description="Other clients may see how the rollout went.")
    show_score: bool = Field(description="Other clients may see the client's score.")
    updated_at: datetime


class ReferenceIn(Input):
    summary: str = Field(..., min_length=1, max_length=1000)
    rollout_story: str = Field("", max_length=1000)
    tags: str = Field("", max_length=300, description="Comma separated.")
    show_client: bool = False
    show_figures: bool = False
    show_rollout: bool = True
    show_score: bool = False


class CitationOut(Schema):
    id: int
    client: str | None = Field(description="Null when the case's client is not shown.")
    project: str | None
    summary: str
    phases: int
    phases_done: int
    kpis_met: int
    kpis_measured: int
    kpis: list[str] = Field(description="Empty when the case's client keeps the figures back.")
    rollout: str
    score: int | None


class CitationsOut(Schema):
    items: list[CitationOut] = Field(
        description=f"The best {queries.CITED}, as the project's client may see them."
    )


@router.get(f"{BASE}/reference-case", response={200: ReferenceOut, 404: Error})
@workspace_route()
def reference_read(request: HttpRequest, workspace: str, project: str) -> Any:
    """The project's reference case: 404 while the project is not one."""
    found = _project(request, project)
    return records.reference_record(get_object_or_404(ReferenceCase.objects, project=found))


@router.put(
    f"{BASE}/reference-case", response={200: ReferenceOut, 400: Error, 403: Error, 404: Error}
)
@workspace_route(Role.MEMBER)
def reference_put(request: HttpRequest, workspace: str, project: str, body: ReferenceIn) -> Any:
    """Make a project that is closed or delivered a phase a reference case, or change it."""
    made = services.reference_save(project=_project(request, project), **body.dict())
    return records.reference_record(made)


@router.get(f"{BASE}/reference-cases/cited", response={200: CitationsOut, 404: Error})
@workspace_route()
def reference_citations(request: HttpRequest, workspace: str, project: str) -> Any:
    """The reference cases this project's big bang page and proposal cite."""
    found = _project(request, project)
    return {"items": [records.citation_record(c) for c in queries.citations(found)]}
