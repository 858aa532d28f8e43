import sys
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from koers.core import health
from koers.core.errors import RateLimited

MB = 1024 * 1024


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
    """Readiness: 200 when the database takes writes, else 503; and how the task workers are.

    A load balancer that should keep showing Koers's own 503 page asks /healthz/live instead.
    """
    database = health.database_state()
    silence = health.worker_silence() if database == "ok" else None
    return JsonResponse(
        {
            "status": "ok" if database == "ok" else "unavailable",
            "database": database,
            "worker": _worker_state(silence),
            "worker_last_beat_seconds": None if silence is None else round(silence),
        },
        status=200 if database == "ok" else 503,
    )


@never_cache
@require_safe
def healthz_live(request: HttpRequest) -> HttpResponse:
    """Liveness: the web process answers; the database is not asked."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def healthz_worker(request: HttpRequest) -> HttpResponse:
    """200 when a task worker beat within the lease, else 503: for monitoring."""
    try:
        silence = health.worker_silence()
    except DatabaseError:
        silence = None
    state = _worker_state(silence)
    seconds = None if silence is None else round(silence)
    return JsonResponse(
        {"worker": state, "worker_last_beat_seconds": seconds},
        status=200 if state == "ok" else 503,
    )


def _worker_state(silence: float | None) -> str:
    return "ok" if silence is not None and silence <= health.LEASE else "silent"


def _plain(request: HttpRequest, template: str, status: int, **context: Any) -> HttpResponse:
    """Render a page that reads nothing from the database, in the visitor's language."""
    language = translation.get_language_from_request(request)
    with translation.override(language):
        html = render_to_string(template, {"language": language, **context})
    return HttpResponse(html, status=status)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "404.html", status=404)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if isinstance(exception, RateLimited):
        response = render(request, "429.html", status=429)
        response["Retry-After"] = "60"
        return response
    return render(request, "403.html", status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    trouble = health.trouble(sys.exc_info()[1])
    if trouble is None:
        return render(request, "500.html", status=500)
    # The database is down, read-only or full: say so, rather than "something went wrong".
    if request.path.startswith("/api/"):
        with translation.override(translation.get_language_from_request(request)):
            detail = str(_("Koers cannot save anything right now: its database is unavailable."))
        response: HttpResponse = JsonResponse({"detail": detail, "database": trouble}, status=503)
    else:
        response = _plain(request, "503.html", 503, trouble=trouble)
    response["Retry-After"] = "30"
    return response


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if isinstance(exception, RequestDataTooBig):
        # Raised where the form is first read (the CSRF check): form fields, not files, over
        # DATA_UPLOAD_MAX_MEMORY_SIZE.
        limit = (settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0) / MB
        message = _("The form sent is larger than %(limit)s MB, the most Koers accepts.")
        return request_too_large(request, message % {"limit": f"{limit:g}"})
    return _plain(request, "400.html", 400)


def request_too_large(request: HttpRequest, message: str) -> HttpResponse:
    """Answer 413 for a request body over a limit: what the limit is, and the way back."""
    back = request.META.get("HTTP_REFERER", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = ""
    return _plain(request, "413.html", 413, message=message, back=back)
