"""The portfolio: every active project the member may see, what needs attention first.

Read in a fixed number of queries whatever the number of projects: each app's grouped read
(the pulse's watermelon signal as the status report computes it, the plan's findings and
late phases as the roadmap page finds them, the waves and gates as the wave board judges
them, the decision log, the stakeholders), then `attention` ranks them in Python.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from koers.core.errors import KoersError
from koers.decisions.queries import waiting_counts
from koers.projects.models import Project
from koers.pulse.queries import ProjectSignal, project_signals, rounds_closing
from koers.pulse.signals import Measure
from koers.roadmap import guardrails
from koers.roadmap.models import Phase
from koers.roadmap.queries import plan_glances
from koers.rollout.gates import Outcome
from koers.rollout.models import Wave
from koers.rollout.queries import GateState, gate_states, wave_glances
from koers.stakeholders.queries import overdue_counts
from koers.workspaces.models import Client, Membership, Workspace

from . import attention
from .attention import Moment, MomentKind

SLUG = re.compile(r"[-\w]{1,50}\Z")


@dataclass(frozen=True)
class Filters:
    client: Client | None = None
    manager: int | None = None  # a user's id
    status: str | None = None  # a project status; none: every one but closed

    def apply(self, projects: QuerySet[Project]) -> QuerySet[Project]:
        if self.client is not None:
            projects = projects.filter(client=self.client)
        if self.manager is not None:
            projects = projects.filter(manager_id=self.manager)
        if self.status:
            return projects.filter(status=self.status)
        return projects.exclude(status=Project.Status.CLOSED)


def filters_from(
    workspace: Workspace, given: Mapping[str, str | int | None], *, guest_of: Client | None = None
) -> Filters:
    """Read the filters (client slug, manager id, status); a wrong value says which and why.

    A guest (`guest_of` their client) may name only their own client: another one is as
    unknown to them as one that does not exist, so no answer tells them who else is a client.
    """
    client = None
    slug = given.get("client") or None
    if slug is not None:
        clients = workspace.clients.all()
        if guest_of is not None:
            clients = clients.filter(pk=guest_of.pk)
        # Not a short name at all (a NUL, which PostgreSQL cannot even compare): no client.
        client = clients.filter(slug=str(slug)).first() if SLUG.match(str(slug)) else None
        if client is None:
            raise KoersError(
                _("There is no client %(client)s in this workspace.") % {"client": slug},
                field="client",
            )
    manager = given.get("manager") or None
    if manager is not None:
        members = workspace.memberships.exclude(role="guest")
        number = str(manager)
        if not (number.isascii() and number.isdigit() and len(number) < 10) or not (
            members.filter(user_id=int(number)).exists()
        ):
            raise KoersError(
                _("The project manager must be a member of this workspace, given by number."),
                field="manager",
            )
        manager = int(number)
    status = given.get("status") or None
    if status is not None and status not in Project.Status.values:
        raise KoersError(
            _("Unknown status %(status)s: choose one of %(choices)s.")
            % {"status": status, "choices": ", ".join(Project.Status.values)},
            field="status",
        )
    return Filters(client=client, manager=manager, status=status and str(status))


@dataclass(frozen=True)
class Row:
    """One project on the portfolio. What a guest may not see is None."""

    project: Project
    attention: attention.Attention
    signal: ProjectSignal
    phase: Phase | None
    late_phases: list[Phase]
    wave: Wave | None
    gate: GateState | None
    late_waves: int
    findings: guardrails.Summary | None
    decisions_waiting: int | None
    stakeholders_overdue: int | None

    @property
    def order(self) -> tuple[int | str, ...]:
        return attention.order_key(self.attention, self.project.client.name, self.project.name)


def _understanding(signal: ProjectSignal) -> Decimal | None:
    reading = next(r for r in signal.signal.readings if r.measure is Measure.UNDERSTANDING)
    return reading.value  # type: ignore[return-value]  # understanding is a score


def portfolio(
    projects: QuerySet[Project],
    *,
    workspace: Workspace,
    guest: bool,
    filters: Filters = Filters(),  # frozen: one shared default is safe
    today: date | None = None,
) -> list[Row]:
    """Return the rows of `projects` (those the member may see) in the portfolio's order."""
    today = today or timezone.localdate()
    shown = list(filters.apply(projects).select_related("client", "manager", "workspace"))
    signals = project_signals(shown, workspace)
    plans = plan_glances(shown, today=today)
    waves = wave_glances(shown)
    gates = gate_states([w.current for w in waves.values() if w.current is not None])
    closing = rounds_closing(shown)
    decisions = {} if guest else waiting_counts(shown, today)
    overdue = {} if guest else overdue_counts(shown, today)
    rows = []
    for project in shown:
        signal, plan, wave = signals[project.pk], plans[project.pk], waves[project.pk]
        gate = gates.get(wave.current.pk) if wave.current else None
        waiting, late_decisions = decisions.get(project.pk, (0, 0))
        moments = []
        if project.pk in closing:
            closes = timezone.localtime(closing[project.pk]).date()
            moments.append(Moment(MomentKind.FEEDBACK, closes))
        if plan.next_milestone is not None:
            milestone = plan.next_milestone
            moments.append(Moment(MomentKind.MILESTONE, milestone.on, milestone.title))
        facts = attention.Facts(
            key=project.pk,
            reported=signal.signal.reported.value if signal.signal.reported else None,
            measured=signal.signal.measured.value if signal.signal.measured else None,
            is_watermelon=signal.signal.is_watermelon,
            understanding=_understanding(signal),
            gate=Moment(MomentKind.GATE, gate.gate.wave.end_on, gate.gate.wave.label)
            if gate
            else None,
            gate_failing=gate is not None and gate.verdict.outcome is Outcome.FAILED,
            moments=tuple(moments),
            late_phases=len(plan.late),
            late_waves=wave.late,
            guardrail_errors=0 if guest else plan.summary.errors,
            decisions_waiting=waiting,
            decisions_overdue=late_decisions,
            stakeholders_overdue=overdue.get(project.pk, 0),
        )
        rows.append(
            Row(
                project=project,
                attention=attention.assess(facts, today),
                signal=signal,
                phase=plan.current,
                late_phases=plan.late,
                wave=wave.current,
                gate=gate,
                late_waves=wave.late,
                findings=None if guest else plan.summary,
                decisions_waiting=None if guest else waiting,
                stakeholders_overdue=None if guest else overdue[project.pk],
            )
        )
    return sorted(rows, key=lambda row: row.order)


def managers(workspace: Workspace) -> QuerySet[Membership]:
    """The members who manage a project of the workspace: the choices of the filter."""
    return (
        workspace.memberships.filter(user__managed_projects__workspace=workspace)
        .select_related("user")
        .distinct()
        .order_by("user__name", "pk")
    )
