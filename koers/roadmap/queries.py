"""Reads on the plan that pages, the API, the CLI and documents share (fixed query counts)."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet, Subquery
from django.utils import timezone
from django_scopes import scopes_disabled

from koers.core.tokens import hash_token
from koers.projects.models import ClientVision, Project
from koers.workspaces.models import Client, Workspace

from . import guardrails, parts, planfiles, staffing
from . import snapshot as snap
from .models import (
    Deviation,
    GuardrailLimits,
    Kpi,
    Milestone,
    Phase,
    PhaseConsultant,
    PlanRevision,
    ShareLink,
)

# From delivery on, the plan is what is being delivered: an empty one is a finding.
NEEDS_PHASES = frozenset({Project.Status.DELIVERY.value, Project.Status.AFTERCARE.value})


def limits_for(workspace: Workspace) -> guardrails.Limits:
    """Return the workspace's guardrail limits, or the method's when it set none."""
    found = GuardrailLimits.objects.filter(workspace=workspace).first()
    return found.as_limits() if found else guardrails.Limits()


def phase_rows(project: Project) -> QuerySet[Phase]:
    """Return the project's phases with their KPIs and builds-on phase: two queries."""
    return project.phases.select_related("builds_on").prefetch_related(
        Prefetch("kpis", queryset=Kpi.objects.order_by("id"))
    )


def deviations_of(project: Project) -> QuerySet[Deviation]:
    """Return the guardrail findings the team accepted on purpose, with who accepted them
    (the decision log reads them here instead of keeping copies)."""
    return project.deviations.select_related("accepted_by")


def phases_of(project: Project) -> list[Phase]:
    """Return the project's phases with their KPIs and builds-on phase, in the roadmap's order."""
    return list(phase_rows(project))


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _dec(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def phase_row(phase: Phase, kpis: Iterable[Kpi], builds_on: str | None) -> dict[str, Any]:
    return {
        "key": phase.key,
        "title": phase.title,
        "goal": phase.goal,
        "standalone_value": phase.standalone_value,
        "vision_horizon": phase.vision_horizon,
        "vision_contribution": phase.vision_contribution,
        "start_month": phase.start_month.isoformat(),
        "weeks": phase.weeks,
        "budget": str(phase.budget),
        "status": phase.status,
        "builds_on": builds_on,
        "kpis": [
            {
                "key": kpi.key,
                "name": kpi.name,
                "unit": kpi.unit,
                "direction": kpi.direction,
                "baseline": _dec(kpi.baseline),
                "baseline_on": _iso(kpi.baseline_on),
                "target": _dec(kpi.target),
                "actual": _dec(kpi.actual),
                "actual_on": _iso(kpi.actual_on),
            }
            for kpi in kpis
        ],
    }


def snapshot_of(
    phases: list[Phase],
    milestones: list[Milestone],
    deviations: list[Deviation],
    kpis: Mapping[int, list[Kpi]] | None = None,
) -> snap.Snapshot:
    """The plan as a snapshot. The phases' KPIs come from `kpis` (by phase id) when given,
    else from each phase (prefetched); "builds on" from the phases given (one project's)."""
    keys = {phase.pk: phase.key for phase in phases}
    data = snap.empty()
    data["phases"] = [
        phase_row(
            phase,
            phase.kpis.all() if kpis is None else kpis.get(phase.pk, []),
            keys.get(phase.builds_on_id),  # type: ignore[arg-type]  # None: builds on nothing
        )
        for phase in phases
    ]
    data["milestones"] = [
        {
            "key": m.key,
            "kind": m.kind,
            "title": m.title,
            "on": m.on.isoformat(),
            "decision_needed": m.decision_needed,
            "phase": keys.get(m.phase_id) if m.phase_id else None,
        }
        for m in milestones
    ]
    data["deviations"] = [
        {"rule": d.rule, "subject": d.subject, "justification": d.justification} for d in deviations
    ]
    return data


@dataclass
class PlanState:
    """Everything a plan page needs, read in a fixed number of queries."""

    project: Project
    limits: guardrails.Limits
    phases: list[Phase]
    milestones: list[Milestone]
    deviations: list[Deviation]
    latest: PlanRevision | None
    today: date = field(default_factory=timezone.localdate)
    snapshot: snap.Snapshot = field(init=False)
    findings: list[guardrails.Finding] = field(init=False)

    def __post_init__(self) -> None:
        self.snapshot = snapshot_of(self.phases, self.milestones, self.deviations)
        self.findings = snap.findings(
            self.snapshot,
            self.limits,
            needs_phases=self.project.status in NEEDS_PHASES,
            vision_gap=vision_gap(self.project),
        )

    @property
    def late_phases(self) -> list[Phase]:
        """Return the phases past their end that are not done."""
        return [p for p in self.phases if p.is_late_on(self.today)]

    @property
    def summary(self) -> guardrails.Summary:
        return guardrails.summarise(self.findings)

    @property
    def is_shared(self) -> bool:
        return self.latest is not None

    @property
    def pending_changes(self) -> list[snap.Change]:
        """Return the changes made since the latest revision (none before the first)."""
        if self.latest is None:
            return []
        return snap.diff(self.latest.snapshot, self.snapshot)

    @property
    def has_unrecorded_changes(self) -> bool:
        return self.latest is not None and not snap.same_plan(self.latest.snapshot, self.snapshot)

    def findings_for(self, subject: str) -> list[guardrails.Finding]:
        return [f for f in self.findings if f.subject == subject]

    @property
    def total_budget(self) -> Decimal:
        return sum((p.budget for p in self.phases if p.status != Phase.Status.STOPPED), Decimal(0))

    @property
    def total_weeks(self) -> int:
        return sum(p.weeks for p in self.phases if p.status != Phase.Status.STOPPED)


def vision_gap(project: Project) -> guardrails.VisionGap | None:
    """Whether the project leaves out which part of its client's vision it serves, when the
    client has a vision or more projects than this one: one query, none when it says."""
    return vision_gaps([project])[project.pk]


def vision_gaps(projects: list[Project]) -> dict[int, guardrails.VisionGap | None]:
    """`vision_gap` of each project, in one query whatever their number (none when all say)."""
    silent = [p for p in projects if not p.serves_vision.strip()]
    written = ClientVision.objects.filter(client=OuterRef("pk")).exclude(
        summary="", automated_processes="", connected_systems="", biggest_gains=""
    )
    clients = (
        {
            row["pk"]: row
            for row in Client.objects.filter(pk__in={p.client_id for p in silent})
            .annotate(
                has_vision=Exists(written),
                project_count=Subquery(
                    Project.objects.filter(client=OuterRef("pk"))
                    .order_by()
                    .values("client")
                    .annotate(n=Count("pk"))
                    .values("n")
                ),
            )
            .values("pk", "has_vision", "project_count")
        }
        if silent
        else {}
    )
    found: dict[int, guardrails.VisionGap | None] = {p.pk: None for p in projects}
    for project in silent:
        client = clients[project.client_id]
        if client["has_vision"] or client["project_count"] >= 2:
            found[project.pk] = guardrails.VisionGap(client["has_vision"], client["project_count"])
    return found


def plan_state(project: Project, *, today: date | None = None) -> PlanState:
    """Return the project's plan: phases, KPIs, milestones, deviations and latest revision."""
    return PlanState(
        today=today or timezone.localdate(),
        project=project,
        limits=limits_for(project.workspace),
        phases=phases_of(project),
        milestones=list(project.milestones.all()),
        deviations=list(project.deviations.all()),
        latest=project.plan_revisions.select_related("actor").first(),
    )


@dataclass(frozen=True)
class PlanAlerts:
    """What a project's page and the dashboard say of its plan without reading all of it."""

    late: tuple[guardrails.Phase, ...] = ()
    is_empty: bool = False  # in delivery without a phase: the EMPTY_PLAN finding


def plan_alerts(projects: list[Project], *, today: date) -> dict[int, PlanAlerts]:
    """Return each project's late phases and empty-plan finding, in one query."""
    rows: dict[int, list[guardrails.Phase]] = {p.pk: [] for p in projects}
    for row in Phase.objects.filter(project__in=projects).values(
        "project_id", "key", "title", "start_month", "weeks", "budget", "status"
    ):
        rows[row["project_id"]].append(
            guardrails.Phase(
                key=row["key"],
                title=row["title"],
                start=row["start_month"],
                weeks=row["weeks"],
                budget=row["budget"],
                status=row["status"],
            )
        )
    found = {}
    for project in projects:
        plan = guardrails.Plan(tuple(rows[project.pk]), needs_phases=project.status in NEEDS_PHASES)
        found[project.pk] = PlanAlerts(
            late=tuple(p for p in plan.phases if p.is_late(today)),
            is_empty=guardrails.is_empty_plan(plan),
        )
    return found


def current_phase(phases: list[Phase]) -> Phase | None:
    """The active phase, else the next planned one."""
    for wanted in (Phase.Status.ACTIVE, Phase.Status.PLANNED):
        found = next((p for p in phases if p.status == wanted), None)
        if found is not None:
            return found
    return None


@dataclass(frozen=True)
class PlanGlance:
    """What the portfolio reads of a plan: the same findings and late phases as its pages."""

    phases: list[Phase]
    current: Phase | None  # as the project's page shows it: `current_phase`
    summary: guardrails.Summary
    late: list[Phase]
    next_milestone: Milestone | None  # the first from today


def plan_glances(projects: list[Project], *, today: date) -> dict[int, PlanGlance]:
    """Return each project's plan at a glance, in a fixed number of queries for any number
    of projects (of one workspace): the findings as `PlanState` finds them."""
    if not projects:
        return {}
    limits = limits_for(projects[0].workspace)
    phases: dict[int, list[Phase]] = {p.pk: [] for p in projects}
    milestones: dict[int, list[Milestone]] = {p.pk: [] for p in projects}
    deviations: dict[int, list[Deviation]] = {p.pk: [] for p in projects}
    # Plain reads grouped here: a prefetch (and a join for "builds on") for 800 phases cost
    # four times the rows themselves.
    kpis: dict[int, list[Kpi]] = {}
    for phase in Phase.objects.filter(project__in=projects):
        phases[phase.project_id].append(phase)
    for kpi in Kpi.objects.filter(phase__project__in=projects).order_by("id"):
        kpis.setdefault(kpi.phase_id, []).append(kpi)
    for milestone in Milestone.objects.filter(project__in=projects):
        milestones[milestone.project_id].append(milestone)
    for deviation in Deviation.objects.filter(project__in=projects):
        deviations[deviation.project_id].append(deviation)
    gaps = vision_gaps(projects)
    found = {}
    for project in projects:
        own = phases[project.pk]
        findings = snap.findings(
            snapshot_of(own, milestones[project.pk], deviations[project.pk], kpis),
            limits,
            needs_phases=project.status in NEEDS_PHASES,
            vision_gap=gaps[project.pk],
        )
        found[project.pk] = PlanGlance(
            phases=own,
            current=current_phase(own),
            summary=guardrails.summarise(findings),
            late=[p for p in own if p.is_late_on(today)],
            next_milestone=next((m for m in milestones[project.pk] if m.on >= today), None),
        )
    return found


def current_snapshot(project: Project) -> snap.Snapshot:
    """The plan as a revision keeps it: with the parts other apps keep with it."""
    data = snapshot_of(
        phases_of(project), list(project.milestones.all()), list(project.deviations.all())
    )
    data["parts"] = parts.read(project)
    return data


def link_for_token(token: str, kind: str) -> ShareLink | None:
    """Return the unrevoked share link of `kind` for a public token, across workspaces.

    The one place a public URL reads outside a workspace scope: the token (256 bits, stored
    hashed) is the access right, and it names exactly one project.
    """
    if not token or len(token) > 100:
        return None
    with scopes_disabled():
        return (
            ShareLink.objects.select_related("project__workspace", "project__client")
            .filter(token_hash=hash_token(token), kind=kind, revoked_at__isnull=True)
            .first()
        )


def draft_findings(project: Project, draft: planfiles.DraftPlan) -> list[guardrails.Finding]:
    """The guardrail findings of an imported draft, on the workspace's limits, before saving."""
    return guardrails.check_plan(planfiles.guardrail_plan(draft), limits_for(project.workspace))


def plan_as_mspdi(project: Project) -> bytes:
    """The plan as MS Project XML: the phases still in the plan and the milestones."""
    phases = [p for p in phases_of(project) if p.status != Phase.Status.STOPPED]
    return planfiles.write_mspdi(
        project.name,
        [
            planfiles.PhaseOut(
                key=p.key,
                title=p.title,
                start_month=p.start_month,
                weeks=p.weeks,
                budget=p.budget,
                builds_on=p.builds_on.key if p.builds_on else "",
            )
            for p in phases
        ],
        [planfiles.MilestoneOut(title=m.title, on=m.on) for m in project.milestones.all()],
    )


# The portfolio roadmap: every active project's phases, with who works on them.


@dataclass(frozen=True)
class Portfolio:
    projects: list[tuple[Project, list[Phase]]]  # by client and name; stopped phases left out
    consultants: dict[int, list[PhaseConsultant]]  # by phase id
    too_thin: list[staffing.TooThin]
    limit: int

    def names_of(self, phase: int) -> list[str]:
        return [c.member.user.name for c in self.consultants.get(phase, [])]

    @property
    def people(self) -> dict[int, str]:
        """Consultant (membership id) -> name."""
        return {
            c.member_id: c.member.user.name for found in self.consultants.values() for c in found
        }


def portfolio(workspace: Workspace) -> Portfolio:
    """The workspace's projects that are not closed, their phases and consultants, and who is
    on more phases at once than the workspace allows: four queries, however many."""
    projects = list(
        Project.objects.filter(workspace=workspace)
        .exclude(status=Project.Status.CLOSED)
        .select_related("client")
        .order_by("client__name", "name", "id")
    )
    phases = list(
        Phase.objects.filter(project__in=projects)
        .exclude(status=Phase.Status.STOPPED)
        .order_by("project_id", "position", "id")
    )
    consultants: dict[int, list[PhaseConsultant]] = {}
    for c in PhaseConsultant.objects.filter(phase__in=phases).select_related("member__user"):
        consultants.setdefault(c.phase_id, []).append(c)
    per_project: dict[int, list[Phase]] = {p.pk: [] for p in projects}
    for phase in phases:
        per_project[phase.project_id].append(phase)
    limit = limits_for(workspace).max_phases_at_once
    # Done phases are history: only the open ones keep a consultant busy.
    assignments = [
        staffing.Assignment(c.member_id, phase.pk, phase.start_month, phase.end)
        for phase in phases
        if phase.status in guardrails.OPEN_STATUSES
        for c in consultants.get(phase.pk, [])
    ]
    return Portfolio(
        [(p, per_project[p.pk]) for p in projects],
        consultants,
        staffing.too_thin(assignments, limit),
        limit,
    )
