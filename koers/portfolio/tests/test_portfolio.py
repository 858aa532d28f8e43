"""The portfolio on every face: the workspace home, the API and `koers portfolio`. What
needs attention comes first with its reason, filters work and refuse nonsense clearly, the
query count does not grow with the projects, and nobody sees a project they may not."""

import json
from datetime import date, timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from koers.api.tests.test_roadmap_api import Api as ProjectApi
from koers.decisions import services as decision_services
from koers.pulse import services as pulse_services
from koers.roadmap.tests.conftest import make_phase
from koers.rollout.models import Gate, Wave
from tests.factories import Cast, ClientFactory, MembershipFactory, make_project

PAGE = "workspaces:dashboard"
# Every app's grouped read once (signal, plan, waves and gates, rounds, decisions,
# stakeholders) plus the page's own (session, member, filters' choices).
PAGE_QUERIES = 23
API_QUERIES = 18


class Api(ProjectApi):
    def get(self, path: str) -> Any:
        return self.web.get("/api/v1" + path)


def months_ago(months: int) -> date:
    today = timezone.localdate().replace(day=1)
    year, month = divmod(today.month - 1 - months, 12)
    return date(today.year + year, month + 1, 1)


def english(web: Any) -> Any:
    web.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return web


def watermelon(project: Any) -> None:
    """Reported green while three blocking items are open: measured red."""
    with scopes_disabled():
        pulse_services.status_update_save(
            project=project, actor=None, week=timezone.localdate(), status="green"
        )
        for n in range(3):
            pulse_services.feedback_create(
                project=project,
                actor=None,
                source="pilot",
                text=f"Blokkerend {n}",
                is_blocking=True,
            )


@pytest.fixture
def three(cast: Cast) -> dict[str, Any]:
    """The cloud project a watermelon; a town hall project (another client, managed by the
    manager) with a late phase and a decision waiting; a quiet one."""
    with scopes_disabled():
        hall = make_project(
            cast.other_client, slug="raadhuis", name="Raadhuis", manager=cast.manager
        )
        quiet = make_project(cast.client, slug="stil", name="Stil project")
        decision_services.decision_create(
            project=hall, actor=None, title="Welke leverancier", due_on=timezone.localdate()
        )
    make_phase(hall, title="Offertetool", start_month=months_ago(8), status="active")
    watermelon(cast.project)
    return {"cloud": cast.project, "hall": hall, "quiet": quiet}


def rows(html: str) -> list[str]:
    return [part.split("</tr>")[0] for part in html.split('data-testid="portfolio-row"')[1:]]


def test_the_home_lists_what_needs_attention_first_with_the_reason(cast: Cast, three) -> None:
    html = english(cast.login(cast.member)).get(reverse(PAGE, args=["acme"])).content.decode()
    found = rows(html)
    assert [("Naar de cloud" in r, "Raadhuis" in r, "Stil project" in r) for r in found] == [
        (True, False, False),
        (False, True, False),
        (False, False, True),
    ]
    assert "Reported green, measured red" in found[0] and "Watermelon" in found[0]
    assert "1 phase late" in found[1] and "1 decision waiting" in found[1]
    assert "Offertetool" in found[1]  # its current phase
    assert "nothing" in found[2].lower()


def test_the_home_speaks_dutch_by_default(cast: Cast, three) -> None:
    html = cast.login(cast.member).get(reverse(PAGE, args=["acme"])).content.decode()
    assert "1 fase te laat" in html


def test_filters_by_client_manager_and_status(cast: Cast, three) -> None:
    web = english(cast.login(cast.viewer))
    url = reverse(PAGE, args=["acme"])
    by_client = web.get(url, {"client": "gemeente"}).content.decode()
    assert "Raadhuis" in by_client and "Naar de cloud" not in by_client
    by_manager = web.get(url, {"manager": cast.manager.pk}).content.decode()
    assert [("Raadhuis" in r) for r in rows(by_manager)] == [True]
    with scopes_disabled():
        three["quiet"].status = "closed"
        three["quiet"].save()
    assert "Stil project" not in web.get(url).content.decode()  # active ones only
    closed = web.get(url, {"status": "closed"}).content.decode()
    assert [("Stil project" in r) for r in rows(closed)] == [True]


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ({"client": "nergens"}, "There is no client nergens in this workspace."),
        ({"client": "a\x00b"}, "There is no client"),
        ({"manager": "baas"}, "must be a member of this workspace"),
        ({"status": "done"}, "Unknown status done: choose one of intake, planning"),
    ],
)
def test_a_wrong_filter_says_why_and_shows_nothing(cast: Cast, three, query, says) -> None:
    response = english(cast.login(cast.member)).get(reverse(PAGE, args=["acme"]), query)
    assert response.status_code == 400
    html = response.content.decode()
    assert says in html and not rows(html)
    api = Api(cast.member).get(
        "/w/acme/portfolio?" + "&".join(f"{k}={v}" for k, v in query.items())
    )
    assert api.status_code in (400, 422)


def test_a_manager_of_another_workspace_is_no_filter(cast: Cast, three) -> None:
    response = cast.login(cast.member).get(
        reverse(PAGE, args=["acme"]), {"manager": cast.outsider.pk}
    )
    assert response.status_code == 400


def test_another_workspace_never_appears(cast: Cast, three) -> None:
    with scopes_disabled():
        elsewhere = ClientFactory(name="Elders BV")
        make_project(elsewhere, slug="geheim", name="Geheim project")
        MembershipFactory(workspace=elsewhere.workspace, user=cast.member)
    html = cast.login(cast.member).get(reverse(PAGE, args=["acme"])).content.decode()
    assert "Geheim project" not in html and "Elders BV" not in html
    api = Api(cast.member).get("/w/acme/portfolio").json()
    assert "geheim" not in [row["project"] for row in api["items"]]
    # Its client is no filter of this workspace either.
    assert (
        cast.login(cast.member)
        .get(reverse(PAGE, args=["acme"]), {"client": elsewhere.slug})
        .status_code
        == 400
    )
    assert cast.login(cast.outsider).get(reverse(PAGE, args=["acme"])).status_code == 404


def test_a_guest_sees_only_their_clients_projects_without_the_teams_counts(cast: Cast, three):
    web = english(cast.login(cast.guest))
    html = web.get(reverse(PAGE, args=["acme"])).content.decode()
    assert "Naar de cloud" in html and "Raadhuis" not in html
    assert "portfolio-filters" not in html  # no other clients or managers to choose from
    items = Api(cast.guest).get("/w/acme/portfolio").json()["items"]
    assert {row["project"] for row in items} == {"cloud", "stil"}
    assert all(row["decisions_waiting"] is None for row in items)
    assert all(row["guardrail_errors"] is None for row in items)
    # Another client of the workspace is as unknown to a guest as one that does not exist.
    other = Api(cast.guest).get("/w/acme/portfolio?client=gemeente")
    missing = Api(cast.guest).get("/w/acme/portfolio?client=nergens")
    assert other.status_code == missing.status_code == 400
    assert other.json()["detail"].replace("gemeente", "X") == missing.json()["detail"].replace(
        "nergens", "X"
    )
    assert web.get(reverse(PAGE, args=["acme"]), {"client": "gemeente"}).status_code == 400
    assert Api(cast.guest).get("/w/acme/portfolio?client=bakkerij").json()["count"] == 2


def test_the_api_pages_the_portfolio_in_the_pages_order(cast: Cast, three) -> None:
    api = Api(cast.member)
    first = api.get("/w/acme/portfolio?limit=2").json()
    assert first["count"] == 3
    assert [row["project"] for row in first["items"]] == ["cloud", "raadhuis"]
    assert first["items"][0]["watermelon"] is True
    assert first["items"][0]["reasons"][0]["reason"] == "watermelon"
    second = api.get(f"/w/acme/portfolio?limit=2&cursor={first['next']}").json()
    assert [row["project"] for row in second["items"]] == ["stil"] and second["next"] is None
    assert api.get("/w/acme/portfolio?cursor=nonsense").status_code == 400
    by_client = api.get("/w/acme/portfolio?client=gemeente").json()
    assert [row["project"] for row in by_client["items"]] == ["raadhuis"]


def test_the_command_line_prints_the_same_order(cast: Cast, three) -> None:
    out = StringIO()
    call_command("portfolio", "acme", "--json", stdout=out)
    document = json.loads(out.getvalue())
    assert [p["project"] for p in document["projects"]] == ["cloud", "raadhuis", "stil"]
    out = StringIO()
    call_command("portfolio", "acme", "--client", "gemeente", stdout=out)
    assert "gemeente/raadhuis" in out.getvalue() and "cloud" not in out.getvalue()
    with pytest.raises(CommandError, match="--client"):
        call_command("portfolio", "acme", "--client", "nergens")


def test_the_home_and_the_status_report_agree_on_the_signal(cast: Cast, three) -> None:
    api = Api(cast.member)
    row = api.get("/w/acme/portfolio").json()["items"][0]
    signal = api.get("/w/acme/projects/cloud/pulse/signal").json()
    assert (row["reported"], row["measured"], row["watermelon"]) == (
        signal["reported"],
        signal["measured"],
        signal["is_watermelon"],
    )


def test_a_gate_this_week_is_the_reason_with_its_day(cast: Cast) -> None:
    today = timezone.localdate()
    with scopes_disabled():
        wave = Wave.objects.create(
            project=cast.project,
            number=1,
            label="Golf 1",
            kind=Wave.Kind.DEPARTMENT,
            start_on=today,
            end_on=today + timedelta(days=1),
            days=[[today.isoformat(), 10]],
            size=10,
        )
        Gate.objects.create(wave=wave)
    html = english(cast.login(cast.member)).get(reverse(PAGE, args=["acme"])).content.decode()
    assert "Gate due tomorrow" in html
    assert "gate of Golf 1 tomorrow" in html


def _projects(cast: Cast, count: int) -> None:
    with scopes_disabled():
        start = cast.workspace.projects.count()
        for n in range(start, start + count):
            client = ClientFactory(workspace=cast.workspace, name=f"Klant {n:02d}")
            project = make_project(
                client, slug=f"p-{n}", name=f"Project {n:02d}", manager=cast.manager
            )
            decision_services.decision_create(project=project, actor=None, title="Kiezen")
            pulse_services.status_update_save(
                project=project, actor=None, week=timezone.localdate(), status="amber"
            )
            Wave.objects.create(
                project=project,
                number=1,
                label="Golf",
                kind=Wave.Kind.DEPARTMENT,
                start_on=months_ago(2),
                end_on=months_ago(2),
                days=[],
            )
        for project in list(cast.workspace.projects.all()[:count]):
            make_phase(project, start_month=months_ago(8), status="active")


def test_the_home_asks_the_same_number_of_queries_at_3_and_30_projects(
    cast: Cast, django_assert_num_queries
) -> None:
    web, api = cast.login(cast.member), Api(cast.member)
    url = reverse(PAGE, args=["acme"])
    _projects(cast, 2)
    web.get(url)  # the first visit notes the workspace in the session
    api.get("/w/acme/portfolio")  # the first call notes the token's use
    with django_assert_num_queries(PAGE_QUERIES):
        assert len(rows(web.get(url).content.decode())) == 3
    with django_assert_num_queries(API_QUERIES):
        assert api.get("/w/acme/portfolio").json()["count"] == 3
    _projects(cast, 27)
    with django_assert_num_queries(PAGE_QUERIES):
        assert len(rows(web.get(url).content.decode())) == 30
    with django_assert_num_queries(API_QUERIES):
        assert api.get("/w/acme/portfolio").json()["count"] == 30


def test_the_home_is_paged(cast: Cast, monkeypatch) -> None:
    monkeypatch.setattr("koers.workspaces.views.PORTFOLIO_PAGE", 2)
    _projects(cast, 3)
    web = cast.login(cast.member)
    url = reverse(PAGE, args=["acme"])
    first = web.get(url).content.decode()
    assert len(rows(first)) == 2 and 'rel="next"' in first
    cursor = first.split('rel="next"')[0].rsplit("cursor=", 1)[1].split('"')[0]
    second = web.get(url + "?cursor=" + cursor.replace("&amp;", "&")).content.decode()
    assert len(rows(second)) == 2
    assert not set(rows(first)) & set(rows(second))
    stale = web.get(url + "?cursor=x").content.decode()
    assert "Die paginalink werkt niet meer" in stale and rows(stale) == rows(first)
