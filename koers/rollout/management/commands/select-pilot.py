"""`koers select-pilot <workspace>/<project> --size N`: choose a representative pilot group."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_scopes import scope

from koers.core.commandline import project_named
from koers.core.errors import KoersError
from koers.rollout import services


class Command(BaseCommand):
    help = (
        "Choose the pilot group of a project: representative of the client's people over the "
        "given attributes (department first gets exact fair shares), preferring people marked "
        "well known, constructive or ambassador. The same seed gives the same pilot."
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
        parser.add_argument(
            "--no-it-first",
            action="store_true",
            help="Do not put the IT department and service desk in first.",
        )
        parser.add_argument("--json", action="store_true", help="Print one JSON document.")

    def handle(self, *args: Any, **options: Any) -> None:
        project = project_named(options["project"])
        attributes = [a.strip() for a in options["by"].split(",") if a.strip()]
        if options["seed"] < 0:
            raise CommandError("--seed: give a whole number of 0 or more.")
        with scope(workspace=project.workspace):
            try:
                choice = services.pilot_select(
                    project=project,
                    actor=None,
                    size=options["size"],
                    attributes=attributes,
                    seed=options["seed"],
                    include_first=not options["no_it_first"],
                )
            except KoersError as error:
                raise CommandError(str(error.message)) from error
            people = {
                row.person__key: row
                for row in choice.pilot.members.values_list(
                    "person__key", "person__name", "person__department", named=True
                )
            }
        measure = choice.selection.measure
        first = set(choice.selection.first)
        document: dict[str, Any] = {
            "project": f"{project.workspace.slug}/{project.slug}",
            "size": len(choice.selection.keys),
            "population": measure.population,
            "seed": choice.selection.seed,
            "attributes": list(choice.selection.attributes),
            "mean_tvd": round(measure.mean_tvd, 4),
            "random_median_tvd": round(choice.random_median, 4),
            "department_seats": dict(choice.selection.quotas),
            "per_attribute": [
                {
                    "attribute": m.attribute,
                    "tvd": round(m.tvd, 4),
                    "shares": [
                        {
                            "value": s.value,
                            "population": s.population,
                            "pilot": s.pilot,
                            "population_share": round(s.population_share, 4),
                            "pilot_share": round(s.pilot_share, 4),
                        }
                        for s in m.shares
                    ],
                }
                for m in measure.attributes
            ],
            "people": [
                {
                    "key": key,
                    "name": people[key].person__name,
                    "department": people[key].person__department,
                    "it_or_service_desk": key in first,
                }
                for key in choice.selection.keys
            ],
        }
        if options["json"]:
            self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))
            return
        self.stdout.write(
            f"Pilot of {document['size']} out of {measure.population} for {document['project']} "
            f"(seed {document['seed']})."
        )
        self.stdout.write(
            f"Mean TVD {measure.mean_tvd:.3f}; a random pick of the same size typically "
            f"reaches {choice.random_median:.3f}."
        )
        for m in measure.attributes:
            self.stdout.write(f"  {m.attribute}: TVD {m.tvd:.3f}")
        for person in document["people"]:
            mark = " (IT/service desk)" if person["it_or_service_desk"] else ""
            self.stdout.write(f"  {person['key']}  {person['name']} · {person['department']}{mark}")
