"""Render a mail's subject and text: Koers's own templates, or a workspace's edited text.

Both render without HTML escaping: a mail is plain text, and an ampersand in a name must
stay an ampersand. Koers's own templates (`<template>_subject.txt`, `<template>.txt`) may use
every tag library; a workspace's text renders in a bare engine (no template loading, no tag
libraries) with only the variables its registration names, all plain text.
"""

from functools import cache
from typing import Any

from django.template import Context, Engine, TemplateDoesNotExist, TemplateSyntaxError
from django.template.backends.django import get_installed_libraries
from django.utils.translation import gettext as _

from koers.core.errors import KoersError

from .registry import EditableTemplate


@cache
def shipped_engine() -> Engine:
    return Engine(app_dirs=True, autoescape=False, libraries=get_installed_libraries())


@cache
def sandbox_engine() -> Engine:
    return Engine(loaders=[], autoescape=False, libraries={})


def one_line(text: str) -> str:
    """Return `text` on one line: a mail header cannot hold a line break."""
    return " ".join(text.split())


def render_shipped(template: str, context: dict[str, Any]) -> tuple[str, str]:
    """Return the subject and text of Koers's own template, in the active language."""
    engine = shipped_engine()
    subject = engine.get_template(f"{template}_subject.txt").render(
        Context(context, autoescape=False)
    )
    body = engine.get_template(f"{template}.txt").render(Context(context, autoescape=False))
    return one_line(subject), body


def _sandboxed(source: str, context: dict[str, str], field: str) -> str:
    try:
        template = sandbox_engine().from_string(source)
        return template.render(Context(context, autoescape=False))
    except (TemplateSyntaxError, TemplateDoesNotExist) as error:
        raise KoersError(
            _("This is not a valid mail text: %(error)s") % {"error": error}, field=field
        ) from error


def render_edited(
    spec: EditableTemplate, subject: str, body: str, context: dict[str, Any]
) -> tuple[str, str]:
    """Return a workspace's subject and text, rendered with the documented variables only.

    Raises KoersError naming the field (subject or body) that is not a valid template.
    """
    allowed = {name: str(context.get(name, "")) for name in spec.variables}
    return one_line(_sandboxed(subject, allowed, "subject")), _sandboxed(body, allowed, "body")
