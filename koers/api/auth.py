"""API access: token auth per user, and the workspace resolver for routes.

Every route under /w/{workspace}/ goes through `workspace_route`, the API twin of
`koers.workspaces.tenancy.workspace_view`: 404 for non-members, 403 for too low a role.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from django_scopes import scope
from ninja.errors import HttpError
from ninja.security import HttpBearer

from koers.core.tokens import hash_token
from koers.workspaces.models import ApiToken, Role
from koers.workspaces.tenancy import may_act, resolve_membership


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        found = ApiToken.objects.select_related("user").filter(token_hash=hash_token(token)).first()
        if found is None or not found.is_usable or not found.user.is_active:
            return None
        now = timezone.now()
        # Record use at most once a minute: no write on every call.
        if found.last_used_at is None or (now - found.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        return found


def workspace_route(role: Role = Role.VIEWER, *, guests: bool = False) -> Callable[..., Any]:
    """Resolve {workspace} for an API route as the web pages do, inside its scope."""

    def decorator(func: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(func)
        def wrapper(request: HttpRequest, workspace: str, **kwargs: Any) -> Any:
            try:
                membership = resolve_membership(request.user, workspace)
            except Http404 as missing:
                raise HttpError(404, "Not found.") from missing
            if membership.is_guest and not guests:
                raise HttpError(404, "Not found.")
            if not may_act(membership, role):
                raise HttpError(403, "Your role does not allow this.")
            request.membership = membership  # type: ignore[attr-defined]
            request.workspace = membership.workspace  # type: ignore[attr-defined]
            with scope(workspace=membership.workspace):
                try:
                    result = func(request, workspace, **kwargs)
                    # ninja serializes after this wrapper, outside the scope: read rows now.
                    return list(result) if isinstance(result, QuerySet) else result
                except Http404 as missing:
                    raise HttpError(404, "Not found.") from missing
                except PermissionDenied as denied:
                    raise HttpError(403, "Your role does not allow this.") from denied

        return wrapper

    return decorator
