"""API routes for the rollout: people (paged), pilot, waves, gates and support load."""

from datetime import date, datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from koers.core.paging import DEFAULT_LIMIT, page
from koers.population import services
from koers.population.models import Person
from koers.population.queries import active_people, present_on
from koers.population.records import import_result_record, refusal_record
from koers.projects.queries import project_for
from koers.rollout import describe, planning, queries, records, selection, steering
from koers.rollout.models import Gate, GateDecision, Pilot, SupportLoad, Wave
from koers.workspaces.models import Role

from .auth import workspace_route
from .errors import Error
from .inputs import Input
from .paging import PageIn, page_of

router = Router(tags=["rollout"])
PROJECT = "w/{workspace}/projects/{project}"
# Literals, not Wave.Status and Wave.Kind: OpenAPI names an enum after its class, and
# Project.Status would share the name "Status" in the document.
WaveStatus = Literal["planned", "active", "evaluating", "done", "paused", "rolled_back"]
WaveKind = Literal["first_ring", "pilot", "department", "ring"]
WaveAction = Literal["start", "move", "evaluate", "decide", "pause", "resume", "roll_back"]


class PersonOut(Schema):
    id: int
    key: str
    name: str
    email: str
    department: str
    location: str
    job_title: str
    manager: str
    device: str
    attributes: dict[str, str]
    is_well_known: bool
    is_constructive: bool
    is_ambassador: bool
    left_at: datetime | None
    leaving_on: date | None


class PersonIn(Input):
    """A person as the HR system or directory knows them; a field left out is emptied."""

    name: str = ""
    email: str = ""
    department: str = ""
    location: str = ""
    job_title: str = ""
    manager: str = ""
    device: str = ""
    attributes: dict[str, str] = Field(default_factory=dict)
    left: date | None = Field(
        None,
        description="The leaving date (last day). Before today: stored as left; later: "
        "planned in no wave after it. Null: not leaving.",
    )


class PersonSyncIn(PersonIn):
    key: str = Field(..., min_length=1, description="What identifies the person (employee id).")


class PeopleSyncIn(Input):
    people: list[PersonSyncIn] = Field(..., min_length=1, max_length=services.SYNC_BATCH)


class SyncOut(Schema):
    created: int
    updated: int
    unchanged: int
    leavers: int


class RowErrorOut(Schema):
    row: int
    field: str = Field(alias="column")
    value: str
    message: str


class SyncError(Schema):
    """A refused sync: every problem with its row, field and value (none when the body
    itself could not be read)."""

    detail: str
    errors: list[RowErrorOut] = Field(default_factory=list)
    more: int = 0


class ShareOut(Schema):
    value: str
    population: int
    pilot: int
    population_share: float
    pilot_share: float


class AttributeOut(Schema):
    attribute: str
    tvd: float
    shares: list[ShareOut]


class MissedOut(Schema):
    value: str = Field(description="The value of the first attribute, e.g. a department.")
    people: int = Field(description="Marked people of this value not in the pilot.")
    seats: int
    seated: list[str] = Field(description="Up to five names of who took the seats.")
    reason: Literal["no_seat", "seats_marked", "representative"]


class MarkOut(Schema):
    mark: Literal["well_known", "constructive", "ambassador"]
    marked: int = Field(description="People with the mark outside the first ring.")
    honoured: int = Field(description="Of them, in the pilot.")
    missed: list[MissedOut]


class PilotOut(Schema):
    size: int
    attributes: list[str]
    seed: int
    population: int = Field(description="The rest: people there, less the first ring.")
    mean_tvd: float = Field(description="Against the rest; 0 is a perfect mirror.")
    random_median_tvd: float
    per_attribute: list[AttributeOut]
    marks: list[MarkOut]


class PilotIn(Input):
    size: int | None = Field(None, ge=1, le=1_000_000)
    attributes: list[str] = Field(default_factory=lambda: ["department"], min_length=1)
    seed: int = Field(0, ge=0, le=2**31)


class RingDepartmentOut(Schema):
    department: str
    people: int


class PilotMemberOut(Schema):
    key: str
    name: str
    department: str


class RingPersonOut(Schema):
    key: str
    name: str
    department: str
    job_title: str
    why: Literal["department", "job_title", "added_department", "added"]


class RingOut(Schema):
    size: int
    confirmed_by: str | None
    confirmed_at: datetime | None
    add_departments: list[str]
    remove_departments: list[str]
    add_people: list[str]
    remove_people: list[str]
    departments: list[RingDepartmentOut]


class RingIn(Input):
    """The whole of what the user says of the first ring; IT and service desk are found."""

    add_departments: list[str] = Field(default_factory=list, max_length=1000)
    remove_departments: list[str] = Field(default_factory=list, max_length=1000)
    add_people: list[str] = Field(default_factory=list, max_length=100_000)
    remove_people: list[str] = Field(default_factory=list, max_length=100_000)


class SwapIn(Input):
    out: str = Field(..., min_length=1, max_length=150, description="Employee id who leaves.")
    into: str | None = Field(None, max_length=150, description="Who comes in; empty: the best.")


Outcome = Literal["met", "failed", "not_measured"]


class CriterionOut(Schema):
    code: Literal["blocking", "tickets", "understanding", "barrier"]
    outcome: Outcome
    value: str | None = Field(description="None: not measured. A recorded 0 is a value.")
    limit: str | None
    is_met: bool | None
    text: str


class DecisionOut(Schema):
    id: int = Field(description="The decision log links a decision to a gate decision by it.")
    decision: GateDecision.Decision
    notes: str
    justification: str = Field(description="Why a go passed over criteria that were not met.")
    outcome: Outcome | None = Field(description="The gate's verdict when it was decided.")
    criteria: list[CriterionOut]
    decided_by: str | None
    decided_at: datetime


class GateOut(Schema):
    open_blocking: int
    max_blocking: int
    max_tickets_per_100: float
    understanding: float | None
    min_understanding: float | None
    notes: str
    outcome: Outcome
    verdict: str
    criteria: list[CriterionOut]
    last_decision: DecisionOut | None
    decisions: list[DecisionOut]


class WaveOut(Schema):
    id: int
    number: int
    label: str
    kind: WaveKind
    status: WaveStatus
    departments: list[str]
    start_on: date
    end_on: date
    iso_weeks: str
    is_late: bool = Field(description="Past its last day and not done.")
    size: int
    soak_days: int
    paused_reason: str
    days: list[tuple[date, int]]
    actions: list[WaveAction] = Field(description="What the wave allows in its status.")
    gate: GateOut | None


class StatusIn(Input):
    action: Literal["start", "evaluate", "pause", "resume", "roll_back"]
    reason: str = Field("", max_length=2000)


class DecisionIn(Input):
    decision: GateDecision.Decision
    notes: str = Field("", max_length=5000)
    justification: str = Field(
        "",
        max_length=5000,
        description="Required for a go while a criterion failed or was not measured.",
    )


class SupportIn(Input):
    day: date
    tickets: int = Field(..., ge=0, le=1_000_000)


class SupportOut(Schema):
    wave: int
    day: date
    tickets: int


def _waves_out(project: Any, *, limit: int = DEFAULT_LIMIT, cursor: str | None = None) -> Any:
    """A page of the project's waves in order, each with its gate: the answer of the list and
    of the changes that plan the waves (they answer its first page; `next` goes on there)."""
    shown = page(
        queries.waves_of(project), name="waves", ordering=["number"], limit=limit, cursor=cursor
    )
    states = queries.gate_states(shown.items)
    items = [records.wave_record(w, states.get(w.pk)) for w in shown.items]
    return {"count": shown.count, "next": shown.next, "items": items}


def _one_wave_out(wave: Wave) -> dict[str, Any]:
    return records.wave_record(wave, queries.gate_state(wave), with_decisions=True)


@router.get("w/{workspace}/clients/{client}/people", response={200: page_of(PersonOut), 404: Error})
@workspace_route()
def people(
    request: HttpRequest,
    workspace: str,
    client: str,
    paging: Query[PageIn],
    include_left: bool = False,
) -> Any:
    """The client's people by key (who is there today; all with `include_left`)."""
    found = get_object_or_404(request.workspace.clients, slug=client)  # type: ignore[attr-defined]
    shown = Person.objects.filter(client=found)
    if not include_left:  # who is there today, as the people page counts them
        shown = shown.filter(present_on(timezone.localdate()))
    return page(shown, name="people", ordering=["key"], **paging.dict())


def _refused(refused: services.ImportRefused) -> Status:
    detail = _("%(count)d problem(s) in the people sent; nothing was written.") % {
        "count": refused.total
    }
    return Status(400, {"detail": detail, **refusal_record(refused)})


@router.put(
    "w/{workspace}/clients/{client}/people/{key}",
    response={200: PersonOut, 201: PersonOut, 400: SyncError, 403: Error, 404: Error},
)
@workspace_route(Role.MEMBER)
def person_put(request: HttpRequest, workspace: str, client: str, key: str, body: PersonIn) -> Any:
    """Create or change one person by key; the same body again changes nothing.

    Send "left" with the leaving date to mark someone as left.
    """
    found = get_object_or_404(request.workspace.clients, slug=client)  # type: ignore[attr-defined]
    try:
        result = services.people_sync(
            client=found, actor=request.user, records=[{**body.dict(), "key": key}]
        )
    except services.ImportRefused as refused:
        return _refused(refused)
    person = Person.objects.get(client=found, key=key.strip())
    return Status(201 if result.created else 200, person)


@router.post(
    "w/{workspace}/clients/{client}/people",
    response={200: SyncOut, 400: SyncError, 403: Error, 404: Error},
)
@workspace_route(Role.MEMBER)
def people_batch(request: HttpRequest, workspace: str, client: str, body: PeopleSyncIn) -> Any:
    """Create or change many people by key in one call: all are checked first, and with
    any error nothing is written (every error names its row, field and value)."""
    found = get_object_or_404(request.workspace.clients, slug=client)  # type: ignore[attr-defined]
    try:
        result = services.people_sync(
            client=found, actor=request.user, records=[p.dict() for p in body.people]
        )
    except services.ImportRefused as refused:
        return _refused(refused)
    return import_result_record(result)


@router.get(f"{PROJECT}/pilot", response={200: PilotOut, 404: Error})
@workspace_route(guests=True)
def pilot(request: HttpRequest, workspace: str, project: str) -> Any:
    """The pilot: its settings, its likeness to the rest and its marks (people: /members)."""
    found = project_for(request, project)  # type: ignore[arg-type]
    chosen = get_object_or_404(Pilot.objects.filter(project=found))
    return records.pilot_record(chosen, with_people=False)


@router.get(f"{PROJECT}/pilot/members", response={200: page_of(PilotMemberOut), 404: Error})
@workspace_route(guests=True)
def pilot_members(request: HttpRequest, workspace: str, project: str, paging: Query[PageIn]) -> Any:
    """The pilot's people, by key."""
    found = project_for(request, project)  # type: ignore[arg-type]
    chosen = get_object_or_404(Pilot.objects.filter(project=found))
    members = records.pilot_members(chosen)
    shown = page(members, name="pilot", ordering=["person__key"], **paging.dict())
    items = [records.pilot_member_record(member) for member in shown.items]
    return {"count": shown.count, "next": shown.next, "items": items}


@router.post(f"{PROJECT}/pilot", response={201: PilotOut, 400: Error, 403: Error, 404: Error})
@workspace_route(Role.MEMBER)
def pilot_select(request: HttpRequest, workspace: str, project: str, body: PilotIn) -> Any:
    """Choose the pilot anew: representative over the attributes, reproducible by its seed."""
    found = project_for(request, project)  # type: ignore[arg-type]
    choice = selection.pilot_select(project=found, actor=request.user, **body.dict())
    return Status(201, records.pilot_record(choice.pilot, with_people=False))


@router.post(f"{PROJECT}/pilot/swap", response={200: PilotOut, 400: Error, 403: Error, 404: Error})
@workspace_route(Role.MEMBER)
def pilot_swap(request: HttpRequest, workspace: str, project: str, body: SwapIn) -> Any:
    found = project_for(request, project)  # type: ignore[arg-type]
    chosen = get_object_or_404(Pilot.objects.filter(project=found))
    # Someone who has left can be swapped out, never in.
    out = get_object_or_404(Person.objects.filter(client=found.client), key=body.out)
    into = get_object_or_404(active_people(found.client), key=body.into) if body.into else None
    selection.pilot_swap(pilot=chosen, actor=request.user, out=out, into=into)
    return records.pilot_record(chosen, with_people=False)


@router.get(f"{PROJECT}/first-ring", response={200: RingOut, 404: Error})
@workspace_route(guests=True)
def first_ring(request: HttpRequest, workspace: str, project: str) -> Any:
    """IT and the service desk, live before the pilot: as kept with the pilot and the waves
    (the pilot page shows the same), or found now when none is kept yet."""
    found = project_for(request, project)  # type: ignore[arg-type]
    kept = queries.kept_first_ring(found)
    if kept is not None:
        return records.kept_ring_record(kept)
    return records.ring_record(found, queries.first_ring(found), with_people=False)


@router.get(f"{PROJECT}/first-ring/members", response={200: page_of(RingPersonOut), 404: Error})
@workspace_route(guests=True)
def first_ring_members(
    request: HttpRequest, workspace: str, project: str, paging: Query[PageIn]
) -> Any:
    """The people of the first ring, by key, and why each is in it: as kept, or found now when
    none is kept yet."""
    found = project_for(request, project)  # type: ignore[arg-type]
    kept = queries.kept_first_ring(found)
    if kept is not None:
        listed = page(
            records.kept_ring_members(kept),
            name="first-ring-kept",
            ordering=["person__key"],
            **paging.dict(),
        )
        kept_items = [records.ring_member_record(m.person, m.reason) for m in listed.items]
        return {"count": listed.count, "next": listed.next, "items": kept_items}
    ring = queries.first_ring(found)
    members = records.ring_members(found, ring)
    shown = page(members, name="first-ring", ordering=["key"], **paging.dict())
    reasons = dict(ring.why)
    items = [records.ring_member_record(person, reasons[person.key]) for person in shown.items]
    return {"count": shown.count, "next": shown.next, "items": items}


@router.put(f"{PROJECT}/first-ring", response={200: RingOut, 400: Error, 403: Error, 404: Error})
@workspace_route(Role.MEMBER)
def first_ring_set(request: HttpRequest, workspace: str, project: str, body: RingIn) -> Any:
    """Say which departments and people are in or out of the first ring (confirms it).

    A pilot chosen before is chosen anew from the new rest, with its settings.
    """
    found = project_for(request, project)  # type: ignore[arg-type]
    change = selection.first_ring_set(project=found, actor=request.user, **body.dict())
    return records.ring_record(found, change.ring, with_people=False)


@router.get(f"{PROJECT}/waves", response={200: page_of(WaveOut), 404: Error})
@workspace_route(guests=True)
def waves(request: HttpRequest, workspace: str, project: str, paging: Query[PageIn]) -> Any:
    """The project's waves in order, each with its gate (its decisions: read the wave)."""
    return _waves_out(project_for(request, project), **paging.dict())  # type: ignore[arg-type]


class DepartmentMoveIn(Input):
    department: str = Field(..., max_length=150)
    position: int = Field(..., ge=1, le=10_000, description="1 is the first wave after the pilot.")


@router.post(
    f"{PROJECT}/waves", response={201: page_of(WaveOut), 400: Error, 403: Error, 404: Error}
)
@workspace_route(Role.MEMBER)
def waves_plan(
    request: HttpRequest,
    workspace: str,
    project: str,
    phase: int | None = Query(
        None, description="The id of the phase that delivers the rollout; the waves start with it."
    ),
) -> Any:
    """Plan the waves anew from the rollout settings (only while none has started); the
    answer is the first page of the waves, as `GET .../waves` gives it.

    With `?phase=`, the rollout belongs to that phase of the plan and starts with it.
    """
    found = project_for(request, project)  # type: ignore[arg-type]
    if phase is not None:
        chosen = get_object_or_404(found.phases, pk=phase)
        steering.rollout_update(project=found, actor=request.user, phase=chosen)
    steering.waves_plan(project=found, actor=request.user)
    return Status(201, _waves_out(found))


@router.post(
    f"{PROJECT}/waves/departments",
    response={200: page_of(WaveOut), 400: Error, 403: Error, 404: Error},
)
@workspace_route(Role.MEMBER)
def department_move(
    request: HttpRequest, workspace: str, project: str, body: DepartmentMoveIn
) -> Any:
    """Move a department to the wave at `position`; planning anew keeps it there. The answer
    is the first page of the waves, as `GET .../waves` gives it."""
    found = project_for(request, project)  # type: ignore[arg-type]
    planning.wave_department_move(
        project=found, actor=request.user, department=body.department, position=body.position
    )
    return _waves_out(found)


def _wave(request: HttpRequest, project: str, wave: int) -> Wave:
    found = project_for(request, project)  # type: ignore[arg-type]
    return get_object_or_404(queries.waves_of(found), pk=wave)


@router.get(f"{PROJECT}/waves/{{wave}}", response={200: WaveOut, 404: Error})
@workspace_route(guests=True)
def wave(request: HttpRequest, workspace: str, project: str, wave: int) -> Any:
    return _one_wave_out(_wave(request, project, wave))


@router.post(
    f"{PROJECT}/waves/{{wave}}/status",
    response={200: WaveOut, 400: Error, 403: Error, 404: Error},
)
@workspace_route(Role.MEMBER)
def wave_status(
    request: HttpRequest, workspace: str, project: str, wave: int, body: StatusIn
) -> Any:
    """Start, evaluate, pause (with a reason), resume or roll back (with a reason) a wave."""
    found = _wave(request, project, wave)
    actor = request.user
    actions = {
        "start": lambda: steering.wave_start(wave=found, actor=actor),
        "evaluate": lambda: steering.wave_evaluate(wave=found, actor=actor),
        "pause": lambda: steering.wave_pause(wave=found, actor=actor, reason=body.reason),
        "resume": lambda: steering.wave_resume(wave=found, actor=actor),
        "roll_back": lambda: steering.wave_roll_back(wave=found, actor=actor, reason=body.reason),
    }
    actions[body.action]()
    return _one_wave_out(_wave(request, project, wave))


@router.post(
    f"{PROJECT}/waves/{{wave}}/decisions",
    response={201: DecisionOut, 400: Error, 403: Error, 404: Error},
)
@workspace_route(Role.MEMBER)
def gate_decide(
    request: HttpRequest, workspace: str, project: str, wave: int, body: DecisionIn
) -> Any:
    """Record a go or no-go at the wave's gate, with the criteria as they are now."""
    found = _wave(request, project, wave)
    gate = get_object_or_404(Gate.objects.filter(wave=found))
    made = steering.gate_decide(gate=gate, actor=request.user, **body.dict())
    return Status(201, describe.decision_record(made))


@router.get(f"{PROJECT}/support-load", response={200: page_of(SupportOut), 404: Error})
@workspace_route(guests=True)
def support_load(request: HttpRequest, workspace: str, project: str, paging: Query[PageIn]) -> Any:
    """The tickets recorded per day and wave, by day."""
    found = project_for(request, project)  # type: ignore[arg-type]
    loads = SupportLoad.objects.filter(project=found).select_related("wave")
    shown = page(loads, name="support-load", ordering=["day", "wave__number"], **paging.dict())
    items = [
        {"wave": load.wave.number, "day": load.day, "tickets": load.tickets} for load in shown.items
    ]
    return {"count": shown.count, "next": shown.next, "items": items}


@router.post(
    f"{PROJECT}/waves/{{wave}}/support-load",
    response={201: SupportOut, 400: Error, 403: Error, 404: Error},
)
@workspace_route(Role.MEMBER)
def support_record(
    request: HttpRequest, workspace: str, project: str, wave: int, body: SupportIn
) -> Any:
    """Record the tickets of one day for a wave (replacing what was recorded for that day)."""
    found = _wave(request, project, wave)
    load = steering.support_record(wave=found, actor=request.user, **body.dict())
    return Status(201, {"wave": found.number, "day": load.day, "tickets": load.tickets})
