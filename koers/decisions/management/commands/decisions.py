"""`koers decisions --project <workspace>/<project>`: the project's decision log."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import translation
from django_scopes import scope

from koers.decisions import queries, records
from koers.projects.commandline import project_named


class Command(BaseCommand):
    help = (
        "Print a project's decision log, the newest first: its own decisions, the go/no-go "
        "decisions of its gates and the guardrail deviations it accepted, as the log page "
        "shows them. With --needed, only the decisions still to be made."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--project", required=True, help="The project as <workspace>/<project>."
        )
        parser.add_argument(
            "--needed", action="store_true", help="Only the decisions still to be made."
        )
        parser.add_argument("--json", action="store_true", help="Print one JSON document.")

    def handle(self, *args: Any, **options: Any) -> None:
        project = project_named(options["project"])
        name = f"{project.workspace.slug}/{project.slug}"
        with scope(workspace=project.workspace), translation.override(project.language):
            needed = [
                records.decision_record(d) for d in queries.with_deciders(queries.needed(project))
            ]
            document: dict[str, Any] = {"project": name, "needed": needed}
            if not options["needed"]:
                document["log"] = [records.entry_record(e) for e in queries.whole_log(project)]
            if options["json"]:
                self.stdout.write(
                    json.dumps(document, ensure_ascii=False, indent=2, cls=DjangoJSONEncoder)
                )
                return
            self._print(document)

    def _print(self, document: dict[str, Any]) -> None:
        self.stdout.write(f"{document['project']}: {len(document['needed'])} decision(s) needed")
        for decision in document["needed"]:
            due = f" (by {decision['due_on']})" if decision["due_on"] else ""
            self.stdout.write(f"  ? {decision['title']}{due}")
        for entry in document.get("log", []):
            day = f"{entry['at']:%Y-%m-%d}"
            if entry["source"] == "log":
                told = " [not yet communicated]" if entry["communicated"] is False else ""
                self.stdout.write(f"{day} [{entry['status']}] {entry['title']}{told}")
            elif entry["source"] == "gate":
                self.stdout.write(f"{day} [gate] {entry['decision']} after {entry['wave_label']}")
            else:
                self.stdout.write(f"{day} [guardrail] deviation accepted: {entry['title']}")
