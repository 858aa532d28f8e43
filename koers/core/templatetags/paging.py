"""The link to another page of a paged list, keeping the rest of the query (search, filter):
by number (`page_link`) or, for lists paged by key, by cursor (`cursor_link`)."""

from typing import Any

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def page_link(context: dict[str, Any], number: int) -> str:
    """Return `?...&page=number` with the request's other query parameters kept."""
    query = context["request"].GET.copy()
    query["page"] = str(number)
    return "?" + query.urlencode()


@register.simple_tag(takes_context=True)
def cursor_link(context: dict[str, Any], cursor: str | None, param: str = "cursor") -> str:
    """Return `?...&cursor=...`, or the first page (no cursor) for None. A page with two
    paged lists names each list's parameter (`param`); the other list keeps its place."""
    query = context["request"].GET.copy()
    query.pop(param, None)
    if cursor:
        query[param] = cursor
    return "?" + query.urlencode()
