"""The team's pages and the public page: members write, publish and revoke; viewers read;
guests and other workspaces see nothing; the public page works without logging in, in the
reader's language, printable, with no third-party resources."""

import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.test import Client as WebClient
from django_scopes import scopes_disabled

from koers.instructions.models import Instructions
from tests.factories import Cast

from .conftest import READY, publish, url, wave_of, write

pytestmark = pytest.mark.django_db


def test_a_member_writes_publishes_and_revokes_and_the_link_follows(cast: Cast) -> None:
    wave = wave_of(cast.project)
    web = cast.login(cast.member)
    made = web.post(url("instructions:create"), READY | {"wave": wave.pk})
    with scopes_disabled():
        instructions = Instructions.objects.get()
    assert made.status_code == 302 and made["Location"] == instructions.url()
    assert instructions.wave == wave
    web.post(url("instructions:publish", instructions=instructions.pk))
    form = web.get(instructions.url()).content.decode()
    (path,) = re.findall(r'href="(/i/[^"]+/)"', form)
    listed = web.get(url("instructions:list")).content.decode()
    assert path in listed and "Published" in listed
    public = WebClient().get(path)  # nobody logged in
    assert public.status_code == 200 and "Golf 1" in public.content.decode()
    web.post(url("instructions:revoke", instructions=instructions.pk))
    assert WebClient().get(path).status_code == 404
    web.post(url("instructions:delete", instructions=instructions.pk))
    with scopes_disabled():
        assert not Instructions.objects.exists()


def test_publishing_without_what_changed_says_why(cast: Cast) -> None:
    made = write(cast.project, what_changed_nl="", what_changed_en="")
    web = cast.login(cast.member)
    shown = web.post(url("instructions:publish", instructions=made.pk), follow=True)
    assert "Say what changed before you publish." in shown.content.decode()
    with scopes_disabled():
        assert not made.links.exists()


def test_a_viewer_reads_but_changes_nothing_and_a_guest_sees_nothing(cast: Cast) -> None:
    made = write(cast.project)
    viewer = cast.login(cast.viewer)
    assert viewer.get(url("instructions:list")).status_code == 200
    for name in ("publish", "revoke", "delete", "edit"):
        assert viewer.post(url(f"instructions:{name}", instructions=made.pk)).status_code == 403
    assert viewer.post(url("instructions:create"), READY).status_code == 403
    guest = cast.login(cast.guest)
    assert guest.get(url("instructions:list")).status_code == 404
    with scopes_disabled():
        assert not made.links.exists() and Instructions.objects.count() == 1


def test_another_workspaces_instructions_are_not_found_here(
    cast: Cast, foreign: Instructions
) -> None:
    web = cast.login(cast.member)
    for name in ("edit", "publish", "revoke", "delete"):
        assert web.post(url(f"instructions:{name}", instructions=foreign.pk)).status_code == 404
    with scopes_disabled():
        assert foreign.links.filter(revoked_at__isnull=True).exists()
    created = web.post(url("instructions:create"), READY | {"wave": foreign.wave_id})
    assert created.status_code == 200  # not a wave of this project: refused on the form


def test_the_reader_chooses_the_language_and_the_page_is_light_and_printable(cast: Cast) -> None:
    path = publish(write(cast.project, get_help_en="", get_help_nl="Vraag het je buddy."))
    reader = WebClient()
    dutch = reader.get(path + "?lang=nl").content.decode()
    english = reader.get(path + "?lang=en")
    page = english.content.decode()
    assert '<html lang="en">' in page and "What changes for you" in page
    assert "Your mail now lives in the cloud." in page
    assert "Vraag het je buddy." in page  # no English text: the Dutch one
    assert '<html lang="nl">' in dutch and "Je mail staat voortaan in de cloud." in dutch
    assert 'href="tel:+3291234567"' in page and 'href="mailto:servicedesk@example.com"' in page
    assert english["X-Robots-Tag"] == "noindex" and english["Content-Language"] == "en"
    assert 'name="viewport"' in page and "<script" not in page
    # Nothing loaded from elsewhere: the one outside address is the portal's link.
    loaded = re.findall(r'(?:src|href)="(https?://[^"]+)"', page)
    assert loaded == ["https://help.example.com"]
    assert 'rel="noopener noreferrer"' in page
    (css,) = re.findall(r'href="/static/([^"]+\.css)"', page)
    assert "@media print" in Path(str(finders.find(css))).read_text()


@pytest.mark.parametrize("size", [1, 12])
def test_the_list_asks_a_fixed_number_of_queries(
    cast: Cast, size: int, django_assert_num_queries: Any
) -> None:
    for number in range(size):
        publish(write(cast.project, wave_of(cast.project, number + 1)))
    web = cast.login(cast.viewer)
    web.get(url("instructions:list"))  # warm: session and language
    # The frame (session, user, memberships, project), the page of instructions with their
    # live links and its count, the waves to mail. The same at any size.
    with django_assert_num_queries(9):
        response = web.get(url("instructions:list"))
    assert response.status_code == 200


@pytest.mark.parametrize("size", [1, 12])
def test_the_public_page_asks_a_fixed_number_of_queries(
    cast: Cast, size: int, django_assert_num_queries: Any
) -> None:
    path = publish(write(cast.project, wave_of(cast.project), what_changed_en="x" * size * 100))
    WebClient().get(path)
    with django_assert_num_queries(2):  # the rate-limit counter and the link with its page
        assert WebClient().get(path).status_code == 200
