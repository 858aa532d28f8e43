"""The one paging shape of the API: `?limit=&cursor=` in, `{count, next, items}` out.

Every list route takes `PageIn` as query parameters and answers a page schema made by
`page_of`, so the OpenAPI document describes each list's items and the same two fields.
"""

from typing import Any

from ninja import Field, Schema
from pydantic import create_model

from koers.core.paging import DEFAULT_LIMIT, MAX_LIMIT


class PageIn(Schema):
    limit: int = Field(
        DEFAULT_LIMIT,
        ge=1,
        le=MAX_LIMIT,
        description=f"Items per page, 1 to {MAX_LIMIT}.",
    )
    cursor: str | None = Field(
        None,
        description="The `next` of the page before, as it was given; leave it out for the "
        "first page. A cursor that was changed or belongs to another list is refused (400).",
    )


class PageOut(Schema):
    count: int = Field(description="Items in the whole list, on every page.")
    next: str | None = Field(
        description="The cursor of the next page (pass it as `cursor`); null on the last page."
    )


def page_of(item: type[Schema]) -> Any:
    """Return the page schema of a list of `item` (named after it: ClientOut -> ClientPage)."""
    name = item.__name__.removesuffix("Out") + "Page"
    return create_model(name, __base__=PageOut, items=(list[item], ...))  # type: ignore[valid-type]
