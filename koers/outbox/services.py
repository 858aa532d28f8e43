"""Koers's one way to send mail: mail_send, and what keeps every message sent at most once."""

import hashlib
import logging
import smtplib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from email.utils import make_msgid, parseaddr
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from koers.core.errors import KoersError

from .models import MailTemplate, Message
from .registry import EditableTemplate, by_name
from .rendering import one_line, render_edited, render_shipped

if TYPE_CHECKING:  # the workspaces app sends through this one: no import at run time
    from koers.workspaces.models import Workspace

logger = logging.getLogger(__name__)
# A message still "sending" after this long belongs to a worker that stopped: Django's
# EMAIL_TIMEOUT bounds every talk with the mail server well below it.
STUCK_AFTER = timedelta(minutes=15)


def _domain() -> str:
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "koers.localhost"


def _message_id(key: str | None) -> str:
    """Return the Message-ID header: derived from the key, so every attempt carries the same
    one and a receiving server can drop a copy it got before."""
    if key is None:
        return make_msgid(domain=_domain())
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:40]}@{_domain()}>"


def _by_key(key: str) -> Message | None:
    with scopes_disabled():  # keys are unique across workspaces
        return next(iter(Message.objects.filter(key=key).order_by()), None)


def _edited(
    template: str, language: str, workspace: "Workspace | None"
) -> tuple[EditableTemplate, MailTemplate] | None:
    """Return the workspace's own text of an editable template, or None (one query)."""
    spec = by_name(template)
    if workspace is None or spec is None:
        return None
    with scopes_disabled():
        edited = next(
            iter(
                MailTemplate.objects.filter(
                    workspace=workspace, template=template, language=language
                ).order_by()
            ),
            None,
        )
    return (spec, edited) if edited is not None else None


def _render_with(
    template: str, edited: tuple[EditableTemplate, MailTemplate] | None, context: dict[str, Any]
) -> tuple[str, str]:
    if edited is not None:
        spec, text = edited
        try:
            return render_edited(spec, text.subject, text.body, context)
        except KoersError:  # saved texts are checked, so only a changed Koers gets here
            logger.warning("Workspace %s: its text of %s is broken", text.workspace_id, template)
    return render_shipped(template, context)


def _render(
    template: str, context: dict[str, Any], language: str, workspace: "Workspace | None"
) -> tuple[str, str]:
    return _render_with(template, _edited(template, language, workspace), context)


def mail_send(
    *,
    to: str,
    template: str,
    context: dict[str, Any],
    language: str,
    workspace: "Workspace | None" = None,
    key: str | None = None,
    is_private: bool = False,
) -> Message:
    """Render a mail in `language` and queue it; it is sent once the transaction commits.

    `template` names `<template>_subject.txt` and `<template>.txt`; a workspace's own text
    of an editable template wins. With `key` the call is idempotent: a message with that
    key already made is returned, and nothing is sent again. A private message holds a
    secret (a personal link): its text is never shown and is blanked once it is sent.
    """
    to = to.strip()
    try:
        validate_email(to)
    except ValidationError as wrong:
        raise KoersError(
            _("%(address)s is not an e-mail address.") % {"address": to[:254] or '""'},
            field="to",
        ) from wrong
    if key is not None:
        existing = _by_key(key)
        if existing is not None:
            return existing
    with translation.override(language):
        subject, body = _render(template, context, language, workspace)
    message = Message(
        workspace=workspace,
        to=to,
        template=template,
        language=language,
        subject=subject[:300],
        body=body,
        key=key,
        message_id=_message_id(key),
        is_private=is_private,
    )
    try:
        with transaction.atomic():  # a savepoint: the caller's transaction stays usable
            message.save(force_insert=True)
    except IntegrityError:
        # Another call with the same key won the race; its message is the one.
        existing = _by_key(key) if key is not None else None
        if existing is None:
            raise
        return existing
    _enqueue(message)
    return message


@dataclass(frozen=True)
class Outgoing:
    """One mail of many: its address, what its text says, and its key after the prefix."""

    to: str  # a checked address (validate_email)
    context: dict[str, Any]
    key: str


def mails_send(
    *,
    mails: Sequence[Outgoing],
    template: str,
    language: str,
    workspace: "Workspace",
    key_prefix: str,
) -> int:
    """Queue many mails of one template at once; return how many were made now.

    Made for thousands: the keys made before are read at once (by `key_prefix`), the
    workspace's text once, the messages written in one bulk insert (in batches where the
    database limits one statement) and sent by one background task once the transaction
    commits. A key made before is left out: nobody gets the same mail twice.
    """
    with scopes_disabled():
        made_before = set(
            Message.objects.filter(key__startswith=key_prefix).values_list("key", flat=True)
        )
    edited = _edited(template, language, workspace)
    fresh: list[Message] = []
    with translation.override(language):
        for mail in mails:
            key = key_prefix + mail.key
            if key in made_before:
                continue
            made_before.add(key)
            subject, body = _render_with(template, edited, mail.context)
            fresh.append(
                Message(
                    workspace=workspace,
                    to=mail.to,
                    template=template,
                    language=language,
                    subject=subject[:300],
                    body=body,
                    key=key,
                    message_id=_message_id(key),
                )
            )
    if not fresh:
        return 0
    with transaction.atomic():  # a savepoint: the caller's transaction stays usable
        # A call at the same moment may have made some: those are left to it.
        Message.objects.bulk_create(fresh, ignore_conflicts=True)
    with scopes_disabled():  # every one not tried yet: sending claims each, so none twice
        ids = list(
            Message.objects.filter(
                key__startswith=key_prefix, state=Message.State.QUEUED, attempts=0
            ).values_list("pk", flat=True)
        )
    from .tasks import send_messages_task

    transaction.on_commit(lambda: send_messages_task.enqueue(ids))
    return len(fresh)


def _enqueue(message: Message) -> None:
    from .tasks import send_message_task

    transaction.on_commit(lambda: send_message_task.enqueue(message.pk))


def _server_reply(refused: smtplib.SMTPRecipientsRefused) -> str:
    replies = []
    for code, text in refused.recipients.values():
        words = text.decode(errors="replace") if isinstance(text, bytes) else str(text)
        replies.append(f"{code} {words}")
    return "; ".join(replies)


def message_deliver(*, message_id: int) -> Message | None:
    """Send a queued message; return it, or None when it is not queued (any more).

    The conditional UPDATE queued -> sending is the claim: of two attempts at once only one
    gets the row, and a message that is sending, sent or failed is never sent from here.
    """
    with scopes_disabled():
        claimed = Message.objects.filter(pk=message_id, state=Message.State.QUEUED).update(
            state=Message.State.SENDING, attempts=F("attempts") + 1, changed_at=timezone.now()
        )
        if not claimed:
            return None
        message = Message.objects.get(pk=message_id)
    mail = EmailMessage(
        subject=message.subject,
        body=message.body,
        to=[message.to],
        headers={"Message-ID": message.message_id},
    )
    outcome: dict[str, Any]
    try:
        mail.send()
    except smtplib.SMTPRecipientsRefused as refused:
        outcome = {"failure": Message.Failure.REFUSED, "reason": _server_reply(refused)[:500]}
    except (smtplib.SMTPException, OSError) as error:
        reason = f"{type(error).__name__}: {error}"
        outcome = {"failure": Message.Failure.ERROR, "reason": one_line(reason)[:500]}
    else:
        outcome = {"sent_at": timezone.now(), "failure": "", "reason": ""}
        if message.is_private:
            outcome["body"] = ""  # the secret link lives on only in the recipient's mailbox
    state = Message.State.FAILED if outcome.get("failure") else Message.State.SENT
    with scopes_disabled():
        # This attempt's own claim: a retry since then (a higher count) is left alone.
        Message.objects.filter(pk=message.pk, attempts=message.attempts).update(
            state=state, changed_at=timezone.now(), **outcome
        )
        return Message.objects.get(pk=message.pk)


def messages_recover(*, older_than: timedelta = STUCK_AFTER) -> int:
    """Mark messages stuck in "sending" as failed, outcome unknown; return how many.

    Their worker stopped while talking to the mail server, so the mail may have gone out:
    they are not sent again by themselves, only when someone retries them.
    """
    with scopes_disabled():
        return Message.objects.filter(
            state=Message.State.SENDING, changed_at__lt=timezone.now() - older_than
        ).update(
            state=Message.State.FAILED,
            failure=Message.Failure.UNKNOWN,
            reason="",
            changed_at=timezone.now(),
        )


def message_lost(*, message_id: int | Sequence[int]) -> None:
    """Record that the task sending messages stopped (its worker died, or it crashed)."""
    now = timezone.now()
    ids = [message_id] if isinstance(message_id, int) else list(message_id)
    with scopes_disabled():
        messages = Message.objects.filter(pk__in=ids)
        messages.filter(state=Message.State.SENDING).update(
            state=Message.State.FAILED, failure=Message.Failure.UNKNOWN, changed_at=now
        )
        messages.filter(state=Message.State.QUEUED).update(
            state=Message.State.FAILED,
            failure=Message.Failure.ERROR,
            reason=_("The background task stopped before sending."),
            changed_at=now,
        )


def mail_retry(*, message: Message) -> Message:
    """Send a failed message again: the same text and Message-ID, one more attempt."""
    with scopes_disabled():
        retried = Message.objects.filter(pk=message.pk, state=Message.State.FAILED).update(
            state=Message.State.QUEUED, failure="", reason="", changed_at=timezone.now()
        )
    if not retried:
        raise KoersError(_("Only a failed message can be sent again; this one is not failed."))
    message.refresh_from_db()
    _enqueue(message)
    return message


# A workspace's own texts.


def _check_language(language: str) -> None:
    if language not in dict(settings.LANGUAGES):
        raise KoersError(_("Koers has no language %(code)s.") % {"code": language[:8]})


def mail_template_source(
    *, workspace: "Workspace", spec: EditableTemplate, language: str
) -> tuple[str, str, bool]:
    """Return the subject and text to edit, and whether the workspace changed them.

    Koers's own text is given rendered in `language` with each variable left as
    {{ variable }}: what an editor of the workspace's text may use.
    """
    _check_language(language)
    edited = workspace.mail_templates.filter(template=spec.name, language=language).first()
    if edited is not None:
        return edited.subject, edited.body, True
    with translation.override(language):
        subject, body = render_shipped(
            spec.name, {name: "{{ " + name + " }}" for name in spec.variables}
        )
    return subject, body, False


@transaction.atomic
def mail_template_save(
    *, workspace: "Workspace", spec: EditableTemplate, language: str, subject: str, body: str
) -> MailTemplate:
    """Keep the workspace's own text of a mail; a text that does not render is refused."""
    _check_language(language)
    render_edited(spec, subject, body, spec.sample())
    edited, _made = MailTemplate.objects.update_or_create(
        workspace=workspace,
        template=spec.name,
        language=language,
        defaults={"subject": subject, "body": body},
    )
    return edited


def mail_template_reset(*, workspace: "Workspace", spec: EditableTemplate, language: str) -> int:
    """Go back to Koers's own text; return how many texts of the workspace were removed."""
    _check_language(language)
    removed, _kinds = workspace.mail_templates.filter(
        template=spec.name, language=language
    ).delete()
    return removed
