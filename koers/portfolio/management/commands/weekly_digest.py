"""`koers weekly-digest`: send this week's digest to every member now (a timer runs it on
Monday morning; run again, it sends nobody a second one)."""

import json
from dataclasses import asdict
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from koers.portfolio.digest import digest_send


class Command(BaseCommand):
    help = (
        "Mail every member, in their language, what needs attention in their projects this "
        "week. Once per member and week: running it again sends nothing twice. Members who "
        "switched the digest off, or with nothing that needs attention, get none."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--base-url",
            help="Where Koers is reached, for the links in the mail (default: KOERS_BASE_URL).",
        )
        parser.add_argument("--json", action="store_true", help="Print one JSON document.")

    def handle(self, *args: Any, **options: Any) -> None:
        sent = digest_send(base_url=options["base_url"])
        if options["json"]:
            self.stdout.write(json.dumps(asdict(sent)))
            return
        self.stdout.write(
            f"mailed {sent.mailed}, sent before this week {sent.before}, "
            f"nothing to say {sent.quiet}, switched off {sent.off}"
        )
