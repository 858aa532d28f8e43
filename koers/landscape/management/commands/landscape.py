"""`koers landscape <workspace>/<client> [--json] [--import FILE] [--export FILE]`: the
landscape audit of a client (digital islands, duplicated capabilities, manual integrations,
where modernising pays most), and the system list in and out as a workbook."""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django_scopes import scope

from koers.landscape import queries, records, spreadsheet
from koers.population.reading import ReadError, RowErrors
from koers.workspaces.commandline import client_named


class Command(BaseCommand):
    help = (
        "Print the landscape audit of a client: digital islands, capabilities served by more "
        "than one system, manual integrations and where modernising pays most. --import adds "
        "or updates systems from an XLSX file first (nothing is written when a row is wrong); "
        "--export writes the system list to an XLSX file."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("client", help="The client as <workspace>/<client>.")
        parser.add_argument("--import", dest="import_file", help="An XLSX system list to import.")
        parser.add_argument("--export", dest="export_file", help="Write the systems to this XLSX.")
        parser.add_argument("--json", action="store_true", help="Print one JSON document.")

    def handle(self, *args: Any, **options: Any) -> None:
        client = client_named(options["client"])
        with scope(workspace=client.workspace):
            if options["import_file"]:
                self._import(client, Path(options["import_file"]))
            if options["export_file"]:
                Path(options["export_file"]).write_bytes(spreadsheet.export(client))
            document = {
                "client": f"{client.workspace.slug}/{client.slug}",
                **records.audit_record(queries.landscape(client)),
            }
        if options["json"]:
            self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))
            return
        self._print(document)

    def _import(self, client: Any, path: Path) -> None:
        if not path.is_file():
            raise CommandError(f"{path}: no such file.")
        try:
            outcome = spreadsheet.import_systems(
                client=client, data=path.read_bytes(), file_name=path.name
            )
        except ReadError as error:
            raise CommandError(f"{path}: {error.message}") from error
        except RowErrors as errors:
            for e in errors.errors:
                self.stderr.write(f"  row {e.row}, {e.column} {e.value!r}: {e.message}")
            raise CommandError(
                f"{path}: {errors.total} problem(s); nothing was imported."
            ) from errors
        self.stderr.write(f"{outcome.added} added, {outcome.updated} updated.")

    def _print(self, document: dict[str, Any]) -> None:
        self.stdout.write(
            f"{document['client']}: "
            + _("%(systems)s systems, %(integrations)s integrations")
            % {"systems": document["systems"], "integrations": document["integrations"]}
        )
        island, duplicated = _("island"), _("duplicated")
        for n, group in enumerate(document["islands"], 1):
            names = ", ".join(s["name"] for s in group["systems"])
            self.stdout.write(f"  [{island} {n}] {names}")
        for duplicate in document["duplicates"]:
            names = ", ".join(s["name"] for s in duplicate["systems"])
            self.stdout.write(f"  [{duplicated}] {duplicate['capability']}: {names}")
        if document["manual"]:
            self.stdout.write(
                "  " + _("%(n)s manual integration(s)") % {"n": len(document["manual"])}
            )
        self.stdout.write(_("Where modernising pays most") + ":")
        for row in document["ranking"][:10]:
            self.stdout.write(f"  {row['score']:>4}  {row['name']} ({row['explained']})")
