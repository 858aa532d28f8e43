"""Domain errors with a user message, shown alike by views, CLI and API."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

# Said with every refusal of a file over the upload limit: a people file of 500,000 or more
# people is larger than the default 50 MB.
RAISE_UPLOAD_LIMIT = gettext_lazy(
    "An administrator can raise the limit with the setting KOERS_UPLOAD_LIMIT_MB (in MB)."
)


class KoersError(Exception):
    """A rule of Koers was broken; `message` is translatable and safe to show the user."""

    def __init__(self, message: str | Promise, *, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return str(self.message)  # in the language active now, not when it was raised


def show_error(request: HttpRequest, error: KoersError) -> None:
    """Show the error's message on the next page (the one way views do it)."""
    messages.error(request, str(error))


class RateLimited(PermissionDenied):
    """A client used up a rate limit; the 403 handler answers 429 Too Many Requests for it."""
