"""Secret links stay out of the logs: the token part of every link route is redacted, and
so is every page cursor (`?cursor=`), which holds the last row's values (a name, a key).

The routes come from the URL configuration itself: any route with a `token` or `uidb64`
parameter is a link whose path is the secret (invitations, shared roadmaps, calendar feeds,
answer links, "you said, we did" pages, password resets), so a new link route is covered
without a list to keep. Everything Koers logs passes `RedactSecrets`: Django's loggers by
settings.LOGGING, gunicorn's access and error logs by `koers.core.gunicorn_logger`.
"""

import logging
import re
from collections.abc import Iterable, Iterator
from functools import cache
from typing import Any

from django.apps import apps
from django.urls import URLResolver, get_resolver

SECRET_PARAMETERS = ("token", "uidb64")
CURSOR = re.compile(r"([?&](?:amp;)?cursor=)[^&\s#\"']+")
REDACTED = "[redacted]"
# A token ends where a path segment, a query or a quoted log field ends.
SEGMENT = r"[^/\s?#\"']+"


def _routes(patterns: Iterable[Any], prefix: str = "") -> Iterator[str]:
    for entry in patterns:
        part = entry.pattern.regex.pattern.removeprefix("^").removesuffix(r"\Z")
        if isinstance(entry, URLResolver):
            yield from _routes(entry.url_patterns, prefix + part)
        elif any(f"(?P<{name}>" in part for name in SECRET_PARAMETERS):
            yield prefix + part


def _search_form(route: str, number: int) -> str:
    """Turn a route's regex into one that finds the route anywhere in a log line.

    Secret parameters become uniquely named groups, the others plain groups; what follows the
    last secret is dropped, so the token is found without its trailing slash or suffix too.
    """
    starts = [f"(?P<{name}>" for name in SECRET_PARAMETERS]
    last = max(route.rindex(start) for start in starts if start in route)
    route = route[: route.index(")", last) + 1]
    route = re.sub(
        r"\(\?P<(\w+)>[^)]*\)",
        lambda found: (
            f"(?P<secret{number}_{found.group(1)}>{SEGMENT})"
            if found.group(1) in SECRET_PARAMETERS
            else f"(?:{SEGMENT})"
        ),
        route,
    )
    return "/" + route


@cache
def _secret_paths() -> re.Pattern[str]:
    # Longest first: at one position the most specific route wins (/a/p/<token> before /a/<token>).
    routes = sorted(set(_routes(get_resolver().url_patterns)), key=len, reverse=True)
    return re.compile("|".join(_search_form(route, n) for n, route in enumerate(routes)))


def _hide(found: re.Match[str]) -> str:
    text, offset = found.group(0), found.start()
    spans = sorted(found.span(name) for name, value in found.groupdict().items() if value)
    for start, end in reversed(spans):
        text = text[: start - offset] + REDACTED + text[end - offset :]
    return text


def redact(text: str) -> str:
    """Return `text` with the token of every link path and every cursor in it replaced by
    [redacted]."""
    return CURSOR.sub(rf"\g<1>{REDACTED}", _secret_paths().sub(_hide, text))


class RedactSecrets(logging.Filter):
    """A logging filter that redacts link tokens from a record's message."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not apps.ready:  # nothing has served a request yet, so no link can be in the record
            return True
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True
