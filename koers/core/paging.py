"""Keyset paging, the one way every list of the API and the long lists of the pages are
paged: `limit` and a cursor in, the count, the next cursor and the items out.

A cursor holds the ordering values of the last row of a page, the primary key last so every
row has one place. The next page starts after those values (`WHERE key > ...`), never at an
OFFSET, so a deep page costs what the first does, and a row added or removed meanwhile
neither repeats nor skips another. Cursors are signed and name their list: a changed,
truncated or foreign cursor is refused, not followed.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import reduce
from operator import or_
from typing import Any, Generic, TypeVar

from django.contrib import messages
from django.core import signing
from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from .errors import KoersError

DEFAULT_LIMIT = 100
MAX_LIMIT = 500
SALT = "koers.paging"

M = TypeVar("M", bound=Model)
T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    count: int  # items in the whole list
    next: str | None  # the cursor of the page after this one; None on the last page
    items: list[T]


def page(
    queryset: QuerySet[M],
    *,
    name: str,
    ordering: Sequence[str],
    limit: int = DEFAULT_LIMIT,
    cursor: str | None = None,
    count: int | None = None,
) -> Page[M]:
    """Return the page of `queryset` in `ordering` (the primary key added last) after `cursor`.

    `name` is the list's name, kept in its cursors. Ordering fields must not be null.
    `count`: the number of rows in `queryset`, when the caller counted them already.
    """
    fields = [*ordering, "pk"] if ordering[-1].lstrip("-") not in ("pk", "id") else [*ordering]
    rows = queryset.order_by(*fields)
    if cursor:
        rows = rows.filter(_after(fields, _values(cursor, name=name, size=len(fields))))
    found = list(rows[: limit + 1])
    items = found[:limit]
    following = _cursor(items[-1], fields, name=name) if len(found) > limit else None
    return Page(count=queryset.count() if count is None else count, next=following, items=items)


def page_sorted(
    items: Sequence[T],
    *,
    key: Callable[[T], Sequence[Any]],
    name: str,
    limit: int = DEFAULT_LIMIT,
    cursor: str | None = None,
    descending: bool = False,
) -> Page[T]:
    """Return the page of `items` (sorted by `key`, unique per item; from the largest with
    `descending`) after `cursor`.

    For a list whose order is worked out in Python (an attention ranking, the wins Koers
    proposes) over rows read in a fixed number of queries: the same signed cursors as
    `page`, holding the key of the page's last item.
    """
    keys = [list(map(_plain, key(item))) for item in items]
    start = 0
    if cursor:
        after = _values(cursor, name=name, size=len(keys[0]) if keys else -1)
        beyond = (lambda k: k < after) if descending else (lambda k: k > after)
        start = next((i for i, k in enumerate(keys) if beyond(k)), len(items))
    shown = list(items[start : start + limit])
    following = None
    if start + limit < len(items):
        following = signing.dumps([name, keys[start + limit - 1]], salt=SALT, compress=True)
    return Page(count=len(items), next=following, items=shown)


def _after(fields: Sequence[str], values: Sequence[Any]) -> Q:
    """Rows past `values`: the first field beyond it, or equal on the fields before and
    beyond on the next. The leading range lets the database use its index."""
    names = [field.lstrip("-") for field in fields]
    beyond = ["lt" if field.startswith("-") else "gt" for field in fields]
    either = reduce(
        or_,
        (
            Q(
                **{f"{names[i]}__{beyond[i]}": values[i]},
                **dict(zip(names[:i], values[:i], strict=True)),
            )
            for i in range(len(fields))
        ),
    )
    leading = Q(**{f"{names[0]}__{beyond[0]}e": values[0]})
    return leading & either


def _cursor(item: Model, fields: Sequence[str], *, name: str) -> str:
    values = [_plain(_read(item, field.lstrip("-"))) for field in fields]
    return signing.dumps([name, values], salt=SALT, compress=True)


def _read(item: Any, field: str) -> Any:
    for part in field.split("__"):
        item = getattr(item, part)
    return item


def _plain(value: Any) -> Any:
    # Full ISO text (microseconds kept); the field's lookup reads it back as a date or time.
    if isinstance(value, date):
        return value.isoformat()
    return str(value) if isinstance(value, Decimal) else value


def _values(cursor: str, *, name: str, size: int) -> list[Any]:
    try:
        listed, values = signing.loads(cursor, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError) as error:
        raise CursorError() from error
    if listed != name or not isinstance(values, list) or len(values) != size:
        raise CursorError()
    return values


class CursorError(KoersError):
    def __init__(self) -> None:
        super().__init__(
            _(
                "This cursor is not one this list gave out, or it was changed: leave it out "
                "to start from the first page, then follow 'next'."
            ),
            field="cursor",
        )


def page_of_request(
    request: HttpRequest,
    queryset: QuerySet[M],
    *,
    name: str,
    ordering: Sequence[str],
    limit: int,
    param: str = "cursor",
    count: int | None = None,
) -> tuple[Page[M], str | None]:
    """Return a page's list at the cursor in the query parameter `param`, and that cursor.

    A link whose cursor no longer works (changed, or of another list) shows the first page
    with a message, as a page of a web list should, instead of an error.
    """
    cursor = request.GET.get(param) or None
    shape: dict[str, Any] = {"name": name, "ordering": ordering, "limit": limit, "count": count}
    try:
        return page(queryset, cursor=cursor, **shape), cursor
    except CursorError:
        messages.warning(request, _("That page link no longer works: here is the first page."))
        return page(queryset, **shape), None


def page_sorted_of_request(
    request: HttpRequest,
    items: Sequence[T],
    *,
    key: Callable[[T], Sequence[Any]],
    name: str,
    limit: int,
    param: str = "cursor",
) -> tuple[Page[T], str | None]:
    """`page_of_request` for a list sorted in Python (see `page_sorted`)."""
    cursor = request.GET.get(param) or None
    try:
        return page_sorted(items, key=key, name=name, limit=limit, cursor=cursor), cursor
    except CursorError:
        messages.warning(request, _("That page link no longer works: here is the first page."))
        return page_sorted(items, key=key, name=name, limit=limit), None
