"""Shared by the rollout commands: names, progress bars and errors outside a request."""

import sys
from collections.abc import Callable
from typing import TextIO

from django.core.management.base import CommandError
from django_scopes import scopes_disabled

from koers.workspaces.models import Client, Workspace


def client_named(name: str) -> Client:
    """Return the client named `<workspace>/<client>`, or raise CommandError."""
    workspace_slug, _sep, client_slug = name.partition("/")
    if not workspace_slug or not client_slug:
        raise CommandError(f"{name!r}: name a client as <workspace>/<client>, e.g. demo/waalborg.")
    workspace = Workspace.objects.filter(slug=workspace_slug).first()
    if workspace is None:
        raise CommandError(f"{name!r}: there is no workspace {workspace_slug!r}.")
    with scopes_disabled():
        client = (
            Client.objects.select_related("workspace")
            .filter(workspace=workspace, slug=client_slug)
            .first()
        )
    if client is None:
        raise CommandError(f"{name!r}: workspace {workspace_slug!r} has no client {client_slug!r}.")
    return client


def progress_bar(stream: TextIO, label: str, *, enabled: bool) -> Callable[[int, int], None] | None:
    """Return a progress callback drawing a bar on a terminal, or None when not shown."""
    if not enabled or not stream.isatty():
        return None

    def show(done: int, total: int) -> None:
        width = 30
        filled = int(width * done / total) if total else width
        percent = int(100 * done / total) if total else 100
        stream.write(f"\r{label} [{'#' * filled}{'.' * (width - filled)}] {percent:3d}%")
        if done >= total:
            stream.write("\n")
        stream.flush()

    return show


def stderr_is_tty() -> bool:
    return sys.stderr.isatty()
