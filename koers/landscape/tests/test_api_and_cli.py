"""The API routes, `koers landscape` and `koers check-plan`: the same records, refusals."""

import json
from io import BytesIO, StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client as WebClient
from django_scopes import scopes_disabled
from openpyxl import Workbook

from koers.landscape.models import System
from koers.roadmap.tests.conftest import make_phase
from koers.workspaces.models import ApiToken
from tests.factories import Cast

from .conftest import add_system, connect

pytestmark = pytest.mark.django_db
CLIENT = "/api/v1/w/acme/clients/bakkerij/landscape"
PROJECT = "/api/v1/w/acme/projects/cloud/landscape"


def api(cast: Cast, user: Any = None) -> WebClient:
    token = ApiToken(user=user or cast.member, name="t")
    secret = token.new_token()
    token.save()
    return WebClient(headers={"Authorization": f"Bearer {secret}"})


def send(web: WebClient, method: str, path: str, body: Any = None) -> Any:
    return web.generic(method, path, json.dumps(body or {}), content_type="application/json")


def test_keep_systems_join_them_and_read_the_audit(cast: Cast) -> None:
    web = api(cast)
    crm = send(web, "POST", f"{CLIENT}/systems", {"name": "CRM", "capability": "Klanten"})
    assert crm.status_code == 201, crm.json()
    shop = send(
        web,
        "POST",
        f"{CLIENT}/systems",
        {"name": "Webshop", "capability": "Verkoop", "debt": 4, "users": 30, "yearly_cost": "99.5"},
    ).json()
    assert shop["yearly_cost"] == "99.50"
    send(web, "POST", f"{CLIENT}/systems", {"name": "Excel", "capability": "klanten"})
    made = send(
        web,
        "POST",
        f"{CLIENT}/integrations",
        {"source": crm.json()["id"], "target": shop["id"], "kind": "api"},
    )
    assert made.status_code == 201, made.json()
    link = made.json()["id"]
    changed = send(web, "PATCH", f"{CLIENT}/integrations/{link}", {"kind": "manual"})
    assert changed.json()["kind"] == "manual"
    assert web.get(f"{CLIENT}/integrations/{link}").json()["source_name"] == "CRM"
    send(web, "PATCH", f"{CLIENT}/integrations/{link}", {"kind": "api"})
    audit = web.get(f"{CLIENT}/audit").json()
    assert [[s["name"] for s in i["systems"]] for i in audit["islands"]] == [["Excel"]]
    assert audit["duplicates"][0]["capability"] == "Klanten"  # as CRM (first by name) has it
    assert audit["ranking"][0]["name"] == "Webshop"
    assert sum(p["points"] for p in audit["ranking"][0]["parts"]) == audit["ranking"][0]["score"]


def test_refusals_name_the_field(cast: Cast) -> None:
    web = api(cast)
    add_system(cast.client, "CRM")
    same = send(web, "POST", f"{CLIENT}/systems", {"name": "crm", "capability": "x"})
    assert (same.status_code, same.json()["field"]) == (400, "name")
    assert (
        send(
            web, "POST", f"{CLIENT}/systems", {"name": "A", "capability": "x", "debt": 6}
        ).status_code
        == 422
    )
    theirs = add_system(cast.other_client, "Elders")
    with scopes_disabled():
        ours = System.objects.get(name="CRM")
    foreign = send(
        web,
        "POST",
        f"{CLIENT}/integrations",
        {"source": ours.pk, "target": theirs.pk, "kind": "api"},
    )
    assert foreign.status_code == 404
    itself = send(
        web, "POST", f"{CLIENT}/integrations", {"source": ours.pk, "target": ours.pk, "kind": "api"}
    )
    assert (itself.status_code, itself.json()["field"]) == (400, "target")


def test_a_viewer_reads_and_cannot_write_and_a_guest_sees_nothing(cast: Cast) -> None:
    add_system(cast.client, "CRM")
    viewer = api(cast, cast.viewer)
    assert viewer.get(f"{CLIENT}/systems").json()["count"] == 1
    assert (
        send(viewer, "POST", f"{CLIENT}/systems", {"name": "B", "capability": "x"}).status_code
        == 403
    )
    guest = api(cast, cast.guest)
    assert guest.get(f"{CLIENT}/systems").status_code == 404
    assert guest.get(f"{CLIENT}/audit").status_code == 404
    assert guest.get(PROJECT).status_code == 404


def test_a_phase_that_brings_a_second_crm_is_warned_in_the_api_and_check_plan(cast: Cast) -> None:
    old = add_system(cast.client, "Teamleader", "CRM")
    new = add_system(cast.client, "HubSpot", "crm")
    with scopes_disabled():
        phase = make_phase(cast.project, title="Nieuwe CRM")
    web = api(cast)
    made = send(web, "POST", PROJECT, {"phase": phase.pk, "system": new.pk, "change": "introduces"})
    assert made.status_code == 201, made.json()
    (row,) = web.get(PROJECT).json()["items"]
    assert [w["risk"] for w in row["warnings"]] == ["new_island", "second_system"]
    assert row["warnings"][1]["others"] == [old.pk]
    out = StringIO()
    call_command("check_plan", "acme/cloud", "--json", stdout=out)  # warnings do not block
    document = json.loads(out.getvalue())
    assert [w["risk"] for w in document["landscape"]] == ["new_island", "second_system"]
    # Retired in the same phase, the old CRM is no second truth.
    send(web, "POST", PROJECT, {"phase": phase.pk, "system": old.pk, "change": "retires"})
    (row,) = web.get(PROJECT).json()["items"]
    assert [w["risk"] for w in row["warnings"]] == ["new_island"]


def test_the_command_prints_the_audit_and_imports_and_exports(cast: Cast, tmp_path: Path) -> None:
    crm = add_system(cast.client, "CRM", "Klanten", debt=5)
    connect(crm, add_system(cast.client, "Webshop", "Verkoop"), "manual")
    out = StringIO()
    call_command("landscape", "acme/bakkerij", "--json", stdout=out)
    document = json.loads(out.getvalue())
    assert document["client"] == "acme/bakkerij"
    assert len(document["islands"]) == 2 and len(document["manual"]) == 1
    text = StringIO()
    exported = tmp_path / "systems.xlsx"
    call_command("landscape", "acme/bakkerij", "--export", str(exported), stdout=text)
    assert "island 1" in text.getvalue() and "CRM" in text.getvalue()
    assert exported.read_bytes().startswith(b"PK")
    book = Workbook()
    book.active.append(["Name", "Capability", "Technical debt"])
    book.active.append(["Boekhouding", "Financiën", "zes"])
    bad = tmp_path / "bad.xlsx"
    buffer = BytesIO()
    book.save(buffer)
    bad.write_bytes(buffer.getvalue())
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("landscape", "acme/bakkerij", "--import", str(bad), stderr=StringIO())
    with scopes_disabled():
        assert System.objects.filter(client=cast.client).count() == 2
