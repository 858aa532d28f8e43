"""The instructions through the API and `koers instructions`: the same records; members
write and publish, viewers read, guests and other workspaces get 404."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client as WebClient
from django_scopes import scopes_disabled

from koers.instructions.models import Instructions
from tests.factories import Cast

from .conftest import API, READY, api, publish, wave_of, write

pytestmark = pytest.mark.django_db
JSON = "application/json"


def test_a_member_writes_changes_publishes_and_revokes_by_api(cast: Cast) -> None:
    wave = wave_of(cast.project)
    member = api(cast.member)
    made = member.post(API, READY | {"wave": wave.pk}, content_type=JSON)
    assert made.status_code == 201, made.json()
    one = f"{API}/{made.json()['id']}"
    assert (made.json()["wave_label"], made.json()["published"]) == ("Golf 1", False)
    changed = member.patch(one, {"get_help_en": "Ask your buddy."}, content_type=JSON)
    assert changed.json()["get_help_en"] == "Ask your buddy."
    assert changed.json()["what_changed_nl"] == READY["what_changed_nl"]
    published = member.post(f"{one}/publish").json()
    assert published["published"] and published["link"].startswith("/i/")
    assert WebClient().get(published["link"]).status_code == 200
    revoked = member.post(f"{one}/revoke").json()
    assert (revoked["published"], revoked["link"]) == (False, None)
    assert WebClient().get(published["link"]).status_code == 404
    assert member.delete(one).status_code == 204
    assert member.get(one).status_code == 404


def test_the_api_refuses_with_reasons(cast: Cast, foreign: Instructions) -> None:
    member = api(cast.member)
    wave = member.post(API, READY | {"wave": foreign.wave_id}, content_type=JSON)
    assert wave.status_code == 400 and wave.json()["field"] == "wave"
    bad = member.post(API, READY | {"support_portal": "javascript:alert(1)"}, content_type=JSON)
    assert bad.status_code == 400 and bad.json()["field"] == "support_portal"
    empty = member.post(API, {"support_email": "help@example.com"}, content_type=JSON)
    refused = member.post(f"{API}/{empty.json()['id']}/publish")
    assert refused.status_code == 400 and refused.json()["field"] == "what_changed_nl"
    for route in ("", "/publish", "/revoke"):
        assert member.post(f"{API}/{foreign.pk}{route}").status_code in (404, 405)
    assert member.get(f"{API}/{foreign.pk}").status_code == 404
    assert member.delete(f"{API}/{foreign.pk}").status_code == 404
    with scopes_disabled():
        assert foreign.links.filter(revoked_at__isnull=True).exists()


def test_a_viewer_reads_and_a_guest_gets_404(cast: Cast) -> None:
    made = write(cast.project)
    viewer = api(cast.viewer)
    assert viewer.get(API).json()["count"] == 1
    assert viewer.post(f"{API}/{made.pk}/publish").status_code == 403
    assert (
        viewer.patch(f"{API}/{made.pk}", {"support_phone": ""}, content_type=JSON).status_code
        == 403
    )
    assert viewer.post(API, READY, content_type=JSON).status_code == 403
    assert api(cast.guest).get(API).status_code == 404


def test_the_cli_prints_each_with_its_link(cast: Cast) -> None:
    path = publish(write(cast.project, wave_of(cast.project)))
    write(cast.project)
    out = StringIO()
    call_command("instructions", "--project", "acme/cloud", "--json", stdout=out)
    document = json.loads(out.getvalue())
    assert [(i["wave_label"], i["link"]) for i in document["instructions"]] == [
        (None, None),
        ("Golf 1", path),
    ]
    text = StringIO()
    call_command("instructions", "--project", "acme/cloud", stdout=text)
    assert (
        f"Golf 1: {path}" in text.getvalue() and "whole project: not published" in text.getvalue()
    )
