"""Reads on projects that views, the API and the CLI share."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from koers.workspaces.models import Membership
from koers.workspaces.tenancy import WorkspaceRequest

from .models import Project, ScopeItem


def visible_projects(request: WorkspaceRequest) -> QuerySet[Project]:
    """Return the projects the member may see: all of them, or a guest's client's only."""
    return projects_visible_to(request.membership)


def projects_visible_to(membership: Membership) -> QuerySet[Project]:
    """`visible_projects` of a member outside a request (the weekly digest)."""
    projects = membership.workspace.projects.select_related("client", "manager", "workspace")
    if membership.is_guest:
        projects = projects.filter(client=membership.client)
    return projects


def project_for(request: WorkspaceRequest, slug: str) -> Project:
    """Return the project named in the URL, or 404 for a missing or invisible one."""
    return get_object_or_404(visible_projects(request), slug=slug)


def scope_columns(project: Project) -> list[tuple[ScopeItem.Column, list[ScopeItem]]]:
    """Return the canvas as (column, items) in the method's order: in, out, later."""
    items: dict[str, list[ScopeItem]] = {column: [] for column in ScopeItem.Column}
    for item in project.scope_items.all():
        items[item.column].append(item)
    return [(column, items[column]) for column in ScopeItem.Column]
