"""Mailing a communication to stakeholders: once each, in the project's language, a failure
shown with its reason and retried, and gone with the stakeholder."""

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from koers.outbox.models import Message
from koers.outbox.registry import EDITABLE
from koers.stakeholders import mailing, services
from koers.stakeholders.models import Communication, CommunicationMail
from tests.factories import Cast

from .conftest import add_stakeholder, log

pytestmark = pytest.mark.django_db


def with_address(cast: Cast, name: str, email: str, **role: Any) -> Any:
    made = add_stakeholder(cast.project, name, **role)
    with scopes_disabled():
        return services.stakeholder_update(stakeholder=made, email=email)


def test_a_celebration_goes_once_to_each_with_an_address_in_the_projects_language(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    lieve = with_address(cast, "Lieve", "lieve@example.be", stance="sceptic")
    bart = add_stakeholder(cast.project, "Bart")  # no address
    item = log(
        cast.project,
        timezone.localdate() + timedelta(days=3),
        kind="update",
        status="planned",
        subject="De eerste afdeling is live",
        content="Sinds maandag werkt de servicedesk in de nieuwe omgeving.",
    )
    with scopes_disabled(), django_capture_on_commit_callbacks(execute=True):
        sent = mailing.communication_mail(
            item=item, stakeholders=[lieve, bart], template="celebration", actor=cast.member
        )
        again = mailing.communication_mail(
            item=item, stakeholders=[lieve], template="celebration", actor=cast.member
        )
    assert (sent.mailed, sent.before, sent.no_address) == (1, 0, 1)
    assert (again.mailed, again.before) == (0, 1)
    (message,) = mail.outbox
    assert message.to == ["lieve@example.be"]
    assert message.subject == "Een succesje voor Naar de cloud: De eerste afdeling is live"
    assert message.body.startswith("Hallo Lieve,")
    assert "Sinds maandag werkt de servicedesk in de nieuwe omgeving." in message.body
    with scopes_disabled():
        item.refresh_from_db()
        assert item.status == Communication.Status.DONE and item.on == timezone.localdate()
        assert list(item.audience.all()) == [lieve]  # mailed is contact


def test_an_english_project_mails_its_status_update_in_english(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    with scopes_disabled():
        cast.project.language = "en"
        cast.project.save()
    sam = with_address(cast, "Sam", "sam@example.com")
    item = log(cast.project, timezone.localdate(), kind="update", subject="Phase 1 done")
    with scopes_disabled(), django_capture_on_commit_callbacks(execute=True):
        mailing.communication_mail(
            item=item, stakeholders=[sam], template="status_update", actor=cast.member
        )
    (message,) = mail.outbox
    assert message.subject == "Naar de cloud: Phase 1 done"
    assert message.body.startswith("Hello Sam,")
    assert "over-communication does not exist" in message.body


def test_a_refused_mail_shows_why_on_the_page_and_is_sent_again_once(
    cast: Cast, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    settings.EMAIL_BACKEND = "koers.outbox.tests.test_services.Refusing"
    lieve = with_address(cast, "Lieve", "lieve@example.be")
    item = log(cast.project, timezone.localdate(), lieve, kind="update")
    web = cast.login(cast.member)
    page = cast.project.url("project_stakeholders:communication_edit", communication=item.pk)
    mail_url = cast.project.url("project_stakeholders:communication_mail", communication=item.pk)
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            web.post(
                mail_url, {"template": "status_update", "stakeholders": [lieve.pk]}
            ).status_code
            == 302
        )
    shown = web.get(page).content.decode()
    assert "mailbox unavailable" in shown and "Send again" in shown
    with scopes_disabled():
        failed = CommunicationMail.objects.get().message
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    retry = cast.project.url(
        "project_stakeholders:communication_mail_retry",
        communication=item.pk,
        message=failed.pk,
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert web.post(retry).status_code == 302
        assert web.post(retry).status_code == 404  # sent now: nothing failed to retry
    assert len(mail.outbox) == 1
    failed.refresh_from_db()
    assert failed.state == Message.State.SENT and failed.attempts == 2


def test_a_viewer_cannot_mail_and_a_message_of_another_communication_is_not_retried(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    lieve = with_address(cast, "Lieve", "lieve@example.be")
    item = log(cast.project, timezone.localdate(), lieve)
    other = log(cast.project, timezone.localdate(), lieve)
    mail_url = cast.project.url("project_stakeholders:communication_mail", communication=item.pk)
    body = {"template": "status_update", "stakeholders": [lieve.pk]}
    assert cast.login(cast.viewer).post(mail_url, body).status_code == 403
    with scopes_disabled():
        assert not Message.objects.exists()
        with django_capture_on_commit_callbacks(execute=True):
            mailing.communication_mail(
                item=other, stakeholders=[lieve], template="status_update", actor=None
            )
        message = Message.objects.get()
        Message.objects.filter(pk=message.pk).update(state=Message.State.FAILED)
    retry = cast.project.url(
        "project_stakeholders:communication_mail_retry", communication=item.pk, message=message.pk
    )
    assert cast.login(cast.member).post(retry).status_code == 404


def test_deleting_a_stakeholder_deletes_the_mails_sent_to_them(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    lieve = with_address(cast, "Lieve", "lieve@example.be")
    item = log(cast.project, timezone.localdate(), lieve)
    with scopes_disabled():
        with django_capture_on_commit_callbacks(execute=True):
            mailing.communication_mail(
                item=item, stakeholders=[lieve], template="status_update", actor=None
            )
        assert Message.objects.filter(to="lieve@example.be").exists()
        services.stakeholder_delete(stakeholder=lieve)
        assert not Message.objects.filter(to="lieve@example.be").exists()


def test_both_texts_can_be_worded_by_the_workspace() -> None:
    assert {"stakeholders-status-update", "stakeholders-celebration"} <= set(EDITABLE)
    for slug in ("stakeholders-status-update", "stakeholders-celebration"):
        assert set(EDITABLE[slug].variables) == {"name", "project", "subject", "content", "sender"}


def test_mailing_nobody_says_so_and_sends_nothing(cast: Cast) -> None:
    item = log(cast.project, timezone.localdate())
    mail_url = cast.project.url("project_stakeholders:communication_mail", communication=item.pk)
    web = cast.login(cast.member)
    sent = web.post(mail_url, {"template": "status_update"}, follow=True)
    assert "This field is required." in sent.content.decode()
    with scopes_disabled():
        assert not Message.objects.exists()


@pytest.mark.parametrize("slug", ["stakeholders-status-update", "stakeholders-celebration"])
@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_owner_words_both_texts_in_both_languages_on_the_outbox_page(
    cast: Cast, slug: str, language: str
) -> None:
    page = cast.login(cast.owner).get(reverse("outbox:template", args=["acme", slug, language]))
    assert page.status_code == 200
    assert "{{ name }}" in page.content.decode()  # the shipped text, to start from
