"""Domain errors with a user message, shown alike by views, CLI and API."""

from django.utils.functional import Promise


class KoersError(Exception):
    """A rule of Koers was broken; `message` is translatable and safe to show the user."""

    def __init__(self, message: str | Promise, *, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field
