"""`koers create-workspace SLUG --name NAME --owner EMAIL`: provision a workspace from a script."""

import getpass
import os
from typing import Any

from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from koers.core.errors import KoersError
from koers.workspaces.models import RESERVED_SLUGS, Workspace, slug_validator
from koers.workspaces.services import workspace_create


class Command(BaseCommand):
    help = (
        "Make a workspace with its owner. A new owner's password comes from KOERS_PASSWORD "
        "or a prompt; an existing user keeps theirs."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="Short name of the workspace, e.g. van-dijk-it.")
        parser.add_argument("--name", required=True, help="Name of the workspace.")
        parser.add_argument("--owner", required=True, help="E-mail address of the owner.")
        parser.add_argument("--owner-name", default="", help="Name of a new owner.")

    def handle(self, *args: Any, **options: Any) -> None:
        slug, email = options["slug"].lower(), options["owner"].strip().lower()
        try:
            slug_validator(slug)
        except ValidationError as error:
            raise CommandError(f"slug {slug!r}: {error.messages[0]}") from error
        if slug in RESERVED_SLUGS or Workspace.objects.filter(slug=slug).exists():
            raise CommandError(f"slug {slug!r}: a workspace with this short name already exists.")
        User = get_user_model()
        user = User.objects.filter(email__iexact=email).first()
        with transaction.atomic():
            if user is None:
                password = self._password(email)
                user = User.objects.create_user(
                    email, password, name=options["owner_name"] or email.split("@")[0]
                )
            try:
                workspace = workspace_create(slug=slug, name=options["name"], owner=user)
            except KoersError as error:
                raise CommandError(str(error)) from error
        self.stdout.write(f"Workspace {workspace.slug} made; owner {user.email}.")

    def _password(self, email: str) -> str:
        password = os.environ.get("KOERS_PASSWORD")
        if password is None:
            if not self.stdin_is_tty():
                raise CommandError("Set KOERS_PASSWORD for the new owner (no terminal to ask).")
            password = getpass.getpass(f"Password for {email}: ")
        User = get_user_model()
        try:
            password_validation.validate_password(password, User(email=email))
        except ValidationError as error:
            raise CommandError("password: " + " ".join(error.messages)) from error
        return password

    @staticmethod
    def stdin_is_tty() -> bool:
        import sys

        return sys.stdin.isatty()
