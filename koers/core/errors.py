"""Domain errors with a user message, shown alike by views, CLI and API."""

from django.core.exceptions import PermissionDenied
from django.utils.functional import Promise


class KoersError(Exception):
    """A rule of Koers was broken; `message` is translatable and safe to show the user."""

    def __init__(self, message: str | Promise, *, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field


class RateLimited(PermissionDenied):
    """A client used up a rate limit; the 403 handler answers 429 Too Many Requests for it."""
