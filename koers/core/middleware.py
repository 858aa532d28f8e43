"""Middleware: security headers, the user's chosen language, the admin's scope escape, and
figures counted once per page view."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from koers.core import memo
from koers.core.errors import RAISE_UPLOAD_LIMIT
from koers.core.views import MB, request_too_large

Handler = Callable[[HttpRequest], HttpResponse]

# No inline script or style anywhere: everything comes from our own static files.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def security_headers(get_response: Handler) -> Handler:
    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        response.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response

    return middleware


def user_language(get_response: Handler) -> Handler:
    """Put a logged-in user's chosen language in front of the browser's for LocaleMiddleware."""

    def middleware(request: HttpRequest) -> HttpResponse:
        # Runs before AuthenticationMiddleware, so read the language kept in the session.
        language = request.session.get("koers_language")
        if language and translation.check_for_language(language):
            request.COOKIES[settings.LANGUAGE_COOKIE_NAME] = language
        return get_response(request)

    return middleware


# Room around an upload of the limit for the multipart framing and the form's other fields; a
# body within it reaches the form, which names the file's own size.
UPLOAD_HEADROOM = MB


def upload_limit(get_response: Handler) -> Handler:
    """Answer 413 to a page request whose body is over the upload limit, by its length alone.

    Otherwise Django's CSRF check reads the whole body (the upload into a temporary file)
    before any view could refuse it. The API is left to Django's own check of
    DATA_UPLOAD_MAX_MEMORY_SIZE, which it makes before reading too (see koers.api.api).
    """

    def middleware(request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.UPLOAD_LIMIT_MB * MB
        if length > limit + UPLOAD_HEADROOM and not request.path.startswith("/api/"):
            message = _("The file is larger than %(limit)d MB, the most Koers accepts.")
            message = message % {"limit": settings.UPLOAD_LIMIT_MB} + " " + str(RAISE_UPLOAD_LIMIT)
            return request_too_large(request, message)
        return get_response(request)

    return middleware


def admin_without_scopes(get_response: Handler) -> Handler:
    """Django admin is for staff across all workspaces, so it runs with scopes disabled."""

    def middleware(request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/admin/") and request.user.is_staff:
            with scopes_disabled():
                return get_response(request)
        return get_response(request)

    return middleware


def counted_once_per_view(get_response: Handler) -> Handler:
    """Let a page view count each figure once (koers.core.memo); never a request that writes."""

    def middleware(request: HttpRequest) -> HttpResponse:
        if request.method in ("GET", "HEAD"):
            with memo.counted_once():
                return get_response(request)
        return get_response(request)

    return middleware
