"""Each demo case's small wins (METHOD.md 4): the first group that went live and the first
KPI met are celebrated, as the team would have on the day; a case with neither yet celebrates
its first clear decision. What happened since stays proposed, for the demo to celebrate or
dismiss.
"""

from typing import Any

from django.utils import timezone

from koers.decisions.models import Decision
from koers.projects.models import Project
from koers.roadmap.models import Kpi
from koers.rollout.models import Wave
from koers.wins import services
from koers.workspaces.models import Workspace

LIVE = (
    "Sinds vandaag werkt {wave} met het nieuwe systeem. Dank aan iedereen die meetestte, "
    "vragen stelde en de servicedesk wegwijs maakte. Wat we leerden, nemen we mee naar de "
    "volgende groep."
)
KPI = (
    "{kpi}: gemeten {actual}{unit}, het doel was {target}{unit}. Dat is het resultaat van de "
    "fase {phase}, en het werkt nu al, ook als er niets meer volgt."
)
DECIDED = (
    "De knoop is doorgehakt: {title}. Dank aan iedereen die meedacht; nu weet iedereen waar "
    "we aan toe zijn."
)


def build(workspace: Workspace, *, users: dict[Any, Any]) -> None:
    from koers.workspaces.models import Role

    actor = users[Role.OWNER]
    for project in workspace.projects.all():
        _first_live(project, actor)
        _first_kpi_met(project, actor)
        if not project.wins.exists():
            _first_clear_decision(project, actor)


def _first_live(project: Project, actor: Any) -> None:
    waves = Wave.objects.filter(project=project, started_at__isnull=False)
    first = (
        waves.filter(kind=Wave.Kind.DEPARTMENT).order_by("started_at").first()
        or waves.order_by("started_at").first()
    )
    if first is None or not first.is_live:
        return
    day = timezone.localdate(first.started_at)
    services.win_celebrate(
        project=project,
        key=f"live:{first.pk}",
        actor=actor,
        message=LIVE.format(wave=first.label),
        how="meeting",
        today=day,
    )


def _first_kpi_met(project: Project, actor: Any) -> None:
    measured = Kpi.objects.filter(phase__project=project, actual_on__isnull=False)
    met = [kpi for kpi in measured.select_related("phase").order_by("actual_on") if kpi.is_met]
    if not met:
        return
    kpi = met[0]
    assert kpi.actual is not None and kpi.target is not None  # a met KPI has both
    unit = f" {kpi.unit}" if kpi.unit else ""
    services.win_celebrate(
        project=project,
        key=f"kpi:{kpi.key}",
        actor=actor,
        message=KPI.format(
            kpi=kpi.name,
            actual=kpi.actual.normalize(),
            target=kpi.target.normalize(),
            unit=unit,
            phase=kpi.phase.title,
        ),
        how="demo",
        today=kpi.actual_on,
    )


def _first_clear_decision(project: Project, actor: Any) -> None:
    decided = Decision.objects.filter(project=project, status=Decision.Status.DECIDED)
    first = decided.filter(decided_on__isnull=False).order_by("decided_on", "pk").first()
    if first is None:
        return
    services.win_celebrate(
        project=project,
        key=f"decision:{first.pk}",
        actor=actor,
        message=DECIDED.format(title=first.title),
        how="meeting",
        today=first.decided_on,
    )
