"""`koers gate <workspace>/<project> <wave>`: the verdict of a wave's go/no-go gate."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import translation
from django_scopes import scope

from koers.core.errors import KoersError
from koers.projects.commandline import project_named
from koers.rollout import describe, gates, queries, records, steering
from koers.rollout.models import GateDecision, Wave
from koers.workspaces.models import Membership
from koers.workspaces.tenancy import may_edit


class Command(BaseCommand):
    help = (
        "Print the verdict of a wave's go/no-go gate: every criterion met, not met or not "
        "measured, as the wave board, the wave page, the API and the status report show it. "
        "With --decide, record a go or no go for a member of the workspace (--by); a go over "
        "criteria that were not met needs --justification."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("project", help="The project as <workspace>/<project>.")
        parser.add_argument("wave", type=int, help="The wave's number, as on the wave board.")
        parser.add_argument("--decide", choices=GateDecision.Decision.values)
        parser.add_argument("--by", help="E-mail address of the member who decides.")
        parser.add_argument("--notes", default="", help="Why (required for a no go).")
        parser.add_argument(
            "--justification",
            default="",
            help="Why a go passes over criteria that were not met (required for such a go).",
        )
        parser.add_argument("--json", action="store_true", help="Print one JSON document.")

    def handle(self, *args: Any, **options: Any) -> None:
        project = project_named(options["project"])
        name = f"{project.workspace.slug}/{project.slug}"
        with scope(workspace=project.workspace), translation.override(project.language):
            wave = Wave.objects.filter(project=project, number=options["wave"]).first()
            if wave is None:
                raise CommandError(f"{name}: there is no wave {options['wave']}.")
            if options["decide"]:
                self._decide(wave, options)
            state = queries.gate_state(wave)
            if state is None:
                raise CommandError(f"{name}: wave {wave.number} has no go/no-go gate.")
            verdict = state.verdict
            document = {
                "project": name,
                "wave": wave.number,
                "label": wave.label,
                "status": wave.status,
                "actions": sorted(a.value for a in gates.allowed(wave.status)),
                **records.gate_record(state),
            }
            if options["json"]:
                self.stdout.write(
                    json.dumps(document, ensure_ascii=False, indent=2, cls=DjangoJSONEncoder)
                )
                return
            self.stdout.write(
                f"{name} wave {wave.number} ({wave.label}, {wave.get_status_display()}): "
                f"{describe.outcome_label(verdict.outcome)}"
            )
            for criterion in verdict.criteria:
                label = describe.outcome_label(criterion.outcome)
                self.stdout.write(f"  [{label}] {describe.criterion_text(criterion)}")
            for decision in state.decisions:
                who = decision.decided_by.email if decision.decided_by else "-"
                line = f"  {decision.get_decision_display()} {decision.decided_at:%Y-%m-%d %H:%M}"
                self.stdout.write(f"{line} {who}: {decision.notes}".rstrip(": "))
                if decision.justification:
                    self.stdout.write(f"    {decision.justification}")

    def _decide(self, wave: Wave, options: dict[str, Any]) -> None:
        if not options["by"]:
            raise CommandError("--decide needs --by: the e-mail address of who decides.")
        membership = (
            Membership.objects.filter(
                workspace=wave.project.workspace, user__email__iexact=options["by"]
            )
            .select_related("user")
            .first()
        )
        if not may_edit(membership):
            raise CommandError(
                f"--by {options['by']}: not a member of workspace "
                f"{wave.project.workspace.slug!r} who may decide."
            )
        gate = queries.gate_state(wave)
        if gate is None:
            raise CommandError(f"wave {wave.number} has no go/no-go gate.")
        try:
            steering.gate_decide(
                gate=gate.gate,
                actor=membership.user,
                decision=options["decide"],
                notes=options["notes"],
                justification=options["justification"],
            )
        except KoersError as error:
            raise CommandError(str(error)) from error
