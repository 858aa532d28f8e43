"""`koers check-plan <workspace>/<project> [--json]`: the guardrail findings of one plan."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import translation
from django_scopes import scope

from koers.landscape import queries as landscape
from koers.landscape.records import phase_risks_record
from koers.projects.commandline import project_named
from koers.roadmap.queries import plan_state
from koers.roadmap.records import plan_check_record


def _landscape_warnings(project: Any, phases: list[Any]) -> list[dict[str, Any]]:
    """What the phases do to the client's landscape: warnings only, never blocking."""
    found = landscape.landscape(project.client)
    return [
        {"phase": risks["phase"], **warning}
        for risks in (phase_risks_record(found, r) for r in landscape.phase_risks(phases, found))
        for warning in risks["warnings"]
    ]


class Command(BaseCommand):
    help = (
        "Print the guardrail findings of a project's plan. Exits 1 when an error was not "
        "accepted as a deviation, so plans can be checked in bulk."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("project", help="The project as <workspace>/<project>.")
        parser.add_argument("--json", action="store_true", help="Print one JSON document.")

    def handle(self, *args: Any, **options: Any) -> None:
        project = project_named(options["project"])
        with scope(workspace=project.workspace), translation.override(project.language):
            state = plan_state(project)
            document = {
                "project": f"{project.workspace.slug}/{project.slug}",
                "phases": len(state.phases),
                "revision": state.latest.number if state.latest else None,
                **plan_check_record(state),
                "landscape": _landscape_warnings(project, state.phases),
            }
        summary = state.summary
        if options["json"]:
            self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))
        else:
            self._print(project, document["findings"], summary, document["late_phases"])
            for warning in document["landscape"]:
                self.stdout.write(f"  [landscape] {warning['phase']}: {warning['message']}")
        if summary.has_blocking:
            raise SystemExit(1)

    def _print(
        self, project: Any, findings: list[dict[str, Any]], summary: Any, late: list[str]
    ) -> None:
        self.stdout.write(f"{project.workspace.slug}/{project.slug}: {project.name}")
        for title in late:
            self.stdout.write(f"  [late] {title}: past its end and not done")
        for f in findings:
            mark = "accepted" if f["accepted"] else f["severity"]
            where = f["phase"] or "plan"
            self.stdout.write(f"  [{mark}] {where}: {f['title']}. {f['message']}")
            if f["accepted"]:
                self.stdout.write(f"      justification: {f['justification']}")
        self.stdout.write(
            f"{summary.errors} error(s), {summary.warnings} warning(s), "
            f"{summary.accepted} accepted deviation(s)."
        )
