"""The API of the log: paged lists (all, or the decisions needed), one decision with its
history, logging and changing; another project's ids are refused naming the field."""

import json
from typing import Any

import pytest
from django_scopes import scopes_disabled

from koers.roadmap import services as plan_services
from tests.factories import Cast, ClientFactory, make_project

from .conftest import API, api, gate_decision_of, log, phase_of, wave_of

pytestmark = pytest.mark.django_db


def post(client: Any, path: str, body: dict[str, Any], method: str = "post") -> Any:
    return getattr(client, method)(
        f"{API}{path}", data=json.dumps(body), content_type="application/json"
    )


def test_a_member_logs_a_decision_with_its_links_and_reads_it_back(cast: Cast) -> None:
    phase = phase_of(cast.project)
    wave = wave_of(cast.project)
    gate = gate_decision_of(wave, cast.member)
    with scopes_disabled():
        plan_services.revision_record(project=cast.project, actor=None, reason="Fasering")
        number = cast.project.plan_revisions.first().number
    member = api(cast.member)
    made = post(
        member,
        "/decisions",
        {
            "title": "Eerst een pilot",
            "phase": phase.pk,
            "wave": wave.pk,
            "gate_decision": gate.pk,
            "plan_revision": number,
            "due_on": "2030-04-01",
        },
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert (body["phase"], body["wave"], body["gate_decision"], body["plan_revision"]) == (
        phase.pk,
        wave.pk,
        gate.pk,
        number,
    )
    assert body["status"] == "proposed" and body["communicated"] is None
    changed = post(
        member,
        f"/decisions/{body['id']}",
        {"status": "decided", "decided_on": "2030-03-01", "note": "Stuurgroep"},
        method="patch",
    )
    assert changed.status_code == 200, changed.content
    history = changed.json()["history"]
    assert [(h["from_status"], h["to_status"], h["note"]) for h in history] == [
        (None, "proposed", ""),
        ("proposed", "decided", "Stuurgroep"),
    ]
    assert changed.json()["communicated"] is False
    assert changed.json()["phase"] == phase.pk  # left out: kept


def test_the_list_pages_and_filters_the_decisions_needed(cast: Cast) -> None:
    for n in range(3):
        log(cast.project, f"Open {n}")
    log(cast.project, "Gemaakt", status="decided", decided_on="2030-01-01")
    viewer = api(cast.viewer)
    first = viewer.get(f"{API}/decisions?limit=2").json()
    second = viewer.get(f"{API}/decisions?limit=2&cursor={first['next']}").json()
    assert first["count"] == 4 and len(first["items"]) == 2 and second["next"] is None
    titles = [d["title"] for d in first["items"] + second["items"]]
    assert sorted(titles) == ["Gemaakt", "Open 0", "Open 1", "Open 2"]
    needed = viewer.get(f"{API}/decisions?needed=true").json()
    assert needed["count"] == 3 and {d["status"] for d in needed["items"]} == {"proposed"}


@pytest.mark.parametrize("field", ["phase", "wave", "superseded_by", "plan_revision"])
def test_another_workspaces_ids_are_refused(cast: Cast, field: str) -> None:
    with scopes_disabled():
        stranger = make_project(ClientFactory(), slug="vreemd", name="Vreemd")
        plan_services.revision_record(project=stranger, actor=None, reason="Eerste")
    ids = {
        "phase": phase_of(stranger).pk,
        "wave": wave_of(stranger).pk,
        "superseded_by": log(stranger, "Vreemd besluit").pk,
        "plan_revision": 99,
    }
    extra = {"status": "superseded"} if field == "superseded_by" else {}
    refused = post(api(cast.member), "/decisions", {"title": "X", field: ids[field], **extra})
    assert refused.status_code == 400
    assert refused.json()["field"] == field


def test_roles_viewer_reads_guest_sees_nothing(cast: Cast) -> None:
    decision = log(cast.project, "Eerst een pilot")
    assert api(cast.viewer).get(f"{API}/decisions/{decision.pk}").status_code == 200
    assert post(api(cast.viewer), "/decisions", {"title": "X"}).status_code == 403
    patch = post(api(cast.viewer), f"/decisions/{decision.pk}", {"title": "Y"}, method="patch")
    assert patch.status_code == 403
    assert api(cast.guest).get(f"{API}/decisions").status_code == 404
    assert api(cast.outsider).get(f"{API}/decisions/{decision.pk}").status_code == 404
