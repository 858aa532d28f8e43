from typing import Any

from django.http import HttpRequest

from .tenancy import may_edit


def koers(request: HttpRequest) -> dict[str, Any]:
    """Give every template the current workspace, membership, whether the member may edit,
    and the user's other workspaces."""
    user = getattr(request, "user", None)
    memberships = []
    if user is not None and user.is_authenticated:
        memberships = list(user.memberships.select_related("workspace"))
    membership = getattr(request, "membership", None)
    return {
        "workspace": getattr(request, "workspace", None),
        "membership": membership,
        "may_edit": may_edit(membership),
        "my_memberships": memberships,
    }
