"""`koers portfolio-roadmap <workspace> [--json]`: every active project's phases with their
consultants, and who is on more phases at once than the workspace allows."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.serializers.json import DjangoJSONEncoder
from django_scopes import scope

from koers.roadmap.queries import portfolio
from koers.roadmap.records import portfolio_record
from koers.workspaces.models import Workspace


class Command(BaseCommand):
    help = (
        "Print the roadmap of all of a workspace's projects that are not closed: each phase "
        "with its consultants, and each consultant spread too thin in a month. Exits 1 when "
        "someone is."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("workspace", help="The workspace's short name.")
        parser.add_argument("--json", action="store_true", help="Print one JSON document.")

    def handle(self, *args: Any, **options: Any) -> None:
        workspace = Workspace.objects.filter(slug=options["workspace"]).first()
        if workspace is None:
            raise CommandError(f"{options['workspace']!r}: there is no such workspace.")
        with scope(workspace=workspace):
            document = portfolio_record(portfolio(workspace))
        if options["json"]:
            self.stdout.write(
                json.dumps(document, ensure_ascii=False, indent=2, cls=DjangoJSONEncoder)
            )
        else:
            for project in document["projects"]:
                self.stdout.write(f"{project['client']} · {project['name']}")
                for phase in project["phases"]:
                    names = ", ".join(c["name"] for c in phase["consultants"]) or "-"
                    self.stdout.write(
                        f"  {phase['start_month']:%Y-%m} {phase['weeks']:>2} wk "
                        f"{phase['title']}: {names}"
                    )
            limit = document["max_phases_at_once"]
            for t in document["too_thin"]:
                self.stdout.write(
                    f"[too thin] {t['name']}: {len(t['phases'])} phases in {t['month']:%Y-%m} "
                    f"(at most {limit})"
                )
        if document["too_thin"]:
            raise SystemExit(1)
