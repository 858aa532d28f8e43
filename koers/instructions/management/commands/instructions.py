"""`koers instructions --project <workspace>/<project>`: the project's user instructions,
per project or wave, and whether each is published on its public link."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.core.serializers.json import DjangoJSONEncoder
from django_scopes import scope

from koers.instructions import queries, records
from koers.projects.commandline import project_named


class Command(BaseCommand):
    help = (
        "Print a project's user instructions (of the whole project or of a wave) and the path "
        "of the public page of each one that is published."
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
            rows = queries.instructions_of(project).order_by("-updated_at", "-id")
            document: dict[str, Any] = {
                "project": f"{project.workspace.slug}/{project.slug}",
                "instructions": [records.instructions_record(item) for item in rows],
            }
        if options["json"]:
            self.stdout.write(
                json.dumps(document, ensure_ascii=False, indent=2, cls=DjangoJSONEncoder)
            )
            return
        self.stdout.write(f"{document['project']}: {len(document['instructions'])} instructions")
        for item in document["instructions"]:
            audience = item["wave_label"] or "whole project"
            shown = item["link"] if item["published"] else "not published"
            self.stdout.write(f"  [{item['id']}] {audience}: {shown}")
