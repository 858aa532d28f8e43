"""Plan files through the API: import with or without saving, and the MS Project export."""

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client as WebClient
from django_scopes import scopes_disabled

from koers.roadmap.models import Phase
from koers.roadmap.tests.conftest import make_phase
from koers.roadmap.tests.planfile_samples import mspdi, mspdi_task
from koers.workspaces.models import ApiToken

BASE = "/api/v1/w/acme/projects/cloud/plan"
PLAN = mspdi(
    [
        mspdi_task(1, "Verkenning", 1, "2027-03-15", "2027-04-09", cost="2000000"),
        mspdi_task(2, "Pilot", 1, "2027-04-12", "2027-06-04", cost="4000000", links=[(1, 1)]),
    ]
)


def api(user: Any) -> WebClient:
    token = ApiToken(user=user, name="test")
    secret = token.new_token()
    with scopes_disabled():
        token.save()
    return WebClient(headers={"Authorization": f"Bearer {secret}", "Accept-Language": "en"})


def send(web: WebClient, data: bytes, *, dry_run: bool, name: str = "plan.xml") -> Any:
    query = "?dry_run=true" if dry_run else ""
    return web.post(f"{BASE}/import{query}", {"file": SimpleUploadedFile(name, data)})


def phases(cast) -> list[str]:
    with scopes_disabled():
        return list(Phase.objects.filter(project=cast.project).values_list("title", flat=True))


def test_a_dry_run_returns_the_draft_and_saves_nothing(cast):
    response = send(api(cast.member), PLAN, dry_run=True)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["added"] is None and body["source"] == "mspdi"
    assert [(p["title"], p["start_month"], p["weeks"]) for p in body["phases"]] == [
        ("Verkenning", "2027-03-01", 4),
        ("Pilot", "2027-04-01", 8),
    ]
    assert body["phases"][1]["builds_on"] == body["phases"][0]["ref"]
    assert body["errors"] > 0 and any(f["rule"] == "no-kpi" for f in body["findings"])
    assert phases(cast) == []


def test_an_import_saves_the_phases(cast):
    response = send(api(cast.member), PLAN, dry_run=False)
    assert response.status_code == 200
    assert response.json()["added"] == {"phases": 2, "milestones": 0, "scope_items": 0}
    assert phases(cast) == ["Verkenning", "Pilot"]


def test_an_unreadable_file_is_a_400_that_says_where(cast):
    bad = mspdi(["<Task><UID>9</UID><Name>Bouw</Name><OutlineLevel>1</OutlineLevel></Task>"])
    response = send(api(cast.member), bad, dry_run=False)
    assert response.status_code == 400
    assert response.json()["field"] == "file"
    assert "task 9" in response.json()["detail"] and "Start" in response.json()["detail"]
    assert phases(cast) == []


def test_viewers_cannot_import_and_outsiders_see_nothing(cast):
    assert send(api(cast.viewer), PLAN, dry_run=True).status_code == 403
    assert send(api(cast.outsider), PLAN, dry_run=True).status_code == 404
    assert send(api(cast.guest), PLAN, dry_run=True).status_code == 404
    assert phases(cast) == []


def test_the_export_is_ms_project_xml(cast):
    make_phase(cast.project)
    response = api(cast.viewer).get(f"{BASE}/mspdi")
    assert response.status_code == 200 and response["Content-Type"] == "application/xml"
    assert b"<Name>Offertetool</Name>" in response.content
    assert api(cast.outsider).get(f"{BASE}/mspdi").status_code == 404


def test_an_import_without_a_file_is_a_400(cast):
    response = api(cast.member).post(f"{BASE}/import")
    assert response.status_code == 400 and response.json()["field"] == "file"
