"""The tenancy rule: resolve the workspace from the URL once, and answer 404 to outsiders.

Every view under /w/<workspace>/ is wrapped in `workspace_view`. It sets
`request.workspace` and `request.membership`, activates the django-scopes scope for the
whole request (so a query that forgets the workspace raises instead of leaking), answers
404 to anyone who is not a member (never 403, so a slug is not confirmed), and 403 to
members whose role is below what the view needs. It goes outermost, above
@require_POST / @require_safe, so an outsider gets 404 and a visitor the login page
whatever the method.
"""

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeGuard

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django_scopes import scope

from .models import Membership, Role, Workspace

if TYPE_CHECKING:
    from koers.accounts.models import User

View = Callable[..., HttpResponse]


class AuthenticatedRequest(HttpRequest):
    user: "User"


class WorkspaceRequest(AuthenticatedRequest):
    workspace: Workspace
    membership: Membership


def resolve_membership(user: Any, workspace_slug: str) -> Membership:
    """Return the user's membership of the workspace, or raise Http404."""
    if not user.is_authenticated:
        raise Http404
    membership = (
        Membership.objects.select_related("workspace", "client")
        .filter(user=user, workspace__slug=workspace_slug)
        .first()
    )
    if membership is None:
        raise Http404
    return membership


def may_act(membership: Membership, role: Role) -> bool:
    """Return whether the member may use a view that needs `role`.

    A guest let in by `guests=True` reads like a viewer; what it sees is narrowed to its
    client by the view's query.
    """
    if membership.is_guest:
        return role.rank <= Role.VIEWER.rank
    return membership.has_role(role)


def may_edit(membership: Membership | None) -> TypeGuard[Membership]:
    """Return whether the member may change things in the workspace: the one question views,
    templates (as `may_edit`), the CLI and the API ask before offering or doing a change."""
    return membership is not None and may_act(membership, Role.MEMBER)


def workspace_view(role: Role = Role.VIEWER, *, guests: bool = False) -> Callable[[View], View]:
    """Scope a view to the workspace in its URL; require `role`; let guests in if `guests`."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(
            request: HttpRequest, workspace: str, *args: Any, **kwargs: Any
        ) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            membership = resolve_membership(request.user, workspace)
            if membership.is_guest and not guests:
                raise Http404
            if not may_act(membership, role):
                raise PermissionDenied
            request.membership = membership  # type: ignore[attr-defined]
            request.workspace = membership.workspace  # type: ignore[attr-defined]
            if request.session.get("koers_workspace") != workspace:
                request.session["koers_workspace"] = workspace  # the switcher's "current"
            with scope(workspace=membership.workspace):
                return view(request, *args, **kwargs)

        wrapper.koers_role = role  # type: ignore[attr-defined]
        return wrapper

    return decorator
