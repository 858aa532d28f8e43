"""`koers product --project <workspace>/<project> [--json]`: a project run as a product."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import translation
from django_scopes import scope

from koers.products import queries, records
from koers.projects.commandline import project_named


class Command(BaseCommand):
    help = (
        "Print a project run as a product: its product owner and what they may decide, its "
        "team, where it starts small, its outcomes, and its contracts with their warnings."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--project", required=True, help="The project as <workspace>/<project>."
        )
        parser.add_argument("--json", action="store_true", help="Print one JSON document.")

    def handle(self, *args: Any, **options: Any) -> None:
        project = project_named(options["project"])
        with scope(workspace=project.workspace), translation.override(project.language):
            document = {
                "project": f"{project.workspace.slug}/{project.slug}",
                **records.product_record(queries.product_of(project)),
            }
        if options["json"]:
            self.stdout.write(
                json.dumps(document, ensure_ascii=False, indent=2, cls=DjangoJSONEncoder)
            )
            return
        if not document["is_product"]:
            self.stdout.write(f"{document['project']}: not run as a product.")
            return
        owner = document["owner"]["name"] if document["owner"] else "-"
        alone = "decides alone" if document["owner_decides_alone"] else "does not decide alone"
        self.stdout.write(f"{document['project']}: product owner {owner} ({alone})")
        if document["owner_mandate"]:
            self.stdout.write(f"  May decide: {document['owner_mandate']}")
        self.stdout.write(f"  Starts small in: {document['starts_in'] or '-'}")
        for member in document["team"]:
            self.stdout.write(f"  [team] {member['name']}: {member['role']}")
        for outcome in document["outcomes"]:
            horizon = (
                f" (vision {outcome['vision_horizon']} months)" if outcome["vision_horizon"] else ""
            )
            self.stdout.write(f"  [outcome] {outcome['text']}{horizon}")
        for contract in document["contracts"]:
            start, end = contract["starts_on"], contract["ends_on"]
            self.stdout.write(f"  [contract] {contract['party']}: {start} to {end}")
            for warning in contract["warnings"]:
                self.stdout.write(f"      warning: {warning['message']}")
