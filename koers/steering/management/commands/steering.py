"""`koers steering --project <workspace>/<project>`: the steering group meetings and the
agenda as it stands (decisions needed, reported and measured, risks, phases)."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import translation
from django_scopes import scope

from koers.projects.commandline import project_named
from koers.steering import records
from koers.steering.agenda import agenda_of
from koers.steering.models import Meeting


class Command(BaseCommand):
    help = (
        "Print a project's steering group meetings, the latest first, and the agenda of the "
        "next meeting as it stands: the decisions needed, the status reported beside what was "
        "measured, the open risks, the progress per phase and the next phase."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--project", required=True, help="The project as <workspace>/<project>."
        )
        parser.add_argument("--json", action="store_true", help="Print one JSON document.")

    def handle(self, *args: Any, **options: Any) -> None:
        project = project_named(options["project"])
        name = f"{project.workspace.slug}/{project.slug}"
        with scope(workspace=project.workspace), translation.override(project.language):
            meetings = Meeting.objects.filter(project=project).prefetch_related("decisions")
            document: dict[str, Any] = {
                "project": name,
                "agenda": records.agenda_record(agenda_of(project)),
                "meetings": [records.meeting_record(m) for m in meetings],
            }
        if options["json"]:
            self.stdout.write(
                json.dumps(document, ensure_ascii=False, indent=2, cls=DjangoJSONEncoder)
            )
            return
        agenda = document["agenda"]
        self.stdout.write(f"{name}: agenda of the steering group")
        self.stdout.write(f"  decisions needed: {agenda['decisions_needed_count']}")
        for decision in agenda["decisions_needed"]:
            self.stdout.write(f"    ? {decision['title']}")
        melon = " (watermelon)" if agenda["watermelon"] else ""
        self.stdout.write(f"  reported {agenda['reported']}, measured {agenda['measured']}{melon}")
        if agenda["risks"]:
            self.stdout.write(f"  risks: {agenda['risks']}")
        for phase in agenda["phases"]:
            self.stdout.write(f"  phase {phase['title']}: {phase['status']}")
        for meeting in document["meetings"]:
            minutes = "minutes" if meeting["minutes"] else "no minutes yet"
            taken = len(meeting["decisions"])
            self.stdout.write(f"{meeting['on']}: {minutes}, {taken} decision(s) taken")
