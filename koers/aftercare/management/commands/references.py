"""`koers references --project <workspace>/<project>`: the project's reference case, and
the cases the project would cite (as its client may see them)."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.serializers.json import DjangoJSONEncoder
from django_scopes import scope

from koers.aftercare import queries, records, services
from koers.aftercare.models import ReferenceCase
from koers.core.errors import KoersError
from koers.projects.commandline import project_named
from koers.workspaces.commandline import editor_named

FLAGS = ("show_client", "show_figures", "show_rollout", "show_score")


class Command(BaseCommand):
    help = (
        "Print a project's reference case and the reference cases its big bang page and "
        "proposal cite, showing only what their clients allow. With --summary (and the "
        "other options), a member (--by) makes a project that is closed or delivered a "
        "phase a reference case, or changes it."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--project", required=True, help="The project as <workspace>/<project>."
        )
        parser.add_argument("--summary", help="What the change was and what it brought.")
        parser.add_argument("--rollout-story", default="", help="How the rollout went.")
        parser.add_argument("--tags", default="", help="Comma separated.")
        for flag in FLAGS:
            parser.add_argument(
                f"--{flag.replace('_', '-')}",
                action="store_true",
                help=f"Other clients may see this ({flag.removeprefix('show_')}).",
            )
        parser.add_argument("--by", help="E-mail address of the member who saves it.")
        parser.add_argument("--json", action="store_true", help="Print one JSON document.")

    def handle(self, *args: Any, **options: Any) -> None:
        project = project_named(options["project"])
        with scope(workspace=project.workspace):
            if options["summary"] is not None:
                editor_named(project.workspace, options["by"], "--summary")
                try:
                    services.reference_save(
                        project=project,
                        summary=options["summary"],
                        rollout_story=options["rollout_story"],
                        tags=options["tags"],
                        **{flag: options[flag] for flag in FLAGS},
                    )
                except KoersError as error:
                    raise CommandError(str(error)) from error
            case = ReferenceCase.objects.filter(project=project).first()
            document: dict[str, Any] = {
                "project": f"{project.workspace.slug}/{project.slug}",
                "reference_case": records.reference_record(case) if case else None,
                "cites": [records.citation_record(c) for c in queries.citations(project)],
            }
        if options["json"]:
            self.stdout.write(
                json.dumps(document, ensure_ascii=False, indent=2, cls=DjangoJSONEncoder)
            )
            return
        own = document["reference_case"]
        self.stdout.write(
            f"{document['project']}: "
            + (f"reference case: {own['summary']}" if own else "not a reference case")
        )
        self.stdout.write("Cites:")
        for cited in document["cites"]:
            who = f"{cited['client']} · {cited['project']}" if cited["client"] else "(anonymised)"
            self.stdout.write(f"  #{cited['id']} {who}: {cited['summary'][:80]}")
