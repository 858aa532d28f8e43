"""`koers plan-waves <workspace>/<project>`: plan the first ring, the pilot and the waves."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django_scopes import scope

from koers.core.errors import KoersError
from koers.projects.commandline import project_named
from koers.rollout import queries, records, steering


class Command(BaseCommand):
    help = (
        "Plan the waves of a project from its rollout settings: the first ring (IT and service "
        "desk) first, then the pilot, then per department or in rings; people who have left "
        "are in none of them. Within the support capacity, on working days only (no "
        "weekends, public holidays of the client's country or blackout dates)."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("project", help="The project as <workspace>/<project>.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Show the plan without saving the waves."
        )
        parser.add_argument("--json", action="store_true", help="Print one JSON document.")

    def handle(self, *args: Any, **options: Any) -> None:
        project = project_named(options["project"])
        with scope(workspace=project.workspace), translation.override(project.language):
            rollout = queries.rollout_of(project)
            try:
                ring = queries.first_ring(project)
                plan = steering.plan_for(project, rollout, ring=ring)
                if not options["dry_run"]:
                    steering.waves_plan(project=project, actor=None, ring=ring, plan=plan)
            except KoersError as error:
                raise CommandError(str(error)) from error
            first_ring = records.ring_record(project, ring)
            left = records.leavers_record(project.client)
            # Each wave with the name it gets when saved, in the project's language.
            waves = [records.planned_wave_record(w) for w in plan.waves]
        document = {
            "project": f"{project.workspace.slug}/{project.slug}",
            "country": plan.country,
            "capacity_per_day": plan.capacity,
            "template": rollout.template,
            "people": plan.total,
            "start": plan.start.isoformat() if plan.start else None,
            "end": plan.end.isoformat() if plan.end else None,
            "saved": not options["dry_run"],
            "skipped_days": [{"day": d.isoformat(), "why": why} for d, why in plan.closed],
            "first_ring": first_ring,
            "left_out_as_left": left,
            "waves": waves,
        }
        if options["json"]:
            # Compact: with an indent the json module encodes in Python, not in C, and the
            # document of 100,000 people's first ring, leavers and waves is large.
            self.stdout.write(json.dumps(document, ensure_ascii=False))
            return
        self.stdout.write(
            f"{document['project']}: {plan.total} people in {len(plan.waves)} waves, "
            f"{document['start']} to {document['end']} ({plan.capacity} per working day)."
        )
        for w in waves:
            self.stdout.write(
                f"  {w['number']:>2}  {w['iso_weeks']:<18} {w['start']} to {w['end']}  "
                f"{w['people']:>6}  {w['label']}"
            )
        for day, why in plan.closed:
            self.stdout.write(f"  skipped {day}: {why}")
        self.stdout.write(
            f"First ring (IT and service desk): {first_ring['size']} people; "
            f"left out as having left: {len(left)}."
        )
