"""Fixed-window rate limits, counted in the database so they hold across web processes.

One mechanism for every limit in Koers (log-in, shared links, the public answer pages): one
upsert per hit (`INSERT … ON CONFLICT … DO UPDATE … RETURNING`) into `core.RateCount`. A row holds
the hits of one key in one window; `minute` is the minute the window ends (minutes since the
epoch), so a row counts while the current minute is before it, whatever the window's length.
Windows are whole minutes on the clock. Expired rows are swept now and then by the hit that
opens a new window.
"""

import hashlib
import ipaddress
import random
import time
from collections.abc import Callable
from functools import lru_cache, wraps
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils.cache import patch_cache_control

from koers.core.errors import RateLimited

SWEEP_CHANCE = 0.01
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _key(scope: str, identity: str) -> str:
    # Hash the identity: e-mail addresses and client addresses stay out of the table.
    return hashlib.sha256(f"{scope}|{identity}".encode()).hexdigest()


def _names() -> tuple[str, str, str, str]:
    from .models import RateCount  # imported late: the app registry is not ready at import

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
    return hits([(scope, identity, window)])[0]


def hits(counts: list[tuple[str, str, int]]) -> list[int]:
    """Count one hit for each (scope, identity, window) in one statement; return the counts."""
    now = _now()
    rows = []
    for scope, identity, window in counts:
        minutes = max(1, -(-window // 60))
        rows.append((_key(scope, identity), (now // minutes + 1) * minutes))
    table, k, m, h = _names()
    values = ", ".join(["(%s, %s, 1)"] * len(rows))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({k}, {m}, {h}) VALUES {values} "  # noqa: S608 (our own names)
            f"ON CONFLICT ({k}, {m}) DO UPDATE SET {h} = {table}.{h} + 1 RETURNING {k}, {h}",
            [value for row in rows for value in row],
        )
        found = {key: int(count) for key, count in cursor.fetchall()}
        if 1 in found.values() and random.random() < SWEEP_CHANCE:
            cursor.execute(f"DELETE FROM {table} WHERE {m} <= %s", [now])  # noqa: S608
    return [found[key] for key, _ends in rows]


def reset(scope: str, identity: str) -> None:
    table, k, _m, _h = _names()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE {k} = %s", [_key(scope, identity)])  # noqa: S608


def client_address(request: object) -> str:
    """Return the client's address.

    `X-Forwarded-For` is read only when the request comes from a proxy named in
    settings.TRUSTED_PROXIES, and then from the right: the first address not itself a trusted
    proxy is the client. Anything left of it the client may have written itself.
    """
    meta = getattr(request, "META", {})
    peer = meta.get("REMOTE_ADDR", "")
    if not _is_trusted(peer):
        return peer
    hops = [hop.strip() for hop in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _is_trusted(hop):
            return hop
    return hops[0] if hops else peer


def _is_trusted(address: str) -> bool:
    try:
        found = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(found in network for network in _trusted_networks(tuple(settings.TRUSTED_PROXIES)))


@lru_cache(maxsize=4)
def _trusted_networks(names: tuple[str, ...]) -> list[Network]:
    return [ipaddress.ip_network(name, strict=False) for name in names]


def per_address(scope: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Guard a page reached by a link, without log-in: answer 429 once a client address has
    opened a `scope` page more than settings.PUBLIC_RATE_LIMIT times in a minute, and keep
    every answer out of shared caches (the link in the URL is the secret)."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def limited(request: Any, *args: Any, **kwargs: Any) -> Any:
            if hit(scope, client_address(request), window=60) > settings.PUBLIC_RATE_LIMIT:
                raise RateLimited
            response = view(request, *args, **kwargs)
            patch_cache_control(response, private=True, no_store=True)
            return response

        return limited

    return decorate
