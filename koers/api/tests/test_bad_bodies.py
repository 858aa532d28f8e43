"""Bad API bodies, catalogued: each is answered 4xx with a message naming the field (or why
the body cannot be read), and nothing is written; ugly but sound bodies are stored as sent."""

import json
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client as WebClient
from django.utils import timezone
from django_scopes import scopes_disabled

from koers.projects.models import ScopeItem
from koers.roadmap.models import Kpi, Milestone, Phase
from koers.workspaces.models import ApiToken
from tests.factories import Cast

BASE = "/api/v1/w/acme/projects/cloud"
PHASE = {"title": "Pilot", "start_month": "2025-03-01", "weeks": 4, "budget": 1000}
MILESTONE = {"kind": "live", "title": "Live", "on": "2025-03-14"}
SCOPE = {"column": "in", "title": "Wifi", "reason": "Nu"}
RTL = "مريم: الشرح غير واضح"
EMOJI = "Uitrol 🚀 👩🏽‍💻"


@pytest.fixture
def web(cast: Cast) -> WebClient:
    made = ApiToken(user=cast.member, name="script", expires_at=timezone.now() + timedelta(days=1))
    token = made.new_token()
    made.save()
    return WebClient(headers={"Authorization": f"Bearer {token}", "accept-language": "en"})


def written() -> tuple[int, ...]:
    with scopes_disabled():
        return (
            ScopeItem.objects.count(),
            Phase.objects.count(),
            Kpi.objects.count(),
            Milestone.objects.count(),
        )


def send(web: WebClient, path: str, body: Any, method: str = "post") -> Any:
    raw = body if isinstance(body, bytes | str) else json.dumps(body)
    return web.generic(method.upper(), BASE + path, raw, content_type="application/json")


# (case, path, body, status, field the message names, words of the message)
REFUSED: list[tuple[str, str, Any, int, str | None, str]] = [
    ("not JSON", "/scope", b"{column: in}", 400, None, "Cannot parse request body"),
    ("cut short", "/scope", b'{"column": "in", "tit', 400, None, "Cannot parse request body"),
    ("NUL byte outside a string", "/scope", b'{"column": "in"\x00}', 400, None, "Cannot parse"),
    (
        "Windows-1252 bytes",
        "/scope",
        '{"column": "in", "title": "Financiën", "reason": "x"}'.encode("cp1252"),
        400,
        None,
        "Cannot parse",
    ),
    ("nested 100,000 deep", "/scope", "[" * 100_000 + "]" * 100_000, 400, None, "Cannot parse"),
    ("a list, not an object", "/scope", [SCOPE], 422, "column", "Field required"),
    ("empty object", "/scope", {}, 422, "column", "Field required"),
    (
        "a required field missing",
        "/scope",
        {"column": "in", "title": "x"},
        422,
        "reason",
        "Field required",
    ),
    ("empty required text", "/scope", SCOPE | {"title": ""}, 422, "title", "at least 1 character"),
    (
        "over-long text",
        "/scope",
        SCOPE | {"title": "x" * 201},
        422,
        "title",
        "at most 200 characters",
    ),
    (
        "1 MB of text",
        "/scope",
        SCOPE | {"reason": "x" * 1024 * 1024},
        422,
        "reason",
        "at most 500 characters",
    ),
    (
        "3 MB body",
        "/scope",
        SCOPE | {"reason": "x" * 3 * 1024 * 1024},
        413,
        None,
        "larger than 2.5 MB",
    ),
    (
        "NUL in text",
        "/scope",
        SCOPE | {"title": "Wi\x00fi"},
        422,
        "title",
        "Null characters are not allowed",
    ),
    (
        "NUL in a list",
        "/pulse/rounds",
        {"title": "R", "departments": ["HR", "I\x00T"]},
        422,
        "departments",
        "Null characters",
    ),
    (
        "NUL in a nested object",
        "/pulse/rounds",
        {"title": "R", "questions": [{"text_nl": "a\x00"}]},
        422,
        "questions",
        "Null characters",
    ),
    ("unknown choice", "/scope", SCOPE | {"column": "maybe"}, 422, "column", "Input should be"),
    ("number as text", "/phases", PHASE | {"weeks": "veel"}, 422, "weeks", "valid integer"),
    ("zero weeks", "/phases", PHASE | {"weeks": 0}, 422, "weeks", "greater than or equal to 1"),
    (
        "negative weeks",
        "/phases",
        PHASE | {"weeks": -4},
        422,
        "weeks",
        "greater than or equal to 1",
    ),
    ("weeks 4.5", "/phases", PHASE | {"weeks": 4.5}, 422, "weeks", "valid integer"),
    (
        "negative budget",
        "/phases",
        PHASE | {"budget": -1},
        422,
        "budget",
        "greater than or equal to 0",
    ),
    (
        "budget 15.000 (Dutch)",
        "/phases",
        PHASE | {"budget": "15.000"},
        422,
        "budget",
        "write 15000, not 15.000",
    ),
    (
        "budget 15,000 (English)",
        "/phases",
        PHASE | {"budget": "15,000"},
        422,
        "budget",
        "valid decimal",
    ),
    (
        "budget 1.500,50 (Dutch)",
        "/phases",
        PHASE | {"budget": "1.500,50"},
        422,
        "budget",
        "valid decimal",
    ),
    ("budget € 15.000", "/phases", PHASE | {"budget": "€ 15.000"}, 422, "budget", "valid decimal"),
    ("budget NaN", "/phases", PHASE | {"budget": "NaN"}, 422, "budget", "finite number"),
    ("budget 1e400", "/phases", PHASE | {"budget": 1e400}, 422, "budget", "finite number"),
    (
        "budget too large",
        "/phases",
        PHASE | {"budget": "1" * 13},
        422,
        "budget",
        "no more than 12 digits",
    ),
    (
        "KPI baseline 1.000",
        "/phases/{phase}/kpis",
        {"name": "Tickets", "baseline": "1.000"},
        422,
        "baseline",
        "15000, not 15.000",
    ),
    (
        "vision horizon 36",
        "/phases",
        PHASE | {"vision_horizon": 36},
        422,
        "vision_horizon",
        "24 or 48",
    ),
    ("date 14-03-2025", "/milestones", MILESTONE | {"on": "14-03-2025"}, 422, "on", "valid date"),
    ("date 14/03/2025", "/milestones", MILESTONE | {"on": "14/03/2025"}, 422, "on", "valid date"),
    ("date 03/14/2025", "/milestones", MILESTONE | {"on": "03/14/2025"}, 422, "on", "valid date"),
    (
        "date 14 maart 2025",
        "/milestones",
        MILESTONE | {"on": "14 maart 2025"},
        422,
        "on",
        "valid date",
    ),
    (
        "date 2025-02-30",
        "/milestones",
        MILESTONE | {"on": "2025-02-30"},
        422,
        "on",
        "day value is outside",
    ),
    (
        "null where text is needed",
        "/milestones/{milestone}",
        {"decision_needed": None},
        422,
        "decision_needed",
        "valid string",
    ),
    (
        "an id past any integer",
        "/milestones",
        MILESTONE | {"phase": 10**30},
        404,
        None,
        "Not found",
    ),
    (
        "another project's phase",
        "/milestones",
        MILESTONE | {"phase": "{other_phase}"},
        404,
        None,
        "Not found",
    ),
]


@pytest.fixture
def ids(cast: Cast) -> dict[str, int]:
    """Ids for the paths and bodies: a phase and milestone of the project, a phase of another."""
    from koers.roadmap import services
    from tests.factories import make_project

    with scopes_disabled():
        phase = services.phase_create(
            project=cast.project, actor=None, title="Fase", start_month=date(2025, 3, 1),
            weeks=4, budget=100,
        )  # fmt: skip
        milestone = services.milestone_create(
            project=cast.project, actor=None, kind="live", title="Live", on=date(2025, 3, 14)
        )
        other = make_project(cast.other_client, slug="ander", name="Ander")
        other_phase = services.phase_create(
            project=other, actor=None, title="Fase", start_month=date(2025, 3, 1),
            weeks=4, budget=100,
        )  # fmt: skip
    return {"phase": phase.pk, "milestone": milestone.pk, "other_phase": other_phase.pk}


def fill(value: Any, ids: dict[str, int]) -> Any:
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        return ids[value[1:-1]]
    if isinstance(value, dict):
        return {key: fill(item, ids) for key, item in value.items()}
    return value


@pytest.mark.parametrize(
    ("case", "path", "body", "status", "field", "says"), REFUSED, ids=[c[0] for c in REFUSED]
)
def test_a_bad_body_is_answered_4xx_naming_the_field_and_writes_nothing(
    web: WebClient,
    ids: dict[str, int],
    case: str,
    path: str,
    body: Any,
    status: int,
    field: str | None,
    says: str,
) -> None:
    before = written()
    method = "patch" if path.endswith("{milestone}") else "post"
    response = send(web, path.format(**ids), fill(body, ids), method)
    assert response.status_code == status, (case, response.content[:300])
    detail = response.json()["detail"]
    if field is None:
        assert says in str(detail), (case, detail)
    else:
        named = [error for error in detail if error["loc"][-1] == field]
        assert named, (case, detail)
        assert says in named[0]["msg"], (case, named[0]["msg"])
    assert written() == before


ACCEPTED: list[tuple[str, str, dict[str, Any], dict[str, Any]]] = [
    ("right-to-left text", "/scope", SCOPE | {"title": RTL}, {"title": RTL}),
    ("emoji", "/scope", SCOPE | {"reason": EMOJI}, {"reason": EMOJI}),
    ("a formula is text", "/scope", SCOPE | {"title": "=1+1"}, {"title": "=1+1"}),
    ("mixed line ends", "/scope", SCOPE | {"reason": "a\r\nb\rc\nd"}, {"reason": "a\r\nb\rc\nd"}),
    ("budget as a JSON number", "/phases", PHASE | {"budget": 15000.5}, {"budget": "15000.50"}),
    ("budget as text", "/phases", PHASE | {"budget": "15000.50"}, {"budget": "15000.50"}),
    ("budget with trailing zero", "/phases", PHASE | {"budget": "15000.0"}, {"budget": "15000.00"}),
    ("weeks 4.0", "/phases", PHASE | {"weeks": 4.0}, {"weeks": 4}),
    ("weeks as text", "/phases", PHASE | {"weeks": "4"}, {"weeks": 4}),
    (
        "unknown fields ignored",
        "/scope",
        SCOPE | {"id": 999, "project": "other"},
        {"title": "Wifi"},
    ),
    (
        "start month mid-month",
        "/phases",
        PHASE | {"start_month": "2025-03-14"},
        {"start_month": "2025-03-01"},
    ),
]


@pytest.mark.parametrize(("case", "path", "body", "kept"), ACCEPTED, ids=[c[0] for c in ACCEPTED])
def test_an_ugly_but_sound_body_is_stored_as_sent(
    web: WebClient, case: str, path: str, body: dict[str, Any], kept: dict[str, Any]
) -> None:
    before = written()
    response = send(web, path, body)
    assert response.status_code == 201, (case, response.content[:300])
    for field, value in kept.items():
        assert response.json()[field] == value, (case, field)
    assert sum(written()) == sum(before) + 1


def test_the_money_type_reads_what_it_should(web: WebClient) -> None:
    response = send(web, "/phases", PHASE | {"budget": "1234.5"})
    assert response.status_code == 201
    with scopes_disabled():
        assert Phase.objects.get(pk=response.json()["id"]).budget == Decimal("1234.50")


def test_a_list_is_no_body_where_every_field_has_a_default(web: WebClient) -> None:
    # Schema reads attributes: without the check, a list would run the pilot on its defaults.
    response = web.post(
        "/api/v1/w/acme/projects/cloud/pilot", "[[], [1]]", content_type="application/json"
    )
    assert response.status_code == 422, response.content
    assert "Send a JSON object." in str(response.json()["detail"])
