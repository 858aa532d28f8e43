"""`koers lessons --project <workspace>/<project>`: a project's lessons learned, the earlier
lessons that fit it and the ones its plan takes along; `--add TITLE` records a lesson and
`--delete ID` removes one, for a member (`--by`)."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.serializers.json import DjangoJSONEncoder
from django_scopes import scope

from koers.aftercare import queries, records, services
from koers.core.errors import KoersError
from koers.projects.commandline import project_named
from koers.projects.models import Project
from koers.workspaces.models import Membership
from koers.workspaces.tenancy import may_edit


class Command(BaseCommand):
    help = (
        "Print a project's lessons learned, the newest first, and the earlier lessons of its "
        "workspace that fit it (same client, a shared tag or shared words), best first. "
        "With --take, the project's plan takes an earlier lesson along; --add records a "
        "lesson and --delete removes one; these three for a member (--by)."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--project", required=True, help="The project as <workspace>/<project>."
        )
        parser.add_argument("--take", type=int, help="The id of an earlier lesson to take along.")
        parser.add_argument("--add", metavar="TITLE", help="Record a lesson: in one sentence.")
        parser.add_argument("--phase", type=int, help="--add: the id of the phase it is of.")
        parser.add_argument("--went-well", default="", help="--add: what went well.")
        parser.add_argument("--could-be-better", default="", help="--add: what could be better.")
        parser.add_argument("--try-next", default="", help="--add: what to try next time.")
        parser.add_argument("--tags", default="", help="--add: comma separated tags.")
        parser.add_argument("--delete", type=int, metavar="ID", help="Remove this lesson.")
        parser.add_argument("--by", help="E-mail address of the member who changes the lessons.")
        parser.add_argument("--json", action="store_true", help="Print one JSON document.")

    def handle(self, *args: Any, **options: Any) -> None:
        project = project_named(options["project"])
        with scope(workspace=project.workspace):
            changes = [options["take"] is not None, bool(options["add"]), options["delete"]]
            if sum(1 for change in changes if change) > 1:
                raise CommandError("Give one of --take, --add and --delete at a time.")
            if any(changes):
                self._change(project, options)
            document: dict[str, Any] = {
                "project": f"{project.workspace.slug}/{project.slug}",
                "lessons": [records.lesson_record(x) for x in queries.lesson_rows(project)],
                "matches": [records.match_record(f) for f in queries.matches(project)],
            }
        if options["json"]:
            self.stdout.write(
                json.dumps(document, ensure_ascii=False, indent=2, cls=DjangoJSONEncoder)
            )
            return
        self.stdout.write(f"{document['project']}: {len(document['lessons'])} lesson(s)")
        for lesson in document["lessons"]:
            tags = f" [{', '.join(lesson['tags'])}]" if lesson["tags"] else ""
            self.stdout.write(f"  - {lesson['title']}{tags}")
        self.stdout.write("Earlier lessons that fit:")
        for found in document["matches"]:
            taken = " (taken along)" if found["taken"] else ""
            self.stdout.write(
                f"  {found['score']:>5} {found['lesson']['title']}"
                f" ({found['client']}, {found['lesson']['project']}){taken}"
            )

    def _change(self, project: Project, options: dict[str, Any]) -> None:
        membership = (
            Membership.objects.filter(
                workspace=project.workspace, user__email__iexact=options["by"] or ""
            )
            .select_related("user")
            .first()
        )
        if not may_edit(membership):
            raise CommandError(
                f"--take, --add and --delete need --by: the e-mail address of a member of "
                f"workspace {project.workspace.slug!r} who may change the plan."
            )
        try:
            if options["add"]:
                services.lesson_create(
                    project=project,
                    actor=membership.user,
                    title=options["add"],
                    phase=services.phase_of(project, options["phase"]),
                    **{f: options[f] for f in ("went_well", "could_be_better", "try_next", "tags")},
                )
            elif options["delete"]:
                found = project.lessons.filter(pk=options["delete"]).first()
                if found is None:
                    raise CommandError(
                        f"--delete: project {project.slug!r} has no lesson {options['delete']}."
                    )
                services.lesson_delete(lesson=found)
            else:
                services.lesson_take(project=project, lesson=options["take"], actor=membership.user)
        except KoersError as error:
            raise CommandError(str(error)) from error
