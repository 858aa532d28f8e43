"""The link to another page of a paged list, keeping the rest of the query (search, filter)."""

from typing import Any

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def page_link(context: dict[str, Any], number: int) -> str:
    """Return `?...&page=number` with the request's other query parameters kept."""
    query = context["request"].GET.copy()
    query["page"] = str(number)
    return "?" + query.urlencode()
