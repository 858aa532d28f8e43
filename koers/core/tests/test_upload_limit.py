"""Uploads over the limit, sent as an attacker or a hurried user would: a file just over the
limit, one a megabyte and more over it, a form stuffed with text, an API body too big. Each
gets the limit in MB, never a 500, and nothing is kept."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client as WebClient
from django.urls import reverse
from django_scopes import scopes_disabled
from pytest_django.fixtures import Settings

from koers.population.models import ImportRun
from koers.rollout.models import SupportLoad
from koers.workspaces.models import ApiToken
from tests.factories import Cast

MB = 1024 * 1024
PAGES = ["people:import", "rollout:support_upload"]


@pytest.fixture
def limit_1_mb(settings: Settings) -> None:
    settings.UPLOAD_LIMIT_MB = 1


def _url(name: str) -> str:
    if name.startswith("people:"):
        return reverse(name, kwargs={"workspace": "acme", "client": "bakkerij"})
    return reverse(name, kwargs={"workspace": "acme", "project": "cloud"})


def _csv(size: int) -> SimpleUploadedFile:
    header = b"wave,day,tickets\r\n"
    return SimpleUploadedFile("big.csv", header + b"1,2025-03-14,3\r\n" * (size // 16))


def _nothing_kept() -> bool:
    with scopes_disabled():
        return not ImportRun.objects.exists() and not SupportLoad.objects.exists()


@pytest.mark.usefixtures("limit_1_mb")
@pytest.mark.parametrize("page", PAGES)
def test_a_file_a_megabyte_over_the_limit_gets_413_naming_the_limit_before_it_is_read(
    cast: Cast, page: str
) -> None:
    # With CSRF checks on, as in production: that check reads the whole body, so a 413
    # instead of a 403 for the missing token shows the body was refused before it was read.
    web = WebClient(enforce_csrf_checks=True, headers={"accept-language": "en"})
    web.force_login(cast.member)
    form_page = _url(page) if page == "people:import" else "/"

    response = web.post(_url(page), {"file": _csv(2 * MB + 1)}, HTTP_REFERER=form_page)

    assert response.status_code == 413
    text = response.content.decode()
    assert "The file is larger than 1 MB, the most Koers accepts." in text
    assert "raise the limit with the setting KOERS_UPLOAD_LIMIT_MB" in text
    assert f'href="{form_page}"' in text
    assert _nothing_kept()


@pytest.mark.usefixtures("limit_1_mb")
def test_a_file_just_over_the_limit_is_refused_on_the_import_form(cast: Cast) -> None:
    web = cast.login(cast.member)

    response = web.post(
        _url("people:import"), {"file": _csv(MB + MB // 2)}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "The file is 2 MB; Koers accepts files up to 1 MB. An administrator can raise the limit "
        "with the setting KOERS_UPLOAD_LIMIT_MB (in MB)."
    ]
    assert _nothing_kept()


@pytest.mark.usefixtures("limit_1_mb")
def test_a_support_load_file_just_over_the_limit_says_the_limit(cast: Cast) -> None:
    web = cast.login(cast.member)

    response = web.post(
        _url("rollout:support_upload"),
        {"file": _csv(MB + MB // 2)},
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    )

    assert "The file is 2 MB; Koers accepts files up to 1 MB." in response.content.decode()
    assert _nothing_kept()


def test_a_form_stuffed_with_text_gets_413_naming_the_limit(db: None) -> None:
    response = WebClient(headers={"accept-language": "en"}).post(
        reverse("accounts:login"), {"username": "x" * 3 * MB, "password": "x"}
    )

    assert response.status_code == 413
    assert "The form sent is larger than 2.5 MB" in response.content.decode()


def test_an_api_body_over_the_limit_gets_413_with_the_limit(cast: Cast) -> None:
    token = ApiToken(user=cast.owner, name="script")
    secret = token.new_token()
    token.save()
    api = WebClient(headers={"Authorization": f"Bearer {secret}", "accept-language": "en"})

    response = api.post(
        "/api/v1/w/acme/projects/cloud/scope",
        json.dumps({"column": "in", "title": "t", "reason": "x" * 3 * MB}),
        content_type="application/json",
    )

    assert response.status_code == 413
    assert response.json()["detail"] == (
        "The request body is larger than 2.5 MB. Send it in smaller parts, such as fewer people "
        "per call."
    )
