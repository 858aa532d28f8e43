"""`koers client-vision <workspace>/<client>`: the client's vision and the projects under it."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django_scopes import scope

from koers.projects.models import ClientVision
from koers.workspaces.commandline import client_named

TEXTS = ("summary", "automated_processes", "connected_systems", "biggest_gains")


class Command(BaseCommand):
    help = (
        "Print a client's vision for its whole digital future, at 24 and 48 months, and "
        "which part of it each of its projects serves."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("client", help="The client as <workspace>/<client>.")
        parser.add_argument("--json", action="store_true", help="Print one JSON document.")

    def handle(self, *args: Any, **options: Any) -> None:
        client = client_named(options["client"])
        with scope(workspace=client.workspace):
            written = {v.horizon: v for v in client.visions.all()}
            document: dict[str, Any] = {
                "client": f"{client.workspace.slug}/{client.slug}",
                "vision": {
                    f"months_{horizon}": {
                        name: getattr(written.get(horizon), name, "") for name in TEXTS
                    }
                    for horizon in ClientVision.Horizon
                },
                "projects": [
                    {"project": p.slug, "name": p.name, "serves_vision": p.serves_vision}
                    for p in client.projects.order_by("name")
                ],
            }
        if options["json"]:
            self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))
            return
        self.stdout.write(document["client"])
        for horizon, texts in document["vision"].items():
            months = horizon.removeprefix("months_")
            self.stdout.write(f"In {months} months: {texts['summary'] or '(not written)'}")
        for project in document["projects"]:
            serves = project["serves_vision"] or "(does not say which part it serves)"
            self.stdout.write(f"  {project['project']}: {serves}")
