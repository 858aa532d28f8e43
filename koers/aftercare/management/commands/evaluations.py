"""`koers evaluations --project <workspace>/<project>`: the client's evaluations of a project;
`--client <workspace>/<client>`: a client's answered evaluations over time."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django_scopes import scope

from koers.aftercare import queries, records, services
from koers.projects.commandline import project_named
from koers.workspaces.commandline import client_named, editor_named


class Command(BaseCommand):
    help = (
        "Print the evaluation links of a project and the client's answers, the newest first, "
        "or (--client) a client's answered evaluations over all its projects with their "
        "trend. --send makes a new link for the client (shown once), --revoke <id> closes "
        "one; both for a member (--by)."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        where = parser.add_mutually_exclusive_group(required=True)
        where.add_argument("--project", help="The project as <workspace>/<project>.")
        where.add_argument("--client", help="The client as <workspace>/<client>.")
        parser.add_argument("--send", action="store_true", help="Make a new evaluation link.")
        parser.add_argument("--revoke", type=int, help="The id of an evaluation link to close.")
        parser.add_argument("--by", help="E-mail address of the member who sends or revokes.")
        parser.add_argument("--json", action="store_true", help="Print one JSON document.")

    def handle(self, *args: Any, **options: Any) -> None:
        document = self._client(options) if options["client"] else self._project(options)
        if options["json"]:
            self.stdout.write(
                json.dumps(document, ensure_ascii=False, indent=2, cls=DjangoJSONEncoder)
            )
            return
        if "link" in document:
            self.stdout.write(
                f"New link (shown once; put your Koers address before it): {document['link']}"
            )
        if "trend" in document:
            trend = document["trend"]
            self.stdout.write(
                f"{document['client']}: {trend['count']} evaluation(s), mean {trend['mean']}, "
                f"trend {trend['direction']}"
            )
        for row in document["evaluations"]:
            score = f"{row['score']}/10" if row["score"] is not None else row["state"]
            self.stdout.write(f"  #{row['id']} {row['project']} {row['sent_at']:%Y-%m-%d} {score}")

    def _project(self, options: dict[str, Any]) -> dict[str, Any]:
        if options["send"] and options["revoke"]:
            raise CommandError("Give --send or --revoke, not both.")
        project = project_named(options["project"])
        document: dict[str, Any] = {"project": f"{project.workspace.slug}/{project.slug}"}
        with scope(workspace=project.workspace):
            if options["send"]:
                actor = editor_named(project.workspace, options["by"], "--send")
                _made, token = services.evaluation_send(project=project, actor=actor)
                document["link"] = reverse("evaluation_answer", kwargs={"token": token})
            if options["revoke"] is not None:
                editor_named(project.workspace, options["by"], "--revoke")
                found = project.evaluations.filter(pk=options["revoke"]).first()
                if found is None:
                    raise CommandError(f"--revoke {options['revoke']}: no such evaluation link.")
                services.evaluation_revoke(evaluation=found)
            rows = queries.evaluation_rows(project)
            document["evaluations"] = [records.evaluation_record(e) for e in rows]
        return document

    def _client(self, options: dict[str, Any]) -> dict[str, Any]:
        if options["send"] or options["revoke"]:
            raise CommandError("--send and --revoke take a --project.")
        client = client_named(options["client"])
        with scope(workspace=client.workspace):
            rows = queries.client_evaluation_rows(client).select_related("project")
            return {
                "client": f"{client.workspace.slug}/{client.slug}",
                "trend": records.trend_record(queries.client_trend(client)),
                "evaluations": [
                    records.evaluation_record(e) for e in rows.order_by("-answered_at", "-id")
                ],
            }
