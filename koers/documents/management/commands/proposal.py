"""`koers proposal <workspace>/<project> -o FILE.pdf`: the one-A4 proposal as a file."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_scopes import scope

from koers.documents.proposal import render_proposal
from koers.projects.commandline import project_named


class Command(BaseCommand):
    help = "Write a project's proposal on one A4 page (PDF, in the project's language)."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("project", help="The project as <workspace>/<project>.")
        parser.add_argument("-o", "--output", required=True, help="The PDF file to write.")

    def handle(self, *args: Any, **options: Any) -> None:
        project = project_named(options["project"])
        target = Path(options["output"])
        if not target.parent.is_dir():
            raise CommandError(f"{target}: the folder {target.parent} does not exist.")
        with scope(workspace=project.workspace):
            pdf = render_proposal(project)
        try:
            target.write_bytes(pdf)
        except OSError as error:
            raise CommandError(f"{target}: {error.strerror}") from error
        self.stdout.write(f"{target}: proposal for {project.name}, {len(pdf):,} bytes.")
