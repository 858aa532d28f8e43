"""The account pages tried as an attacker would: guessing passwords through the Django
admin, probing which addresses have an account, flooding mailboxes, and keeping API access
after the owner changed the password."""

import re
from typing import Any

from django.test import Client as WebClient
from django.test import TestCase
from django.test import TestCase
from django.urls import reverse
from pytest_django.fixtures import Settings

from conftest import PASSWORD, Cast, UserFactory


def test_the_admin_log_in_refuses_the_right_password_after_too_many_wrong_ones(
    db: None, settings: Settings
) -> None:
    settings.LOGIN_RATE_LIMIT = 10
    staff = UserFactory(email="beheer@koers.example", is_staff=True, is_superuser=True)
    web = WebClient(headers={"accept-language": "en"})
    login = reverse("admin:login")
    for attempt in range(30):
        response = web.post(login, {"username": staff.email, "password": f"guess-{attempt}"})
        assert response.status_code == 200

    response = web.post(login, {"username": staff.email, "password": PASSWORD, "next": "/admin/"})

    assert response.status_code == 200
    assert "Too many failed log-in attempts" in response.content.decode()
    assert "_auth_user_id" not in web.session
    assert web.get(reverse("admin:index")).status_code == 302  # still sent to the log-in


def test_the_admin_and_the_log_in_page_share_one_count(db: None, settings: Settings) -> None:
    settings.LOGIN_RATE_LIMIT = 4
    staff = UserFactory(is_staff=True, is_superuser=True)
    web = WebClient()
    for _ in range(2):
        web.post(reverse("accounts:login"), {"username": staff.email, "password": "wrong"})
    for _ in range(2):
        web.post(reverse("admin:login"), {"username": staff.email, "password": "wrong"})

    # Neither door opens now, from this client or for this address from another client.
    response = web.post(reverse("accounts:login"), {"username": staff.email, "password": PASSWORD})
    assert response.context["form"].has_error("__all__", code="rate_limited")
    other = WebClient(REMOTE_ADDR="192.0.2.77")
    response = other.post(reverse("admin:login"), {"username": staff.email, "password": PASSWORD})
    assert response.context["form"].has_error("__all__", code="rate_limited")
    assert "_auth_user_id" not in other.session


def test_the_admin_log_in_still_lets_staff_in_and_keeps_others_out(db: None) -> None:
    staff = UserFactory(is_staff=True)
    plain = UserFactory()
    web = WebClient()

    refused = web.post(reverse("admin:login"), {"username": plain.email, "password": PASSWORD})
    assert refused.context["form"].has_error("__all__", code="invalid_login")

    response = web.post(
        reverse("admin:login"), {"username": staff.email, "password": PASSWORD, "next": "/admin/"}
    )
    assert response.status_code == 302
    assert web.get(reverse("admin:index")).status_code == 200


def _token_made_on_the_page(web: WebClient) -> str:
    page = web.post(reverse("accounts:tokens"), {"name": "script", "days": 90}).content.decode()
    match = re.search(r'<code class="token">([^<]+)</code>', page)
    assert match, "no new token on the page"
    return match[1]


def _api(token: str) -> int:
    api = WebClient(headers={"Authorization": f"Bearer {token}"})
    return int(api.get("/api/v1/workspaces").status_code)


def test_a_token_made_with_a_leaked_password_stops_when_the_owner_resets_it(
    cast: Cast, mailoutbox: list[Any]
) -> None:
    intruder = WebClient()
    intruder.post(reverse("accounts:login"), {"username": cast.owner.email, "password": PASSWORD})
    token = _token_made_on_the_page(intruder)
    assert _api(token) == 200

    owner = WebClient(headers={"accept-language": "en"})
    with TestCase.captureOnCommitCallbacks(execute=True):  # the outbox sends on commit
        owner.post(reverse("accounts:password_reset"), {"email": cast.owner.email})
    link = re.search(r"https?://testserver(/\S+)", mailoutbox[-1].body)
    assert link
    assert "stops your API tokens" in mailoutbox[-1].body
    form_page = owner.get(link[1], follow=True)
    assert "stops your API tokens" in form_page.content.decode()
    new = {"new_password1": "nieuw-wachtwoord-99", "new_password2": "nieuw-wachtwoord-99"}
    done = owner.post(form_page.redirect_chain[-1][0], new, follow=True)

    assert "Your API tokens stopped working" in done.content.decode()
    assert _api(token) == 401
    assert intruder.get(reverse("accounts:tokens")).status_code == 302  # logged out too


def test_changing_the_password_on_the_page_stops_every_api_token(cast: Cast) -> None:
    web = WebClient(headers={"accept-language": "en"})
    web.post(reverse("accounts:login"), {"username": cast.owner.email, "password": PASSWORD})
    tokens = [_token_made_on_the_page(web) for _ in range(2)]

    page = web.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "nieuw-wachtwoord-99",
            "new_password2": "nieuw-wachtwoord-99",
        },
        follow=True,
    ).content.decode()

    assert "Your API tokens stopped working" in page
    assert [_api(token) for token in tokens] == [401, 401]
    assert web.get(reverse("accounts:tokens")).status_code == 200  # this session stays


def test_a_password_hash_upgrade_at_log_in_keeps_the_tokens(cast: Cast, settings: Settings) -> None:
    web = WebClient()
    web.post(reverse("accounts:login"), {"username": cast.owner.email, "password": PASSWORD})
    token = _token_made_on_the_page(web)
    # A stronger hasher becomes the default: the next log-in rehashes the same password.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    WebClient().post(
        reverse("accounts:login"), {"username": cast.owner.email, "password": PASSWORD}
    )

    cast.owner.refresh_from_db()
    assert cast.owner.password.startswith("pbkdf2_sha1$")
    assert _api(token) == 200


def test_reset_requests_from_one_client_stop_after_the_hourly_limit_whatever_the_address(
    cast: Cast, settings: Settings, mailoutbox: list[Any]
) -> None:
    settings.ACCOUNT_RATE_LIMIT = 5
    web = WebClient(headers={"accept-language": "en"})
    known = [cast.owner.email, cast.member.email, cast.viewer.email]
    answers, pages = [], []
    with TestCase.captureOnCommitCallbacks(execute=True):  # the outbox sends on commit
        for n in range(150):
            email = known[n % 3] if n % 2 else f"probe{n}@example.com"
            response = web.post(reverse("accounts:password_reset"), {"email": email})
            answers.append((response.status_code, response.get("Location")))
            pages.append(response.content.decode())

    done = reverse("accounts:password_reset_done")
    assert answers[:5] == [(302, done)] * 5  # known or not, the same answer
    assert {answer for answer in answers[5:]} == {(429, None)}
    assert "Too many requests came from your network" in pages[5]
    assert len(mailoutbox) == 2  # the known addresses among the first five
    # Another client is not held up by this one.
    other = WebClient(REMOTE_ADDR="192.0.2.50")
    assert other.post(reverse("accounts:password_reset"), {"email": known[0]}).status_code == 302


def test_reset_requests_for_one_address_from_many_clients_send_three_mails(
    cast: Cast, mailoutbox: list[Any]
) -> None:
    done = reverse("accounts:password_reset_done")
    with TestCase.captureOnCommitCallbacks(execute=True):  # the outbox sends on commit
        for n in range(10):
            web = WebClient(REMOTE_ADDR=f"198.51.100.{n + 1}")
            response = web.post(reverse("accounts:password_reset"), {"email": cast.owner.email})
            assert response["Location"] == done
    assert len(mailoutbox) == 3


def test_the_reset_page_counts_in_the_public_limit_per_client_address(
    db: None, settings: Settings
) -> None:
    settings.PUBLIC_RATE_LIMIT = 3
    web = WebClient()
    statuses = [web.get(reverse("accounts:password_reset")).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
