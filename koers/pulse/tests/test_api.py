"""The pulse API: rounds, results under the group rule, feedback items, status updates."""

from typing import Any

from django.test import Client as WebClient
from django_scopes import scopes_disabled

from koers.pulse.models import FeedbackItem, Round
from koers.workspaces.models import ApiToken
from tests.factories import Cast

from .conftest import add_answers, add_taking_turns, close

BASE = "/api/v1/w/acme/projects/cloud/pulse"


def api(cast: Cast, user: Any = None) -> WebClient:
    token = ApiToken(user=user or cast.member, name="t")
    secret = token.new_token()
    token.save()
    return WebClient(headers={"Authorization": f"Bearer {secret}"})


def test_results_follow_the_group_rule(cast: Cast, open_round: Round) -> None:
    web = api(cast)
    add_answers(open_round, 4, 2)
    hidden = web.get(f"{BASE}/rounds/{open_round.number}/results").json()
    assert hidden == {
        "answers": 4,
        "basis": 0,
        "is_final": False,
        "shown": False,
        "steps": [],
        "barrier_point": None,
        "by": None,
        "groups": [],
        "merged_groups": 0,
    }
    add_taking_turns(open_round, {"Verkoop": (8, 4), "HR": (3, 4), "Finance": (6, 4)})
    running = web.get(f"{BASE}/rounds/{open_round.number}/results?by=department").json()
    # While open: the overall figure over the first 20 of 21, no groups.
    assert running["answers"] == 21 and running["basis"] == 20 and running["groups"] == []
    close(open_round)
    shown = web.get(f"{BASE}/rounds/{open_round.number}/results?by=department").json()
    assert shown["shown"] and shown["is_final"] and shown["barrier_point"] is None
    groups = {g["group"]: g["answers"] for g in shown["groups"]}
    assert groups == {"Finance": 6, "Verkoop": 7, "__other__": 7}
    assert shown["merged_groups"] == 2  # HR (3) and no department (4)
    assert {s["average"] for s in shown["steps"]} == {"3.6"}  # (4 x 2 + 16 x 4) / 20


def test_a_member_makes_a_round_and_reads_it_back(cast: Cast) -> None:
    web = api(cast)
    made = web.post(
        f"{BASE}/rounds",
        {"title": "Nulmeting", "questions": [{"kind": "open", "text_en": "Anything else?"}]},
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    body = web.get(f"{BASE}/rounds/1").json()
    assert body["status"] == "draft" and body["questions"][0]["text_en"] == "Anything else?"


def test_feedback_items_are_kept_and_declined_only_with_a_reason(cast: Cast) -> None:
    web = api(cast)
    made = web.post(
        f"{BASE}/feedback",
        {"text": "Meer uitleg", "source": "support"},
        content_type="application/json",
    ).json()
    refused = web.patch(
        f"{BASE}/feedback/{made['id']}", {"status": "declined"}, content_type="application/json"
    )
    assert refused.status_code == 400 and refused.json()["field"] == "decline_reason"
    done = web.patch(
        f"{BASE}/feedback/{made['id']}",
        {"status": "declined", "decline_reason": "Buiten scope"},
        content_type="application/json",
    )
    assert done.json()["status"] == "declined"
    with scopes_disabled():
        assert FeedbackItem.objects.get().decline_reason == "Buiten scope"


def test_a_status_update_feeds_the_watermelon_signal(cast: Cast, open_round: Round) -> None:
    web = api(cast)
    add_answers(open_round, 5, {"awareness": 1, "knowledge": 2})
    saved = web.post(
        f"{BASE}/status-updates",
        {"status": "green", "highlights": "Op schema"},
        content_type="application/json",
    )
    assert saved.status_code == 201
    signal = web.get(f"{BASE}/signal").json()
    assert signal["reported"] == "green" and signal["is_watermelon"]
    assert signal["round"] == open_round.number
