"""The public answer page: no login, one answer per form, rate limited, nothing stored of who."""

import re
from datetime import timedelta

import pytest
from django.core import signing
from django.test import Client as WebClient
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled
from pytest_django import DjangoAssertNumQueries
from pytest_django.fixtures import Settings

from koers.pulse import services
from koers.pulse.models import Answer, PublicLink, Round
from koers.pulse.public import MARKER_COOKIE, MARKER_SALT
from tests.factories import Cast

from .conftest import add_answers, scores

# The answer page is the load the pulse must carry (benchmarks/pulse_load.py): its queries.
GET_QUERIES = 3
POST_QUERIES = 6
FORM_KEY = re.compile(r'name="form_key" value="([^"]+)"')


def url(link: PublicLink) -> str:
    return reverse("pulse_answer", args=[link.token])


def form_key(web: WebClient, address: str) -> str:
    response = web.get(address)
    assert response.status_code == 200
    found = FORM_KEY.search(response.content.decode())
    assert found
    return found[1]


def post(web: WebClient, address: str, key: str, **values: object) -> int:
    data = scores(5, unsure="Waar moet ik mijn bestanden laten?") | {"form_key": key} | values
    return web.post(address, data).status_code


def stored() -> int:
    with scopes_disabled():
        return Answer.objects.count()


def test_a_visitor_answers_without_logging_in_and_is_thanked(link: PublicLink) -> None:
    web = WebClient(headers={"accept-language": "en"})
    page = web.get(url(link))
    assert page.status_code == 200
    assert "Where are you unsure?" in page.content.decode()
    response = web.post(url(link), scores(4) | {"form_key": form_key(web, url(link))})
    assert response.status_code == 200
    assert "Thank you!" in response.content.decode()
    assert stored() == 1


def test_the_page_speaks_the_respondents_language(link: PublicLink) -> None:
    english = WebClient(headers={"accept-language": "en"}).get(url(link))
    assert '<html lang="en">' in english.content.decode()
    assert "I understand why this change is made." in english.content.decode()
    assert "What would help you most?" in english.content.decode()  # own question, English only
    dutch = WebClient(headers={"accept-language": "nl"}).get(url(link))
    assert '<html lang="nl">' in dutch.content.decode()
    assert "Ik weet bij wie ik terecht kan." in dutch.content.decode()
    # Each language is offered by its own name, whatever the page's language.
    for page in (english, dutch):
        assert 'lang="nl" hreflang="nl"' in page.content.decode()
        assert ">Nederlands</a>" in page.content.decode()
        assert ">English</a>" in page.content.decode()
    chosen = WebClient(headers={"accept-language": "nl"}).get(url(link) + "?lang=en")
    assert '<html lang="en">' in chosen.content.decode()


def test_the_page_has_no_script_and_no_third_party_resources(link: PublicLink) -> None:
    html = WebClient().get(url(link)).content.decode()
    assert "<script" not in html
    assert not re.search(r'(src|href)="(https?:)?//', html), "only own resources"
    assert "Content-Security-Policy" in WebClient().get(url(link)).headers


def test_a_double_submission_of_one_form_counts_once(link: PublicLink) -> None:
    web = WebClient()
    key = form_key(web, url(link))
    assert post(web, url(link), key) == 200
    web.cookies.clear()  # even without the browser's marker the form key is single use
    assert post(web, url(link), key) == 409
    assert stored() == 1


def test_answering_ten_times_by_reloading_counts_once_and_says_so_kindly(
    link: PublicLink,
) -> None:
    web = WebClient(headers={"accept-language": "en"})
    assert post(web, url(link), form_key(web, url(link))) == 200
    for _ in range(9):
        page = web.get(url(link))
        assert page.status_code == 200
        assert "already arrived" in page.content.decode()
        assert 'name="form_key"' not in page.content.decode()
        again = web.post(url(link), scores(1) | {"form_key": services.form_key_issue(link.key)})
        assert again.status_code == 200
        assert "already arrived" in again.content.decode()
    assert stored() == 1


def test_the_marker_is_random_holds_no_answer_and_stays_on_the_links_page(
    link: PublicLink, settings: Settings
) -> None:
    web = WebClient()
    key = form_key(web, url(link))
    response = web.post(url(link), scores(5) | {"form_key": key})
    cookie = response.cookies[MARKER_COOKIE]
    assert cookie["path"] == url(link)
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    other = WebClient()
    other_cookie = other.post(
        url(link), scores(5) | {"form_key": form_key(other, url(link))}
    ).cookies[MARKER_COOKIE]
    assert cookie.value != other_cookie.value  # random, not derived from what was answered
    with scopes_disabled():
        row = repr(list(Answer.objects.values()))
    assert cookie.value not in row and cookie.value.split(":")[0] not in row


def test_a_forged_or_foreign_marker_does_not_block_an_answer(link: PublicLink) -> None:
    web = WebClient()
    web.cookies[MARKER_COOKIE] = "forged"
    assert post(web, url(link), form_key(web, url(link))) == 200
    foreign = signing.dumps({"round": link.round_id + 1, "nonce": "x"}, salt=MARKER_SALT)
    fresh = WebClient()
    fresh.cookies[MARKER_COOKIE] = foreign
    assert post(fresh, url(link), form_key(fresh, url(link))) == 200
    assert stored() == 2


def test_one_address_gives_at_most_the_days_cap_of_answers(
    link: PublicLink, settings: Settings
) -> None:
    settings.PUBLIC_ANSWERS_PER_ADDRESS = 3
    for _ in range(3):  # three colleagues behind one office address, each a fresh browser
        web = WebClient(REMOTE_ADDR="198.51.100.9")
        assert post(web, url(link), form_key(web, url(link))) == 200
    web = WebClient(REMOTE_ADDR="198.51.100.9", headers={"accept-language": "en"})
    response = web.post(url(link), scores(3) | {"form_key": form_key(web, url(link))})
    assert response.status_code == 429
    assert "tomorrow" in response.content.decode()
    elsewhere = WebClient(REMOTE_ADDR="198.51.100.10")
    assert post(elsewhere, url(link), form_key(elsewhere, url(link))) == 200
    assert stored() == 4


def test_a_spoofed_forwarded_for_does_not_lift_the_cap(
    link: PublicLink, settings: Settings
) -> None:
    settings.HTTPS = True
    settings.SECURE_SSL_REDIRECT = False
    settings.PUBLIC_ANSWERS_PER_ADDRESS = 2
    codes = []
    for n in range(4):
        web = WebClient(REMOTE_ADDR="198.51.100.20", HTTP_X_FORWARDED_FOR=f"10.9.9.{n}")
        codes.append(post(web, url(link), form_key(web, url(link))))
    assert codes == [200, 200, 429, 429]


def test_answer_pages_are_never_cached(link: PublicLink) -> None:
    web = WebClient()
    for response in [
        web.get(url(link)),
        web.post(url(link), scores(4) | {"form_key": form_key(web, url(link))}),
        web.get(url(link)),
    ]:
        directives = {part.strip() for part in response["Cache-Control"].split(",")}
        assert {"private", "no-store"} <= directives


def test_a_replayed_request_from_another_address_is_rejected(link: PublicLink) -> None:
    key = form_key(WebClient(), url(link))
    assert post(WebClient(REMOTE_ADDR="10.0.0.1"), url(link), key) == 200
    assert post(WebClient(REMOTE_ADDR="10.0.0.2"), url(link), key) == 409
    assert stored() == 1


def test_a_forged_or_foreign_form_key_is_refused(link: PublicLink, cast: Cast) -> None:
    web = WebClient()
    assert post(web, url(link), "made-up") == 400
    foreign = services.form_key_issue("another-link")
    assert post(web, url(link), foreign) == 400
    assert stored() == 0


def test_missing_scores_are_asked_for_again(link: PublicLink) -> None:
    web = WebClient()
    key = form_key(web, url(link))
    response = web.post(url(link), {"form_key": key, "awareness": 3})
    assert response.status_code == 400
    assert "error-summary" in response.content.decode()
    assert stored() == 0


def test_the_page_is_rate_limited_per_link_and_address(
    link: PublicLink, settings: Settings
) -> None:
    settings.PUBLIC_RATE_LIMIT = 3
    web = WebClient(REMOTE_ADDR="10.1.1.1")
    assert [web.get(url(link)).status_code for _ in range(4)] == [200, 200, 200, 429]
    assert WebClient(REMOTE_ADDR="10.1.1.2").get(url(link)).status_code == 200


def test_an_unknown_or_tampered_token_is_not_found(link: PublicLink) -> None:
    web = WebClient()
    assert web.get(reverse("pulse_answer", args=["nothing"])).status_code == 404
    key, signature = link.token.split(":")
    assert web.get(reverse("pulse_answer", args=[f"{key}:{signature[::-1]}"])).status_code == 404
    assert web.get(reverse("pulse_answer", args=[f"{key[::-1]}:{signature}"])).status_code == 404


def test_a_revoked_link_is_gone(link: PublicLink) -> None:
    with scopes_disabled():
        services.public_link_revoke(round=link.round)
    response = WebClient().get(url(link))
    assert response.status_code == 410
    assert "closed" in response.content.decode() or "gesloten" in response.content.decode()


def test_an_expired_link_and_a_closed_round_are_gone(link: PublicLink) -> None:
    with scopes_disabled():
        PublicLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - timedelta(1))
    assert WebClient().get(url(link)).status_code == 410
    with scopes_disabled():
        PublicLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() + timedelta(1))
        assert WebClient().get(url(link)).status_code == 200
        services.round_close(round=Round.objects.get(pk=link.round_id))
    assert WebClient().get(url(link)).status_code == 410


def test_a_new_link_stops_the_old_one(link: PublicLink, cast: Cast) -> None:
    with scopes_disabled():
        newer = services.public_link_create(round=link.round, actor=cast.owner)
    assert WebClient().get(url(link)).status_code == 410
    assert WebClient().get(url(newer)).status_code == 200


def test_tokens_carry_at_least_128_random_bits_and_a_signature(link: PublicLink) -> None:
    key, signature = link.token.split(":")
    assert len(key) * 6 >= 128 and signature
    assert PublicLink.key_from_token(f"{key}:x") is None


def test_no_client_address_is_stored_with_an_answer(link: PublicLink) -> None:
    web = WebClient(REMOTE_ADDR="203.0.113.77", headers={"user-agent": "Phone/1.0"})
    assert post(web, url(link), form_key(web, url(link))) == 200
    names = {field.name for field in Answer._meta.get_fields()}
    assert not names & {"ip", "ip_address", "address", "user_agent", "created_at", "person"}
    with scopes_disabled():
        row = Answer.objects.values().get()
    text = repr(row)
    assert "203.0.113" not in text and "Phone/1.0" not in text
    assert row["edit_key"] is None


def test_a_department_outside_the_list_is_refused(link: PublicLink) -> None:
    web = WebClient()
    assert post(web, url(link), form_key(web, url(link)), department="Board") == 400
    assert stored() == 0


@pytest.mark.parametrize("count", [1, 4])
def test_nobody_sees_other_answers_on_the_page(link: PublicLink, count: int) -> None:
    add_answers(link.round, count, unsure="Mijn geheim")
    assert "Mijn geheim" not in WebClient().get(url(link)).content.decode()


def test_the_link_lookup_gives_what_the_orm_gives(link: PublicLink) -> None:
    from django.forms.models import model_to_dict

    from koers.pulse.public import link_for_token

    with scopes_disabled():
        services._save_questions(
            link.round,
            [
                services.QuestionSpec("open", "Wat nog?", ""),
                services.QuestionSpec("scale", "B", "C"),
            ],
        )
        orm = PublicLink.objects.select_related(
            "round__project__workspace", "round__project__client"
        ).get(pk=link.pk)
        expected_questions = list(orm.round.questions.all())
    found = link_for_token(link.token)
    assert found is not None
    mine, questions = found
    for ours, theirs in [
        (mine, orm),
        (mine.round, orm.round),
        (mine.round.project, orm.round.project),
        (mine.round.project.workspace, orm.round.project.workspace),
        (mine.round.project.client, orm.round.project.client),
    ]:
        assert model_to_dict(ours) == model_to_dict(theirs)
        assert ours.pk == theirs.pk
    assert questions[0].round is mine.round
    assert [model_to_dict(q) for q in questions] == [model_to_dict(q) for q in expected_questions]
    assert link_for_token(link.token + "x") is None


@pytest.mark.parametrize("own", [0, 3])
def test_answering_costs_the_same_few_queries_however_many_own_questions(
    link: PublicLink, own: int, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    with scopes_disabled():
        specs = [services.QuestionSpec("scale", f"Vraag {n}", "") for n in range(own)]
        services._save_questions(link.round, specs)
    web = WebClient()
    web.get(url(link))  # the first visit compiles the link's statements
    with django_assert_num_queries(GET_QUERIES):
        key = form_key(web, url(link))
    with django_assert_num_queries(POST_QUERIES):
        assert post(web, url(link), key) == 200
    assert stored() == 1
