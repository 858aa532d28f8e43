"""`koers portfolio WORKSPACE [--client C] [--manager ID] [--status S] [--json]`: the
workspace's projects, what needs attention first, with the reason."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django_scopes import scope

from koers.core.errors import KoersError
from koers.portfolio import queries, records
from koers.workspaces.models import Workspace


class Command(BaseCommand):
    help = (
        "Print the workspace's portfolio as its home page shows it to the team: every active "
        "project, what needs attention first, with the reason in words."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("workspace", help="The workspace's short name.")
        parser.add_argument("--client", help="Only this client's projects (its short name).")
        parser.add_argument("--manager", help="Only the projects of this manager (user id).")
        parser.add_argument("--status", help="Only projects with this status (intake ... closed).")
        parser.add_argument("--json", action="store_true", help="Print one JSON document.")

    def handle(self, *args: Any, **options: Any) -> None:
        workspace = Workspace.objects.filter(slug=options["workspace"]).first()
        if workspace is None:
            raise CommandError(f"There is no workspace {options['workspace']!r}.")
        today = timezone.localdate()
        with scope(workspace=workspace):
            try:
                filters = queries.filters_from(workspace, options)
            except KoersError as error:
                raise CommandError(f"--{error.field}: {error.message}") from error
            rows = queries.portfolio(
                workspace.projects.all(), workspace=workspace, guest=False, filters=filters
            )
            found = [records.row_record(row, today) for row in rows]
        if options["json"]:
            document = {"workspace": workspace.slug, "count": len(found), "projects": found}
            self.stdout.write(
                json.dumps(document, ensure_ascii=False, indent=2, cls=DjangoJSONEncoder)
            )
            return
        self.stdout.write(f"{workspace.slug}: {len(found)} project(s), what needs attention first")
        for project in found:
            reasons = "; ".join(reason["text"] for reason in project["reasons"]) or "-"
            self.stdout.write(
                f"{project['score']:>4}  {project['client']}/{project['project']}"
                f"  [{project['reported'] or '-'}/{project['measured'] or '-'}]  {reasons}"
            )
