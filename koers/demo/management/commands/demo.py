"""`koers demo [--reset] [--no-serve] [--port N]`: build the demo workspace and serve it."""

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django_scopes import scopes_disabled

from koers.demo.builder import DEMO_PASSWORD, DEMO_USERS, build_demo


class Command(BaseCommand):
    help = "Make (or with --reset remake) the demo workspace from the method's cases, and serve it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--reset", action="store_true", help="Remove and remake the demo.")
        parser.add_argument("--no-serve", action="store_true", help="Only build the demo.")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        with scopes_disabled():
            workspace, created = build_demo(reset=options["reset"])
        state = "made" if created else "already there (use --reset to remake it)"
        self.stdout.write(f"Demo workspace '{workspace.slug}' {state}.")
        url = f"http://{options['host']}:{options['port']}/"
        self.stdout.write("")
        self.stdout.write(f"  Koers:    {url}")
        self.stdout.write(f"  Log in:   {DEMO_USERS[0].email}  /  {DEMO_PASSWORD}")
        others = ", ".join(f"{u.email} ({u.role})" for u in DEMO_USERS[1:])
        self.stdout.write(f"  Also:     {others}; same password")
        self.stdout.write("")
        if not options["no_serve"]:
            call_command("serve", host=options["host"], port=options["port"])
