"""`koers import-plan <workspace>/<project> FILE [--json] [--dry-run]`: add a plan from
MS Project XML, GanttProject, a Jira CSV export or a plain CSV to a project's plan."""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django_scopes import scope

from koers.core.errors import KoersError
from koers.projects.commandline import project_named
from koers.roadmap import services
from koers.roadmap.queries import draft_findings
from koers.roadmap.records import draft_record


class Command(BaseCommand):
    help = (
        "Read a plan file (MS Project XML, GanttProject .gan, Jira CSV export or a plain CSV) "
        "and add its phases, milestones and scope items to a project's plan, printing the "
        "guardrail findings of the draft. With --dry-run nothing is written. A file that "
        "cannot be read writes nothing and says why and where."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("project", help="The project as <workspace>/<project>.")
        parser.add_argument("file", help="The plan file.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Show the draft and its findings, write nothing."
        )
        parser.add_argument("--json", action="store_true", help="Print one JSON document.")

    def handle(self, *args: Any, **options: Any) -> None:
        project = project_named(options["project"])
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file.")
        if path.stat().st_size > services.PLAN_FILE_LIMIT:
            raise CommandError(
                f"{path}: the file is larger than {services.PLAN_FILE_LIMIT // 2**20} MB; "
                "Koers does not read plan files that large."
            )
        with scope(workspace=project.workspace), translation.override(project.language):
            try:
                draft = services.plan_file_read(path.read_bytes(), path.name)
                document = {
                    "project": f"{project.workspace.slug}/{project.slug}",
                    "file": str(path),
                    "dry_run": options["dry_run"],
                    **draft_record(draft, draft_findings(project, draft)),
                    "added": None,
                }
                if not options["dry_run"]:
                    document["added"] = services.plan_import(
                        project=project, actor=None, draft=draft
                    )
            except KoersError as error:
                raise CommandError(f"{path}: {error.message}") from error
        if options["json"]:
            self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))
            return
        self._print(document)

    def _print(self, document: dict[str, Any]) -> None:
        out = self.stdout.write
        out(f"{document['file']} ({document['source']}) -> {document['project']}")
        for note in document["notes"]:
            out(f"  note: {note}")
        titles = {phase["ref"]: phase["title"] for phase in document["phases"]}
        for phase in document["phases"]:
            out(
                f"  phase {phase['title']}: {phase['start_month'][:7]}, {phase['weeks']} weeks, "
                f"EUR {phase['budget']}"
                + (f", builds on {titles[phase['builds_on']]}" if phase["builds_on"] else "")
            )
            for note in phase["notes"]:
                out(f"      {note}")
        for milestone in document["milestones"]:
            out(f"  milestone {milestone['title']}: {milestone['on']}")
        for item in document["scope_items"]:
            out(f"  scope ({item['column']}) {item['title']}")
        for f in document["findings"]:
            out(f"  [{f['severity']}] {f['phase'] or 'plan'}: {f['title']}. {f['message']}")
        added = document["added"]
        if added is None:
            out("Dry run: nothing was written.")
        else:
            out(
                f"Added {added['phases']} phase(s), {added['milestones']} milestone(s), "
                f"{added['scope_items']} scope item(s)."
            )
