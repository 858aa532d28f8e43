"""Mail the people of a rollout: a pilot invitation to the pilot's people, or the
announcement of a wave (its dates, and the link to its instructions when published) to the
wave's people, from texts a workspace may word itself in Dutch and English.

Made for waves of thousands: the people, the mails made before and the workspace's text are
read once and the messages written in bulk (outbox.mails_send). Each person gets one mail of
a kind, ever (the outbox's key); someone without a usable address is skipped and named; a
failed mail shows why and is sent again from the mailing's page or the API.
"""

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import QuerySet
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koers.core.errors import KoersError
from koers.outbox.models import Message
from koers.outbox.registry import EditableTemplate, register
from koers.outbox.services import Outgoing, mails_send
from koers.population.models import Person
from koers.population.queries import active_people
from koers.projects.models import Project
from koers.rollout.models import Wave

from . import queries


class Kind(StrEnum):
    PILOT = "pilot_invitation"
    WAVE = "wave_announcement"


TEMPLATES = {
    Kind.PILOT: "instructions/mail/pilot_invitation",
    Kind.WAVE: "instructions/mail/wave_announcement",
}
VARIABLES = {
    "name": gettext_lazy("the person's name"),
    "project": gettext_lazy("the project's name"),
    "wave": gettext_lazy("the wave's name (empty for the pilot)"),
    "first_day": gettext_lazy("the wave's first day"),
    "last_day": gettext_lazy("the wave's last day"),
    "instructions": gettext_lazy("the link to the user instructions (empty when not published)"),
    "sender": gettext_lazy("who sends it"),
}


def _sample() -> dict[str, str]:
    return {
        "name": "Sam de Vries",
        "project": _("Move to the cloud"),
        "wave": _("Sales"),
        "first_day": "4 March 2030",
        "last_day": "8 March 2030",
        "instructions": "https://koers.example/i/example-link/",
        "sender": "Sanne de Vries",
    }


register(
    EditableTemplate(
        TEMPLATES[Kind.PILOT],
        "people-pilot-invitation",
        gettext_lazy("People: pilot invitation"),
        VARIABLES,
        _sample,
    )
)
register(
    EditableTemplate(
        TEMPLATES[Kind.WAVE],
        "people-wave-announcement",
        gettext_lazy("People: wave announcement"),
        VARIABLES,
        _sample,
    )
)


@dataclass(frozen=True)
class Skipped:
    count: int
    names: list[str]  # every one of them: the team can add their addresses


@dataclass(frozen=True)
class MailSummary:
    mailed: int  # mails queued now
    before: int  # mailed this before: nothing sent again
    skipped: Skipped  # no usable e-mail address


def key_prefix(project: Project, kind: Kind, wave: Wave | None) -> str:
    return f"people-mail:{kind}:{project.pk}:{wave.pk if wave else 0}:"


def audience(project: Project, kind: Kind, wave: Wave | None) -> QuerySet[Person]:
    """The people the mail goes to: the pilot's, or the wave's, who are still there; by name."""
    people = active_people(project.client)
    if kind == Kind.PILOT:
        people = people.filter(pilot_memberships__pilot__project=project)
    elif wave is None or wave.project_id != project.pk:
        raise KoersError(_("There is no such item in this project."), field="wave")
    else:
        people = people.filter(wave_memberships__wave=wave)
    return people.only("id", "name", "email").order_by("name", "id")


def _usable(address: str) -> bool:
    try:
        validate_email(address.strip())
    except ValidationError:
        return False
    return True


def _day(day: Any, language: str) -> str:
    with translation.override(language):
        return date_format(day, "DATE_FORMAT") if day else ""


@transaction.atomic
def people_mail(
    *, project: Project, kind: Kind, wave: Wave | None, actor: Any, site: str
) -> MailSummary:
    """Mail `kind` to each person of the pilot or of `wave` once, in the project's language.

    `site`: the address Koers is reached at (https://koers.example), for the link to the
    instructions. A fixed number of queries, whatever the number of people."""
    people = list(audience(project, kind, wave))
    prefix = key_prefix(project, kind, wave)
    with_address = [p for p in people if _usable(p.email)]
    skipped = [p.name for p in people if not _usable(p.email)]
    path = queries.published_path(project, wave.pk if wave else None)
    common = {
        "project": project.name,
        "wave": wave.label if wave else "",
        "first_day": _day(wave.start_on if wave else None, project.language),
        "last_day": _day(wave.end_on if wave else None, project.language),
        "instructions": f"{site.rstrip('/')}{path}" if path else "",
        "sender": getattr(actor, "name", "") or str(project.workspace),
    }
    mailed = mails_send(
        mails=[
            Outgoing(to=p.email.strip(), context=common | {"name": p.name}, key=str(p.pk))
            for p in with_address
        ],
        template=TEMPLATES[kind],
        language=project.language,
        workspace=project.workspace,
        key_prefix=prefix,
    )
    return MailSummary(
        mailed=mailed,
        before=len(with_address) - mailed,
        skipped=Skipped(count=len(skipped), names=skipped),
    )


def messages_of(project: Project, kind: Kind, wave: Wave | None) -> QuerySet[Message]:
    """Every mail of the mailing with its state, for paging."""
    return Message.objects.filter(
        workspace=project.workspace, key__startswith=key_prefix(project, kind, wave)
    )


def failed_message(project: Project, kind: Kind, wave: Wave | None, pk: int) -> Message:
    found = messages_of(project, kind, wave).filter(pk=pk, state=Message.State.FAILED).first()
    if found is None:
        raise KoersError(_("There is no such failed mail here."), field="message")
    return found
