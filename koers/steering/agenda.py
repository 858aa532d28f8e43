"""The agenda of a steering group meeting, read from what the project keeps (METHOD.md 6):
the decisions needed, the watermelon signal (reported beside measured), the open risks of the
last status update, the progress of each phase and the next one. A fixed number of queries.
"""

from dataclasses import dataclass

from koers.decisions.models import Decision
from koers.decisions.queries import needed_shown
from koers.projects.models import Project
from koers.pulse.models import StatusUpdate
from koers.pulse.queries import ProjectSignal, project_signals
from koers.roadmap.models import Phase
from koers.roadmap.queries import phases_of

NEEDED_SHOWN = 20  # more than this does not fit one meeting; the log has the rest


@dataclass(frozen=True)
class Agenda:
    needed: list[Decision]
    needed_count: int
    signal: ProjectSignal
    update: StatusUpdate | None  # the last status update: its open risks
    phases: list[Phase]  # with their KPIs
    next_phase: Phase | None

    @property
    def risks(self) -> str:
        return self.update.risks if self.update else ""


def agenda_of(project: Project) -> Agenda:
    needed, count = needed_shown(project, NEEDED_SHOWN)
    signal = project_signals([project], project.workspace)[project.pk]
    phases = phases_of(project)
    return Agenda(
        needed=needed,
        needed_count=count,
        signal=signal,
        update=signal.update,
        phases=phases,
        next_phase=next((p for p in phases if p.status == Phase.Status.PLANNED), None),
    )
