"""The project page as the start of the day: each part, an empty project, a guest, queries."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.test import Client as WebClient
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from koers.accounts.models import User
from koers.decisions import services as decision_services
from koers.projects.models import Project
from koers.pulse import services as pulse_services
from koers.roadmap import services as plan_services
from koers.roadmap.models import Milestone, Phase
from koers.roadmap.queries import plan_state
from koers.roadmap.tests.conftest import good_kpi, make_phase
from koers.rollout import steering
from koers.rollout.models import Gate, Wave
from tests.factories import Cast

from .test_views import OVERVIEW_BUDGET

pytestmark = pytest.mark.django_db
PAGE = reverse("projects:overview", args=["acme", "cloud"])


def login(cast: Cast, user: User) -> WebClient:
    web = cast.login(user)
    web.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return web


def part(html: str, name: str) -> str:
    """Return the HTML of one part of the start of the day ("" when it is not shown)."""
    start = html.find(f'data-part="{name}"')
    if start < 0:
        return ""
    return html[start : html.find("</section>", start)]


def page(cast: Cast, user: User) -> str:
    response = login(cast, user).get(PAGE)
    assert response.status_code == 200
    return response.content.decode()


def add_phases(project: Project, count: int, *, first: int = 0) -> None:
    """Phases done, then one active (the first time), the rest planned: KPIs on each."""
    with scopes_disabled():
        for n in range(first, first + count):
            status = Phase.Status.DONE if n == 0 else Phase.Status.ACTIVE
            if n > 1:
                status = Phase.Status.PLANNED
            make_phase(
                project,
                title=f"Fase {n + 1}",
                status=status,
                start_month=date(2026, 1, 1) + timedelta(days=31 * n),
                kpis=[
                    good_kpi(name=f"KPI {n + 1}", actual=Decimal(30), actual_on=date(2026, 3, 1))
                ],
            )


def add_waves(project: Project, count: int, *, first: int = 0) -> None:
    """Waves done, then one active with its gate (the first time), the rest planned."""
    with scopes_disabled():
        for n in range(first, first + count):
            day = date(2030, 3, 4) + timedelta(days=7 * n)
            status = Wave.Status.DONE if n == 0 else Wave.Status.ACTIVE
            if n > 1:
                status = Wave.Status.PLANNED
            wave = Wave.objects.create(
                project=project,
                number=n + 1,
                label=f"Golf {n + 1}",
                kind=Wave.Kind.DEPARTMENT,
                departments=[f"Afdeling {n + 1}"],
                status=status,
                start_on=day,
                end_on=day + timedelta(days=4),
                days=[[day.isoformat(), 40]],
                size=40 + n,
            )
            Gate.objects.create(wave=wave, max_blocking=0)


def add_decisions(cast: Cast, count: int, *, first: int = 0) -> None:
    with scopes_disabled():
        for n in range(first, first + count):
            decision_services.decision_create(
                project=cast.project,
                actor=cast.member,
                title=f"Besluit {n + 1}",
                due_on=timezone.localdate() + timedelta(days=n + 1),
            )


def fill(cast: Cast) -> None:
    """A project under way: three phases, two milestones, three waves, a status, decisions."""
    add_phases(cast.project, 3)
    add_waves(cast.project, 3)
    add_decisions(cast, 4)
    today = timezone.localdate()
    with scopes_disabled():
        for title, on in (("Gisteren", today - timedelta(days=1)), ("Live kassa", today)):
            plan_services.milestone_create(
                project=cast.project,
                actor=None,
                kind=Milestone.Kind.LIVE,
                title=title,
                on=on,
                decision_needed="Door naar de volgende fase?",
            )
        pulse_services.status_update_save(
            project=cast.project, actor=cast.member, week=today, status="green"
        )
        steering.gate_decide(
            gate=Gate.objects.get(wave__number=2),
            actor=cast.member,
            decision="no_go",
            notes="Te veel tickets",
        )


def test_each_part_shows_what_is_going_on_and_links_to_its_page(cast: Cast):
    fill(cast)
    html = page(cast, cast.member)
    plan = reverse("roadmap:plan", args=["acme", "cloud"])

    phase = part(html, "phase")
    assert "Current phase" in phase and "Fase 2" in phase and "Fase 3" not in phase
    assert "KPI 2: 50 → 20 min" in phase and "now" in phase
    with scopes_disabled():
        active = cast.project.phases.get(title="Fase 2")
    assert f'href="{plan}#phase-{active.pk}"' in phase

    milestone = part(html, "milestone")
    assert "Live kassa" in milestone and "Gisteren" not in milestone  # today's counts, not past
    # The project's own words in its language, in the English page too (3.1.2).
    language = cast.project.language
    assert f'<strong lang="{language}">Fase 2</strong>' in phase
    assert f'<strong lang="{language}">Live kassa</strong>' in milestone
    assert "Door naar de volgende fase?" in milestone
    assert reverse("roadmap:roadmap", args=["acme", "cloud"]) in milestone

    wave = part(html, "wave")
    assert "Current wave" in wave and "Golf 2" in wave and "41 people" in wave
    with scopes_disabled():
        second = Wave.objects.get(number=2)
    assert reverse("rollout:wave", args=["acme", "cloud", second.pk]) in wave
    assert 'data-testid="gate-verdict"' in wave and "No go" in wave  # its gate's last decision

    signal = part(html, "signal")
    assert "Reported" in signal and "rag-green" in signal and "Measured" in signal
    assert reverse("pulse:rounds", args=["acme", "cloud"]) in signal

    findings = part(html, "findings")
    assert "all met" in findings and plan in findings

    decisions = part(html, "decisions")
    assert "Besluit 1" in decisions and "Besluit 3" in decisions and "Besluit 4" not in decisions
    assert "All 4 decisions waiting" in decisions
    assert reverse("decisions:log", args=["acme", "cloud"]) + "?needed=1" in decisions


def test_the_next_planned_phase_and_wave_when_none_is_under_way(cast: Cast):
    add_phases(cast.project, 3)
    add_waves(cast.project, 3)
    with scopes_disabled():
        cast.project.phases.filter(title="Fase 2").update(status=Phase.Status.DONE)
        Wave.objects.filter(number=2).update(status=Wave.Status.DONE)
    html = page(cast, cast.member)

    assert "Next phase" in part(html, "phase") and "Fase 3" in part(html, "phase")
    assert "Next wave" in part(html, "wave") and "Golf 3" in part(html, "wave")


def test_open_guardrail_findings_are_counted(cast: Cast):
    with scopes_disabled():
        make_phase(cast.project, kpis=[], weeks=20)  # no KPI and too long, at least
        errors = plan_state(cast.project).summary.errors
    findings = part(page(cast, cast.member), "findings")

    assert errors >= 2 and f"{errors} findings" in findings


def test_an_empty_project_shows_the_next_steps(cast: Cast):
    html = page(cast, cast.member)

    assert "No phases yet." in part(html, "phase")
    assert reverse("roadmap:phase_create", args=["acme", "cloud"]) in part(html, "phase")
    assert reverse("roadmap:milestone_create", args=["acme", "cloud"]) in part(html, "milestone")
    assert "No waves planned yet." in part(html, "wave")
    assert reverse("rollout:board", args=["acme", "cloud"]) in part(html, "wave")
    assert "not measured" in part(html, "signal")
    assert "No decision is waiting." in part(html, "decisions")
    assert reverse("decisions:create", args=["acme", "cloud"]) in part(html, "decisions")
    assert "Business goals" in html  # the intake stays on the page, below


def test_everything_done_says_so(cast: Cast):
    add_phases(cast.project, 1)
    add_waves(cast.project, 1)
    html = page(cast, cast.member)

    assert "Every phase is done or stopped." in part(html, "phase")
    assert "Every wave is done." in part(html, "wave")


def test_a_viewer_gets_no_buttons_to_add(cast: Cast):
    html = page(cast, cast.viewer)

    assert reverse("roadmap:phase_create", args=["acme", "cloud"]) not in html
    assert reverse("decisions:create", args=["acme", "cloud"]) not in html
    assert "No decision is waiting." in part(html, "decisions")


def test_a_guest_sees_the_plan_rollout_and_signal_but_no_findings_or_decisions(cast: Cast):
    fill(cast)
    html = page(cast, cast.guest)

    assert "Fase 2" in part(html, "phase")
    assert "Live kassa" in part(html, "milestone")
    assert "Golf 2" in part(html, "wave")
    assert "rag-green" in part(html, "signal")
    assert part(html, "findings") == "" and "Guardrails" not in html
    assert part(html, "decisions") == "" and "Besluit 1" not in html
    assert reverse("decisions:log", args=["acme", "cloud"]) not in html
    assert reverse("pulse:status_write", args=["acme", "cloud"]) not in html


def test_the_page_is_in_dutch_by_default(cast: Cast):
    fill(cast)
    web = cast.login(cast.member)
    html = web.get(PAGE, HTTP_ACCEPT_LANGUAGE="nl").content.decode()

    assert "Huidige fase" in html and "Volgende mijlpaal" in html and "Huidige golf" in html
    assert "Besluiten die wachten" in html


def _queries(web: WebClient, django_assert_max_num_queries) -> int:
    web.get(PAGE)  # the first visit writes the session; measure the ones after
    with django_assert_max_num_queries(OVERVIEW_BUDGET) as captured:
        response = web.get(PAGE)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("role", ["member", "guest"])
def test_queries_do_not_grow_with_the_phases_waves_and_decisions(
    cast: Cast, role: str, django_assert_max_num_queries
):
    web = login(cast, getattr(cast, role))
    fill(cast)
    small = _queries(web, django_assert_max_num_queries)
    add_phases(cast.project, 27, first=3)
    add_waves(cast.project, 17, first=3)
    add_decisions(cast, 16, first=4)
    large = _queries(web, django_assert_max_num_queries)

    with scopes_disabled():
        assert cast.project.phases.count() == 30 and cast.project.waves.count() == 20
    assert small == large
