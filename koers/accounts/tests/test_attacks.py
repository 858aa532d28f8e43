"""The account pages tried as an attacker would: guessing passwords through the Django
admin, probing which addresses have an account, flooding mailboxes, and keeping API access
after the owner changed the password."""

from django.test import Client as WebClient
from django.urls import reverse
from pytest_django.fixtures import Settings

from conftest import PASSWORD, UserFactory


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
