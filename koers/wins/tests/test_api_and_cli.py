"""The wins through the API and `koers wins`: the same proposals, records and refusals."""

import io
import json
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django_scopes import scopes_disabled

from koers.api.tests.test_api import Api
from koers.stakeholders import services as stakeholders
from koers.wins.models import Win
from tests.factories import Cast

from .conftest import facts_of

pytestmark = pytest.mark.django_db
WINS = "/api/v1/w/acme/projects/cloud/wins"


def test_the_api_proposes_celebrates_and_the_message_is_mailed_once(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    keys = facts_of(cast.project)
    with scopes_disabled():
        lieve = stakeholders.stakeholder_create(
            client=cast.client, actor=None, name="Lieve", email="lieve@example.be"
        )
    api = Api(cast.member)
    proposals = api.get(f"{WINS}/proposals").json()
    assert proposals["count"] == 3 and proposals["items"][1]["key"] == keys["live"]
    made = api.post(WINS, {"key": keys["live"], "message": "Verkoop is live!"})
    assert made.status_code == 201, made.json()
    win = made.json()
    assert (win["status"], win["title"], win["message"]) == (
        "celebrated",
        "Afdeling Verkoop is live",
        "Verkoop is live!",
    )
    again = api.post(WINS, {"key": keys["live"], "message": "Nog eens"})
    assert again.status_code == 400 and again.json()["field"] == "key"
    communication = f"/api/v1/w/acme/projects/cloud/communications/{win['communication']}/mail"
    body = {"template": "celebration", "stakeholders": [lieve.pk]}
    with django_capture_on_commit_callbacks(execute=True):
        assert api.post(communication, body).json()["mailed"] == 1
        assert api.post(communication, body).json() == {"mailed": 0, "before": 1, "no_address": 0}
    assert len(mail.outbox) == 1
    assert api.post(f"{WINS}/dismiss", {"key": keys["kpi"]}).status_code == 201
    listed = api.get(WINS).json()
    assert listed["count"] == 2 and {w["status"] for w in listed["items"]} == {
        "celebrated",
        "dismissed",
    }
    assert api.get(f"{WINS}/{win['id']}").json()["key"] == keys["live"]
    assert api.get(f"{WINS}/proposals").json()["count"] == 1


def test_a_viewer_may_not_celebrate_and_a_guest_sees_no_wins(cast: Cast) -> None:
    keys = facts_of(cast.project)
    response = Api(cast.viewer).post(WINS, {"key": keys["kpi"], "message": "x"})
    assert response.status_code == 403
    assert Api(cast.guest).get(f"{WINS}/proposals").status_code == 404


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("wins", "--project", "acme/cloud", *args, stdout=out)
    return out.getvalue()


def test_the_cli_lists_celebrates_and_dismisses(cast: Cast) -> None:
    keys = facts_of(cast.project)
    document = json.loads(run("--json"))
    assert [p["key"] for p in document["proposals"]] == [
        keys["decision"],
        keys["live"],
        keys["kpi"],
    ]
    by = ("--by", cast.member.email)
    run("--celebrate", keys["kpi"], "--message", "Sneller offreren", "--how", "demo", *by)
    text = run("--dismiss", keys["decision"], *by)
    assert "1 win(s) proposed" in text and f"[{keys['live']}]" in text
    assert (
        "[celebrated] KPI gehaald: Tijd per offerte (Offertetool)" in text
    )  # the project's language
    with scopes_disabled():
        told = Win.objects.get(key=keys["kpi"]).communication
        assert told is not None and told.kind == "demo"
    with pytest.raises(CommandError, match="member"):
        run("--dismiss", keys["live"], "--by", cast.viewer.email)
    with pytest.raises(CommandError, match="behandeld"):  # in the project's language
        run("--dismiss", keys["decision"], *by)
