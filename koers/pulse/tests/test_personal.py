"""Personal links: one answer per person, changeable until the round closes, anonymous."""

import csv
import io
import re
from datetime import date, timedelta

import pytest
from django.test import Client as WebClient
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from conftest import Cast
from koers.pulse import services
from koers.pulse.models import Answer, PersonalLink, Round
from koers.rollout.models import Person, Wave, WaveMember

from .conftest import scores

FORM_KEY = re.compile(r'name="form_key" value="([^"]+)"')


@pytest.fixture
def wave_round(cast: Cast) -> Round:
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
        for n in range(6):
            person = Person.objects.create(
                client=cast.client, key=f"p{n}", name=f"Mens {n}", department="Verkoop"
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


def links_csv(cast: Cast, round: Round) -> list[dict[str, str]]:
    web = cast.login(cast.member)
    response = web.post(
        reverse("pulse:personal_links", args=[cast.workspace.slug, cast.project.slug, round.number])
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def answer(web: WebClient, path: str, value: int) -> int:
    key = FORM_KEY.search(web.get(path).content.decode())
    assert key
    return web.post(path, scores(value) | {"form_key": key[1]}).status_code


def test_each_person_gets_a_link_once_as_a_file(cast: Cast, wave_round: Round) -> None:
    rows = links_csv(cast, wave_round)
    assert len(rows) == 6
    assert all("/a/p/" in row["Link"] or "/a/p/" in list(row.values())[-1] for row in rows)
    with scopes_disabled():
        stored = set(PersonalLink.objects.values_list("token_hash", flat=True))
    tokens = {list(row.values())[-1].rstrip("/").rsplit("/", 1)[-1] for row in rows}
    assert len(tokens) == 6 and not tokens & stored  # only hashes are kept
    assert all(len(token) * 6 >= 128 for token in tokens)


def test_a_person_answers_once_and_may_change_it_until_the_round_closes(
    cast: Cast, wave_round: Round
) -> None:
    path = "/" + list(links_csv(cast, wave_round)[0].values())[-1].split("/", 3)[-1]
    web = WebClient()
    assert answer(web, path, 2) == 200
    assert (
        "You answered before"
        in WebClient(headers={"accept-language": "en"}).get(path).content.decode()
    )
    assert answer(web, path, 5) == 200
    with scopes_disabled():
        (stored,) = Answer.objects.filter(round=wave_round)
        assert stored.awareness == 5 and stored.department == "Verkoop"
        assert stored.source == Answer.Source.PERSONAL
        assert PersonalLink.objects.filter(has_answered=True).count() == 1
        services.round_close(round=wave_round)
    assert WebClient().get(path).status_code == 410


def test_the_link_records_only_that_the_person_answered(cast: Cast, wave_round: Round) -> None:
    path = "/" + list(links_csv(cast, wave_round)[0].values())[-1].split("/", 3)[-1]
    assert answer(WebClient(), path, 3) == 200
    names = {field.name for field in PersonalLink._meta.get_fields()}
    assert names == {"id", "round", "person", "token_hash", "has_answered"}
    answer_fields = {field.name for field in Answer._meta.get_fields()}
    assert not answer_fields & {"person", "personal_link", "ip", "created_at"}
    with scopes_disabled():
        row = Answer.objects.values().get()
        link = PersonalLink.objects.get(has_answered=True)
    assert row["edit_key"] != link.token_hash


def test_the_response_rate_is_known(cast: Cast, wave_round: Round) -> None:
    rows = links_csv(cast, wave_round)
    for row in rows[:3]:
        assert answer(WebClient(), "/" + list(row.values())[-1].split("/", 3)[-1], 4) == 200
    page = cast.login(cast.owner).get(
        reverse("pulse:round", args=[cast.workspace.slug, cast.project.slug, wave_round.number]),
        headers={"accept-language": "en"},
    )
    assert "3 of 6 people answered (50%)." in page.content.decode()
    # New links go only to those who have not answered; the others keep theirs.
    assert len(links_csv(cast, wave_round)) == 3


def test_personal_links_need_a_wave(cast: Cast, wave_round: Round) -> None:
    with scopes_disabled():
        other = services.round_create(
            project=cast.project, actor=None, title="Los", closes_at=timezone.now() + timedelta(1)
        )
        with pytest.raises(services.KoersError) as refused:
            services.personal_links_create(round=other)
    assert refused.value.field is None and refused.value.message


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
