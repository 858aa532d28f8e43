"""The ERP case's steering group (METHOD.md 6): the meeting where the group kept HR out of
the ERP, with its minutes, and the next meeting, whose agenda the project makes itself."""

from datetime import date, timedelta
from typing import Any

from koers.decisions.models import Decision
from koers.steering import services
from koers.workspaces.models import Workspace

from .cases import ERP_GENT

TAKEN = "HR en loonadministratie blijven buiten het ERP"
MINUTES = (
    "Aanwezig: Lieve Vanacker (CEO), Bart (productie), het projectteam.\n"
    "1. Besluiten: HR en loonadministratie blijven buiten het ERP; het sociaal secretariaat "
    "doet het goed en het maakte het vorige project te groot.\n"
    "2. Voortgang: de eerste fase (voorraad en werkbonnen) start; elke fase levert op "
    "zichzelf waarde op en duurt hoogstens 12 weken.\n"
    "3. Risico's: de kennis van de oude werkwijze zit bij twee mensen; zij testen mee.\n"
    "Volgende stuurgroep over zes weken."
)


def build(workspace: Workspace, *, users: dict[Any, Any], today: date) -> None:
    from koers.workspaces.models import Role

    actor = users[Role.OWNER]
    project = workspace.projects.get(slug=ERP_GENT)
    taken = Decision.objects.get(project=project, title=TAKEN)
    held = services.meeting_create(project=project, on=taken.decided_on or today, actor=actor)
    services.meeting_minutes(meeting=held, actor=actor, minutes=MINUTES)
    held.decisions.add(taken)  # decided there, logged with the rest of the story
    services.meeting_create(project=project, on=today + timedelta(days=10), actor=actor)
