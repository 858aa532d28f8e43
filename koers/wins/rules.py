"""Which small wins Koers proposes: a pure rule over facts the other apps already keep.

A fact is a KPI that met its target, a wave that went live or a decision that was made. It is
proposed while it is fresh and nobody celebrated or dismissed it yet; the newest first.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

FRESH_DAYS = 60  # a win older than two months is no news any more


class Source(StrEnum):
    KPI = "kpi"
    LIVE = "live"
    DECISION = "decision"


@dataclass(frozen=True)
class Fact:
    key: str  # stable: "kpi:<kpi key>", "live:<wave id>", "decision:<decision id>"
    source: Source
    title: str
    on: date


def proposals(facts: Iterable[Fact], handled: set[str], today: date) -> list[Fact]:
    """Return the facts worth celebrating now: not handled, not in the future, fresh."""
    since = today - timedelta(days=FRESH_DAYS)
    found = [f for f in facts if f.key not in handled and since <= f.on <= today]
    return sorted(found, key=lambda f: (f.on, f.key), reverse=True)
