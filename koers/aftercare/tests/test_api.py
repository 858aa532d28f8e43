import pytest
from django_scopes import scopes_disabled

from koers.aftercare.models import HandoverItem, Lesson, TakenLesson
from koers.projects.models import Project
from tests.factories import Cast

from .conftest import API, api, lesson

pytestmark = pytest.mark.django_db


def test_a_member_records_and_changes_a_lesson(cast: Cast):
    client = api(cast.member)
    made = client.post(
        f"{API}/lessons",
        {"title": "Testen met echte data", "tags": "Test, Data"},
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    assert made.json()["tags"] == ["test", "data"]
    changed = client.patch(
        f"{API}/lessons/{made.json()['id']}",
        {"try_next": "Eerder een kopie van productie vragen"},
        content_type="application/json",
    )
    assert changed.json()["try_next"] == "Eerder een kopie van productie vragen"
    listed = client.get(f"{API}/lessons").json()
    assert listed["count"] == 1 and listed["items"][0]["title"] == "Testen met echte data"


def test_a_secret_is_refused_with_a_clear_message(cast: Cast):
    response = api(cast.member).post(
        f"{API}/lessons",
        {"title": "Beheer", "went_well": "token: ghp_a1B2c3D4e5F6"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["field"] == "went_well"
    assert "never keeps secrets" in response.json()["detail"]
    with scopes_disabled():
        assert not Lesson.objects.exists()


def test_matches_and_taking_one_along(cast: Cast, earlier: Project):
    old = lesson(earlier, "Plan de overstap buiten de drukke maand")
    client = api(cast.member)
    matches = client.get(f"{API}/lessons/matches").json()["items"]
    assert [m["lesson"]["id"] for m in matches] == [old.pk]
    assert matches[0]["same_client"] and not matches[0]["taken"]
    taken = client.post(f"{API}/lessons/taken", {"lesson": old.pk}, content_type="application/json")
    assert taken.status_code == 201 and taken.json()["items"][0]["taken"]
    assert client.delete(f"{API}/lessons/taken/{old.pk}").status_code == 204
    with scopes_disabled():
        assert not TakenLesson.objects.exists()


def test_another_workspaces_lesson_id_is_refused(cast: Cast, foreign_lesson: Lesson):
    client = api(cast.member)
    response = client.post(
        f"{API}/lessons/taken", {"lesson": foreign_lesson.pk}, content_type="application/json"
    )
    assert response.status_code == 400 and response.json()["field"] == "lesson"
    assert client.get(f"{API}/lessons/matches").json()["items"] == []
    patched = client.patch(
        f"{API}/lessons/{foreign_lesson.pk}", {"title": "Van mij"}, content_type="application/json"
    )
    assert patched.status_code == 404
    with scopes_disabled():
        assert not TakenLesson.objects.exists()
        foreign_lesson.refresh_from_db()
    assert foreign_lesson.title != "Van mij"


def test_the_handover_by_api(cast: Cast):
    client = api(cast.member)
    item = client.put(
        f"{API}/handover/items/runbook",
        {"notes": "Wiki, pagina Portal", "owner": "Sam", "state": "done"},
        content_type="application/json",
    )
    assert item.status_code == 200, item.content
    assert "runbook" not in item.json()["open"] and len(item.json()["open"]) == 5
    secret = client.put(
        f"{API}/handover/items/access",
        {"notes": "password=Welkom01!"},
        content_type="application/json",
    )
    assert secret.status_code == 400 and secret.json()["field"] == "notes"
    shadow = client.put(
        f"{API}/handover/shadow",
        {"shadow_start": "2030-03-01", "shadow_end": "2030-03-14", "backup": "Sam"},
        content_type="application/json",
    )
    assert shadow.json()["shadow_end"] == "2030-03-14"
    with scopes_disabled():
        assert HandoverItem.objects.count() == 1


def test_a_viewer_reads_and_a_guest_gets_404(cast: Cast):
    assert api(cast.viewer).get(f"{API}/handover").status_code == 200
    denied = api(cast.viewer).post(
        f"{API}/lessons", {"title": "x"}, content_type="application/json"
    )
    assert denied.status_code == 403
    assert api(cast.guest).get(f"{API}/lessons").status_code == 404
