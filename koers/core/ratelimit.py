"""Fixed-window rate limits kept in the shared cache, so they hold across web processes."""

import hashlib

from django.conf import settings
from django.core.cache import cache


def _key(scope: str, identity: str) -> str:
    # Hash the identity: e-mail addresses and client addresses stay out of the cache table.
    digest = hashlib.sha256(identity.encode()).hexdigest()[:32]
    return f"rl:{scope}:{digest}"


def is_limited(scope: str, identity: str, *, limit: int) -> bool:
    """Return whether `identity` has used up its `limit` hits in `scope`."""
    return int(cache.get(_key(scope, identity), 0)) >= limit


def hit(scope: str, identity: str, *, window: int) -> int:
    """Count one hit for `identity` in `scope`; return the count in the current window."""
    key = _key(scope, identity)
    if cache.add(key, 1, timeout=window):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window)
        return 1


def reset(scope: str, identity: str) -> None:
    cache.delete(_key(scope, identity))


def client_address(request: object) -> str:
    """Return the client's address; X-Forwarded-For counts only behind the TLS proxy."""
    meta = getattr(request, "META", {})
    forwarded = meta.get("HTTP_X_FORWARDED_FOR", "") if settings.HTTPS else ""
    return forwarded.split(",")[0].strip() if forwarded else meta.get("REMOTE_ADDR", "")
