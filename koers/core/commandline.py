"""Shared by Koers' commands: objects named `<workspace>/<name>` and progress bars."""

from collections.abc import Callable
from typing import TextIO, TypeVar

from django.core.management.base import CommandError
from django.db.models import Model
from django_scopes import scopes_disabled

from koers.projects.models import Project
from koers.workspaces.models import Client, Workspace

Named = TypeVar("Named", Project, Client)


def _named(model: type[Named], name: str, example: str) -> Named:
    kind = model._meta.model_name
    workspace_slug, _sep, slug = name.partition("/")
    if not workspace_slug or not slug:
        raise CommandError(f"{name!r}: name a {kind} as <workspace>/<{kind}>, e.g. {example}.")
    workspace = Workspace.objects.filter(slug=workspace_slug).first()
    if workspace is None:
        raise CommandError(f"{name!r}: there is no workspace {workspace_slug!r}.")
    with scopes_disabled():
        manager = model._default_manager
        found: Model | None = (
            manager.select_related("workspace").filter(workspace=workspace, slug=slug).first()
        )
    if found is None:
        raise CommandError(f"{name!r}: workspace {workspace_slug!r} has no {kind} {slug!r}.")
    return found  # type: ignore[return-value]


def project_named(name: str) -> Project:
    """Return the project named `<workspace>/<project>`, or raise CommandError."""
    return _named(Project, name, "demo/erp-gent")


def client_named(name: str) -> Client:
    """Return the client named `<workspace>/<client>`, or raise CommandError."""
    return _named(Client, name, "demo/waalborg")


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
