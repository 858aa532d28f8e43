"""The mails a workspace may word itself: registered by the app that sends them.

Only these are offered on the workspace's mail texts page, and an edited text sees only the
variables named here, all plain text, so it cannot reach anything the mail is not about.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class EditableTemplate:
    name: str  # the template path prefix given to mail_send, e.g. "pulse/mail/invitation"
    slug: str  # its name in web addresses, e.g. "pulse-invitation"
    label: str | Promise
    variables: Mapping[str, str | Promise]  # variable -> what it holds
    sample: Callable[[], dict[str, str]]  # an example context, for the preview


EDITABLE: dict[str, EditableTemplate] = {}


def register(template: EditableTemplate) -> None:
    """Offer `template` for editing; a second registration of the same slug replaces it."""
    EDITABLE[template.slug] = template


def by_name(name: str) -> EditableTemplate | None:
    """Return the editable template of a template path prefix, or None."""
    return next((t for t in EDITABLE.values() if t.name == name), None)
