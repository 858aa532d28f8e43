"""The outbox page and the mail texts pages: managers and owners only, workspace-scoped."""

from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scopes_disabled

from koers.outbox import services
from koers.outbox.models import MailTemplate, Message
from tests.factories import Cast

CONTEXT = {"name": "Sam", "project": "Cloud", "round": "Ronde", "closes": "9 dec", "link": "L"}


def queue(cast: Cast, *, to: str, is_private: bool = False) -> Message:
    with TestCase.captureOnCommitCallbacks(execute=True):
        return services.mail_send(
            to=to,
            template="pulse/mail/invitation",
            context=CONTEXT | {"link": f"https://koers.example/a/p/secret-{to}/"},
            language="en",
            workspace=cast.workspace,
            is_private=is_private,
        )


def outbox_url(cast: Cast, name: str = "outbox", **kwargs: Any) -> str:
    return reverse(f"outbox:{name}", kwargs={"workspace": cast.workspace.slug, **kwargs})


def test_the_outbox_lists_mails_with_state_but_no_private_one(cast: Cast) -> None:
    queue(cast, to="open@example.com")
    queue(cast, to="private@example.com", is_private=True)
    page = cast.login(cast.manager).get(outbox_url(cast), headers={"accept-language": "en"})
    body = page.content.decode()
    assert page.status_code == 200
    assert "open@example.com" in body and "Sent" in body
    assert "private@example.com" not in body and "secret" not in body


def test_the_outbox_is_paged_and_its_queries_do_not_grow_with_the_mails(
    cast: Cast, django_assert_num_queries: Any
) -> None:
    web = cast.login(cast.manager)
    queue(cast, to="p0@example.com")
    web.get(outbox_url(cast))  # the first visit also notes the workspace in the session
    with CaptureQueriesContext(connection) as few:
        web.get(outbox_url(cast))
    for n in range(1, 60):
        queue(cast, to=f"p{n}@example.com")
    with django_assert_num_queries(len(few.captured_queries)):
        first = web.get(outbox_url(cast)).content.decode()
    assert first.count("@example.com</td>") == 50
    assert web.get(outbox_url(cast) + "?page=2").content.decode().count("@example.com</td>") == 10


def test_a_failed_mail_is_retried_from_the_outbox_once(cast: Cast) -> None:
    message = queue(cast, to="open@example.com")
    with scopes_disabled():
        Message.objects.filter(pk=message.pk).update(
            state=Message.State.FAILED, failure=Message.Failure.ERROR, reason="timed out"
        )
    mail.outbox.clear()
    web = cast.login(cast.manager)
    assert "timed out" in web.get(outbox_url(cast)).content.decode()
    retry = outbox_url(cast, "retry", message=message.pk)
    with TestCase.captureOnCommitCallbacks(execute=True):
        web.post(retry)
        web.post(retry)  # a double click
    assert [m.to for m in mail.outbox] == [["open@example.com"]]
    message.refresh_from_db()
    assert (message.state, message.attempts) == (Message.State.SENT, 2)


def test_a_private_mail_cannot_be_retried_from_the_outbox(cast: Cast) -> None:
    message = queue(cast, to="private@example.com", is_private=True)
    with scopes_disabled():
        Message.objects.filter(pk=message.pk).update(state=Message.State.FAILED)
    response = cast.login(cast.owner).post(outbox_url(cast, "retry", message=message.pk))
    assert response.status_code == 404


def test_a_mail_text_is_previewed_saved_and_set_back(cast: Cast) -> None:
    web = cast.login(cast.manager)
    url = outbox_url(cast, "template", template="pulse-invitation", language="en")
    page = web.get(url, headers={"accept-language": "en"}).content.decode()
    assert "{{ link }}" in page and "https://koers.example/a/p/example-link/" in page  # preview
    data = {"subject": "About {{ round }}", "body": "Hi {{ name }}: {{ link }}"}
    preview = web.post(url, data | {"preview": "1"}, headers={"accept-language": "en"})
    assert "About Before the pilot" in preview.content.decode()
    with scopes_disabled():
        assert not MailTemplate.objects.exists()  # a preview saves nothing
    assert web.post(url, data).status_code == 302
    with scopes_disabled():
        assert MailTemplate.objects.get().body == data["body"]
    listing = web.get(outbox_url(cast, "templates"), headers={"accept-language": "en"})
    assert "Own text" in listing.content.decode()
    web.post(outbox_url(cast, "template_reset", template="pulse-invitation", language="en"))
    with scopes_disabled():
        assert not MailTemplate.objects.exists()


def test_a_broken_mail_text_gives_a_form_error_and_is_not_saved(cast: Cast) -> None:
    url = outbox_url(cast, "template", template="pulse-invitation", language="en")
    response = cast.login(cast.owner).post(url, {"subject": "Hi", "body": "{% if name %}open"})
    assert response.status_code == 200
    assert response.context["form"].errors["body"]
    with scopes_disabled():
        assert not MailTemplate.objects.exists()


@pytest.mark.parametrize(
    ("template", "language"), [("no-such-mail", "en"), ("pulse-invitation", "fr")]
)
def test_an_unknown_mail_text_or_language_is_404(cast: Cast, template: str, language: str) -> None:
    url = outbox_url(cast, "template", template=template, language=language)
    assert cast.login(cast.owner).get(url).status_code == 404


def test_a_member_or_viewer_may_not_see_the_outbox_and_an_outsider_gets_404(cast: Cast) -> None:
    for user, status in ((cast.member, 403), (cast.viewer, 403), (cast.outsider, 404)):
        assert cast.login(user).get(outbox_url(cast)).status_code == status
        texts = outbox_url(cast, "templates")
        assert cast.login(user).get(texts).status_code == status
