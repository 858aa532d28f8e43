"""The API routes and `koers stakeholders`: the same records, paged lists, refusals."""

import json
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client as WebClient
from django.utils import timezone
from django_scopes import scopes_disabled

from koers.stakeholders.models import Involvement, Stakeholder
from koers.workspaces.models import ApiToken
from tests.factories import Cast, make_project

from .conftest import add_stakeholder, log

pytestmark = pytest.mark.django_db
CLIENT = "/api/v1/w/acme/clients/bakkerij/stakeholders"
PROJECT = "/api/v1/w/acme/projects/cloud"


def api(cast: Cast, user: Any = None) -> WebClient:
    token = ApiToken(user=user or cast.member, name="t")
    secret = token.new_token()
    token.save()
    return WebClient(headers={"Authorization": f"Bearer {secret}"})


def send(web: WebClient, method: str, path: str, body: Any = None) -> Any:
    return web.generic(method, path, json.dumps(body or {}), content_type="application/json")


def test_add_an_opponent_log_a_call_and_read_the_last_contact(cast: Cast) -> None:
    web = api(cast)
    made = send(
        web,
        "POST",
        CLIENT,
        {"name": "Lieve Vanacker", "job_title": "CEO", "phone": "+32 9 000 27 14"},
    )
    assert made.status_code == 201, made.json()
    lieve = made.json()["id"]
    role = send(
        web,
        "POST",
        f"{PROJECT}/stakeholders",
        {"stakeholder": lieve, "stance": "opponent", "influence": 5, "reason": "Alles of niets"},
    )
    assert role.status_code == 201, role.json()
    assert role.json() | {"contact_due_on": None} == {
        "stakeholder": lieve,
        "name": "Lieve Vanacker",
        "is_steering_member": False,
        "is_decision_maker": False,
        "stance": "opponent",
        "influence": 5,
        "interest": 3,
        "last_contact": None,
        "contact_due_on": None,
        "is_overdue": True,
    }
    today = timezone.localdate().isoformat()
    call = send(
        web,
        "POST",
        f"{PROJECT}/communications",
        {"kind": "call", "subject": "Over fase 1", "audience": [lieve]},
    )
    assert call.status_code == 201, call.json()
    assert call.json()["audience"] == [lieve] and call.json()["on"] == today
    read = web.get(f"{PROJECT}/stakeholders/{lieve}").json()
    assert read["last_contact"] == today and not read["is_overdue"]
    changed = send(
        web,
        "PATCH",
        f"{PROJECT}/stakeholders/{lieve}",
        {"stance": "sceptic", "reason": "Na de demo"},
    )
    assert changed.json()["stance"] == "sceptic"
    history = web.get(f"{PROJECT}/stakeholders/{lieve}/stance-changes").json()
    assert [(c["before"], c["after"], c["reason"]) for c in history["items"]] == [
        ("opponent", "sceptic", "Na de demo"),
        (None, "opponent", "Alles of niets"),
    ]


def test_lists_are_paged(cast: Cast) -> None:
    for n in range(3):
        person = add_stakeholder(cast.project, f"Persoon {n}")
        log(cast.project, timezone.localdate() - timedelta(days=n), person)
    web = api(cast)
    for path in [CLIENT, f"{PROJECT}/stakeholders", f"{PROJECT}/communications"]:
        first = web.get(path, {"limit": 2}).json()
        assert first["count"] == 3 and len(first["items"]) == 2, path
        rest = web.get(path, {"limit": 2, "cursor": first["next"]}).json()
        assert len(rest["items"]) == 1 and rest["next"] is None, path
    assert web.get(CLIENT, {"cursor": first["next"]}).status_code == 400  # another list's


def test_wrong_details_and_foreign_ids_are_refused(cast: Cast) -> None:
    web = api(cast)
    wrong = send(web, "POST", CLIENT, {"name": "X", "email": "x@"})
    assert wrong.status_code == 400 and wrong.json()["field"] == "email"
    wrong = send(web, "POST", CLIENT, {"name": "X", "phone": "bel me"})
    assert wrong.status_code == 400 and wrong.json()["field"] == "phone"
    with scopes_disabled():
        other = make_project(cast.other_client, slug="raadhuis")
    stranger = add_stakeholder(other, "Wethouder")
    assert web.get(f"{CLIENT}/{stranger.pk}").status_code == 404
    assert send(web, "DELETE", f"{CLIENT}/{stranger.pk}").status_code == 404
    role = send(web, "POST", f"{PROJECT}/stakeholders", {"stakeholder": stranger.pk})
    assert role.status_code == 404
    call = send(
        web,
        "POST",
        f"{PROJECT}/communications",
        {"kind": "call", "subject": "x", "audience": [stranger.pk]},
    )
    assert call.status_code == 404 and call.json()["field"] == "audience"
    with scopes_disabled():
        assert Stakeholder.objects.filter(pk=stranger.pk).exists()
        assert not Involvement.objects.filter(project=cast.project).exists()


def test_guests_and_viewers(cast: Cast) -> None:
    ann = add_stakeholder(cast.project, "Ann", stance="opponent")
    guest = api(cast, cast.guest)
    for path in [CLIENT, f"{PROJECT}/stakeholders", f"{PROJECT}/communications"]:
        assert guest.get(path).status_code == 404, path
    viewer = api(cast, cast.viewer)
    assert viewer.get(f"{PROJECT}/stakeholders").status_code == 200
    assert send(viewer, "DELETE", f"{CLIENT}/{ann.pk}").status_code == 403


def test_deleting_through_the_api_removes_the_stakeholder_everywhere(cast: Cast) -> None:
    ann = add_stakeholder(cast.project, "Ann", stance="opponent")
    log(cast.project, timezone.localdate(), ann)
    web = api(cast)
    assert send(web, "DELETE", f"{CLIENT}/{ann.pk}").status_code == 204
    assert web.get(f"{PROJECT}/stakeholders").json()["count"] == 0
    assert web.get(f"{PROJECT}/communications").json()["items"][0]["audience"] == []


def test_the_rhythm_is_read_and_set(cast: Cast) -> None:
    web = api(cast)
    beats = web.get(f"{PROJECT}/communication-rhythm").json()
    assert beats["update"]["every_days"] == 14 and beats["update"]["is_overdue"]
    saved = send(web, "PUT", f"{PROJECT}/communication-rhythm", {"update": 7, "demo": 21})
    beats = saved.json()
    assert beats["update"]["every_days"] == 7 and beats["steering"]["every_days"] is None


def command(*args: str) -> str:
    out = StringIO()
    call_command("stakeholders", *args, stdout=out)
    return out.getvalue()


def test_the_command_prints_the_grid_and_the_overdue_as_the_api_does(cast: Cast) -> None:
    today = timezone.localdate()
    fan = add_stakeholder(cast.project, "Fien", stance="champion", is_steering_member=True)
    add_stakeholder(cast.project, "Lieve", stance="opponent", influence=5)
    log(cast.project, today, fan)
    document = json.loads(command("--project", "acme/cloud", "--json"))
    listed = api(cast).get(f"{PROJECT}/stakeholders").json()["items"]
    assert document["stakeholders"] == listed
    assert [o["name"] for o in document["overdue"]] == ["Lieve"]
    assert document["overdue"][0]["days_overdue"] is None
    assert set(document["rhythm"]) == {
        "update",
        "demo",
        "call",
        "meeting",
        "steering",
    }
    text = command("--project", "acme/cloud")
    assert "Lieve" in text and "Fien" in text
    with pytest.raises(CommandError):
        command("--project", "acme/missing")


def test_a_communication_is_mailed_once_and_its_mails_listed_with_their_state(
    cast: Cast, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    settings.EMAIL_BACKEND = "koers.outbox.tests.test_services.Refusing"
    web = api(cast)
    lieve = send(web, "POST", CLIENT, {"name": "Lieve", "email": "lieve@example.be"}).json()
    call = send(web, "POST", f"{PROJECT}/communications", {"kind": "update", "subject": "Fase 1"})
    path = f"{PROJECT}/communications/{call.json()['id']}"
    body = {"template": "celebration", "stakeholders": [lieve["id"]]}
    with django_capture_on_commit_callbacks(execute=True):
        first = send(web, "POST", f"{path}/mail", body).json()
        again = send(web, "POST", f"{path}/mail", body).json()
    assert first == {"mailed": 1, "before": 0, "no_address": 0}
    assert again == {"mailed": 0, "before": 1, "no_address": 0}
    (failed,) = web.get(f"{path}/mails").json()["items"]
    assert failed["state"] == "failed" and "mailbox unavailable" in failed["reason"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    retry = f"{path}/mails/{failed['message']}/retry"
    with django_capture_on_commit_callbacks(execute=True):
        assert send(web, "POST", retry).status_code == 200
    assert web.get(f"{path}/mails").json()["items"][0]["state"] == "sent"
    assert send(web, "POST", retry).status_code == 400  # sent: nothing to retry
    assert send(web, "POST", f"{path}/mail", {"stakeholders": [999_999]}).status_code == 404
