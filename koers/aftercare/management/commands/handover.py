"""`koers handover --project <workspace>/<project>`: the handover to operations."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.core.serializers.json import DjangoJSONEncoder
from django_scopes import scope

from koers.aftercare import queries, records
from koers.projects.commandline import project_named


class Command(BaseCommand):
    help = (
        "Print a project's handover to operations: each checklist item with its owner and "
        "state, and the shadow period."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--project", required=True, help="The project as <workspace>/<project>."
        )
        parser.add_argument("--json", action="store_true", help="Print one JSON document.")

    def handle(self, *args: Any, **options: Any) -> None:
        project = project_named(options["project"])
        with scope(workspace=project.workspace):
            document = {
                "project": f"{project.workspace.slug}/{project.slug}",
                **records.handover_record(queries.checklist(project), queries.handover_of(project)),
            }
        if options["json"]:
            self.stdout.write(
                json.dumps(document, ensure_ascii=False, indent=2, cls=DjangoJSONEncoder)
            )
            return
        self.stdout.write(f"{document['project']}: {len(document['open'])} item(s) open")
        for item in document["checklist"]:
            owner = f" ({item['owner']})" if item["owner"] else ""
            self.stdout.write(f"  [{item['state']}] {item['kind']}{owner}: {item['notes']}")
        start, end = document["shadow_start"], document["shadow_end"]
        self.stdout.write(f"Shadow period: {start or '-'} to {end or '-'}. {document['backup']}")
