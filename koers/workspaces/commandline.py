"""Objects named `<workspace>/<name>` on Koers' command line."""

from typing import Any, TypeVar

from django.core.management.base import CommandError
from django.db.models import Model
from django_scopes import scopes_disabled

from .models import Client, Membership, Workspace
from .tenancy import may_edit

Named = TypeVar("Named", bound=Model)


def named(model: type[Named], name: str, example: str) -> Named:
    """Return the object of `model` (with `workspace` and `slug`) named `<workspace>/<slug>`."""
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


def client_named(name: str) -> Client:
    """Return the client named `<workspace>/<client>`, or raise CommandError."""
    return named(Client, name, "demo/waalborg")


def editor_named(workspace: Workspace, email: str | None, flag: str) -> Any:
    """Return the user of `email` who may change things in `workspace`, or raise CommandError
    saying that `flag` needs --by."""
    membership = (
        Membership.objects.filter(workspace=workspace, user__email__iexact=email or "")
        .select_related("user")
        .first()
    )
    if not may_edit(membership):
        raise CommandError(
            f"{flag} needs --by: the e-mail address of a member of workspace "
            f"{workspace.slug!r} who may change it."
        )
    return membership.user
