"""The client's evaluation: a public link that takes one answer, and the results per project
and per client over time."""

import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client as WebClient
from django.urls import reverse
from django_scopes import scopes_disabled
from hypothesis import given
from hypothesis import strategies as st

from koers.aftercare import scores, services
from koers.aftercare.models import Evaluation
from koers.core.errors import KoersError
from koers.projects.models import Project
from tests.factories import Cast, ClientFactory, make_project

from .conftest import API, api, url

pytestmark = pytest.mark.django_db


def sent(project: Project) -> tuple[Evaluation, str]:
    with scopes_disabled():
        return services.evaluation_send(project=project, actor=None)


def answered(project: Project, score: int, **texts: str) -> Evaluation:
    evaluation, _token = sent(project)
    with scopes_disabled():
        return services.evaluation_answer(evaluation=evaluation, score=score, **texts)


def public(token: str) -> str:
    return reverse("evaluation_answer", kwargs={"token": token})


def test_the_team_sends_a_link_and_the_client_answers_it_once(cast: Cast) -> None:
    web = cast.login(cast.member)
    response = web.post(url("aftercare:evaluation_send"), follow=True)
    page = response.content.decode()
    assert 'id="evaluation-link"' in page
    link = page.split('id="evaluation-link">', 1)[1].split("<", 1)[0]
    path = link.split("testserver", 1)[1]
    # Shown once: the next visit does not show it again.
    assert link not in web.get(url("aftercare:evaluations")).content.decode()

    client = WebClient()  # the client's phone: no log-in
    form = client.get(path + "?lang=en")
    assert form.status_code == 200 and "Naar de cloud" in form.content.decode()
    assert "What do we do next?" in form.content.decode()
    done = client.post(
        path + "?lang=en",
        {"score": "8", "went_well": "Korte lijnen", "what_next": "Fase twee: de webshop"},
    )
    assert done.status_code == 200 and "has arrived" in done.content.decode()
    again = client.post(path + "?lang=en", {"score": "2", "went_well": "Alles mis"})
    assert "already answered" in again.content.decode()
    with scopes_disabled():
        [evaluation] = Evaluation.objects.all()
    assert (evaluation.score, evaluation.went_well, evaluation.language) == (
        8,
        "Korte lijnen",
        "en",
    )
    results = web.get(url("aftercare:evaluations")).content.decode()
    assert "Score 8/10" in results and "Fase twee: de webshop" in results


def test_the_form_says_per_field_what_is_wrong(cast: Cast) -> None:
    _evaluation, token = sent(cast.project)
    client = WebClient()
    for data, message in [
        ({"went_well": "Goed"}, "Choose a score from 0 to 10."),
        ({"score": "11"}, "Choose a score from 0 to 10."),
        ({"score": "-1"}, "Choose a score from 0 to 10."),
        ({"score": "7", "what_next": "x" * 4001}, "at most 4000 characters"),
    ]:
        response = client.post(public(token) + "?lang=en", data)
        body = response.content.decode()
        assert response.status_code == 400 and message in body, data
        assert 'class="error"' in body
    with scopes_disabled():
        assert not Evaluation.objects.filter(answered_at__isnull=False).exists()


def test_the_service_refuses_a_second_answer_and_a_revoked_link(cast: Cast) -> None:
    evaluation, _token = sent(cast.project)
    other, _other_token = sent(cast.project)
    with scopes_disabled():
        services.evaluation_answer(evaluation=evaluation, score=6)
        stale = Evaluation.objects.get(pk=evaluation.pk)
        with pytest.raises(KoersError):
            services.evaluation_answer(evaluation=stale, score=1)
        services.evaluation_revoke(evaluation=other)
        with pytest.raises(KoersError):
            services.evaluation_answer(evaluation=other, score=9)
        with pytest.raises(KoersError) as refused:
            services.evaluation_answer(evaluation=Evaluation.objects.get(pk=other.pk), score=11)
        assert refused.value.field == "score"
        assert Evaluation.objects.get(pk=evaluation.pk).score == 6


def test_a_revoked_link_shows_nothing_and_takes_nothing(cast: Cast) -> None:
    evaluation, token = sent(cast.project)
    web = cast.login(cast.member)
    web.post(url("aftercare:evaluation_revoke", evaluation=evaluation.pk))
    for response in (WebClient().get(public(token)), WebClient().post(public(token), {"score": 9})):
        assert response.status_code == 410
        assert "Naar de cloud" not in response.content.decode()
    evaluation.refresh_from_db()
    assert evaluation.answered_at is None and evaluation.revoked_at is not None


def test_only_members_send_or_revoke_and_only_their_own_project_s_links(cast: Cast) -> None:
    evaluation, _token = sent(cast.project)
    with scopes_disabled():
        other = make_project(cast.other_client, slug="erp", name="ERP")
    foreign, _foreign_token = sent(other)
    assert cast.login(cast.viewer).post(url("aftercare:evaluation_send")).status_code == 403
    revoke = url("aftercare:evaluation_revoke", evaluation=evaluation.pk)
    assert cast.login(cast.viewer).post(revoke).status_code == 403
    assert cast.login(cast.guest).get(url("aftercare:evaluations")).status_code == 404
    assert cast.login(cast.outsider).post(url("aftercare:evaluation_send")).status_code == 404
    # Another project's link, by id, through this project's address.
    foreign_revoke = url("aftercare:evaluation_revoke", evaluation=foreign.pk)
    assert cast.login(cast.member).post(foreign_revoke).status_code == 404
    with scopes_disabled():
        assert Evaluation.objects.filter(revoked_at__isnull=False).count() == 0
        assert Evaluation.objects.count() == 2


def client_url(cast: Cast) -> str:
    return reverse("client_evaluations", kwargs={"workspace": "acme", "client": cast.client.slug})


def test_the_client_page_lists_evaluations_by_date_with_their_trend(cast: Cast) -> None:
    with scopes_disabled():
        mail = make_project(cast.client, slug="mail", name="Mail migreren")
    answered(mail, 5)
    answered(cast.project, 9, what_next="De webshop")
    sent(cast.project)  # not answered: not on the client's page
    page = cast.login(cast.viewer).get(client_url(cast)).content.decode()
    assert page.index("Naar de cloud") < page.index("Mail migreren")  # the last answered first
    assert "De webshop" in page and "rising" in page and "7.0" in page
    assert cast.login(cast.guest).get(client_url(cast)).status_code == 404
    assert cast.login(cast.outsider).get(client_url(cast)).status_code == 404
    client_page = reverse(
        "workspaces:client", kwargs={"workspace": "acme", "client": cast.client.slug}
    )
    assert client_url(cast) in cast.login(cast.member).get(client_page).content.decode()


# Session, user, membership, the switcher's memberships, the client; then the page of
# evaluations, its count and the scores for the trend.
CLIENT_QUERIES = 8
# Session, user, membership, the switcher's memberships, the project; the page and its count.
PROJECT_QUERIES = 7


def test_the_evaluation_pages_take_a_fixed_number_of_queries(
    cast: Cast, django_assert_num_queries: Any
) -> None:
    web = cast.login(cast.member)
    answered(cast.project, 7)
    sent(cast.project)
    web.get(client_url(cast))  # the first visit of a session writes it
    for size in (2, 30):
        while True:
            with scopes_disabled():
                if Evaluation.objects.count() >= size:
                    break
            answered(cast.project, size % 11)
        with django_assert_num_queries(CLIENT_QUERIES):
            assert web.get(client_url(cast)).status_code == 200
        with django_assert_num_queries(PROJECT_QUERIES):
            assert web.get(url("aftercare:evaluations")).status_code == 200


def test_the_api_sends_lists_and_revokes(cast: Cast) -> None:
    web = api(cast.member)
    made = web.post(f"{API}/evaluations")
    assert made.status_code == 201
    token = made.json()["link"].strip("/").rsplit("/", 1)[1]
    WebClient().post(public(token), {"score": "4", "could_be_better": "Planning"})
    listed = web.get(f"{API}/evaluations").json()
    assert listed["count"] == 1 and listed["next"] is None
    [item] = listed["items"]
    assert (item["state"], item["score"], item["could_be_better"]) == ("answered", 4, "Planning")
    assert "token" not in item and "link" not in item
    second = web.post(f"{API}/evaluations").json()
    revoked = web.post(f"{API}/evaluations/{second['id']}/revoke").json()
    assert revoked["state"] == "revoked"
    client_api = f"/api/v1/w/acme/clients/{cast.client.slug}"
    assert web.get(f"{client_api}/evaluations").json()["count"] == 1
    assert web.get(f"{client_api}/evaluation-trend").json() == {
        "count": 1,
        "mean": 4.0,
        "last": 4,
        "direction": "none",
    }
    assert api(cast.viewer).post(f"{API}/evaluations").status_code == 403
    assert api(cast.guest).get(f"{API}/evaluations").status_code == 404
    assert api(cast.outsider).get(f"{client_api}/evaluations").status_code == 404


def test_the_cli_prints_json_and_sends_for_a_member(cast: Cast) -> None:
    answered(cast.project, 6)
    out = StringIO()
    call_command(
        "evaluations", project="acme/cloud", send=True, by=cast.member.email, json=True, stdout=out
    )
    document = json.loads(out.getvalue())
    assert document["link"].startswith("/e/")
    assert [e["state"] for e in document["evaluations"]] == ["open", "answered"]
    out = StringIO()
    call_command("evaluations", client=f"acme/{cast.client.slug}", json=True, stdout=out)
    document = json.loads(out.getvalue())
    assert document["trend"]["last"] == 6 and len(document["evaluations"]) == 1
    with pytest.raises(CommandError, match="--by"):
        call_command("evaluations", project="acme/cloud", send=True, by=cast.viewer.email)


def test_another_workspace_s_client_is_not_found_by_the_cli_or_the_page(cast: Cast) -> None:
    with scopes_disabled():
        ClientFactory(workspace=cast.workspace, slug="leeg", name="Leeg")
    with pytest.raises(CommandError):
        call_command("evaluations", client="rival/bakkerij")
    page = reverse("client_evaluations", kwargs={"workspace": "acme", "client": "leeg"})
    assert "No evaluation answered yet." in cast.login(cast.member).get(page).content.decode()


@given(st.lists(st.integers(min_value=0, max_value=10), max_size=20))
def test_the_trend_is_within_the_scores_and_follows_them(values: list[int]) -> None:
    found = scores.trend(values)
    assert found.count == len(values)
    if not values:
        assert found.direction == "none" and found.mean is None
        return
    assert found.mean is not None and min(values) <= found.mean <= max(values)
    assert found.last == values[-1]
    if len(values) >= 2 and all(v == values[0] for v in values):
        assert found.direction == "steady"


def test_the_trend_rises_falls_and_holds() -> None:
    assert scores.trend([4, 8]).direction == "up"
    assert scores.trend([8, 8, 8, 4, 4, 4]).direction == "down"
    assert scores.trend([7, 7, 7, 7]).direction == "steady"
    assert scores.trend([7]).direction == "none"
