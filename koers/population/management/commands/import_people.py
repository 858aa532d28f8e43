"""`koers import-people <workspace>/<client> FILE`: import a client's people from CSV or XLSX."""

import json
import sys
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_scopes import scope

from koers.core.commandline import progress_bar
from koers.core.errors import KoersError
from koers.population import services
from koers.population.models import MAPPING_FIELDS
from koers.population.records import import_result_record, refusal_record
from koers.workspaces.commandline import client_named


class Command(BaseCommand):
    help = (
        "Import a client's people from a CSV or XLSX export of the HR system or directory. "
        "The whole file is checked first: with any error nothing is written and every error "
        "is listed with row, column and value. Importing the same file again changes nothing."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("client", help="The client as <workspace>/<client>.")
        parser.add_argument("file", help="The CSV or XLSX file.")
        parser.add_argument(
            "--key", help="The column that identifies a person (suggested if left out)."
        )
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="FIELD=COLUMN",
            help=f"Map a column to a field ({', '.join(MAPPING_FIELDS)}); repeat as needed.",
        )
        parser.add_argument(
            "--keep",
            default="",
            metavar="COLUMN,...",
            help="Further columns to keep for the pilot selection, comma-separated. None by "
            "default: every column that is neither mapped nor named here is left out.",
        )
        parser.add_argument(
            "--left-before",
            type=date.fromisoformat,
            metavar="YYYY-MM-DD",
            help="People whose leaving date is before this day are imported as left "
            "(today by default).",
        )
        parser.add_argument(
            "--new-keys",
            action="store_true",
            help="Import even though not one key of the file is a key of the people already "
            "there (without it, such a file is refused before anything is written).",
        )
        parser.add_argument("--sheet", help="The sheet of an XLSX file (the first by default).")
        parser.add_argument(
            "--mark-left",
            action="store_true",
            help="Mark people who are not in the file as left (only if it holds everyone).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and count, write nothing."
        )
        parser.add_argument("--json", action="store_true", help="Print one JSON document.")

    def handle(self, *args: Any, **options: Any) -> None:
        client = client_named(options["client"])
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file.")
        if path.stat().st_size > services.upload_limit():
            size = -(-path.stat().st_size // 2**20)
            raise CommandError(
                f"{path}: the file is {size} MB; Koers accepts files up to "
                f"{services.upload_limit() // 2**20} MB. Raise the limit with the setting "
                f"KOERS_UPLOAD_LIMIT_MB, e.g. KOERS_UPLOAD_LIMIT_MB={size} koers import-people ..."
            )
        overrides: dict[str, str] = {}
        for item in options["map"]:
            field, sep, column = item.partition("=")
            if not sep or not column:
                raise CommandError(f"--map {item!r}: write FIELD=COLUMN, e.g. department=Afdeling.")
            overrides[field.strip()] = column.strip()
        if options["key"]:
            overrides["key"] = options["key"]
        keep = [c.strip() for c in options["keep"].split(",") if c.strip()]
        bar = progress_bar(sys.stderr, "checking", enabled=not options["json"])
        with scope(workspace=client.workspace):
            try:
                found = services.read_people_file(
                    path.read_bytes(),
                    path.name,
                    client=client,
                    overrides=overrides,
                    keep=keep,
                    sheet=options["sheet"],
                    left_before=options["left_before"],
                    progress=bar,
                )
                self._warn(found, path)
                check = found.key_check
                if check is not None and check.is_mismatch and not options["new_keys"]:
                    raise CommandError(
                        f"{path}: {services.key_warning(check)} Nothing was imported; check "
                        "--key, or run again with --new-keys to add them all."
                    )
                rows, chosen, kept = found.rows, found.mapping, found.kept
                writing = progress_bar(sys.stderr, "writing ", enabled=not options["json"])
                result = services.people_import(
                    client=client,
                    actor=None,
                    rows=rows,
                    mark_left=options["mark_left"],
                    dry_run=options["dry_run"],
                    progress=writing,
                )
            except services.ImportRefused as refused:
                self._refused(refused, options["json"])
                raise SystemExit(1) from refused
            except KoersError as error:
                raise CommandError(f"{path}: {error.message}") from error
        document = {
            "client": f"{client.workspace.slug}/{client.slug}",
            "file": str(path),
            "rows": len(rows),
            "mapping": chosen,
            "kept": kept,
            **import_result_record(result),
            "sensitive": [
                {**asdict(f), "kept": f.column in kept, "warning": services.sensitive_warning(f)}
                for f in found.sensitive
            ],
            "merged": [{**asdict(m), "note": services.merge_note(m)} for m in found.merges],
            "key_check": asdict(found.key_check) if found.key_check else None,
        }
        if options["json"]:
            self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))
            return
        verb = "would be" if options["dry_run"] else "were"
        self.stdout.write(
            f"{len(rows)} rows: {result.created} people {verb} added, {result.updated} changed, "
            f"{result.unchanged} unchanged."
        )
        if result.missing and not options["mark_left"]:
            self.stdout.write(
                f"{result.missing} people of {client.slug} are not in the file; "
                "run again with --mark-left to mark them as left."
            )
        elif result.left:
            self.stdout.write(f"{result.left} people {verb} marked as left.")
        if result.leavers:
            self.stdout.write(
                f"{result.leavers} people in the file have left: {verb} stored as left, "
                "never planned in a ring, pilot or wave."
            )
        for merge in found.merges:
            self.stdout.write(f"Merged: {services.merge_note(merge)}")

    def _warn(self, found: "services.PeopleFile", path: Path) -> None:
        """Name the sensitive columns before anything is written: kept ones loudly."""
        for finding in found.sensitive:
            if finding.column in found.kept:
                self.stderr.write(
                    f"Warning: {services.sensitive_warning(finding)} It is kept (--keep)."
                )
            else:
                self.stderr.write(f"Left out: {services.sensitive_warning(finding)}")

    def _refused(self, refused: "services.ImportRefused", as_json: bool) -> None:
        document = {"ok": False, **refusal_record(refused)}
        errors = document["errors"]
        if as_json:
            # The document on stdout says what went wrong; the exit code says that it did.
            self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))
        self.stderr.write(str(refused.message))
        for e in errors:
            where = f"row {e['row']}" + (f", column {e['column']}" if e["column"] else "")
            value = f" {e['value']!r}" if e["value"] else ""
            self.stderr.write(f"  {where}:{value} {e['message']}")
        if document["more"]:
            self.stderr.write(f"  and {document['more']} more")
