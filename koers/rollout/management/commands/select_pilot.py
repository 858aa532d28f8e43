"""`koers select-pilot <workspace>/<project> --size N`: the first ring, then a pilot of the rest."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_scopes import scope

from koers.core.errors import KoersError
from koers.projects.commandline import project_named
from koers.rollout import records, selection


class Command(BaseCommand):
    help = (
        "Find the first ring of a project (IT and the service desk, by department and job "
        "title, after the changes made on the pilot page or through the API), then choose the "
        "pilot from the rest: representative of the rest over the given attributes (the first "
        "gets exact fair shares), preferring people marked well known, constructive or "
        "ambassador. People who have left are in neither. The same seed gives the same pilot."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("project", help="The project as <workspace>/<project>.")
        parser.add_argument("--size", type=int, help="People in the pilot (default: 20 per 800).")
        parser.add_argument(
            "--by",
            default="department,location,job_title",
            help="Attributes, comma-separated; the first gets exact shares (default: %(default)s).",
        )
        parser.add_argument("--seed", type=int, default=0, help="Seed of the selection.")
        parser.add_argument("--json", action="store_true", help="Print one JSON document.")

    def handle(self, *args: Any, **options: Any) -> None:
        project = project_named(options["project"])
        attributes = [a.strip() for a in options["by"].split(",") if a.strip()]
        if options["seed"] < 0:
            raise CommandError("--seed: give a whole number of 0 or more.")
        with scope(workspace=project.workspace):
            try:
                choice = selection.pilot_select(
                    project=project,
                    actor=None,
                    size=options["size"],
                    attributes=attributes,
                    seed=options["seed"],
                )
            except KoersError as error:
                raise CommandError(str(error)) from error
            document: dict[str, Any] = {
                "project": f"{project.workspace.slug}/{project.slug}",
                **records.pilot_record(choice.pilot),
                "department_seats": dict(choice.selection.quotas),
                "first_ring": records.ring_record(project, choice.ring),
                "left_out_as_left": records.leavers_record(project.client),
            }
        measure = choice.selection.measure
        left = document["left_out_as_left"]
        if options["json"]:
            # Compact: with an indent the json module encodes in Python, not in C, and the
            # document of 100,000 people's first ring, leavers and waves is large.
            self.stdout.write(json.dumps(document, ensure_ascii=False))
            return
        self.stdout.write(
            f"First ring (IT and service desk) of {document['project']}: {choice.ring.size} "
            f"people, live before the pilot; {len(left)} people who have left are left out."
        )
        self.stdout.write(
            f"Pilot of {document['size']} out of the other {measure.population} (seed "
            f"{document['seed']})."
        )
        self.stdout.write(
            f"Mean TVD against the rest {measure.mean_tvd:.3f}; a random pick of the same size "
            f"typically reaches {choice.random_median:.3f}."
        )
        for m in measure.attributes:
            self.stdout.write(f"  {m.attribute}: TVD {m.tvd:.3f}")
        for report in choice.selection.marks:
            if report.marked:
                self.stdout.write(
                    f"  marked {report.mark.replace('_', ' ')}: {report.honoured} of "
                    f"{report.marked} in the pilot"
                )
        for person in document["people"]:
            self.stdout.write(f"  {person['key']}  {person['name']} · {person['department']}")
