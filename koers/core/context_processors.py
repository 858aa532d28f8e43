from typing import Any

from django.http import HttpRequest


def koers(request: HttpRequest) -> dict[str, Any]:
    """Give every template the current workspace, membership and the user's other workspaces."""
    user = getattr(request, "user", None)
    memberships = []
    if user is not None and user.is_authenticated:
        memberships = list(user.memberships.select_related("workspace"))  # type: ignore[union-attr]
    return {
        "workspace": getattr(request, "workspace", None),
        "membership": getattr(request, "membership", None),
        "my_memberships": memberships,
    }
