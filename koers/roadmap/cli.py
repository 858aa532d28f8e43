"""Shared by the plan commands: find `<workspace>/<project>` outside a request."""

from django.core.management.base import CommandError
from django_scopes import scopes_disabled

from koers.projects.models import Project
from koers.workspaces.models import Workspace


def project_named(name: str) -> Project:
    """Return the project named `<workspace>/<project>`, or raise CommandError."""
    workspace_slug, _sep, project_slug = name.partition("/")
    if not workspace_slug or not project_slug:
        raise CommandError(
            f"{name!r}: name a project as <workspace>/<project>, e.g. demo/erp-gent."
        )
    workspace = Workspace.objects.filter(slug=workspace_slug).first()
    if workspace is None:
        raise CommandError(f"{name!r}: there is no workspace {workspace_slug!r}.")
    with scopes_disabled():
        project = (
            Project.objects.select_related("workspace", "client")
            .filter(workspace=workspace, slug=project_slug)
            .first()
        )
    if project is None:
        raise CommandError(
            f"{name!r}: workspace {workspace_slug!r} has no project {project_slug!r}."
        )
    return project
