"""`koers export-plan <workspace>/<project> [--output FILE]`: the plan as MS Project XML."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django_scopes import scope

from koers.projects.commandline import project_named
from koers.roadmap.queries import plan_as_mspdi


class Command(BaseCommand):
    help = "Write a project's plan as MS Project XML (MSPDI), to a file or to standard output."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("project", help="The project as <workspace>/<project>.")
        parser.add_argument("--output", help="The file to write (standard output by default).")

    def handle(self, *args: Any, **options: Any) -> None:
        project = project_named(options["project"])
        with scope(workspace=project.workspace):
            data = plan_as_mspdi(project)
        if options["output"]:
            Path(options["output"]).write_bytes(data)
        else:
            self.stdout.write(data.decode())
