"""`koers backup FILE`: write the whole database to one portable, compressed file."""

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from koers.core.backup import BackupError, write_backup
from koers.core.commandline import progress_bar


class Command(BaseCommand):
    help = (
        "Back up the whole database (SQLite or PostgreSQL) to one gzip-compressed file that "
        "`koers restore` loads into either. Sessions and rate-limit counters are left out."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The backup file to write (replaced if it exists).")
        parser.add_argument("--json", action="store_true", help="Print one JSON document.")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        bar = progress_bar(sys.stderr, _("backing up"), enabled=not options["json"])
        try:
            summary = write_backup(path, progress=bar)
        except BackupError as error:
            raise CommandError(error.message) from error
        if options["json"]:
            self.stdout.write(json.dumps(summary.as_dict(), ensure_ascii=False, indent=2))
            return
        self.stdout.write(
            _("%(rows)s rows of %(tables)s tables written to %(file)s (%(size)s) in %(seconds)s s.")
            % {
                "rows": summary.rows,
                "tables": len(summary.tables),
                "file": path,
                "size": human_size(summary.bytes),
                "seconds": f"{summary.seconds:.1f}",
            }
        )


def human_size(size: int) -> str:
    if size >= 2**20:
        return f"{size / 2**20:.1f} MB"
    return f"{size / 2**10:.1f} kB"
