"""mail_send: idempotent by key, sent by a task once, never twice, failures kept with reason."""

import smtplib
import threading
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from koers.core.errors import KoersError
from koers.outbox import services
from koers.outbox.models import MailTemplate, Message
from koers.outbox.registry import EDITABLE
from koers.outbox.tasks import send_message_task, send_task_failed
from tests.factories import Cast

INVITATION = "pulse/mail/invitation"
CONTEXT = {
    "name": "Sam & Co",
    "project": "Naar de cloud",
    "round": "Voor de pilot",
    "closes": "9 december 2026",
    "link": "https://koers.example/a/p/secret-token/",
}


def send(cast: Cast, capture: Any, **fields: Any) -> Message:
    arguments: dict[str, Any] = {
        "to": "sam@example.com",
        "template": INVITATION,
        "context": CONTEXT,
        "language": "nl",
        "workspace": cast.workspace,
    } | fields
    with capture(execute=True):
        return services.mail_send(**arguments)


class Refusing(EmailBackend):
    """A mail server that refuses every recipient, as a bounce at SMTP time."""

    def send_messages(self, email_messages: Any) -> int:
        recipients = {m.to[0]: (550, b"5.1.1 mailbox unavailable") for m in email_messages}
        raise smtplib.SMTPRecipientsRefused(recipients)


def test_a_mail_is_rendered_in_its_language_and_sent_by_the_task_once(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    message = send(cast, django_capture_on_commit_callbacks)
    (sent,) = mail.outbox
    assert sent.to == ["sam@example.com"]
    assert "Sam & Co" in sent.body  # text mail: no HTML escaping
    assert "Voor de pilot" in sent.subject and "\n" not in sent.subject
    message.refresh_from_db()
    assert (message.state, message.attempts) == (Message.State.SENT, 1)
    assert sent.extra_headers["Message-ID"] == message.message_id
    assert send_message_task.call(message.pk) == "not queued"  # a second run sends nothing
    assert len(mail.outbox) == 1


def test_the_same_key_twice_makes_one_message_and_one_mail(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    first = send(cast, django_capture_on_commit_callbacks, key="test:1")
    second = send(cast, django_capture_on_commit_callbacks, key="test:1", to="other@example.com")
    assert first.pk == second.pk
    with scopes_disabled():
        assert Message.objects.filter(key="test:1").count() == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["sam@example.com"]


def test_a_key_taken_meanwhile_returns_the_message_that_won(
    cast: Cast, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    won = send(cast, django_capture_on_commit_callbacks, key="race:1")
    lookups = iter([None])  # the first look finds nothing, as in a race; the insert then fails
    real = services._by_key
    monkeypatch.setattr(services, "_by_key", lambda key: next(lookups, None) or real(key))
    again = send(cast, django_capture_on_commit_callbacks, key="race:1")
    assert again.pk == won.pk and len(mail.outbox) == 1


def test_a_private_message_loses_its_text_once_sent(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    message = send(cast, django_capture_on_commit_callbacks, is_private=True)
    assert "secret-token" in mail.outbox[0].body
    message.refresh_from_db()
    assert message.state == Message.State.SENT and message.body == ""


def test_a_refused_address_fails_with_the_reason_and_a_retry_sends_it_once(
    cast: Cast, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    settings.EMAIL_BACKEND = f"{__name__}.Refusing"
    message = send(cast, django_capture_on_commit_callbacks, key="bounce:1", is_private=True)
    message.refresh_from_db()
    assert message.state == Message.State.FAILED
    assert message.failure == Message.Failure.REFUSED
    assert "550 5.1.1 mailbox unavailable" in message.reason_text
    assert "secret-token" in message.body  # kept for the retry
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        services.mail_retry(message=message)
    with pytest.raises(KoersError), django_capture_on_commit_callbacks(execute=True):
        services.mail_retry(message=message)  # sent now: nothing to retry
    (sent,) = mail.outbox
    message.refresh_from_db()
    assert (message.state, message.attempts, message.reason) == (Message.State.SENT, 2, "")
    assert sent.extra_headers["Message-ID"] == message.message_id  # the same on every attempt


def test_a_message_stuck_sending_fails_as_unknown_and_is_not_sent_again(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    with scopes_disabled():
        message = Message.objects.create(
            workspace=cast.workspace,
            to="sam@example.com",
            template=INVITATION,
            language="nl",
            subject="Hallo",
            body="Tekst",
            message_id="<x@koers>",
            state=Message.State.SENDING,
            attempts=1,
        )
        Message.objects.filter(pk=message.pk).update(
            changed_at=timezone.now() - services.STUCK_AFTER - timedelta(seconds=1)
        )
    fresh = send(cast, django_capture_on_commit_callbacks)  # a task run also recovers
    message.refresh_from_db()
    assert (message.state, message.failure) == (Message.State.FAILED, Message.Failure.UNKNOWN)
    assert "Outcome unknown" in message.reason_text or "onbekend" in message.reason_text
    assert send_message_task.call(message.pk) == "not queued"
    assert [m.to for m in mail.outbox] == [[fresh.to]]  # only the fresh one went out


def test_a_send_task_whose_worker_died_fails_its_message_as_unknown(cast: Cast) -> None:
    with scopes_disabled():
        message = Message.objects.create(
            workspace=cast.workspace,
            to="sam@example.com",
            template=INVITATION,
            language="nl",
            subject="Hallo",
            message_id="<y@koers>",
            state=Message.State.SENDING,
        )

    class Result:
        status = "FAILED"
        args = [message.pk]

        class task:
            module_path = send_message_task.module_path

    from django_tasks.base import TaskResultStatus

    Result.status = TaskResultStatus.FAILED
    send_task_failed(sender=None, task_result=Result)  # type: ignore[arg-type]
    message.refresh_from_db()
    assert message.failure == Message.Failure.UNKNOWN and mail.outbox == []


def test_an_address_that_is_not_one_is_refused_naming_it(cast: Cast) -> None:
    with pytest.raises(KoersError, match="n/a"):
        services.mail_send(to="n/a", template=INVITATION, context=CONTEXT, language="nl")


def test_a_workspace_text_wins_renders_only_its_variables_and_goes_back(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    spec = EDITABLE["pulse-invitation"]
    with scope(workspace=cast.workspace):
        services.mail_template_save(
            workspace=cast.workspace,
            spec=spec,
            language="nl",
            subject="Even peilen: {{ round }}",
            body="Beste {{ name }}, {{ link }} {{ secret_key }}{{ settings.SECRET_KEY }}",
        )
    send(cast, django_capture_on_commit_callbacks)
    sent = mail.outbox[-1]
    assert sent.subject == "Even peilen: Voor de pilot"
    assert sent.body == "Beste Sam & Co, https://koers.example/a/p/secret-token/ "
    send(cast, django_capture_on_commit_callbacks, language="en")  # English keeps Koers's text
    assert "Your opinion on Voor de pilot" in mail.outbox[-1].subject
    with scope(workspace=cast.workspace):
        assert services.mail_template_reset(workspace=cast.workspace, spec=spec, language="nl")
        subject, body, edited = services.mail_template_source(
            workspace=cast.workspace, spec=spec, language="nl"
        )
    assert not edited and "{{ link }}" in body and "{{ round }}" in subject


@pytest.mark.parametrize(
    "body",
    [
        "{% if name %}Hallo",  # unclosed tag
        "{{ name|nosuchfilter }}",
        "{% load i18n %}{% translate 'x' %}",  # no tag libraries in a workspace's text
        '{% include "base.html" %}',  # no template loading either
    ],
)
def test_a_broken_or_reaching_workspace_text_is_refused_with_a_form_error(
    cast: Cast, body: str
) -> None:
    with scope(workspace=cast.workspace), pytest.raises(KoersError) as refused:
        services.mail_template_save(
            workspace=cast.workspace,
            spec=EDITABLE["pulse-invitation"],
            language="nl",
            subject="Hallo",
            body=body,
        )
    assert refused.value.field == "body"
    with scopes_disabled():
        assert not MailTemplate.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_sends_with_one_key_at_the_same_moment_make_one_mail(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both look the key up before either stores it; the unique key lets only one in."""
    looked = threading.Barrier(2, timeout=10)
    real = services._by_key
    waited = threading.local()

    def look_then_wait(key: str) -> Message | None:
        found = real(key)
        if not getattr(waited, "once", False):  # the first look of each sender
            waited.once = True
            if connection.vendor != "postgresql":
                # SQLite takes one writer at a time (and the suite's in-memory database
                # cannot hold two): the senders run in turn, each having seen no message.
                return None
            looked.wait()  # both have seen "no message yet"
        return found

    monkeypatch.setattr(services, "_by_key", look_then_wait)
    made: list[int] = []

    def send_once() -> None:
        try:
            made.append(
                services.mail_send(
                    to="sam@example.com",
                    template=INVITATION,
                    context=CONTEXT,
                    language="nl",
                    workspace=cast.workspace,
                    key="race:both",
                ).pk
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=send_once) for _ in range(2)]
    for thread in threads:
        thread.start()
        if connection.vendor != "postgresql":
            thread.join()
    for thread in threads:
        thread.join()
    assert len(made) == 2 and made[0] == made[1]
    with scopes_disabled():
        assert Message.objects.filter(key="race:both").count() == 1
    assert len(mail.outbox) == 1
