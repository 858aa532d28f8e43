import json
from typing import Any

import pytest
from django.test import Client as WebClient
from django_scopes import scopes_disabled

from koers.accounts.models import User
from koers.projects import services
from koers.projects.models import ScopeChange, ScopeItem
from koers.workspaces.models import ApiToken
from tests.factories import Cast, make_project

BASE = "/api/v1/w/acme"


class Api:
    """A script holding one user's token."""

    def __init__(self, user: User) -> None:
        token = ApiToken(user=user, name="script")
        self.secret = token.new_token()
        token.save()
        self.token = token
        self.web = WebClient(headers={"Authorization": f"Bearer {self.secret}"})

    def get(self, path: str) -> Any:
        return self.web.get(path)

    def post(self, path: str, body: object) -> Any:
        data = body if isinstance(body, str) else json.dumps(body)
        return self.web.post(path, data=data, content_type="application/json")


@pytest.fixture
def other_project(cast: Cast) -> None:
    with scopes_disabled():
        make_project(cast.other_client, slug="raadhuis", name="Raadhuis")


def test_workspaces_lists_the_token_users_workspaces_and_roles(cast: Cast):
    response = Api(cast.manager).get("/api/v1/workspaces")

    assert response.status_code == 200
    assert response.json() == {
        "count": 1,
        "next": None,
        "items": [{"slug": "acme", "name": "Acme IT", "role": "manager"}],
    }


def test_list_projects(cast: Cast, other_project: None):
    response = Api(cast.viewer).get(f"{BASE}/projects")

    assert response.status_code == 200
    projects = {p["slug"]: p for p in response.json()["items"]}
    assert sorted(projects) == ["cloud", "raadhuis"]
    assert projects["cloud"]["client"] == "bakkerij"
    assert projects["cloud"]["goals"] == ["Minder storingen", "Thuiswerken mogelijk"]
    assert projects["cloud"]["status"] == "intake"


def test_read_one_project(cast: Cast):
    response = Api(cast.member).get(f"{BASE}/projects/cloud")

    assert response.status_code == 200
    body = response.json()
    assert (body["slug"], body["name"], body["client"]) == ("cloud", "Naar de cloud", "bakkerij")
    assert body["request"] == "We willen naar de cloud."
    assert body["goals"] == ["Minder storingen", "Thuiswerken mogelijk"]


def test_read_a_missing_project_gives_404(cast: Cast):
    response = Api(cast.member).get(f"{BASE}/projects/bestaat-niet")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_list_clients_and_scope(cast: Cast):
    api = Api(cast.viewer)

    clients = api.get(f"{BASE}/clients").json()["items"]
    scope = api.get(f"{BASE}/projects/cloud/scope").json()["items"]

    assert [c["slug"] for c in clients] == ["bakkerij", "gemeente"]
    assert [(i["column"], i["title"], i["position"]) for i in scope] == [
        ("in", "E-mail naar Microsoft 365", 0)
    ]


def test_guests_see_only_their_own_clients_projects(cast: Cast, other_project: None):
    api = Api(cast.guest)

    listed = api.get(f"{BASE}/projects")
    own = api.get(f"{BASE}/projects/cloud")
    other = api.get(f"{BASE}/projects/raadhuis")
    other_scope = api.get(f"{BASE}/projects/raadhuis/scope")
    clients = api.get(f"{BASE}/clients")

    assert listed.status_code == 200
    assert [p["slug"] for p in listed.json()["items"]] == ["cloud"]
    assert own.status_code == 200
    assert other.status_code == other_scope.status_code == 404
    assert clients.status_code == 404


def test_a_guest_cannot_add_to_the_scope_of_its_own_project(cast: Cast):
    response = Api(cast.guest).post(
        f"{BASE}/projects/cloud/scope", {"column": "in", "title": "x", "reason": "y"}
    )

    assert response.status_code in (403, 404)
    with scopes_disabled():
        assert cast.project.scope_items.count() == 1


def test_add_a_scope_item(cast: Cast):
    api = Api(cast.member)

    response = api.post(
        f"{BASE}/projects/cloud/scope",
        {"column": "in", "title": "Teams", "reason": "Samenwerken"},
    )

    assert response.status_code == 201
    body = response.json()
    assert {k: body[k] for k in ("column", "title", "reason", "position")} == {
        "column": "in",
        "title": "Teams",
        "reason": "Samenwerken",
        "position": 1,
    }
    with scopes_disabled():
        item = ScopeItem.objects.get(pk=body["id"])
        change = ScopeChange.objects.filter(item=item).get()
    assert item.project == cast.project
    assert (change.action, change.actor) == ("added", cast.member)


def test_move_a_scope_item(cast: Cast):
    with scopes_disabled():
        later = services.scope_item_add(
            project=cast.project, actor=None, column="later", title="Intranet", reason="r"
        )
        item = cast.project.scope_items.get(column="in")

    response = Api(cast.member).post(
        f"{BASE}/projects/cloud/scope/{item.pk}/move", {"column": "later", "position": 0}
    )

    assert response.status_code == 200
    assert (response.json()["column"], response.json()["position"]) == ("later", 0)
    with scopes_disabled():
        later.refresh_from_db()
        change = ScopeChange.objects.filter(item=item)[0]  # the newest
    assert later.position == 1
    assert (change.action, change.actor) == ("moved", cast.member)


def test_moving_an_item_of_another_project_gives_404(cast: Cast, other_project: None):
    with scopes_disabled():
        item = cast.project.scope_items.get()

    response = Api(cast.member).post(
        f"{BASE}/projects/raadhuis/scope/{item.pk}/move", {"column": "out", "position": 0}
    )

    assert response.status_code == 404
    with scopes_disabled():
        item.refresh_from_db()
    assert item.column == "in"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"column": "in", "reason": "r"}, "title"),
        ({"column": "in", "title": "", "reason": "r"}, "title"),
        ({"column": "in", "title": "x" * 201, "reason": "r"}, "title"),
        ({"column": "sideways", "title": "t", "reason": "r"}, "column"),
        ({"column": "in", "title": "t"}, "reason"),
    ],
)
def test_a_bad_scope_item_gives_422_naming_the_field(cast: Cast, body: dict, field: str):
    response = Api(cast.member).post(f"{BASE}/projects/cloud/scope", body)

    assert response.status_code == 422
    errors = response.json()["detail"]
    assert any(field in error["loc"] and error["msg"] for error in errors), errors
    with scopes_disabled():
        assert cast.project.scope_items.count() == 1


@pytest.mark.parametrize("position", [-1, 10_001, "top"])
def test_a_bad_move_gives_422(cast: Cast, position: object):
    with scopes_disabled():
        item = cast.project.scope_items.get()

    response = Api(cast.member).post(
        f"{BASE}/projects/cloud/scope/{item.pk}/move", {"column": "out", "position": position}
    )

    assert response.status_code == 422
    assert any("position" in error["loc"] for error in response.json()["detail"])


def test_a_body_that_is_not_json_gives_400_with_a_message(cast: Cast):
    response = Api(cast.member).post(f"{BASE}/projects/cloud/scope", "{not json")

    assert response.status_code == 400
    assert response.json()["detail"]


def test_using_a_token_records_when_it_was_last_used(cast: Cast):
    api = Api(cast.viewer)
    assert api.token.last_used_at is None

    api.get("/api/v1/workspaces")

    api.token.refresh_from_db()
    assert api.token.last_used_at is not None


def test_a_token_of_a_deactivated_user_is_refused(cast: Cast):
    api = Api(cast.owner)
    User.objects.filter(pk=cast.owner.pk).update(is_active=False)

    assert api.get("/api/v1/workspaces").status_code == 401


def test_the_client_vision_is_read_and_written_per_horizon(cast: Cast):
    address = f"{BASE}/clients/{cast.client.slug}/vision"
    api = Api(cast.member)
    empty = api.get(address).json()
    assert empty["months_24"] == {
        "horizon": 24,
        "summary": "",
        "automated_processes": "",
        "connected_systems": "",
        "biggest_gains": "",
    }
    written = api.web.put(
        f"{address}/48",
        json.dumps({"summary": "Alles gekoppeld", "biggest_gains": "Geen dubbel werk"}),
        content_type="application/json",
    )
    assert written.status_code == 200, written.content
    assert written.json()["months_48"]["summary"] == "Alles gekoppeld"
    again = api.web.put(
        f"{address}/48", json.dumps({"connected_systems": "Via API's"}), "application/json"
    )
    assert again.json()["months_48"]["summary"] == "Alles gekoppeld"  # left out: stays
    assert again.json()["months_48"]["connected_systems"] == "Via API's"
    refused = api.web.put(f"{address}/36", "{}", "application/json")
    assert refused.status_code == 400 and "24" in refused.json()["detail"]
    viewer = Api(cast.viewer).web.put(f"{address}/24", "{}", "application/json")
    assert viewer.status_code == 403
    other = Api(cast.outsider).get(address)
    assert other.status_code == 404


def test_a_script_adds_a_client_and_starts_a_project_as_the_forms_do(cast: Cast):
    api = Api(cast.member)
    made = api.post(f"{BASE}/clients", {"name": "Brouwerij Het Anker", "country": "BE"})
    assert made.status_code == 201, made.content
    assert made.json()["slug"] == "brouwerij-het-anker"  # made from the name, as the form does
    again = api.post(f"{BASE}/clients", {"name": "Anker", "slug": "brouwerij-het-anker"})
    assert again.status_code == 400 and again.json()["field"] == "slug"

    intake = {
        "client": "brouwerij-het-anker",
        "name": "Naar de cloud",  # the cast's project has this name, not its short name "cloud"
        "request": "Alles in de cloud",
        "goals": ["Minder storingen", "Thuiswerken"],
        "bottleneck": "Niemand heeft tijd",
        "smallest_version": "De brouwzaal eerst",
    }
    started = api.post(f"{BASE}/projects", intake)
    assert started.status_code == 201, started.content
    project = started.json()
    assert project["slug"] == "naar-de-cloud" and project["client"] == "brouwerij-het-anker"
    assert project["goals"] == ["Minder storingen", "Thuiswerken"]
    assert project["smallest_version"] == "De brouwzaal eerst"
    missing = api.post(f"{BASE}/projects", {**intake, "client": "nobody"})
    assert missing.status_code == 400 and missing.json()["field"] == "client"
    empty_goal = api.post(f"{BASE}/projects", {**intake, "goals": ["  "]})
    assert empty_goal.status_code == 400 and empty_goal.json()["field"] == "goals"

    changed = api.web.patch(
        f"{BASE}/projects/naar-de-cloud",
        json.dumps({"behaviour_change": "Bestanden in Teams", "serves_vision": "Veilig werken"}),
        content_type="application/json",
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["behaviour_change"] == "Bestanden in Teams"
    assert changed.json()["goals"] == ["Minder storingen", "Thuiswerken"]  # left out: kept
    viewer = Api(cast.viewer).post(f"{BASE}/clients", {"name": "Nee"})
    assert viewer.status_code == 403
    other = Api(cast.outsider).web.patch(
        f"{BASE}/projects/naar-de-cloud", "{}", content_type="application/json"
    )
    assert other.status_code == 404
