import re

from django.test import Client as WebClient
from django.test import TestCase
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from pytest_django.fixtures import Settings

from koers.accounts.forms import RESET_MAILS_PER_HOUR
from koers.accounts.models import User
from koers.workspaces.models import Membership, Role
from tests.factories import PASSWORD, Cast, WorkspaceFactory

SIGNUP = {
    "name": "Fatima de Vries",
    "email": "fatima@vandijk-it.nl",
    "password": "paarse-olifant-42",
    "workspace_name": "Van Dijk IT",
    "workspace_slug": "van-dijk-it",
}


def dutch(message: str, **params: object) -> str:
    """Return `message` as the Dutch catalogue has it; fail if it has no translation."""
    with translation.override("nl"):
        translated = gettext(message)
    assert translated != message, f"no Dutch translation for {message!r}"
    return translated % params if params else translated


def _lang(response) -> str:
    match = re.search(r'<html lang="([a-z-]+)"', response.content.decode())
    assert match, "page without <html lang>"
    return match[1]


def _confirmation_link(mail) -> str:
    link = re.search(r"https?://testserver(/accounts/signup/confirm/\S+/)", mail.body)
    assert link, mail.body
    return link[1]


def test_sign_up_mails_a_link_that_makes_the_user_and_a_workspace_they_own(client, db, mailoutbox):
    with TestCase.captureOnCommitCallbacks(execute=True):  # the outbox sends on commit
        response = client.post(reverse("accounts:signup"), SIGNUP)

    assert response["Location"] == reverse("accounts:signup_sent")
    assert not User.objects.exists()  # nothing until the address is confirmed
    (mail,) = mailoutbox
    assert mail.to == ["fatima@vandijk-it.nl"]
    link = _confirmation_link(mail)
    page = client.get(link)
    assert "fatima@vandijk-it.nl" in page.content.decode()

    response = client.post(link, {"workspace_slug": "van-dijk-it"})

    assert response["Location"] == reverse("workspaces:dashboard", args=["van-dijk-it"])
    user = User.objects.get(email="fatima@vandijk-it.nl")
    assert user.check_password("paarse-olifant-42") and user.is_active
    membership = Membership.objects.get(user=user)
    assert (membership.workspace.slug, membership.workspace.name) == ("van-dijk-it", "Van Dijk IT")
    assert membership.role == Role.OWNER
    assert client.get(response["Location"]).status_code == 200  # logged in
    assert WebClient().get(link).status_code == 410  # used once


def test_a_short_name_taken_before_the_confirmation_is_asked_again(client, db, mailoutbox):
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(reverse("accounts:signup"), SIGNUP)
    WorkspaceFactory(slug="van-dijk-it")
    link = _confirmation_link(mailoutbox[0])

    response = client.post(link, {"workspace_slug": "van-dijk-it"})

    assert response.context["form"].errors["workspace_slug"] == [
        dutch("This short name is taken; choose another.")
    ]
    assert not User.objects.filter(email="fatima@vandijk-it.nl").exists()
    response = client.post(link, {"workspace_slug": "van-dijk-ict"})
    assert response["Location"] == reverse("workspaces:dashboard", args=["van-dijk-ict"])


def test_sign_up_without_a_short_name_proposes_a_free_one_made_from_the_name(
    client, db, mailoutbox
):
    WorkspaceFactory(slug="van-dijk-it")
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse("accounts:signup"), {**SIGNUP, "workspace_slug": ""})

    assert response["Location"] == reverse("accounts:signup_sent")
    page = client.get(_confirmation_link(mailoutbox[0])).content.decode()
    assert 'value="van-dijk-it-2"' in page  # still editable before the workspace is made


def test_sign_up_with_a_taken_workspace_short_name_says_so_in_dutch(client, db):
    WorkspaceFactory(slug="van-dijk-it")

    response = client.post(reverse("accounts:signup"), SIGNUP)

    assert response.status_code == 200
    assert response.context["form"].errors["workspace_slug"] == [
        dutch("This short name is taken; choose another.")
    ]
    page = response.content.decode()
    assert 'value="fatima@vandijk-it.nl"' in page
    assert 'value="Fatima de Vries"' in page
    assert not User.objects.filter(email="fatima@vandijk-it.nl").exists()


def test_sign_up_refuses_a_weak_password_and_makes_nothing(client, db):
    response = client.post(reverse("accounts:signup"), {**SIGNUP, "password": "12345678901"})

    assert response.status_code == 200
    assert response.context["form"].errors["password"]
    assert not User.objects.exists()


def test_log_in_with_email_and_password_then_log_out(cast: Cast):
    web = WebClient()
    response = web.post(
        reverse("accounts:login"), {"username": cast.owner.email.upper(), "password": PASSWORD}
    )
    assert response.status_code == 302
    assert web.get(reverse("workspaces:dashboard", args=["acme"])).status_code == 200

    response = web.post(reverse("accounts:logout"))

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert web.get(reverse("workspaces:dashboard", args=["acme"])).status_code == 302


def test_log_in_with_a_wrong_password_says_so(cast: Cast):
    response = WebClient().post(
        reverse("accounts:login"), {"username": cast.owner.email, "password": "wrong"}
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        dutch("This e-mail address and password do not match an account.")
    ]


def test_log_in_is_refused_after_the_rate_limit_even_with_the_right_password(
    cast: Cast, settings: Settings
):
    settings.LOGIN_RATE_LIMIT = 3
    web = WebClient(headers={"accept-language": "en"})
    login = reverse("accounts:login")
    for _attempt in range(3):
        response = web.post(login, {"username": cast.owner.email, "password": "wrong"})
        assert "Too many" not in response.content.decode()

    response = web.post(login, {"username": cast.owner.email, "password": PASSWORD})

    assert response.status_code == 200
    minutes = settings.LOGIN_RATE_WINDOW // 60
    assert response.context["form"].non_field_errors() == [
        f"Too many failed log-in attempts. Wait {minutes} minutes, or reset your password."
    ]
    assert "_auth_user_id" not in web.session


def test_log_in_rate_limit_also_holds_per_client_address_across_email_addresses(
    cast: Cast, settings: Settings
):
    settings.LOGIN_RATE_LIMIT = 2
    web = WebClient()
    for email in ("a@example.com", "b@example.com"):
        web.post(reverse("accounts:login"), {"username": email, "password": "wrong"})

    response = web.post(
        reverse("accounts:login"), {"username": cast.owner.email, "password": PASSWORD}
    )

    assert response.status_code == 200
    assert response.context["form"].has_error("__all__", code="rate_limited")


def test_password_reset_mails_a_link_that_sets_a_new_password(cast: Cast, mailoutbox):
    web = WebClient()
    with TestCase.captureOnCommitCallbacks(execute=True):  # the outbox sends on commit
        response = web.post(reverse("accounts:password_reset"), {"email": cast.owner.email})
    assert response.status_code == 302
    (mail,) = mailoutbox
    assert mail.to == [cast.owner.email]
    link = re.search(r"https?://testserver(/\S+)", mail.body)
    assert link, mail.body

    form_page = web.get(link[1], follow=True)
    assert form_page.context["validlink"] is True
    response = web.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "nieuw-wachtwoord-99", "new_password2": "nieuw-wachtwoord-99"},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_complete")
    cast.owner.refresh_from_db()
    assert cast.owner.check_password("nieuw-wachtwoord-99")
    assert web.get(link[1], follow=True).context["validlink"] is False  # used once


def test_password_reset_for_an_unknown_address_sends_nothing_and_looks_the_same(db, mailoutbox):
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = WebClient().post(reverse("accounts:password_reset"), {"email": "no@example.com"})

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert mailoutbox == []


def test_password_reset_mails_one_address_at_most_three_times_an_hour(cast: Cast, mailoutbox):
    web = WebClient()
    with TestCase.captureOnCommitCallbacks(execute=True):  # the outbox sends on commit
        for _ in range(RESET_MAILS_PER_HOUR + 2):
            response = web.post(reverse("accounts:password_reset"), {"email": cast.owner.email})
            # The page looks the same whether or not a mail went out.
            assert response["Location"] == reverse("accounts:password_reset_done")
    assert len(mailoutbox) == RESET_MAILS_PER_HOUR
    other = cast.member.email
    with TestCase.captureOnCommitCallbacks(execute=True):
        web.post(reverse("accounts:password_reset"), {"email": other})
    assert mailoutbox[-1].to == [other]


def test_the_interface_is_dutch_by_default_and_english_when_the_browser_asks(db):
    dutch_page = WebClient().get(reverse("accounts:login"))
    english_page = WebClient(headers={"accept-language": "en"}).get(reverse("accounts:login"))

    assert _lang(dutch_page) == "nl"
    assert dutch("Log in to Koers") in dutch_page.content.decode()
    assert _lang(english_page) == "en"
    assert "Log in to Koers" in english_page.content.decode()


def test_language_switch_is_stored_on_the_user_and_survives_logout_and_login(cast: Cast):
    web = cast.login(cast.owner)
    dashboard = reverse("workspaces:dashboard", args=["acme"])
    assert _lang(web.get(dashboard)) == "nl"

    response = web.post(reverse("accounts:set_language"), {"language": "en", "next": dashboard})

    assert response.status_code == 302
    assert response["Location"] == dashboard
    assert _lang(web.get(dashboard)) == "en"
    cast.owner.refresh_from_db()
    assert cast.owner.language == "en"
    web.post(reverse("accounts:logout"))

    # A new browser, without the language cookie: the choice comes from the account.
    fresh = WebClient()
    fresh.post(reverse("accounts:login"), {"username": cast.owner.email, "password": PASSWORD})
    assert _lang(fresh.get(dashboard)) == "en"


def test_language_switch_refuses_an_unknown_language_and_a_foreign_next_url(cast: Cast):
    web = cast.login(cast.owner)

    response = web.post(
        reverse("accounts:set_language"), {"language": "xx", "next": "https://evil.example/"}
    )

    assert response["Location"] == "/"
    cast.owner.refresh_from_db()
    assert cast.owner.language == ""


def test_a_password_like_the_address_is_refused_in_good_dutch(client, db):
    data = {**SIGNUP, "password": "fatima-vandijk-it"}

    response = client.post(reverse("accounts:signup"), data)

    assert response.context["form"].errors["password"] == [
        "Het wachtwoord lijkt te veel op je e-mailadres."
    ]
    response = client.post(reverse("accounts:signup"), {**SIGNUP, "password": "fatimadevries"})
    assert response.context["form"].errors["password"] == [
        "Het wachtwoord lijkt te veel op je naam."
    ]
