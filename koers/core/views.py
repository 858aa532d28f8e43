from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from koers.core.errors import RateLimited


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """Send a visitor to the login page and a member to their current workspace."""
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    slug = _current_slug(request)
    if slug is None:
        return redirect("workspace_list")
    return redirect("workspaces:dashboard", workspace=slug)


def _current_slug(request: HttpRequest) -> str | None:
    memberships = request.user.memberships.select_related("workspace")  # type: ignore[union-attr]
    slugs = [m.workspace.slug for m in memberships]
    remembered = request.session.get("koers_workspace")
    if remembered in slugs:
        return str(remembered)
    return slugs[0] if len(slugs) == 1 else None


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """Send browsers that ask for /favicon.ico to the SVG icon (resolved per request)."""
    return redirect(static("koers/favicon.svg"), permanent=True)


@never_cache
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """Answer 200 when the database answers; for load balancers and `make demo`."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "404.html", status=404)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if isinstance(exception, RateLimited):
        response = render(request, "429.html", status=429)
        response["Retry-After"] = "60"
        return response
    return render(request, "403.html", status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)
