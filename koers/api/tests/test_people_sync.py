"""People through the API, as a nightly sync from Entra ID or an HR system sends them."""

import json
from datetime import timedelta
from typing import Any

from django.test import Client as WebClient
from django.utils import timezone
from django_scopes import scopes_disabled

from koers.population.models import Person
from koers.workspaces.models import ApiToken
from tests.factories import Cast

PEOPLE = "/api/v1/w/acme/clients/bakkerij/people"


def token_client(user: Any) -> WebClient:
    token = ApiToken(user=user, name="sync")
    secret = token.new_token()
    token.save()
    return WebClient(headers={"Authorization": f"Bearer {secret}", "Accept-Language": "en"})


def put(web: WebClient, key: str, body: dict[str, Any]) -> Any:
    return web.put(f"{PEOPLE}/{key}", data=json.dumps(body), content_type="application/json")


def post(web: WebClient, body: Any) -> Any:
    return web.post(PEOPLE, data=json.dumps(body), content_type="application/json")


def stored(cast: Cast) -> dict[str, Person]:
    with scopes_disabled():
        return {p.key: p for p in Person.objects.filter(client=cast.client)}


def test_put_creates_a_person_and_the_same_body_again_changes_nothing(cast: Cast) -> None:
    web = token_client(cast.member)
    body = {"name": "Jan van der Berg", "department": "Finance", "attributes": {"Team": "AP"}}
    first = put(web, "00017", body)
    assert first.status_code == 201, first.content
    assert first.json()["name"] == "Jan van der Berg"
    before = stored(cast)["00017"].updated_at
    again = put(web, "00017", body)
    assert again.status_code == 200
    assert again.json() == first.json()
    assert stored(cast)["00017"].updated_at == before


def test_put_changes_a_person_and_marks_them_left_with_their_date(cast: Cast) -> None:
    web = token_client(cast.member)
    put(web, "7", {"name": "Ann", "department": "HR"})
    last_day = timezone.localdate() - timedelta(days=3)
    answer = put(web, "7", {"name": "Ann", "department": "HR", "left": last_day.isoformat()})
    assert answer.status_code == 200
    assert answer.json()["leaving_on"] == last_day.isoformat()
    person = stored(cast)["7"]
    assert person.left_at is not None
    assert timezone.localtime(person.left_at).date() == last_day
    # Marking someone left again with the same body is no change either.
    assert put(web, "7", {"name": "Ann", "department": "HR", "left": last_day.isoformat()})
    assert stored(cast)["7"].updated_at == person.updated_at
    # A leaving date still to come keeps them, with the date.
    later = timezone.localdate() + timedelta(days=30)
    put(web, "7", {"name": "Ann", "department": "HR", "left": later.isoformat()})
    person = stored(cast)["7"]
    assert (person.left_at, person.leaving_on) == (None, later)


def test_a_batch_creates_and_changes_many_in_one_call_idempotently(cast: Cast) -> None:
    web = token_client(cast.member)
    gone = (timezone.localdate() - timedelta(days=1)).isoformat()
    people = [
        {"key": "1", "name": "Ann", "department": "IT"},
        {"key": "2", "name": "Bob", "department": "HR", "left": gone},
        {"key": "3", "name": "Cas", "department": "Sales"},
    ]
    answer = post(web, {"people": people})
    assert answer.status_code == 200, answer.content
    assert answer.json() == {"created": 3, "updated": 0, "unchanged": 0, "leavers": 1}
    assert post(web, {"people": people}).json() == {
        "created": 0,
        "updated": 0,
        "unchanged": 3,
        "leavers": 1,
    }
    people[0]["department"] = "Finance"
    assert post(web, {"people": people[:1]}).json()["updated"] == 1
    found = stored(cast)
    assert found["2"].left_at is not None and found["1"].department == "Finance"
    assert found["3"].left_at is None  # people not sent stay as they are
    listed = web.get(PEOPLE).json()
    assert [p["key"] for p in listed["items"]] == ["1", "3"]
    assert web.get(PEOPLE + "?include_left=true").json()["count"] == 3


def test_a_batch_with_bad_rows_names_each_and_writes_nothing(cast: Cast) -> None:
    web = token_client(cast.member)
    people = [
        {"key": "1", "name": "Ann"},
        {"key": "2", "name": "x" * 300},
        {"key": "1", "name": "Ann again"},
        {"key": "  ", "name": "Nobody"},
    ]
    answer = post(web, {"people": people})
    assert answer.status_code == 400
    body = answer.json()
    assert "nothing was written" in body["detail"]
    found = [(e["row"], e["field"], e["value"][:5]) for e in body["errors"]]
    assert found == [(2, "name", "xxxxx"), (3, "key", "1"), (4, "key", "")]
    assert "row 1" in body["errors"][1]["message"]
    assert stored(cast) == {}


def test_another_workspace_gets_404_and_a_viewer_403(cast: Cast) -> None:
    outsider = token_client(cast.outsider)
    assert put(outsider, "1", {"name": "Ann"}).status_code == 404
    assert post(outsider, {"people": [{"key": "1"}]}).status_code == 404
    # A member of acme asking for a client of another workspace: 404 as well.
    member = token_client(cast.member)
    foreign = "/api/v1/w/acme/clients/elsewhere/people"
    answer = member.post(
        foreign, data=json.dumps({"people": [{"key": "1"}]}), content_type="application/json"
    )
    assert answer.status_code == 404
    viewer = token_client(cast.viewer)
    assert put(viewer, "1", {"name": "Ann"}).status_code == 403
    assert stored(cast) == {}


def test_a_body_that_is_no_json_object_is_refused_and_writes_nothing(cast: Cast) -> None:
    web = token_client(cast.member)
    for body in ("null", "7", '"P0"'):
        response = web.put(f"{PEOPLE}/P0", data=body, content_type="application/json")
        assert response.status_code == 400, response.content
        assert response.json() == {"detail": "Cannot parse request body"}
    assert stored(cast) == {}
