"""The product's API routes and `koers product`: the same record, and the same refusals."""

import json
from datetime import timedelta
from io import StringIO
from typing import Any

from django.core.management import call_command
from django.test import Client as WebClient
from django_scopes import scopes_disabled

from koers.products.models import Contract, Product
from koers.projects import services as project_services
from koers.roadmap.tests.conftest import make_plan
from koers.stakeholders.models import Stakeholder
from koers.workspaces.models import ApiToken
from tests.factories import Cast, make_project

PATH = "/api/v1/w/acme/projects/cloud/product"


def api(cast: Cast, user: Any = None) -> WebClient:
    token = ApiToken(user=user or cast.member, name="t")
    secret = token.new_token()
    token.save()
    return WebClient(headers={"Authorization": f"Bearer {secret}"})


def send(web: WebClient, method: str, path: str, body: Any = None) -> Any:
    return web.generic(method, path, json.dumps(body or {}), content_type="application/json")


def test_run_a_product_through_the_api_and_read_it_with_the_cli(cast: Cast, plan) -> None:
    with scopes_disabled():
        owner = Stakeholder.objects.create(client=cast.client, name="Jeroen Bakker")
        project_services.client_vision_save(client=cast.client, horizon=48, summary="Wendbaar")
    web = api(cast)
    assert web.get(PATH).json() == {
        "is_product": False,
        "owner": None,
        "owner_decides_alone": False,
        "owner_mandate": "",
        "starts_in": "",
        "team": [],
        "outcomes": [],
        "contracts": [],
    }
    assert send(web, "POST", f"{PATH}/team", {"name": "Sam", "role": "Dev"}).status_code == 400
    made = send(
        web, "PUT", PATH, {"owner": owner.pk, "owner_decides_alone": True, "starts_in": "KCC"}
    )
    assert made.status_code == 200, made.json()
    assert made.json()["owner"] == {"id": owner.pk, "name": "Jeroen Bakker"}
    send(web, "POST", f"{PATH}/team", {"name": "Sam", "role": "Developer"})
    outcome = send(web, "POST", f"{PATH}/outcomes", {"text": "Sneller", "vision_horizon": 48})
    assert outcome.json()["outcomes"][0]["vision_horizon"] == 48
    assert (
        send(web, "POST", f"{PATH}/outcomes", {"text": "X", "vision_horizon": 24}).status_code
        == 400
    )
    first = plan[0]
    contract = send(
        web,
        "POST",
        f"{PATH}/contracts",
        {
            "party": "Dimpact",
            "starts_on": first.start_month.isoformat(),
            "ends_on": (first.start_month + timedelta(weeks=4)).isoformat(),
            "phases": [first.pk],
        },
    )
    assert contract.status_code == 201, contract.json()
    [warning] = contract.json()["contracts"][0]["warnings"]
    assert warning["risk"] == "phase-past-contract" and warning["phase"] == first.pk

    out = StringIO()
    call_command("product", "--project", "acme/cloud", "--json", stdout=out)
    document = json.loads(out.getvalue())
    assert document["project"] == "acme/cloud"
    read = web.get(PATH, headers={"Accept-Language": "nl"}).json()
    assert {k: v for k, v in document.items() if k != "project"} == read
    text = StringIO()
    call_command("product", "--project", "acme/cloud", stdout=text)
    assert "product owner Jeroen Bakker (decides alone)" in text.getvalue()
    assert "loopt buiten het contract met Dimpact" in text.getvalue()  # the project's language


def test_the_api_refuses_another_clients_owner_and_another_plans_phase(cast: Cast, plan) -> None:
    with scopes_disabled():
        stranger = Stakeholder.objects.create(client=cast.other_client, name="Vreemde")
        [foreign] = make_plan(make_project(cast.other_client, slug="raadhuis"), 1)
    web = api(cast)
    assert send(web, "PUT", PATH, {"owner": stranger.pk}).status_code == 400
    send(web, "PUT", PATH, {"starts_in": "KCC"})
    body = {"party": "X", "starts_on": "2027-01-01", "ends_on": "2027-02-01"}
    assert (
        send(web, "POST", f"{PATH}/contracts", body | {"phases": [foreign.pk]}).status_code == 400
    )
    with scopes_disabled():
        assert not Contract.objects.exists()
        assert Product.objects.get().owner is None


def test_guests_get_404_and_viewers_403(cast: Cast, plan) -> None:
    assert api(cast, cast.guest).get(PATH).status_code == 404
    assert api(cast, cast.outsider).get(PATH).status_code == 404
    viewer = api(cast, cast.viewer)
    assert viewer.get(PATH).status_code == 200
    assert send(viewer, "PUT", PATH, {"starts_in": "KCC"}).status_code == 403
