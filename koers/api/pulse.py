"""API routes for pulse rounds, their results, feedback items, status updates and the signal.

Results follow the same rule as the pages (`pulse.disclosure`): nothing for fewer than five
answers, figures in steps of five answers, groups only once the round is closed, and small
groups or groups that comparing figures would give away hidden together under '__other__'.
"""

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from koers.core.paging import page
from koers.projects.queries import project_for
from koers.pulse import queries, services
from koers.pulse.models import Question, Round
from koers.pulse.signals import OTHER, Scores, Step
from koers.pulse.signals import Signal as PulseSignal
from koers.workspaces.models import Role

from .auth import workspace_route
from .errors import Error
from .inputs import Input, unchanged
from .paging import PageIn, page_of

router = Router(tags=["pulse"])

# Literal types, not the models' TextChoices: OpenAPI names an enum by its class name, and
# other apps' "Status" and "Kind" would overwrite these in the document.
QuestionKind = Literal["scale", "open"]
RoundStatus = Literal["draft", "open", "closed"]
FeedbackSource = Literal["pulse", "pilot", "support", "meeting", "other"]
FeedbackStatus = Literal["new", "accepted", "planned", "done", "declined"]
Rag = Literal["green", "amber", "red"]
BASE = "w/{workspace}/projects/{project}/pulse"


class QuestionOut(Schema):
    kind: QuestionKind
    text_nl: str
    text_en: str


class QuestionIn(Input):
    kind: QuestionKind = "scale"
    text_nl: str = Field("", max_length=300)
    text_en: str = Field("", max_length=300)


class RoundOut(Schema):
    number: int
    title: str
    status: RoundStatus
    phase: int | None = Field(None, alias="phase_id")
    wave: int | None = Field(None, alias="wave.number")
    closes_at: datetime
    ask_department: bool
    departments: list[str] = Field(..., alias="department_list")
    questions: list[QuestionOut]

    @staticmethod
    def resolve_questions(obj: Round) -> list[Question]:
        return list(obj.questions.all())


class RoundIn(Input):
    title: str = Field(..., min_length=1, max_length=120)
    closes_at: datetime | None = Field(None, description="Default: a week from now.")
    phase: int | None = Field(None, description="The id of one of the project's phases.")
    wave: int | None = Field(None, description="The number of one of the project's waves.")
    ask_department: bool = False
    departments: list[str] = Field(default_factory=list, max_length=200)
    questions: list[QuestionIn] = Field(default_factory=list, max_length=20)


class StepOut(Schema):
    step: Step
    average: Decimal | None


class GroupOut(Schema):
    group: str = Field(
        ..., description="The department or wave; '__other__' is the hidden groups together."
    )
    answers: int
    steps: list[StepOut]
    barrier_point: Step | None


class ResultsOut(Schema):
    answers: int = Field(..., description="How many people answered so far.")
    basis: int = Field(
        ...,
        description="How many answers, the first to arrive, the figures are over: "
        "a multiple of 5, so comparing figures over time gives no single answer away.",
    )
    is_final: bool = Field(..., description="The round is closed: these figures stay.")
    shown: bool = Field(..., description="False below five answers: no scores are given.")
    steps: list[StepOut]
    barrier_point: Step | None
    by: str | None
    groups: list[GroupOut]
    merged_groups: int = Field(
        ..., description="How many groups are hidden together in '__other__'."
    )


class FeedbackOut(Schema):
    id: int
    source: FeedbackSource
    text: str
    status: FeedbackStatus
    response: str
    decline_reason: str
    is_blocking: bool
    is_shared: bool
    phase: int | None = Field(None, alias="phase_id")
    wave: int | None = Field(None, alias="wave.number")
    plan_revision: int | None = Field(None, alias="plan_revision.number")
    pulse_round: int | None = Field(None, alias="pulse_round.number")
    created_at: datetime


class FeedbackIn(Input):
    text: str = Field(..., min_length=1, max_length=2000)
    source: FeedbackSource
    status: FeedbackStatus = "new"
    response: str = Field("", max_length=2000)
    decline_reason: str = Field("", max_length=500)
    is_blocking: bool = False
    is_shared: bool = True
    phase: int | None = None
    wave: int | None = Field(None, description="The wave's number.")
    plan_revision: int | None = Field(None, description="The plan revision's number.")
    pulse_round: int | None = Field(None, description="The pulse round's number.")


class FeedbackPatch(Input):
    # Fields that cannot be empty are not nullable: leave one out to keep it, null is refused.
    text: str = unchanged(min_length=1, max_length=2000)
    status: FeedbackStatus = unchanged()
    response: str = unchanged(max_length=2000)
    decline_reason: str = unchanged(max_length=500)
    is_blocking: bool = unchanged()
    is_shared: bool = unchanged()
    phase: int | None = None
    wave: int | None = None
    plan_revision: int | None = None


class StatusUpdateOut(Schema):
    week: date
    iso_week: str
    status: Rag
    highlights: str
    decisions: str
    risks: str
    next_steps: str
    updated_at: datetime


class StatusUpdateIn(Input):
    status: Rag
    week: date | None = Field(None, description="Any day of the week; default: this week.")
    highlights: str = Field("", max_length=4000)
    decisions: str = Field("", max_length=4000)
    risks: str = Field("", max_length=4000)
    next_steps: str = Field("", max_length=4000)


class ReadingOut(Schema):
    measure: str
    value: Decimal | None
    rag: str | None


class SignalOut(Schema):
    reported: str | None
    measured: str | None
    is_watermelon: bool
    readings: list[ReadingOut]
    round: int | None = Field(None, description="The pulse round measured.")


def _steps(scores: Scores | None) -> list[dict[str, Any]]:
    if scores is None:
        return []
    return [{"step": s.step, "average": s.average} for s in scores.steps]


def _links(project: Any, fields: dict[str, Any]) -> dict[str, Any]:
    """Turn ids and numbers into the project's own objects; 404 for anything else."""
    found = dict(fields)
    if found.get("phase") is not None:
        found["phase"] = get_object_or_404(project.phases, pk=found["phase"])
    if found.get("wave") is not None:
        found["wave"] = get_object_or_404(project.waves, number=found["wave"])
    if found.get("plan_revision") is not None:
        found["plan_revision"] = get_object_or_404(
            project.plan_revisions, number=found["plan_revision"]
        )
    if found.get("pulse_round") is not None:
        found["pulse_round"] = get_object_or_404(project.pulse_rounds, number=found["pulse_round"])
    return found


def _round(project: Any, number: int) -> Round:
    """Return the round with what its schema reads, loaded now: ninja reads after the scope."""
    rounds = project.pulse_rounds.select_related("wave").prefetch_related("questions")
    return get_object_or_404(rounds, number=number)


@router.get(f"{BASE}/rounds", response={200: page_of(RoundOut), 404: Error})
@workspace_route(guests=True)
def rounds(request: HttpRequest, workspace: str, project: str, paging: Query[PageIn]) -> Any:
    """The project's pulse rounds, the newest first."""
    found = project_for(request, project)  # type: ignore[arg-type]
    rounds = found.pulse_rounds.select_related("wave").prefetch_related("questions")
    return page(rounds, name="rounds", ordering=["-number"], **paging.dict())


@router.post(f"{BASE}/rounds", response={201: RoundOut, 400: Error, 403: Error, 404: Error})
@workspace_route(Role.MEMBER)
def round_create(request: HttpRequest, workspace: str, project: str, body: RoundIn) -> Any:
    """Prepare a round (draft): the method's fixed questions are always asked."""
    found = project_for(request, project)  # type: ignore[arg-type]
    data = _links(found, body.dict())
    made = services.round_create(
        project=found,
        actor=request.user,
        title=data["title"],
        closes_at=data["closes_at"] or timezone.now() + timedelta(days=7),
        phase=data["phase"],
        wave=data["wave"],
        ask_department=data["ask_department"],
        departments="\n".join(data["departments"]),
        questions=[services.QuestionSpec(**q) for q in data["questions"]],
    )
    return Status(201, _round(found, made.number))


@router.get(f"{BASE}/rounds/{{round}}", response={200: RoundOut, 404: Error})
@workspace_route(guests=True)
def round_detail(request: HttpRequest, workspace: str, project: str, round: int) -> Any:
    return _round(project_for(request, project), round)  # type: ignore[arg-type]


@router.get(f"{BASE}/rounds/{{round}}/results", response={200: ResultsOut, 404: Error})
@workspace_route(guests=True)
def round_results(
    request: HttpRequest, workspace: str, project: str, round: int, by: str | None = None
) -> Any:
    """Scores of the round; once closed per group with `by=department` or `by=wave`."""
    found = queries.round_for(project_for(request, project), round)  # type: ignore[arg-type]
    results = queries.results(found, by)
    return {
        "answers": results.answers,
        "basis": results.basis,
        "is_final": results.is_final,
        "shown": results.is_shown,
        "steps": _steps(results.scores),
        "barrier_point": results.barrier,
        "by": results.by,
        "groups": [
            {
                "group": row.key if row.key != OTHER else "__other__",
                "answers": row.scores.answers,
                "steps": _steps(row.scores),
                "barrier_point": row.scores.barrier_point,
            }
            for row in results.rows
        ],
        "merged_groups": len(results.hidden),
    }


@router.get(f"{BASE}/feedback", response={200: page_of(FeedbackOut), 404: Error})
@workspace_route(guests=True)
def feedback_items(
    request: HttpRequest, workspace: str, project: str, paging: Query[PageIn]
) -> Any:
    """The project's feedback items, the newest noted first (noted by the team: an item made
    from a pulse answer carries when it was made, never when the answer came)."""
    found = project_for(request, project)  # type: ignore[arg-type]
    items = found.feedback_items.select_related("wave", "plan_revision", "pulse_round")
    return page(items, name="feedback", ordering=["-created_at", "-id"], **paging.dict())


@router.post(f"{BASE}/feedback", response={201: FeedbackOut, 400: Error, 403: Error, 404: Error})
@workspace_route(Role.MEMBER)
def feedback_create(request: HttpRequest, workspace: str, project: str, body: FeedbackIn) -> Any:
    found = project_for(request, project)  # type: ignore[arg-type]
    item = services.feedback_create(project=found, actor=request.user, **_links(found, body.dict()))
    return Status(201, item)


@router.patch(
    f"{BASE}/feedback/{{feedback}}",
    response={200: FeedbackOut, 400: Error, 403: Error, 404: Error},
)
@workspace_route(Role.MEMBER)
def feedback_update(
    request: HttpRequest, workspace: str, project: str, feedback: int, body: FeedbackPatch
) -> Any:
    """Change a feedback item: its status (declined needs a reason), answer and links."""
    found = project_for(request, project)  # type: ignore[arg-type]
    item = get_object_or_404(found.feedback_items, pk=feedback)
    fields = _links(found, body.dict(exclude_unset=True))
    return services.feedback_update(item=item, **fields)


@router.get(f"{BASE}/status-updates", response={200: page_of(StatusUpdateOut), 404: Error})
@workspace_route(guests=True)
def status_updates(
    request: HttpRequest, workspace: str, project: str, paging: Query[PageIn]
) -> Any:
    """The project's weekly status updates, the latest week first."""
    updates = project_for(request, project).status_updates.all()  # type: ignore[arg-type]
    return page(updates, name="status-updates", ordering=["-week"], **paging.dict())


@router.post(
    f"{BASE}/status-updates", response={201: StatusUpdateOut, 400: Error, 403: Error, 404: Error}
)
@workspace_route(Role.MEMBER)
def status_update_save(
    request: HttpRequest, workspace: str, project: str, body: StatusUpdateIn
) -> Any:
    """Write the week's status update; a second one for the same week replaces it."""
    found = project_for(request, project)  # type: ignore[arg-type]
    data = body.dict()
    data["week"] = data["week"] or timezone.localdate()
    return Status(201, services.status_update_save(project=found, actor=request.user, **data))


@router.get(f"{BASE}/signal", response={200: SignalOut, 404: Error})
@workspace_route(guests=True)
def signal(request: HttpRequest, workspace: str, project: str) -> Any:
    """The watermelon signal: the reported status beside understanding, readiness, risks."""
    found = project_for(request, project)  # type: ignore[arg-type]
    current = queries.project_signals([found], found.workspace)[found.pk]
    measured: PulseSignal = current.signal
    return {
        "reported": measured.reported,
        "measured": measured.measured,
        "is_watermelon": measured.is_watermelon,
        "readings": [
            {"measure": r.measure.value, "value": r.value, "rag": r.rag} for r in measured.readings
        ],
        "round": current.round_number,
    }
