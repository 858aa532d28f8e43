"""Where a project manager starts the day: the project page's summary of the apps above it.

A face, so it may read the roadmap, rollout, pulse and decision log (which the projects app,
below them all, may not). It only picks from what their query functions return: the rules
(findings, signals, gate verdicts, what is still to decide) stay in those apps.
"""

from dataclasses import dataclass
from datetime import date

from koers.decisions.models import Decision
from koers.decisions.queries import needed_shown
from koers.projects.models import Project
from koers.pulse.queries import ProjectSignal, project_signals
from koers.roadmap.guardrails import Summary
from koers.roadmap.models import Milestone, Phase
from koers.roadmap.queries import current_phase, plan_state
from koers.rollout.models import Wave
from koers.rollout.queries import FINISHED_WAVES, GateState, gate_states, waves_of
from koers.wins.queries import proposals
from koers.wins.rules import Fact

NEEDED_SHOWN = 3  # decisions still to make on the project page; the rest on the log's page
WINS_SHOWN = 3  # small wins to celebrate; the rest on the page of wins


@dataclass(frozen=True)
class StartOfDay:
    """The project page's summary: each part None (or empty) when there is nothing yet."""

    phase: Phase | None  # the active phase, else the next planned one
    has_phases: bool
    milestone: Milestone | None  # the next one from today
    wave: Wave | None  # the wave under way, else the next one
    gate: GateState | None  # the current wave's go/no-go gate
    has_waves: bool
    signal: ProjectSignal
    # Internal to the team, None for a guest (client contact):
    findings: Summary | None
    needed: list[Decision] | None
    needed_count: int = 0
    wins: list[Fact] | None = None  # what Koers proposes to celebrate
    wins_count: int = 0


def start_of_day(project: Project, *, today: date, guest: bool) -> StartOfDay:
    """Gather the summary in a fixed number of queries, whatever the size of the project."""
    plan = plan_state(project, today=today)
    wave = waves_of(project).exclude(status__in=FINISHED_WAVES).first()
    needed, needed_count = (None, 0) if guest else needed_shown(project, NEEDED_SHOWN)
    wins = None if guest else proposals(project, today)
    return StartOfDay(
        phase=current_phase(plan.phases),
        has_phases=bool(plan.phases),
        milestone=next((m for m in plan.milestones if m.on >= today), None),
        wave=wave,
        gate=gate_states([wave]).get(wave.pk) if wave else None,
        has_waves=wave is not None or project.waves.exists(),
        signal=project_signals([project], project.workspace)[project.pk],
        findings=None if guest else plan.summary,
        needed=needed,
        needed_count=needed_count,
        wins=None if wins is None else wins[:WINS_SHOWN],
        wins_count=len(wins or []),
    )
