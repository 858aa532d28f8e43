"""Addresses of a project's or a client's pages in templates, said once: the workspace and
the project (or client) come from the page's context.

    {% project_url 'rollout:wave' wave=wave.pk %}   {% client_url 'people:list' as back %}
"""

from typing import Any

from django import template
from django.urls import reverse

register = template.Library()


@register.simple_tag(takes_context=True)
def project_url(context: dict[str, Any], name: str, **kwargs: Any) -> str:
    """Return the address of page `name` of the context's project."""
    return reverse(
        name,
        kwargs={
            "workspace": context["workspace"].slug,
            "project": context["project"].slug,
            **kwargs,
        },
    )


@register.simple_tag(takes_context=True)
def client_url(context: dict[str, Any], name: str, **kwargs: Any) -> str:
    """Return the address of page `name` of the context's client."""
    return reverse(
        name,
        kwargs={"workspace": context["workspace"].slug, "client": context["client"].slug, **kwargs},
    )
