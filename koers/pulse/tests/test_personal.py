"""Personal links: mailed by Koers, one answer per person, changeable unseen, anonymous.

Written as the attacker of issue 11 would try it: a member of the team looks for a way to
see, download or make a colleague's link, or to learn who has or has not answered.
"""

import re
import smtplib
from datetime import date, timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection
from django.test import Client as WebClient
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from koers.outbox import services as outbox_services
from koers.outbox.models import Message
from koers.outbox.registry import EDITABLE
from koers.population.models import Person
from koers.pulse import mailing, services
from koers.pulse.models import Answer, PersonalLink, Round
from koers.rollout.models import Wave, WaveMember
from koers.workspaces.models import ApiToken
from tests.factories import Cast

from .conftest import scores

FORM_KEY = re.compile(r'name="form_key" value="([^"]+)"')
LINK = re.compile(r"https?://testserver(/a/p/[^/\s]+/)")
PEOPLE = 6


@pytest.fixture
def wave_round(cast: Cast) -> Round:
    """An open round for a wave of six people with an address and one without."""
    with scopes_disabled():
        wave = Wave.objects.create(
            project=cast.project,
            number=1,
            label="Golf 1",
            kind=Wave.Kind.DEPARTMENT,
            departments=["Verkoop"],
            start_on=date.today(),
            end_on=date.today(),
        )
        for n in range(PEOPLE + 1):
            person = Person.objects.create(
                client=cast.client,
                key=f"p{n}",
                name=f"Mens {n}",
                email=f"mens{n}@example.com" if n < PEOPLE else "",
                department="Verkoop" if n % 2 else "Inkoop",
            )
            WaveMember.objects.create(wave=wave, person=person, live_on=date.today())
        round = services.round_create(
            project=cast.project,
            actor=cast.owner,
            title="Golf 1",
            closes_at=timezone.now() + timedelta(days=3),
            wave=wave,
        )
        services.round_open(round=round)
        return round


def round_url(cast: Cast, round: Round, name: str = "round", **kwargs: Any) -> str:
    return reverse(
        f"pulse:{name}",
        kwargs={"workspace": cast.workspace.slug, "project": cast.project.slug}
        | {"round": round.number}
        | kwargs,
    )


def post(web: WebClient, url: str, data: dict[str, str] | None = None) -> Any:
    """POST as the page's form does; the mails go out when the request's work commits."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return web.post(url, data or {}, headers={"accept-language": "en"}, follow=True)


def mail_links(cast: Cast, round: Round, **data: str) -> Any:
    return post(cast.login(cast.member), round_url(cast, round, "round_links_mail"), data)


def links(to: str | None = None) -> dict[str, str]:
    """Return address -> path of the latest link mailed to each address (or to `to`)."""
    found = {}
    for sent in mail.outbox:
        link = LINK.search(str(sent.body))
        if link and (to is None or sent.to == [to]):
            found[sent.to[0]] = link[1]
    return found


def answer(web: WebClient, path: str, value: int) -> int:
    key = FORM_KEY.search(web.get(path).content.decode())
    assert key
    return web.post(path, scores(value) | {"form_key": key[1]}).status_code


def team_page(cast: Cast, round: Round) -> str:
    page = cast.login(cast.owner).get(round_url(cast, round), headers={"accept-language": "en"})
    assert page.status_code == 200
    return page.content.decode()


def counts(page: str) -> dict[str, int]:
    return {term: int(value) for term, value in re.findall(r"<dt>([^<]+)</dt><dd>(\d+)</dd>", page)}


def test_each_person_is_mailed_their_own_link_once_however_often_it_is_asked(
    cast: Cast, wave_round: Round
) -> None:
    first = mail_links(cast, wave_round)
    assert "Links mailed: 6; mailed before or answered: 0; no e-mail address: 1." in (
        first.content.decode()
    )
    mail_links(cast, wave_round)  # a double click, or a retry
    assert sorted(m.to[0] for m in mail.outbox) == [f"mens{n}@example.com" for n in range(PEOPLE)]
    with scopes_disabled():
        stored = set(PersonalLink.objects.values_list("token_hash", flat=True))
        assert Message.objects.filter(key__startswith="pulse-invite:").count() == PEOPLE
        assert set(Message.objects.values_list("body", flat=True)) == {""}  # blanked once sent
    tokens = {path.strip("/").rsplit("/", 1)[-1] for path in links().values()}
    assert len(tokens) == PEOPLE and not tokens & stored  # only hashes are kept
    assert all(len(token) * 6 >= 128 for token in tokens)
    sent = mail.outbox[0]
    assert "Golf 1" in sent.subject
    assert "Golf 1" in sent.body and links()[sent.to[0]] in sent.body
    with scopes_disabled():  # nobody's language is known: the project's
        assert set(Message.objects.values_list("language", flat=True)) == {"nl"}
    closes = timezone.localtime(wave_round.closes_at)
    assert f"{closes.day} " in sent.body and str(closes.year) in sent.body
    assert counts(team_page(cast, wave_round)) == {
        "Invited": 6,
        "Answered": 0,
        "Reminders": 0,
        "Mail failed": 0,
        "No e-mail address": 1,
    }


def test_a_mail_speaks_the_persons_language_when_the_people_file_gave_it(
    cast: Cast, wave_round: Round
) -> None:
    with scopes_disabled():
        Person.objects.filter(key="p1").update(attributes={"Taal": "English"})
    mail_links(cast, wave_round)
    (english,) = [m for m in mail.outbox if m.to == ["mens1@example.com"]]
    assert "Your answers are anonymous" in english.body
    with scopes_disabled():
        languages = dict(Message.objects.values_list("to", "language"))
    assert languages.pop("mens1@example.com") == "en"
    assert set(languages.values()) == {"nl"}


def test_the_links_of_a_round_without_a_wave_go_to_a_chosen_department(cast: Cast) -> None:
    with scopes_disabled():
        for n, department in enumerate(["Verkoop", "Verkoop", "Inkoop"]):
            Person.objects.create(
                client=cast.client, key=f"d{n}", email=f"d{n}@example.com", department=department
            )
        round = services.round_create(
            project=cast.project,
            actor=None,
            title="Los",
            closes_at=timezone.now() + timedelta(days=2),
        )
        services.round_open(round=round)
    refused = mail_links(cast, round)
    assert "choose the department" in refused.content.decode() and mail.outbox == []
    mail_links(cast, round, department="Verkoop")
    assert sorted(links()) == ["d0@example.com", "d1@example.com"]


def test_a_link_opens_an_empty_form_and_a_new_answer_replaces_the_earlier_unseen(
    cast: Cast, wave_round: Round
) -> None:
    mail_links(cast, wave_round)
    path = links()["mens1@example.com"]
    web = WebClient(headers={"accept-language": "en"})
    assert answer(web, path, 2) == 200
    form = WebClient(headers={"accept-language": "en"}).get(path).content.decode()
    assert "checked" not in form and "You answered before" not in form
    assert "a new answer replaces the earlier one" in form
    assert answer(web, path, 5) == 200
    with scopes_disabled():
        (stored,) = Answer.objects.filter(round=wave_round)
        assert stored.awareness == 5 and stored.department == "Verkoop"
        assert stored.source == Answer.Source.PERSONAL
        assert PersonalLink.objects.filter(has_answered=True).count() == 1
        services.round_close(round=wave_round)
    assert WebClient().get(path).status_code == 410


def test_the_link_records_only_that_the_person_answered(cast: Cast, wave_round: Round) -> None:
    mail_links(cast, wave_round)
    assert answer(WebClient(), links()["mens0@example.com"], 3) == 200
    names = {field.name for field in PersonalLink._meta.get_fields()}
    assert names == {"id", "round", "person", "token_hash", "has_answered"}
    answer_fields = {field.name for field in Answer._meta.get_fields()}
    assert not answer_fields & {"person", "personal_link", "ip", "created_at"}
    with scopes_disabled():
        row = Answer.objects.values().get()
        link = PersonalLink.objects.get(has_answered=True)
    assert row["edit_key"] != link.token_hash


def test_a_reminder_goes_only_to_those_who_have_not_answered_and_nobody_sees_who(
    cast: Cast, wave_round: Round
) -> None:
    mail_links(cast, wave_round)
    invited = links()
    answered = [f"mens{n}@example.com" for n in (0, 1, 2)]
    for address in answered:
        assert answer(WebClient(), invited[address], 4) == 200
    mail.outbox.clear()
    remind = round_url(cast, wave_round, "round_remind")
    done = post(cast.login(cast.member), remind)
    assert "Reminders mailed: 3." in done.content.decode()
    post(cast.login(cast.member), remind)  # again the same day: nobody gets a second one
    reminded = links()
    assert sorted(reminded) == [f"mens{n}@example.com" for n in (3, 4, 5)]
    # The reminder's link works; the invitation's link of the same person no longer does.
    assert WebClient().get(invited["mens3@example.com"]).status_code == 404
    assert answer(WebClient(), reminded["mens3@example.com"], 4) == 200
    page = team_page(cast, wave_round)
    assert counts(page)["Answered"] == 4 and counts(page)["Reminders"] == 3
    for n in range(PEOPLE + 1):  # no name, address or link of anyone on the team's page
        assert f"mens{n}@" not in page and f"Mens {n}" not in page
    assert "/a/p/" not in page


class RefusingSome(EmailBackend):
    """A mail server that refuses addresses starting with "bounce", as a bounce at SMTP time."""

    def send_messages(self, email_messages: Any) -> int:
        refused = [m for m in email_messages if m.to[0].startswith("bounce")]
        if refused:
            raise smtplib.SMTPRecipientsRefused(
                {m.to[0]: (550, b"5.1.1 no such mailbox") for m in refused}
            )
        return super().send_messages(email_messages)


def test_a_failed_address_shows_with_its_reason_and_a_retry_sends_it_once(
    cast: Cast, wave_round: Round, settings: Any
) -> None:
    with scopes_disabled():
        Person.objects.filter(key="p2").update(email="bounce@example.com")
    settings.EMAIL_BACKEND = f"{__name__}.RefusingSome"
    mail_links(cast, wave_round)
    page = team_page(cast, wave_round)
    assert counts(page)["Mail failed"] == 1
    assert "bounce@example.com" in page and "550 5.1.1 no such mailbox" in page
    assert "mens1@example.com" not in page  # only the failed address is named
    with scopes_disabled():
        failed = Message.objects.get(to="bounce@example.com")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox.clear()
    retry = round_url(cast, wave_round, "round_mail_retry", message=failed.pk)
    post(cast.login(cast.member), retry)
    again = post(cast.login(cast.member), retry)  # a double click
    assert again.status_code == 404 or "not failed" in again.content.decode()
    assert [m.to for m in mail.outbox] == [["bounce@example.com"]]
    assert answer(WebClient(), links()["bounce@example.com"], 3) == 200
    assert counts(team_page(cast, wave_round))["Mail failed"] == 0


def test_no_page_gives_a_member_a_personal_link_or_says_who_answered(
    cast: Cast, wave_round: Round
) -> None:
    mail_links(cast, wave_round)
    tokens = [path.strip("/").rsplit("/", 1)[-1] for path in links().values()]
    assert answer(WebClient(), links()["mens0@example.com"], 4) == 200
    with pytest.raises(NoReverseMatch):  # the download of links is gone
        reverse("pulse:personal_links", args=[cast.workspace.slug, cast.project.slug, 1])
    web = cast.login(cast.owner)
    pages = [
        round_url(cast, wave_round),
        reverse("pulse:rounds", args=[cast.workspace.slug, cast.project.slug]),
        reverse("outbox:outbox", args=[cast.workspace.slug]),
    ]
    api_token = ApiToken(user=cast.owner, name="script", expires_at=timezone.now() + timedelta(1))
    secret = api_token.new_token()
    api_token.save()
    api = WebClient(headers={"Authorization": f"Bearer {secret}"})
    base = f"/api/v1/w/{cast.workspace.slug}/projects/{cast.project.slug}/pulse/rounds"
    for url in [*pages, base, f"{base}/{wave_round.number}"]:
        response = (api if url.startswith("/api/") else web).get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert not any(token in body for token in tokens), url
        assert "mens0@" not in body, url
    # Mails with a personal link are not in the outbox list either (the list would name
    # who was reminded), and their text is gone once sent.
    outbox = web.get(reverse("outbox:outbox", args=[cast.workspace.slug])).content.decode()
    assert "mens1@example.com" not in outbox


def test_a_workspace_text_of_the_invitation_is_mailed(cast: Cast, wave_round: Round) -> None:
    with scope(workspace=cast.workspace):
        outbox_services.mail_template_save(
            workspace=cast.workspace,
            spec=EDITABLE["pulse-invitation"],
            language="nl",
            subject="{{ project }}: jouw mening",
            body="Dag {{ name }}, tot {{ closes }}: {{ link }}",
        )
    mail_links(cast, wave_round)
    sent = next(m for m in mail.outbox if m.to == ["mens1@example.com"])
    assert sent.subject == "Naar de cloud: jouw mening"
    assert sent.body.startswith("Dag Mens 1, tot ") and "/a/p/" in sent.body


def test_the_wave_of_a_round_stays_once_its_links_are_mailed(cast: Cast, wave_round: Round) -> None:
    mail_links(cast, wave_round)
    with scopes_disabled(), pytest.raises(services.KoersError) as refused:
        services.round_update(
            round=wave_round,
            title=wave_round.title,
            closes_at=wave_round.closes_at,
            wave=None,
        )
    assert refused.value.field == "wave"


def test_links_are_mailed_only_while_the_round_is_open(cast: Cast, wave_round: Round) -> None:
    with scopes_disabled():
        services.round_close(round=wave_round)
    with scopes_disabled(), pytest.raises(services.KoersError):
        mailing.round_links_mail(round=wave_round, answer_url=str)
    assert mail.outbox == []


def test_a_wave_gate_is_measured_by_its_round_and_open_blocking_feedback(
    cast: Cast, wave_round: Round
) -> None:
    from koers.pulse import queries
    from koers.pulse.signals import Step

    from .conftest import add_answers

    with scopes_disabled():
        wave = wave_round.wave
        assert wave is not None
        assert not queries.gate_measure(wave).check.measured  # no answers: no pass
        add_answers(wave_round, 5, {"knowledge": 3})
        services.feedback_create(
            project=cast.project,
            actor=None,
            source="pilot",
            text="MFA werkt niet",
            is_blocking=True,
            wave=wave,
        )
        measure = queries.gate_measure(wave, reached=Step.KNOWLEDGE)
        assert not measure.check.passed and measure.check.barrier == Step.KNOWLEDGE
        assert measure.open_blocking == 1 and measure.round == wave_round
        assert queries.gate_measure(wave, reached=Step.DESIRE).check.passed


def test_the_wave_gate_shows_the_pulse_barrier_point_and_blocking_feedback(
    cast: Cast, wave_round: Round
) -> None:
    from koers.rollout.models import Gate

    from .conftest import add_answers

    with scopes_disabled():
        wave = wave_round.wave
        assert wave is not None
        Gate.objects.create(wave=wave, min_understanding=4)
        add_answers(wave_round, 5, {"awareness": 2, "knowledge": 2})
        services.feedback_create(
            project=cast.project,
            actor=None,
            source="pilot",
            text="Inloggen duurt te lang",
            is_blocking=True,
            wave=wave,
        )
    web = cast.login(cast.member)
    url = reverse("rollout:wave", args=[cast.workspace.slug, cast.project.slug, wave.pk])
    page = web.get(url, headers={"accept-language": "en"}).content.decode()
    assert "barrier point at Awareness" in page
    assert "blocking feedback 1 (max 0)" in page
    assert "understanding 2.0 (min 4" in page


def test_a_large_wave_is_mailed_by_the_task_worker_and_reminded_there_too(
    cast: Cast, wave_round: Round, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(mailing, "BACKGROUND_PEOPLE", 2)
    page = mail_links(cast, wave_round)  # the task runs once the request's work commits
    assert "mailing in the background" in page.content.decode()
    assert len(mail.outbox) == PEOPLE
    assert all(path.startswith("/a/p/") for path in links().values())
    assert answer(WebClient(), links()["mens0@example.com"], 4) == 200
    mail.outbox.clear()
    post(cast.login(cast.member), round_url(cast, wave_round, "round_remind"))
    assert len(mail.outbox) == PEOPLE - 1
    assert "mens0@example.com" not in links()


def test_a_closed_round_is_refused_at_once_even_for_a_large_wave(
    cast: Cast, wave_round: Round, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(mailing, "BACKGROUND_PEOPLE", 2)
    with scopes_disabled():
        services.round_close(round=wave_round)
    page = mail_links(cast, wave_round)
    assert "only while the round is open" in page.content.decode()
    assert mail.outbox == []


def test_the_round_page_counts_in_queries_that_do_not_grow_with_the_people(
    cast: Cast, wave_round: Round, django_assert_num_queries: Any
) -> None:
    web = cast.login(cast.member)
    english = {"accept-language": "en"}
    mail_links(cast, wave_round, department="Inkoop")
    web.get(
        round_url(cast, wave_round), headers=english
    )  # the first visit also notes the workspace
    with CaptureQueriesContext(connection) as few:
        web.get(round_url(cast, wave_round), headers=english)
    queries = len(few.captured_queries)  # the next request clears Django's query log
    mail_links(cast, wave_round)  # everyone now, one of them refused by the mail server
    with scopes_disabled():
        Message.objects.filter(to="mens1@example.com").update(state=Message.State.FAILED)
    with django_assert_num_queries(queries):
        page = web.get(round_url(cast, wave_round), headers=english).content.decode()
    assert counts(page)["Invited"] == PEOPLE and counts(page)["Mail failed"] == 1
