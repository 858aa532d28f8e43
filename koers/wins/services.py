"""Writes on small wins: celebrate a proposal (told through the communication log) or
dismiss it; either way Koers does not propose it again."""

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from koers.core.errors import KoersError
from koers.projects.models import Project
from koers.stakeholders import services as stakeholders
from koers.stakeholders.models import Communication, CommunicationKind

from . import queries, rules
from .models import Win

# How a win is told: mailed (a planned update, done once it is mailed) or given in person.
HOW = {
    "mail": (CommunicationKind.UPDATE, Communication.Status.PLANNED),
    "demo": (CommunicationKind.DEMO, Communication.Status.DONE),
    "meeting": (CommunicationKind.MEETING, Communication.Status.DONE),
}


def _proposed(project: Project, key: str, today: date | None) -> rules.Fact:
    fact = queries.proposal(project, key, today)
    if fact is None:
        raise KoersError(
            _("Koers does not propose that win (any more): it was handled or is no news."),
            field="key",
        )
    return fact


def _record(project: Project, fact: rules.Fact, actor: Any, **fields: Any) -> Win:
    try:
        with transaction.atomic():
            return Win.objects.create(
                project=project, key=fact.key, kind=fact.source.value, actor=actor, **fields
            )
    except IntegrityError as twice:  # handled at the same moment by someone else
        raise KoersError(_("That win was handled already."), field="key") from twice


@transaction.atomic
def win_celebrate(
    *,
    project: Project,
    key: str,
    actor: Any,
    message: str,
    how: str = "mail",
    title: str = "",
    on: date | None = None,
    today: date | None = None,
) -> Win:
    """Celebrate the proposed win `key`: a communication with `message` is logged (mail it
    then with mailing.communication_mail), and the win is kept with it. `today` (default the
    real one) is the day it is celebrated: the demo tells its story in the past."""
    fact = _proposed(project, key, today)
    if how not in HOW:
        raise KoersError(_("Choose how the win is told."), field="how")
    if not message.strip():
        raise KoersError(_("Write the message that celebrates the win."), field="message")
    kind, status = HOW[how]
    subject = title.strip() or fact.title
    item = stakeholders.communication_create(
        project=project,
        actor=actor,
        kind=kind,
        status=status,
        on=on or fact.on,
        subject=subject[:200],
        content=message,
    )
    return _record(
        project,
        fact,
        actor,
        status=Win.Status.CELEBRATED,
        title=subject[:200],
        on=fact.on,
        communication=item,
    )


def win_dismiss(*, project: Project, key: str, actor: Any) -> Win:
    """Keep that the proposed win `key` is not worth celebrating: it is not proposed again."""
    fact = _proposed(project, key, None)
    return _record(
        project, fact, actor, status=Win.Status.DISMISSED, title=fact.title[:200], on=fact.on
    )
