"""Fixed-window rate limits, counted in the database so they hold across web processes.

One mechanism for every limit in Koers (log-in, shared links, the public answer pages): one
upsert per hit (`INSERT … ON CONFLICT … DO UPDATE … RETURNING`) into `pulse.RateCount`, where
the cache-based count it replaces took several statements on the database cache. A row holds
the hits of one key in one window; `minute` is the minute the window ends (minutes since the
epoch), so a row counts while the current minute is before it, whatever the window's length.
Windows are whole minutes on the clock. Expired rows are swept now and then by the hit that
opens a new window.
"""

import hashlib
import random
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.db import connection

from koers.core.errors import RateLimited

SWEEP_CHANCE = 0.01


def _key(scope: str, identity: str) -> str:
    # Hash the identity: e-mail addresses and client addresses stay out of the table.
    return hashlib.sha256(f"{scope}|{identity}".encode()).hexdigest()


def _names() -> tuple[str, str, str, str]:
    from koers.pulse.models import RateCount  # the table; imported late, core loads first

    quote = connection.ops.quote_name
    table, key, minute, hits = map(quote, [RateCount._meta.db_table, "key", "minute", "hits"])
    return table, key, minute, hits


def _now() -> int:
    return int(time.time()) // 60


def is_limited(scope: str, identity: str, *, limit: int) -> bool:
    """Return whether `identity` has used up its `limit` hits in `scope`."""
    table, k, m, h = _names()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT MAX({h}) FROM {table} WHERE {k} = %s AND {m} > %s",  # noqa: S608 (our own names)
            [_key(scope, identity), _now()],
        )
        row = cursor.fetchone()
    return int((row and row[0]) or 0) >= limit


def hit(scope: str, identity: str, *, window: int) -> int:
    """Count one hit for `identity` in `scope`; return the count in the current window.

    `window` is in seconds, rounded up to whole minutes.
    """
    minutes = max(1, -(-window // 60))
    now = _now()
    ends = (now // minutes + 1) * minutes
    table, k, m, h = _names()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({k}, {m}, {h}) VALUES (%s, %s, 1) "  # noqa: S608 (our own names)
            f"ON CONFLICT ({k}, {m}) DO UPDATE SET {h} = {table}.{h} + 1 RETURNING {h}",
            [_key(scope, identity), ends],
        )
        hits = int(cursor.fetchone()[0])
        if hits == 1 and random.random() < SWEEP_CHANCE:
            cursor.execute(f"DELETE FROM {table} WHERE {m} <= %s", [now])  # noqa: S608
    return hits


def reset(scope: str, identity: str) -> None:
    table, k, _m, _h = _names()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE {k} = %s", [_key(scope, identity)])  # noqa: S608


def client_address(request: object) -> str:
    """Return the client's address; X-Forwarded-For counts only behind the TLS proxy."""
    meta = getattr(request, "META", {})
    forwarded = meta.get("HTTP_X_FORWARDED_FOR", "") if settings.HTTPS else ""
    return forwarded.split(",")[0].strip() if forwarded else meta.get("REMOTE_ADDR", "")


def per_address(scope: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Answer 429 once a client address has opened a `scope` page more than
    settings.PUBLIC_RATE_LIMIT times in a minute: for pages reached by a link, no log-in."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def limited(request: Any, *args: Any, **kwargs: Any) -> Any:
            if hit(scope, client_address(request), window=60) > settings.PUBLIC_RATE_LIMIT:
                raise RateLimited
            return view(request, *args, **kwargs)

        return limited

    return decorate
