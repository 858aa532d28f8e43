"""`koers timeline --project <workspace>/<project>`: the wins, decisions and communications
of a project in date order, newest first."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import translation
from django_scopes import scope

from koers.projects.commandline import project_named
from koers.wins import records, timeline


class Command(BaseCommand):
    help = (
        "Print a project's timeline, newest first: the small wins it celebrated, the "
        "decisions it made and the communications it did, as its timeline page shows them."
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
            lines = [records.timeline_record(row) for row in timeline.whole_timeline(project)]
        if options["json"]:
            document = {"project": name, "timeline": lines}
            self.stdout.write(
                json.dumps(document, ensure_ascii=False, indent=2, cls=DjangoJSONEncoder)
            )
            return
        self.stdout.write(f"{name}: {len(lines)} line(s)")
        for line in lines:
            self.stdout.write(f"{line['on']} [{line['kind']}] {line['title']}")
