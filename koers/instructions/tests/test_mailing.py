"""Mail the people of a wave or the pilot: each person once, in bulk with a fixed number of
queries, the ones without an address named, failures shown with why and sent again."""

import re
from datetime import date
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_scopes import scopes_disabled

from koers.core.errors import KoersError
from koers.instructions import mailing
from koers.instructions.models import Instructions
from koers.outbox.models import Message
from koers.population.models import Person
from koers.rollout import selection
from koers.rollout.models import Wave, WaveMember
from tests.factories import Cast

from .conftest import api, publish, url, wave_of, write

pytestmark = pytest.mark.django_db
MAIL = "/api/v1/w/acme/projects/cloud/people-mail"
JSON = "application/json"


def people_in(wave: Wave, count: int, *, start: int = 0, email: bool = True) -> list[Person]:
    with scopes_disabled():
        made = [
            Person.objects.create(
                client=wave.project.client,
                key=f"k{start + n:05}",
                name=f"Persoon {start + n:03}",
                department="Verkoop",
                email=f"p{start + n}@example.com" if email else "",
            )
            for n in range(count)
        ]
        WaveMember.objects.bulk_create(
            [WaveMember(wave=wave, person=p, live_on=date(2030, 3, 4)) for p in made]
        )
    return made


def send(cast: Cast, wave: Wave | None, kind: mailing.Kind = mailing.Kind.WAVE) -> Any:
    with scopes_disabled():
        return mailing.people_mail(
            project=cast.project, kind=kind, wave=wave, actor=cast.member, site="https://k.test"
        )


def test_a_wave_is_announced_once_with_its_dates_and_instructions_and_skipped_are_named(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    wave = wave_of(cast.project)
    people_in(wave, 2)
    people_in(wave, 1, start=10, email=False)
    with scopes_disabled():
        Person.objects.create(
            client=cast.client, key="bad", name="Zonder Apenstaart", email="geen-adres"
        ).wave_memberships.create(wave=wave, live_on=date(2030, 3, 4))
    (gone,) = people_in(wave, 1, start=20)
    with scopes_disabled():
        Person.objects.filter(pk=gone.pk).update(left_at=timezone.now())  # left: no mail
    path = publish(write(cast.project, wave))
    with django_capture_on_commit_callbacks(execute=True):
        sent = send(cast, wave)
    assert (sent.mailed, sent.before) == (2, 0)
    assert sent.skipped == mailing.Skipped(2, ["Persoon 010", "Zonder Apenstaart"])
    assert len(mail.outbox) == 2
    body = str(mail.outbox[0].body)
    assert re.search(r"4 \w+ 2030 .* 8 \w+ 2030", body)
    assert f"https://k.test{path}" in body and "Golf 1" in body
    with django_capture_on_commit_callbacks(execute=True):
        again = send(cast, wave)
    assert (again.mailed, again.before) == (0, 2) and len(mail.outbox) == 2


def test_the_pilot_is_invited_and_a_wave_of_another_workspace_is_refused(
    cast: Cast, foreign: Instructions, django_capture_on_commit_callbacks: Any
) -> None:
    wave = wave_of(cast.project)
    people_in(wave, 6)
    with scopes_disabled():
        selection.pilot_select(project=cast.project, actor=None, size=2)
    with django_capture_on_commit_callbacks(execute=True):
        sent = send(cast, None, mailing.Kind.PILOT)
    assert sent.mailed == 2 and "pilot" in mail.outbox[0].subject
    for elsewhere in (None, foreign.wave):
        with pytest.raises(KoersError) as error:
            send(cast, elsewhere)
        assert error.value.field == "wave"


def _queries(cast: Cast, wave: Wave) -> int:
    with CaptureQueriesContext(connection) as context:
        send(cast, wave)
    return len(context.captured_queries)


def test_mailing_a_wave_asks_the_same_queries_for_3_or_40_people(cast: Cast) -> None:
    small, large = wave_of(cast.project, 1), wave_of(cast.project, 2)
    people_in(small, 3)
    people_in(large, 40, start=100)
    assert _queries(cast, small) == _queries(cast, large)
    with scopes_disabled():
        assert Message.objects.count() == 43


def test_the_page_shows_failures_with_why_and_a_member_sends_again(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    wave = wave_of(cast.project)
    people_in(wave, 2)
    send(cast, wave)
    with scopes_disabled():
        failed = Message.objects.order_by("pk")[0]
        Message.objects.filter(pk=failed.pk).update(
            state="failed", failure="refused", reason="550 no such user"
        )
    page_url = url("instructions:mail_wave", wave=wave.pk)
    retry = url("instructions:mail_wave_retry", wave=wave.pk, message=failed.pk)
    viewer = cast.login(cast.viewer)
    shown = viewer.get(page_url).content.decode()
    assert "550 no such user" in shown and retry not in shown
    assert viewer.post(retry).status_code == 403
    assert viewer.post(url("instructions:mail_wave_send", wave=wave.pk)).status_code == 403
    assert cast.login(cast.guest).get(page_url).status_code == 404
    member = cast.login(cast.member)
    assert retry in member.get(page_url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert member.post(retry).status_code == 302
    with scopes_disabled():
        failed.refresh_from_db()
    assert failed.state == "sent" and failed.attempts == 1


def test_a_member_sends_from_the_page_and_learns_who_was_skipped(cast: Cast) -> None:
    wave = wave_of(cast.project)
    people_in(wave, 1)
    people_in(wave, 1, start=5, email=False)
    member = cast.login(cast.member)
    shown = member.post(url("instructions:mail_wave_send", wave=wave.pk), follow=True)
    page = shown.content.decode()
    assert "1 mails queued" in page and "Persoon 005" in page
    assert re.search(r"p0@example\.com", page)


@pytest.mark.parametrize("size", [2, 30])
def test_the_mails_page_asks_a_fixed_number_of_queries(
    cast: Cast, size: int, django_assert_num_queries: Any
) -> None:
    wave = wave_of(cast.project)
    people_in(wave, size)
    send(cast, wave)
    web = cast.login(cast.viewer)
    page_url = url("instructions:mail_wave", wave=wave.pk)
    web.get(page_url)
    with django_assert_num_queries(11):
        assert web.get(page_url).status_code == 200


def test_the_api_sends_lists_and_retries_and_refuses_anothers(
    cast: Cast, foreign: Instructions, django_capture_on_commit_callbacks: Any
) -> None:
    wave = wave_of(cast.project)
    people_in(wave, 3)
    people_in(wave, 1, start=9, email=False)
    member = api(cast.member)
    body = {"kind": "wave_announcement", "wave": wave.pk}
    with django_capture_on_commit_callbacks(execute=True):
        sent = member.post(MAIL, body, content_type=JSON).json()
    assert sent == {"mailed": 3, "before": 0, "skipped": 1, "skipped_names": ["Persoon 009"]}
    listed = member.get(f"{MAIL}/messages?kind=wave_announcement&wave={wave.pk}&limit=2").json()
    assert listed["count"] == 3 and len(listed["items"]) == 2 and listed["next"]
    assert {item["state"] for item in listed["items"]} == {"sent"}
    sent_one = listed["items"][0]["id"]
    refused = member.post(f"{MAIL}/messages/{sent_one}/retry", body, content_type=JSON)
    assert refused.status_code == 400  # not failed
    assert api(cast.viewer).post(MAIL, body, content_type=JSON).status_code == 403
    assert api(cast.guest).get(f"{MAIL}/messages?kind=pilot_invitation").status_code == 404
    other = {"kind": "wave_announcement", "wave": foreign.wave_id}
    refused = member.post(MAIL, other, content_type=JSON)
    assert refused.status_code == 400 and refused.json()["field"] == "wave"
    page = member.get(f"{MAIL}/messages?kind=wave_announcement&wave={foreign.wave_id}")
    assert page.status_code == 400
