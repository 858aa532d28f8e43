"""The plan API: phases, KPIs, milestones, guardrails and revisions under /api/v1/."""

import json
from typing import Any

import pytest
from django.test import Client as WebClient
from django_scopes import scope, scopes_disabled

from koers.roadmap import services
from koers.roadmap.models import Phase
from koers.roadmap.tests.conftest import make_phase
from koers.workspaces.models import ApiToken
from tests.factories import make_project

BASE = "/api/v1/w/acme/projects/cloud"


class Api:
    def __init__(self, user: Any) -> None:
        token = ApiToken(user=user, name="test")
        self.key = token.new_token()
        with scopes_disabled():
            token.save()
        self.web = WebClient(HTTP_AUTHORIZATION=f"Bearer {self.key}")

    def get(self, path: str) -> Any:
        return self.web.get(BASE + path)

    def send(self, method: str, path: str, body: dict[str, Any]) -> Any:
        return getattr(self.web, method)(
            BASE + path, json.dumps(body), content_type="application/json"
        )


PHASE = {
    "title": "Offertetool",
    "standalone_value": "Sneller offreren",
    "vision_horizon": 24,
    "vision_contribution": "Order-to-cash",
    "start_month": "2025-02-10",
    "weeks": 8,
    "budget": "25000",
    "kpis": [{"name": "Offertetijd", "unit": "min", "baseline": "50", "target": "20"}],
}


def test_member_creates_reads_and_changes_a_phase(cast):
    api = Api(cast.member)
    made = api.send("post", "/phases", PHASE)
    assert made.status_code == 201, made.content
    phase = made.json()
    assert phase["start_month"] == "2025-02-01"
    assert float(phase["kpis"][0]["target"]) == 20
    changed = api.send("patch", f"/phases/{phase['id']}", {"weeks": 14})
    assert changed.status_code == 200 and changed.json()["weeks"] == 14
    findings = api.get("/guardrails").json()
    assert findings["ok"] is False
    assert {f["rule"] for f in findings["findings"]} >= {"phase-too-long"}
    assert [p["title"] for p in api.get("/phases").json()["items"]] == ["Offertetool"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"budget": "-1"}, None),
        ({"weeks": 0}, None),
        ({"kpis": [{"name": "X", "baseline": "5", "target": "5"}]}, "target"),
    ],
)
def test_bad_phase_input_is_a_400_and_saves_nothing(cast, change, field):
    response = Api(cast.member).send("post", "/phases", PHASE | change)
    assert response.status_code in {400, 422}
    if field:
        assert response.json()["field"] == field
    with scopes_disabled():
        assert not Phase.objects.exists()


def test_kpis_and_milestones(cast, plan):
    api = Api(cast.member)
    phase_id = plan[0].pk
    added = api.send(
        "post",
        f"/phases/{phase_id}/kpis",
        {"name": "Fouten", "direction": "lower", "baseline": "4", "target": "1"},
    )
    assert added.status_code == 201
    kpi = added.json()
    patched = api.send(
        "patch",
        f"/phases/{phase_id}/kpis/{kpi['id']}",
        {"actual": "1", "actual_on": "2025-03-01"},
    )
    assert patched.status_code == 200 and patched.json()["is_met"] is True
    assert api.get(f"/phases/{phase_id}/kpis").json()["count"] == 3
    milestone = api.send(
        "post",
        "/milestones",
        {"kind": "live", "title": "Offertetool live", "on": "2025-02-26", "phase": phase_id},
    )
    assert milestone.status_code == 201
    moved = api.send("patch", f"/milestones/{milestone.json()['id']}", {"on": "2025-03-05"})
    assert moved.json()["on"] == "2025-03-05"
    assert api.get("/milestones").json()["count"] == 4


def test_revisions_are_listed_and_read(cast, plan):
    with scope(workspace=cast.workspace):
        services.revision_record(project=cast.project, actor=cast.owner, reason="Gedeeld")
    api = Api(cast.viewer)
    [revision] = api.get("/revisions").json()["items"]
    assert revision["number"] == 1 and revision["reason"] == "Gedeeld"
    detail = api.get("/revisions/1").json()
    assert len(detail["snapshot"]["phases"]) == 3


def test_viewer_may_read_but_not_change_and_outsider_sees_nothing(cast, plan):
    viewer = Api(cast.viewer)
    assert viewer.get("/phases").status_code == 200
    assert viewer.send("post", "/phases", PHASE).status_code == 403
    assert viewer.send("patch", f"/phases/{plan[0].pk}", {"weeks": 3}).status_code == 403
    outsider = Api(cast.outsider)
    for path in ["/phases", f"/phases/{plan[0].pk}", "/milestones", "/guardrails", "/revisions"]:
        assert outsider.get(path).status_code == 404, path
    assert outsider.send("post", "/phases", PHASE).status_code == 404


def test_a_phase_of_another_project_is_not_found(cast):
    with scopes_disabled():
        other = make_project(cast.client, slug="andere")
    foreign = make_phase(other)
    api = Api(cast.member)
    assert api.get(f"/phases/{foreign.pk}").status_code == 404
    assert api.send("patch", f"/phases/{foreign.pk}", {"weeks": 3}).status_code == 404
