"""Is Koers healthy: can the database be written, has a task worker beaten lately?

Task workers beat every BEAT_EVERY seconds from a thread of their own, also while a task runs;
a worker silent for LEASE seconds is taken for dead, and the tasks it was running fail (see
koers.core.workers). The web writes a beat of its own when /healthz is asked, which is how it
finds out that the database can be written (not full, not read-only, reachable).
"""

import sqlite3
from datetime import timedelta
from typing import Literal

from django.db import DatabaseError, transaction
from django.utils import timezone

from koers.core.models import Heartbeat

BEAT_EVERY = 10
LEASE = 60
WEB = "web"
WORKER = "worker:"

Trouble = Literal["read-only", "full", "unreachable"]

# SQLSTATE classes and codes (PostgreSQL) that mean the database cannot take writes now.
READ_ONLY_STATES = ("25006",)
FULL_STATES = ("53100", "53200", "53300")
UNREACHABLE_STATE_CLASSES = ("08", "57P")
SQLITE_MESSAGES: dict[str, Trouble] = {
    "attempt to write a readonly database": "read-only",
    "database or disk is full": "full",
    "unable to open database file": "unreachable",
    "disk i/o error": "unreachable",
}


def trouble(error: BaseException | None) -> Trouble | None:
    """Return what keeps the database from working, if `error` says the database is down,
    read-only or full; None for any other error (a bug, a constraint, a lock)."""
    if not isinstance(error, DatabaseError):
        return None
    cause = error.__cause__
    state = getattr(cause, "sqlstate", None)
    if state:
        if state in READ_ONLY_STATES:
            return "read-only"
        if state in FULL_STATES:
            return "full"
        if state.startswith(UNREACHABLE_STATE_CLASSES):
            return "unreachable"
        return None
    if isinstance(cause, sqlite3.Error):
        message = str(cause).lower()
        return next((found for text, found in SQLITE_MESSAGES.items() if text in message), None)
    # psycopg without a state: the connection itself failed or was lost.
    return "unreachable" if type(cause).__module__.startswith("psycopg") else None


def beat(name: str) -> None:
    """Record that `name` is alive now (one row per name, written in its own transaction)."""
    with transaction.atomic():
        updated = Heartbeat.objects.filter(name=name).update(beat_at=timezone.now())
        if not updated:
            Heartbeat.objects.create(name=name, beat_at=timezone.now())


def database_state() -> Trouble | Literal["ok"]:
    """Write a beat to find out whether the database takes writes."""
    try:
        beat(WEB)
    except DatabaseError as error:
        return trouble(error) or "unreachable"
    return "ok"


def worker_silence() -> float | None:
    """Seconds since any task worker beat, or None if none ever did."""
    last = (
        Heartbeat.objects.filter(name__startswith=WORKER)
        .order_by("-beat_at")
        .values_list("beat_at", flat=True)
        .first()
    )
    return None if last is None else (timezone.now() - last).total_seconds()


def silent_workers() -> set[str]:
    """Names of workers whose last beat is older than the lease."""
    since = timezone.now() - timedelta(seconds=LEASE)
    return set(
        Heartbeat.objects.filter(name__startswith=WORKER, beat_at__lt=since).values_list(
            "name", flat=True
        )
    )
