"""Mail a communication to chosen stakeholders through the outbox, from texts a workspace may
word itself in Dutch and English: a status update or a celebration of a small win.

Each stakeholder gets one message per communication, ever: sending again skips who got it
(the outbox's key), and a failed message shows why and is retried from the outbox or here.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koers.outbox.models import Message
from koers.outbox.registry import EditableTemplate, register
from koers.outbox.services import mail_send

from .models import Communication, CommunicationMail, Stakeholder

TEMPLATES = {
    "status_update": "stakeholders/mail/status_update",
    "celebration": "stakeholders/mail/celebration",
}
VARIABLES = {
    "name": gettext_lazy("the stakeholder's name"),
    "project": gettext_lazy("the project's name"),
    "subject": gettext_lazy("the communication's subject"),
    "content": gettext_lazy("the communication's content"),
    "sender": gettext_lazy("who sends it"),
}


def _sample() -> dict[str, str]:
    return {
        "name": "Lieve Vanacker",
        "project": _("Move to the cloud"),
        "subject": _("The first department is live"),
        "content": _("Since Monday the service desk works in the new environment."),
        "sender": "Sanne de Vries",
    }


register(
    EditableTemplate(
        TEMPLATES["status_update"],
        "stakeholders-status-update",
        gettext_lazy("Stakeholders: status update"),
        VARIABLES,
        _sample,
    )
)
register(
    EditableTemplate(
        TEMPLATES["celebration"],
        "stakeholders-celebration",
        gettext_lazy("Stakeholders: celebration of a small win"),
        VARIABLES,
        _sample,
    )
)


@dataclass(frozen=True)
class MailSummary:
    mailed: int  # mails queued now
    before: int  # mailed this communication before: nothing sent again
    no_address: int  # no e-mail address


def mail_key(item: Communication, stakeholder: Stakeholder) -> str:
    return f"stakeholders-mail:{item.pk}:{stakeholder.pk}"


@transaction.atomic
def communication_mail(
    *, item: Communication, stakeholders: Iterable[Stakeholder], template: str, actor: Any
) -> MailSummary:
    """Mail `item` to `stakeholders` in the project's language, each at most once. They join
    its audience, and a planned communication that is mailed is done today."""
    project = item.project
    chosen = [s for s in stakeholders if s.client_id == project.client_id]
    mailed = before = no_address = 0
    for stakeholder in chosen:
        if not stakeholder.email:
            no_address += 1
            continue
        key = mail_key(item, stakeholder)
        if CommunicationMail.objects.filter(message__key=key).exists():
            before += 1
            continue
        message = mail_send(
            to=stakeholder.email,
            template=TEMPLATES[template],
            context={
                "name": stakeholder.name,
                "project": project.name,
                "subject": item.subject,
                "content": item.content,
                "sender": getattr(actor, "name", "") or str(actor or project.workspace),
            },
            language=project.language,
            workspace=project.workspace,
            key=key,
        )
        CommunicationMail.objects.get_or_create(
            communication=item, stakeholder=stakeholder, defaults={"message": message}
        )
        mailed += 1
    if mailed:
        item.audience.add(*[s for s in chosen if s.email])
        if item.status == Communication.Status.PLANNED:
            item.status = Communication.Status.DONE
            item.on = timezone.localdate()
            item.save(update_fields=["status", "on"])
    return MailSummary(mailed=mailed, before=before, no_address=no_address)


def mails_of(item: Communication) -> list[CommunicationMail]:
    """The messages of `item` with their state, by stakeholder (two queries)."""
    return list(item.mails.select_related("stakeholder", "message"))


def failed_mail(item: Communication, message: int) -> Message | None:
    found = item.mails.filter(message_id=message, message__state=Message.State.FAILED).first()
    return found.message if found else None
