"""Writes on stakeholders, their project roles and stances, communications and the rhythm."""

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from koers.core.errors import KoersError
from koers.outbox.models import Message
from koers.projects.models import Project
from koers.workspaces.models import Client

from .models import (
    Communication,
    CommunicationKind,
    CommunicationMail,
    Involvement,
    Rhythm,
    Stakeholder,
    StanceChange,
)

STAKEHOLDER_FIELDS = (
    "name",
    "organisation",
    "job_title",
    "email",
    "phone",
    "cares_about",
    "concerns",
    "channel",
    "contact_every_days",
)
ROLE_FIELDS = ("is_steering_member", "is_decision_maker", "stance", "influence", "interest")


def _checked(instance: Model, *, exclude: Iterable[str] = ()) -> None:
    """Validate the model's fields (e-mail, phone, choices, 1-5) as a KoersError on the field."""
    try:
        instance.full_clean(exclude=list(exclude), validate_unique=False)
    except ValidationError as wrong:
        field, errors = next(iter(wrong.message_dict.items()))
        raise KoersError(errors[0], field=None if field == "__all__" else field) from wrong


def _strip(fields: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v.strip() if isinstance(v, str) else v for k, v in fields.items()}


def stakeholder_create(*, client: Client, actor: Any, **fields: Any) -> Stakeholder:
    stakeholder = Stakeholder(client=client, **_strip(fields))
    _checked(stakeholder, exclude=["client"])
    stakeholder.save()
    return stakeholder


def stakeholder_update(*, stakeholder: Stakeholder, **fields: Any) -> Stakeholder:
    for name, value in _strip(fields).items():
        setattr(stakeholder, name, value)
    _checked(stakeholder, exclude=["client"])
    stakeholder.save()
    return stakeholder


@transaction.atomic
def stakeholder_delete(*, stakeholder: Stakeholder) -> None:
    """Remove the stakeholder everywhere: their project roles, stance history, their place in
    every communication's audience and the mails sent to them go with them (the
    communications stay)."""
    Message.objects.filter(
        pk__in=CommunicationMail.objects.filter(stakeholder=stakeholder).values("message_id")
    ).delete()
    stakeholder.delete()


@transaction.atomic
def involvement_save(
    *,
    project: Project,
    stakeholder: Stakeholder,
    actor: Any,
    reason: str = "",
    on: date | None = None,
    **fields: Any,
) -> Involvement:
    """Give the stakeholder their role in the project, or change it. A new or changed stance
    is kept with the day (`on`, default today) and `reason`."""
    if stakeholder.client_id != project.client_id:
        raise KoersError(_("That stakeholder is not one of this project's client."))
    involvement = (
        Involvement.objects.select_for_update()
        .filter(project=project, stakeholder=stakeholder)
        .first()
    )
    before = involvement.stance if involvement else ""
    if involvement is None:
        involvement = Involvement(project=project, stakeholder=stakeholder)
    for name, value in fields.items():
        setattr(involvement, name, value)
    _checked(involvement, exclude=["project", "stakeholder"])
    involvement.save()
    if involvement.stance != before:
        StanceChange.objects.create(
            involvement=involvement,
            before=before,
            after=involvement.stance,
            on=on or timezone.localdate(),
            reason=reason.strip()[:500],
            actor=actor,
        )
    return involvement


def involvement_remove(*, involvement: Involvement) -> None:
    """Take the stakeholder off the project (their stance history there goes with it)."""
    involvement.delete()


def _audience(project: Project, audience: Iterable[Stakeholder]) -> list[Stakeholder]:
    chosen = list(audience)
    if any(s.client_id != project.client_id for s in chosen):
        raise KoersError(
            _("The audience holds someone who is not of this client."), field="audience"
        )
    return chosen


@transaction.atomic
def communication_create(
    *, project: Project, actor: Any, audience: Iterable[Stakeholder] = (), **fields: Any
) -> Communication:
    chosen = _audience(project, audience)
    item = Communication(project=project, actor=actor, **_strip(fields))
    _checked(item, exclude=["project", "actor"])
    item.save()
    item.audience.set(chosen)
    return item


@transaction.atomic
def communication_update(
    *, item: Communication, audience: Iterable[Stakeholder] | None = None, **fields: Any
) -> Communication:
    for name, value in _strip(fields).items():
        setattr(item, name, value)
    _checked(item, exclude=["project", "actor"])
    item.save()
    if audience is not None:
        item.audience.set(_audience(item.project, audience))
    return item


def communication_delete(*, item: Communication) -> None:
    item.delete()


@transaction.atomic
def rhythm_save(*, project: Project, every_days: Mapping[str, int | None]) -> None:
    """Keep how often the project means to communicate per kind (None: no rhythm)."""
    for kind, days in every_days.items():
        if kind not in CommunicationKind.values:
            raise KoersError(_("Unknown kind of communication: %(kind)s.") % {"kind": kind})
        if days is not None and not 1 <= days <= 365:
            raise KoersError(_("Give a number of days from 1 to 365."), field=kind)
        Rhythm.objects.update_or_create(project=project, kind=kind, defaults={"every_days": days})
