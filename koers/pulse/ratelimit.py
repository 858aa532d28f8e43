"""A fixed-window rate limit in one database statement, for the public answer pages.

Shared by every web process (it lives in the database), and cheap: one upsert per visit,
where the cache-based limit of koers.core.ratelimit takes several queries on the database
cache. Old windows are swept now and then by the visit that opens a new one.
"""

import hashlib
import random
import time

from django.db import connection

from .models import RateCount

WINDOW = 60
SWEEP_CHANCE = 0.01


def hit(scope: str, identity: str) -> int:
    """Count one visit of `identity` in `scope`; return the visits in this minute so far."""
    key = hashlib.sha256(f"{scope}|{identity}".encode()).hexdigest()
    minute = int(time.time()) // WINDOW
    table, k, m, h = map(
        connection.ops.quote_name, [RateCount._meta.db_table, "key", "minute", "hits"]
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({k}, {m}, {h}) VALUES (%s, %s, 1) "  # noqa: S608 (our own names)
            f"ON CONFLICT ({k}, {m}) DO UPDATE SET {h} = {table}.{h} + 1 RETURNING {h}",
            [key, minute],
        )
        hits = int(cursor.fetchone()[0])
    if hits == 1 and random.random() < SWEEP_CHANCE:
        RateCount.objects.filter(minute__lt=minute - 1).delete()
    return hits
