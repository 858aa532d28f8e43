"""Writes on user instructions. Views, the API, the CLI and the demo all come through here.

Instructions are published on a public link (core.tokens.ReshowableToken) that the team can
copy again and put in a mail; publishing anew or revoking ends the link before.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from koers.core.errors import KoersError
from koers.projects.models import Project

from .models import LANGUAGES, TEXTS, Instructions, InstructionsLink

CONTACTS = ("support_phone", "support_email", "support_portal")
FIELDS = (*(f"{text}_{code}" for text in TEXTS for code in LANGUAGES), *CONTACTS)


def _check(instructions: Instructions) -> None:
    wave = instructions.wave
    if wave is not None and wave.project_id != instructions.project_id:
        raise KoersError(_("There is no such item in this project."), field="wave")
    taken = Instructions.objects.filter(
        project_id=instructions.project_id, wave=instructions.wave
    ).exclude(pk=instructions.pk)
    if taken.exists():
        raise KoersError(
            _("These instructions exist already: change those."),
            field="wave",
        )
    portal = instructions.support_portal
    if portal and not portal.lower().startswith(("https://", "http://")):
        raise KoersError(_("Give the portal's address as https://…"), field="support_portal")
    try:
        instructions.full_clean(exclude=["project", "wave", "updated_by"], validate_unique=False)
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise KoersError(messages[0], field=field) from error


def _clean(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise TypeError(f"unknown instructions fields: {sorted(unknown)}")
    return {field: (value or "").strip() for field, value in fields.items()}


def instructions_create(
    *, project: Project, actor: Any, wave: int | None = None, **fields: Any
) -> Instructions:
    """Write the instructions of the project, or of its wave `wave` (an id)."""
    found = None if wave is None else project.waves.filter(pk=wave).first()
    if wave is not None and found is None:
        raise KoersError(_("There is no such item in this project."), field="wave")
    made = Instructions(project=project, wave=found, updated_by=actor, **_clean(fields))
    _check(made)
    made.save()
    return made


def instructions_update(*, instructions: Instructions, actor: Any, **changes: Any) -> Instructions:
    for field, value in _clean(changes).items():
        setattr(instructions, field, value)
    instructions.updated_by = actor
    _check(instructions)
    instructions.save()
    return instructions


def instructions_delete(*, instructions: Instructions) -> None:
    """Remove the instructions; their link stops working with them."""
    instructions.delete()


def live_link(instructions: Instructions) -> InstructionsLink | None:
    return instructions.links.filter(revoked_at__isnull=True).first()


@transaction.atomic
def instructions_publish(*, instructions: Instructions, actor: Any) -> InstructionsLink:
    """Publish the instructions on a new public link; the link before stops working.

    Published instructions say what changed and how to reach the support team."""
    texts = [getattr(instructions, f"what_changed_{code}") for code in LANGUAGES]
    if not any(texts):
        raise KoersError(_("Say what changed before you publish."), field="what_changed_nl")
    if not any(getattr(instructions, field) for field in CONTACTS):
        raise KoersError(
            _("Give at least one way to reach the support team: phone, e-mail or portal."),
            field="support_phone",
        )
    instructions_revoke(instructions=instructions)
    link = InstructionsLink(instructions=instructions, actor=actor)
    link.new_token()
    link.save()
    return link


def instructions_revoke(*, instructions: Instructions) -> int:
    """End the public link; return how many links stopped working (0 or 1)."""
    return instructions.links.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
