"""API routes for the plan: phases, KPIs, milestones, guardrail findings and revisions."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, File, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from koers.core.errors import KoersError
from koers.core.paging import page
from koers.projects.models import Project
from koers.projects.queries import project_for
from koers.roadmap import services
from koers.roadmap.models import Kpi, Phase
from koers.roadmap.queries import (
    draft_findings,
    phase_rows,
    plan_as_mspdi,
    plan_state,
    portfolio,
)
from koers.roadmap.records import draft_record, plan_check_record, portfolio_record
from koers.workspaces.models import Membership, Role

from .auth import workspace_route
from .errors import Error
from .inputs import Input, Money, unchanged
from .paging import PageIn, page_of

router = Router(tags=["plan"])
# Literal types, not the models' TextChoices: OpenAPI names an enum after its class, and
# Project.Status and Phase.Status would both be "Status".
PhaseStatus = Literal["planned", "active", "done", "stopped"]
MilestoneKind = Literal["live", "coming", "feedback"]
KpiDirection = Literal["lower", "higher"]
VisionHorizon = Literal[24, 48]  # months, as Vision.Horizon
BASE = "w/{workspace}/projects/{project}"


class KpiOut(Schema):
    id: int
    name: str
    unit: str
    direction: KpiDirection
    baseline: Decimal | None
    baseline_on: date | None
    target: Decimal | None
    actual: Decimal | None
    actual_on: date | None
    is_met: bool | None


class KpiIn(Input):
    name: str = Field(..., min_length=1, max_length=120)
    unit: str = Field("", max_length=30)
    direction: KpiDirection = "lower"
    baseline: Money | None = Field(None, max_digits=14, decimal_places=2)
    baseline_on: date | None = None
    target: Money | None = Field(None, max_digits=14, decimal_places=2)
    actual: Money | None = Field(None, max_digits=14, decimal_places=2)
    actual_on: date | None = None


class KpiPatch(Input):
    # Fields that cannot be empty are not nullable: leave one out to keep it, null is refused.
    name: str = unchanged(min_length=1, max_length=120)
    unit: str = unchanged(max_length=30)
    direction: KpiDirection = unchanged()
    baseline: Money | None = Field(None, max_digits=14, decimal_places=2)
    baseline_on: date | None = None
    target: Money | None = Field(None, max_digits=14, decimal_places=2)
    actual: Money | None = Field(None, max_digits=14, decimal_places=2)
    actual_on: date | None = None


class PhaseOut(Schema):
    id: int
    key: str
    title: str
    goal: str
    standalone_value: str
    vision_horizon: VisionHorizon | None
    vision_contribution: str
    start_month: date
    weeks: int
    budget: Decimal
    status: PhaseStatus
    builds_on: int | None = Field(None, alias="builds_on_id")
    is_late: bool = Field(..., description="Past its end and not done, as of today.")
    kpis: list[KpiOut]

    @staticmethod
    def resolve_kpis(obj: Phase) -> list[Kpi]:
        return list(obj.kpis.all())


class PhaseIn(Input):
    title: str = Field(..., min_length=1, max_length=120)
    goal: str = Field("", max_length=1000)
    standalone_value: str = Field("", max_length=1000)
    vision_horizon: VisionHorizon | None = Field(None, description="24 or 48")
    vision_contribution: str = Field("", max_length=300)
    start_month: date = Field(..., description="Any day of the month; the first is kept.")
    weeks: int = Field(..., ge=1, le=260)
    budget: Money = Field(..., ge=0, max_digits=12, decimal_places=2)
    status: PhaseStatus = "planned"
    builds_on: int | None = Field(None, description="The id of an earlier phase.")
    kpis: list[KpiIn] = Field(default_factory=list)


class PhasePatch(Input):
    title: str | None = Field(None, min_length=1, max_length=120)
    goal: str | None = Field(None, max_length=1000)
    standalone_value: str | None = Field(None, max_length=1000)
    vision_horizon: VisionHorizon | None = None
    vision_contribution: str | None = Field(None, max_length=300)
    start_month: date | None = None
    weeks: int | None = Field(None, ge=1, le=260)
    budget: Money | None = Field(None, ge=0, max_digits=12, decimal_places=2)
    status: PhaseStatus | None = None
    builds_on: int | None = None


class MilestoneOut(Schema):
    id: int
    kind: MilestoneKind
    title: str
    on: date
    decision_needed: str
    phase: int | None = Field(None, alias="phase_id")


class MilestoneIn(Input):
    kind: MilestoneKind
    title: str = Field(..., min_length=1, max_length=120)
    on: date
    decision_needed: str = Field("", max_length=300)
    phase: int | None = None


class MilestonePatch(Input):
    # Fields that cannot be empty are not nullable: leave one out to keep it, null is refused.
    kind: MilestoneKind = unchanged()
    title: str = unchanged(min_length=1, max_length=120)
    on: date = unchanged()
    decision_needed: str = unchanged(max_length=300)
    phase: int | None = None


class FindingOut(Schema):
    rule: str
    severity: str
    phase: int | None = Field(alias="phase_id")
    title: str
    message: str
    values: dict[str, str]
    accepted: bool
    justification: str


class GuardrailsOut(Schema):
    errors: int
    warnings: int
    accepted: int
    ok: bool
    findings: list[FindingOut]
    late_phases: list[int] = Field(
        ..., alias="late_phase_ids", description="Phases past their end and not done."
    )


class RevisionOut(Schema):
    number: int
    reason: str
    restored_from: int | None
    author: str | None
    created_at: datetime

    @staticmethod
    def resolve_author(obj: Any) -> str | None:
        return obj.actor.email if obj.actor else None


class RevisionDetailOut(RevisionOut):
    snapshot: dict[str, Any]


def _project(request: HttpRequest, slug: str) -> Project:
    return project_for(request, slug)  # type: ignore[arg-type]


def _phase(project: Project, pk: int) -> Phase:
    return get_object_or_404(
        project.phases.select_related("project__workspace").prefetch_related("kpis"), pk=pk
    )


def _phase_ref(project: Project, pk: int | None) -> Phase | None:
    return get_object_or_404(project.phases, pk=pk) if pk is not None else None


@router.get(f"{BASE}/phases", response={200: page_of(PhaseOut), 404: Error})
@workspace_route(guests=True)
def phase_list(request: HttpRequest, workspace: str, project: str, paging: Query[PageIn]) -> Any:
    """The plan's phases in the order of the roadmap: by start month, then position."""
    phases = phase_rows(_project(request, project))
    return page(phases, name="phases", ordering=["start_month", "position", "id"], **paging.dict())


@router.get(f"{BASE}/phases/{{phase}}", response={200: PhaseOut, 404: Error})
@workspace_route(guests=True)
def phase_read(request: HttpRequest, workspace: str, project: str, phase: int) -> Any:
    return _phase(_project(request, project), phase)


@router.post(f"{BASE}/phases", response={201: PhaseOut, 400: Error, 403: Error, 404: Error})
@workspace_route(Role.MEMBER)
def phase_add(request: HttpRequest, workspace: str, project: str, body: PhaseIn) -> Any:
    found = _project(request, project)
    data = body.dict()
    kpis = data.pop("kpis")
    data["builds_on"] = _phase_ref(found, data["builds_on"])
    made = services.phase_create(project=found, actor=request.user, kpis=kpis, **data)
    return Status(201, _phase(found, made.pk))


@router.patch(
    f"{BASE}/phases/{{phase}}", response={200: PhaseOut, 400: Error, 403: Error, 404: Error}
)
@workspace_route(Role.MEMBER)
def phase_change(
    request: HttpRequest, workspace: str, project: str, phase: int, body: PhasePatch
) -> Any:
    found = _project(request, project)
    existing = _phase(found, phase)
    data = body.dict(exclude_unset=True)
    if "builds_on" in data:
        data["builds_on"] = _phase_ref(found, data["builds_on"])
    services.phase_update(phase=existing, actor=request.user, **data)
    return _phase(found, phase)


@router.delete(f"{BASE}/phases/{{phase}}", response={204: None, 403: Error, 404: Error})
@workspace_route(Role.MEMBER)
def phase_remove(request: HttpRequest, workspace: str, project: str, phase: int) -> Any:
    services.phase_delete(phase=_phase(_project(request, project), phase), actor=request.user)
    return Status(204, None)


@router.get(f"{BASE}/phases/{{phase}}/kpis", response={200: page_of(KpiOut), 404: Error})
@workspace_route(guests=True)
def kpi_list(
    request: HttpRequest, workspace: str, project: str, phase: int, paging: Query[PageIn]
) -> Any:
    kpis = _phase(_project(request, project), phase).kpis.all()
    return page(kpis, name="kpis", ordering=["id"], **paging.dict())


@router.post(
    f"{BASE}/phases/{{phase}}/kpis", response={201: KpiOut, 400: Error, 403: Error, 404: Error}
)
@workspace_route(Role.MEMBER)
def kpi_add(request: HttpRequest, workspace: str, project: str, phase: int, body: KpiIn) -> Any:
    found = _phase(_project(request, project), phase)
    return Status(201, services.kpi_create(phase=found, actor=request.user, **body.dict()))


@router.patch(
    f"{BASE}/phases/{{phase}}/kpis/{{kpi}}",
    response={200: KpiOut, 400: Error, 403: Error, 404: Error},
)
@workspace_route(Role.MEMBER)
def kpi_change(
    request: HttpRequest, workspace: str, project: str, phase: int, kpi: int, body: KpiPatch
) -> Any:
    found = _phase(_project(request, project), phase)
    existing = get_object_or_404(found.kpis, pk=kpi)
    return services.kpi_update(kpi=existing, actor=request.user, **body.dict(exclude_unset=True))


@router.get(f"{BASE}/milestones", response={200: page_of(MilestoneOut), 404: Error})
@workspace_route(guests=True)
def milestone_list(
    request: HttpRequest, workspace: str, project: str, paging: Query[PageIn]
) -> Any:
    """The plan's milestones by date."""
    milestones = _project(request, project).milestones.all()
    return page(milestones, name="milestones", ordering=["on", "id"], **paging.dict())


@router.post(f"{BASE}/milestones", response={201: MilestoneOut, 400: Error, 403: Error, 404: Error})
@workspace_route(Role.MEMBER)
def milestone_add(request: HttpRequest, workspace: str, project: str, body: MilestoneIn) -> Any:
    found = _project(request, project)
    data = body.dict()
    data["phase"] = _phase_ref(found, data["phase"])
    return Status(201, services.milestone_create(project=found, actor=request.user, **data))


@router.patch(
    f"{BASE}/milestones/{{milestone}}",
    response={200: MilestoneOut, 400: Error, 403: Error, 404: Error},
)
@workspace_route(Role.MEMBER)
def milestone_change(
    request: HttpRequest, workspace: str, project: str, milestone: int, body: MilestonePatch
) -> Any:
    found = _project(request, project)
    existing = get_object_or_404(found.milestones, pk=milestone)
    data = body.dict(exclude_unset=True)
    if "phase" in data:
        data["phase"] = _phase_ref(found, data["phase"])
    return services.milestone_update(milestone=existing, actor=request.user, **data)


@router.get(f"{BASE}/guardrails", response={200: GuardrailsOut, 404: Error})
@workspace_route(guests=True)
def guardrail_findings(request: HttpRequest, workspace: str, project: str) -> Any:
    return plan_check_record(plan_state(_project(request, project)))


@router.get(f"{BASE}/revisions", response={200: page_of(RevisionOut), 404: Error})
@workspace_route(guests=True)
def revision_list(request: HttpRequest, workspace: str, project: str, paging: Query[PageIn]) -> Any:
    """The plan's revisions, the newest first (without their snapshots: read one for it)."""
    found = _project(request, project)
    revisions = found.plan_revisions.select_related("actor").defer("snapshot")
    return page(revisions, name="revisions", ordering=["-number"], **paging.dict())


@router.get(f"{BASE}/revisions/{{number}}", response={200: RevisionDetailOut, 404: Error})
@workspace_route(guests=True)
def revision_read(request: HttpRequest, workspace: str, project: str, number: int) -> Any:
    found = _project(request, project)
    return get_object_or_404(found.plan_revisions.select_related("actor"), number=number)


class DraftPhaseOut(Schema):
    ref: str = Field(..., description="The task's id in the file, or its row.")
    title: str
    start_month: date
    weeks: int
    budget: Decimal
    builds_on: str | None = Field(None, description="The ref of the phase it builds on.")
    notes: list[str]


class DraftMilestoneOut(Schema):
    ref: str
    title: str
    on: date
    kind: MilestoneKind
    phase: str | None


class DraftScopeItemOut(Schema):
    ref: str
    title: str
    column: Literal["in", "out", "later"]
    reason: str


class DraftFindingOut(Schema):
    rule: str
    severity: Literal["error", "warning"]
    phase: str | None
    phase_ref: str | None
    title: str
    message: str


class AddedOut(Schema):
    phases: int
    milestones: int
    scope_items: int


class PlanImportOut(Schema):
    source: Literal["mspdi", "gan", "jira", "csv"]
    name: str
    notes: list[str]
    phases: list[DraftPhaseOut]
    milestones: list[DraftMilestoneOut]
    scope_items: list[DraftScopeItemOut]
    errors: int
    warnings: int
    findings: list[DraftFindingOut]
    added: AddedOut | None = Field(None, description="What was saved; null for a dry run.")


@router.post(
    f"{BASE}/plan/import", response={200: PlanImportOut, 400: Error, 403: Error, 404: Error}
)
@workspace_route(Role.MEMBER)
def plan_import(
    request: HttpRequest,
    workspace: str,
    project: str,
    file: File[UploadedFile | None] = None,
    dry_run: bool = False,
) -> Any:
    """Add a plan from MS Project XML, GanttProject (.gan), a Jira CSV export or a plain CSV:
    its phases, milestones and scope items, all or nothing. With `dry_run` nothing is saved:
    the draft and its guardrail findings are returned. An unreadable file is a 400 that says
    why and where (task or row, field, value)."""
    found = _project(request, project)
    # Optional in the schema so that access is checked before the body: a missing file is
    # a 400 for a member, and a 404 or 403 for everyone else.
    if file is None:
        raise KoersError(_("Send the plan file as the form field “file”."), field="file")
    draft = services.plan_file_read(file.read(), file.name or "")
    document = draft_record(draft, draft_findings(found, draft))
    if not dry_run:
        document["added"] = services.plan_import(project=found, actor=request.user, draft=draft)
    return document


@router.get(f"{BASE}/plan/mspdi", response={200: None, 404: Error})
@workspace_route(guests=True)
def plan_export(request: HttpRequest, workspace: str, project: str) -> Any:
    """The plan as MS Project XML (MSPDI): phases as tasks with their budget as fixed cost,
    "builds on" as finish-to-start links, and the milestones."""
    found = _project(request, project)
    response = HttpResponse(plan_as_mspdi(found), content_type="application/xml")
    response["Content-Disposition"] = f'attachment; filename="{found.slug}-plan.xml"'
    return response


# The roadmap of all projects, and the consultants of a phase.


class ConsultantOut(Schema):
    id: int = Field(description="The consultant's membership id.")
    name: str


class PortfolioPhaseOut(Schema):
    id: int
    title: str
    start_month: date
    weeks: int
    status: str
    consultants: list[ConsultantOut]


class PortfolioProjectOut(Schema):
    project: str
    name: str
    client: str
    phases: list[PortfolioPhaseOut]


class TooThinOut(Schema):
    consultant: int
    name: str
    month: date
    phases: list[int]


class PortfolioOut(Schema):
    max_phases_at_once: int
    projects: list[PortfolioProjectOut]
    too_thin: list[TooThinOut] = Field(
        description="Each consultant and month with more phases than the workspace allows."
    )


class ConsultantsIn(Input):
    members: list[int] = Field(..., description="Membership ids of the workspace (no guests).")


@router.get("w/{workspace}/roadmap", response={200: PortfolioOut, 404: Error})
@workspace_route()
def portfolio_read(request: HttpRequest, workspace: str) -> Any:
    """Every project that is not closed, its phases and their consultants, by month."""
    return portfolio_record(portfolio(request.workspace))  # type: ignore[attr-defined]


@router.put(
    f"{BASE}/phases/{{phase}}/consultants",
    response={200: list[ConsultantOut], 400: Error, 403: Error, 404: Error},
)
@workspace_route(Role.MEMBER)
def phase_consultants_put(
    request: HttpRequest, workspace: str, project: str, phase: int, body: ConsultantsIn
) -> Any:
    found = get_object_or_404(_project(request, project).phases, pk=phase)
    wanted = set(body.members)
    members = list(
        Membership.objects.filter(workspace=request.workspace, pk__in=wanted)  # type: ignore[attr-defined]
        .exclude(role=Role.GUEST)
        .select_related("user")
    )
    if len(members) != len(wanted):
        raise KoersError(_("Choose members of this workspace."), field="members")
    services.phase_consultants_set(phase=found, members=members)
    return [{"id": m.pk, "name": m.user.name} for m in members]
