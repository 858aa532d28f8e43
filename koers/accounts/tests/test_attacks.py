"""The account pages tried as an attacker would: guessing passwords through the Django
admin, probing which addresses have an account, flooding mailboxes, and keeping API access
after the owner changed the password."""

import re
from datetime import timedelta
from typing import Any

from django.test import Client as WebClient
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from pytest_django.fixtures import Settings

from koers.accounts.models import PendingSignup, User
from koers.accounts.services import SIGNUP_MAILS_PER_HOUR
from tests.factories import PASSWORD, Cast, UserFactory


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


CSRF = r'<input type="hidden" name="csrfmiddlewaretoken" value="\w+">'
SIGNUP = {
    "name": "Probe",
    "password": "paarse-olifant-42",
    "workspace_name": "Probe BV",
}


def _sign_up(web: WebClient, email: str, n: int = 0) -> Any:
    data = {**SIGNUP, "email": email, "workspace_slug": f"probe-{n}"}
    return web.post(reverse("accounts:signup"), data, follow=True)


def test_probing_sign_up_for_known_addresses_learns_nothing_and_is_limited(
    cast: Cast, mailoutbox: list[Any], settings: Settings
) -> None:
    settings.ACCOUNT_RATE_LIMIT = 20
    web = WebClient(headers={"accept-language": "en"})
    known = {cast.owner.email, cast.member.email}
    answers = {}
    with TestCase.captureOnCommitCallbacks(execute=True):
        for n in range(150):  # as many as the attacker sent in 3 s
            email = sorted(known)[n % 2] if n % 3 == 0 else f"probe{n}@example.com"
            response = _sign_up(web, email, n)
            answers[email in known, n < 20] = (
                response.status_code,
                response.redirect_chain,
                re.sub(CSRF, "", response.content.decode()),  # masked anew on every page
            )

    # Known or not, the same page; past the limit, the same refusal.
    assert (
        answers[True, True][:2]
        == answers[False, True][:2]
        == (
            200,
            [(reverse("accounts:signup_sent"), 302)],
        )
    )
    assert answers[True, True][2] == answers[False, True][2]
    assert answers[True, False][0] == answers[False, False][0] == 429
    assert "Too many requests came from your network" in answers[False, False][2]
    assert User.objects.count() == len(set(User.objects.values_list("email", flat=True)))
    assert not User.objects.filter(email__startswith="probe").exists()
    to_owner = [mail for mail in mailoutbox if mail.to == [cast.owner.email]]
    assert to_owner and "Someone tried to sign up" in to_owner[0].subject
    assert len(mailoutbox) <= 20


def test_the_owner_of_a_known_address_is_told_and_can_reset_from_the_mail(
    cast: Cast, mailoutbox: list[Any]
) -> None:
    with TestCase.captureOnCommitCallbacks(execute=True):
        _sign_up(WebClient(headers={"accept-language": "en"}), cast.owner.email.upper())
    (mail,) = mailoutbox
    assert mail.to == [cast.owner.email]
    assert "it has an account already: yours" in mail.body
    link = re.search(r"https?://testserver(/accounts/password-reset/\S+/)", mail.body)
    assert link, mail.body
    web = WebClient()
    form_page = web.get(link[1], follow=True)
    new = {"new_password1": "nieuw-wachtwoord-99", "new_password2": "nieuw-wachtwoord-99"}
    web.post(form_page.redirect_chain[-1][0], new)
    cast.owner.refresh_from_db()
    assert cast.owner.check_password("nieuw-wachtwoord-99")
    assert cast.owner.name != SIGNUP["name"]  # the sign-up changed nothing of the account


def test_one_address_signed_up_from_many_clients_gets_three_mails(
    db: None, mailoutbox: list[Any]
) -> None:
    with TestCase.captureOnCommitCallbacks(execute=True):
        for n in range(8):
            response = _sign_up(WebClient(REMOTE_ADDR=f"198.51.100.{n + 1}"), "doel@example.com", n)
            assert response.redirect_chain == [(reverse("accounts:signup_sent"), 302)]
    assert len(mailoutbox) == SIGNUP_MAILS_PER_HOUR


def test_a_confirmation_link_is_random_stored_hashed_single_use_and_expires(
    db: None, mailoutbox: list[Any]
) -> None:
    with TestCase.captureOnCommitCallbacks(execute=True):
        _sign_up(WebClient(), "nieuw@example.com")
    link = re.search(r"/accounts/signup/confirm/([^/\s]+)/", mailoutbox[0].body)
    assert link
    token = link[1]
    assert len(token) >= 43  # 256 random bits, URL-safe base64
    pending = PendingSignup.objects.get()
    assert token not in (pending.token_hash, pending.password)  # neither kept as given
    assert pending.password != SIGNUP["password"]

    PendingSignup.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    url = reverse("accounts:signup_confirm", args=[token])
    response = WebClient(headers={"accept-language": "en"}).post(url, {"workspace_slug": "p-0"})
    assert response.status_code == 410
    assert "This link no longer works" in response.content.decode()
    assert not User.objects.exists()
    unknown = reverse("accounts:signup_confirm", args=["x" * 43])
    assert WebClient().get(unknown).status_code == 410


def test_a_confirmation_for_an_address_that_got_an_account_meanwhile_makes_nothing(
    db: None, mailoutbox: list[Any]
) -> None:
    with TestCase.captureOnCommitCallbacks(execute=True):
        _sign_up(WebClient(), "twee@example.com")
    token = re.search(r"/accounts/signup/confirm/([^/\s]+)/", mailoutbox[0].body)[1]  # type: ignore[index]
    UserFactory(email="twee@example.com")

    response = WebClient(headers={"accept-language": "en"}).post(
        reverse("accounts:signup_confirm", args=[token]), {"workspace_slug": "probe-0"}
    )

    assert response.status_code == 410
    assert "made meanwhile" in response.content.decode()
    assert User.objects.count() == 1
