"""`koers restore FILE [--force]`: load a backup into an empty (or emptied) database."""

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from koers.core.backup import BackupError, restore_backup
from koers.core.commandline import progress_bar


class Command(BaseCommand):
    help = (
        "Restore a backup made by `koers backup` into this database (SQLite or PostgreSQL). "
        "A database without tables is migrated first; one that holds rows is refused unless "
        "--force is given. Everything is loaded in one transaction: on any error nothing changes."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The backup file.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Delete everything in a database that is not empty, then restore.",
        )
        parser.add_argument(
            "--new-secret-key",
            action="store_true",
            help="Restore a backup made under another secret key; pulse answer links handed "
            "out before stop working.",
        )
        parser.add_argument("--json", action="store_true", help="Print one JSON document.")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        bar = progress_bar(sys.stderr, _("restoring"), enabled=not options["json"])
        try:
            summary = restore_backup(
                path,
                force=options["force"],
                new_secret_key=options["new_secret_key"],
                progress=bar,
            )
        except BackupError as error:
            raise CommandError(error.message) from error
        if options["json"]:
            self.stdout.write(json.dumps(summary.as_dict(), ensure_ascii=False, indent=2))
            return
        self.stdout.write(
            _("%(rows)s rows of %(tables)s tables restored from %(file)s in %(seconds)s s.")
            % {
                "rows": summary.rows,
                "tables": len(summary.tables),
                "file": path,
                "seconds": f"{summary.seconds:.1f}",
            }
        )
