"""`koers wins --project <workspace>/<project>`: the small wins Koers proposes and the ones
celebrated or dismissed; `--celebrate KEY --message TEXT` or `--dismiss KEY` handles one."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import translation
from django_scopes import scope

from koers.core.errors import KoersError
from koers.projects.commandline import project_named
from koers.projects.models import Project
from koers.wins import queries, records, services
from koers.wins.services import HOW
from koers.workspaces.models import Membership
from koers.workspaces.tenancy import may_edit


class Command(BaseCommand):
    help = (
        "Print the small wins Koers proposes for a project (a KPI met, a wave live, a decision "
        "made) and the wins celebrated or dismissed. Celebrate or dismiss a proposal by its key; "
        "mail a celebrated win from its page or the API."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--project", required=True, help="The project as <workspace>/<project>."
        )
        parser.add_argument("--celebrate", metavar="KEY", help="Celebrate this proposal.")
        parser.add_argument("--dismiss", metavar="KEY", help="Do not propose this one again.")
        parser.add_argument("--message", default="", help="The message that celebrates it.")
        parser.add_argument("--how", choices=sorted(HOW), default="mail", help="How it is told.")
        parser.add_argument("--by", help="The e-mail address of the member who handles it.")
        parser.add_argument("--json", action="store_true", help="Print one JSON document.")

    def handle(self, *args: Any, **options: Any) -> None:
        project = project_named(options["project"])
        name = f"{project.workspace.slug}/{project.slug}"
        with scope(workspace=project.workspace), translation.override(project.language):
            if options["celebrate"] or options["dismiss"]:
                self._handle_one(project, options)
            document: dict[str, Any] = {
                "project": name,
                "proposals": [records.proposal_record(f) for f in queries.proposals(project)],
                "wins": [records.win_record(w) for w in queries.wins_of(project)],
            }
            if options["json"]:
                self.stdout.write(
                    json.dumps(document, ensure_ascii=False, indent=2, cls=DjangoJSONEncoder)
                )
                return
            self.stdout.write(f"{name}: {len(document['proposals'])} win(s) proposed")
            for fact in document["proposals"]:
                self.stdout.write(f"  ? {fact['on']} {fact['title']}  [{fact['key']}]")
            for win in document["wins"]:
                self.stdout.write(f"{win['on']} [{win['status']}] {win['title']}")

    def _handle_one(self, project: Project, options: dict[str, Any]) -> None:
        membership = (
            Membership.objects.filter(
                workspace=project.workspace, user__email__iexact=options["by"] or ""
            )
            .select_related("user")
            .first()
        )
        if not may_edit(membership):
            raise CommandError(
                "--by: give the e-mail address of a member of the workspace who may change it."
            )
        try:
            if options["celebrate"]:
                services.win_celebrate(
                    project=project,
                    key=options["celebrate"],
                    actor=membership.user,
                    message=options["message"],
                    how=options["how"],
                )
            else:
                services.win_dismiss(project=project, key=options["dismiss"], actor=membership.user)
        except KoersError as error:
            raise CommandError(str(error)) from error
