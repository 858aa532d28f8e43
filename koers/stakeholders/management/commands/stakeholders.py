"""`koers stakeholders --project <workspace>/<project>`: the grid and who is overdue."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_scopes import scope

from koers.projects.commandline import project_named
from koers.stakeholders import records
from koers.stakeholders.models import CommunicationKind, Stance


class Command(BaseCommand):
    help = (
        "Print a project's stakeholders as on its power/interest grid (stance, influence, "
        "interest, steering group, decision maker, last contact), who is overdue for contact "
        "(opponents and sceptics first) and the communication rhythm with what is overdue."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--project", required=True, help="The project as <workspace>/<project>."
        )
        parser.add_argument("--json", action="store_true", help="Print one JSON document.")

    def handle(self, *args: Any, **options: Any) -> None:
        project = project_named(options["project"])
        with scope(workspace=project.workspace), translation.override(project.language):
            document = records.grid_record(project, timezone.localdate())
            if options["json"]:
                self.stdout.write(
                    json.dumps(document, ensure_ascii=False, indent=2, cls=DjangoJSONEncoder)
                )
                return
            stances = dict(Stance.choices)
            self.stdout.write(f"{document['project']}: {len(document['stakeholders'])}")
            for row in document["stakeholders"]:
                roles = [
                    label
                    for flag, label in (
                        ("is_decision_maker", _("decision maker")),
                        ("is_steering_member", _("steering group")),
                    )
                    if row[flag]
                ]
                self.stdout.write(
                    f"  {row['name']}: {stances[row['stance']]}, "
                    + _("influence %(influence)s, interest %(interest)s, last contact %(last)s")
                    % {
                        "influence": row["influence"],
                        "interest": row["interest"],
                        "last": row["last_contact"] or _("never"),
                    }
                    + (f" ({', '.join(roles)})" if roles else "")
                )
            overdue = document["overdue"]
            self.stdout.write(
                _("Overdue for contact") + ":" if overdue else _("Nobody is overdue for contact.")
            )
            for due in overdue:
                days = due["days_overdue"]
                late = _("never contacted") if days is None else _("%(days)s days") % {"days": days}
                self.stdout.write(f"  {due['name']} ({stances[due['stance']]}): {late}")
            kinds = dict(CommunicationKind.choices)
            for beat in document["rhythm"].values():
                if beat["every_days"] is None:
                    continue
                state = _("overdue") if beat["is_overdue"] else str(beat["due_on"])
                every = _("every %(days)s days") % {"days": beat["every_days"]}
                self.stdout.write(f"  {kinds[beat['kind']]}, {every}: {state}")
