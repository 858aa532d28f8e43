"""Keyset paging over several lists merged into one, newest first: the decision log (its own
decisions, the gates' and the guardrails') and a project's timeline (wins, decisions,
communications) show rows of different models side by side without copying any.

Each source is a queryset with the name of its moment field (a date or a moment) and a rank
that orders rows of one moment between sources. A page reads at most `limit + 1` rows of each
source past the cursor; merged, the first `limit` are the page and one more means a next
page: two queries per source (its rows and its count), whatever the page.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core import signing
from django.db.models import Q, QuerySet

from .paging import CursorError

SALT = "koers.merging"


@dataclass(frozen=True)
class Source:
    rank: int  # rows of one moment: the lower rank first
    rows: QuerySet[Any]
    moment: str  # the field that orders the rows, newest first; never null


@dataclass(frozen=True)
class Row:
    rank: int
    at: date  # a date, or a datetime (which is a date too)
    item: Any


@dataclass(frozen=True)
class MergedPage:
    count: int
    next: str | None
    rows: list[Row]


def merged_page(
    sources: Sequence[Source], *, name: str, cursor: str | None, limit: int
) -> MergedPage:
    """Return the page after `cursor` of the sources merged, newest first; raise CursorError
    for a cursor this list (`name`: the list and whose it is) did not give out."""
    after = _read(cursor, name) if cursor else None
    rows: list[Row] = []
    count = 0
    for source in sources:
        count += source.rows.count()
        found = source.rows
        if after is not None:
            found = found.filter(_past(after, source))
        found = found.order_by(f"-{source.moment}", "-pk")[: limit + 1]
        rows += [Row(source.rank, getattr(row, source.moment), row) for row in found]
    rows.sort(key=lambda r: (r.at.isoformat(), -r.rank, r.item.pk), reverse=True)
    shown = rows[:limit]
    following = _write(shown[-1], name) if len(rows) > limit else None
    return MergedPage(count=count, next=following, rows=shown)


def _past(after: tuple[str, int, int], source: Source) -> Q:
    """Rows of `source` that come after the row `after` = (moment, rank, pk)."""
    at, last_rank, pk = after
    earlier = Q(**{f"{source.moment}__lt": at})
    if source.rank > last_rank:
        return earlier | Q(**{source.moment: at})
    if source.rank == last_rank:
        return earlier | Q(**{source.moment: at, "pk__lt": pk})
    return earlier


def _write(row: Row, name: str) -> str:
    return signing.dumps(
        [name, row.at.isoformat(), row.rank, row.item.pk], salt=SALT, compress=True
    )


def _read(cursor: str, name: str) -> tuple[str, int, int]:
    try:
        listed, at, rank, pk = signing.loads(cursor, salt=SALT)
        if listed != name:
            raise ValueError("a cursor of another list")
        date.fromisoformat(at[:10])
        return str(at), int(rank), int(pk)
    except (signing.BadSignature, ValueError, TypeError) as error:
        raise CursorError() from error
