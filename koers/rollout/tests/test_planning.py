"""The rollout lives in the plan: its phase, short wave names, departments moved by hand, and
a late wave shown as late on every face (board, wave page, roadmap, API, status report)."""

import itertools
import re
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client as WebClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled
from hypothesis import given
from hypothesis import strategies as st

from koers.core.errors import KoersError
from koers.population.queries import active_people
from koers.population.tests.factories import import_people
from koers.roadmap import services as roadmap_services
from koers.roadmap.models import Phase, ShareLink
from koers.roadmap.tests.conftest import make_phase
from koers.rollout import planning, queries, selection, steering, timeline
from koers.rollout.models import Gate, GateDecision, Wave, WavePin
from koers.rollout.waves import (
    DAYS_PER_WAVE,
    Member,
    WorkCalendar,
    group_departments,
    plan_departments,
)
from koers.workspaces.models import ApiToken
from tests.factories import make_project


@pytest.fixture(autouse=True)
def _english_project(cast) -> None:
    # The report and the shared roadmap speak the project's language; these tests read English.
    with scopes_disabled():
        cast.project.language = "en"
        cast.project.save()


def url(name: str = "rollout:board", **kwargs: Any) -> str:
    return reverse(name, kwargs={"workspace": "acme", "project": "cloud", **kwargs})


def _plan(cast: Any, people: int = 60, **settings: Any) -> list[Wave]:
    import_people(cast.client, people)
    with scopes_disabled():
        selection.pilot_select(project=cast.project, actor=cast.owner, size=4)
        steering.rollout_update(project=cast.project, actor=None, capacity=10, **settings)
        return steering.waves_plan(project=cast.project, actor=cast.owner)


def _movable(cast: Any) -> list[Wave]:
    with scopes_disabled():
        return list(
            Wave.objects.filter(project=cast.project, kind__in=timeline.MOVABLE_KINDS).order_by(
                "number"
            )
        )


# The phase that delivers the rollout.


def test_the_waves_start_with_the_phase_that_delivers_them(cast) -> None:
    start = (timezone.localdate() + timedelta(days=70)).replace(day=1)
    phase = make_phase(cast.project, title="Uitrol werkplek", start_month=start)
    waves = _plan(cast, phase=phase)
    with scopes_disabled():
        calendar = queries.calendar_for(cast.project, queries.rollout_of(cast.project))
    # The first ring (IT and the service desk) goes first, with the phase.
    assert waves[0].start_on == calendar.next_working_day(start)
    with scopes_disabled():
        assert queries.rollout_of(cast.project).start_on is None  # it keeps following the phase


def test_a_phase_that_began_already_starts_the_waves_tomorrow(cast) -> None:
    phase = make_phase(cast.project, start_month=date(2020, 1, 1))
    waves = _plan(cast, phase=phase)
    assert waves[0].start_on > timezone.localdate()


def test_a_phase_of_another_project_cannot_deliver_the_rollout(cast) -> None:
    with scopes_disabled():
        other = make_project(cast.client, slug="ander")
    phase = make_phase(other)
    with scopes_disabled(), pytest.raises(KoersError):
        steering.rollout_update(project=cast.project, actor=None, phase=phase)


def test_the_plan_form_chooses_the_phase_and_the_api_too(cast) -> None:
    start = (timezone.localdate() + timedelta(days=100)).replace(day=1)
    phase = make_phase(cast.project, title="Uitrol", start_month=start)
    import_people(cast.client, 30)
    web = cast.login(cast.member)
    board = web.get(url()).content.decode()
    assert 'name="phase"' in board and "Uitrol" in board
    assert web.post(url("rollout:plan"), {"phase": phase.pk}).status_code == 302
    with scopes_disabled():
        assert queries.rollout_of(cast.project).phase == phase
        first = Wave.objects.filter(project=cast.project).order_by("number").first()
    assert first is not None and first.start_on >= start
    assert "with the phase Uitrol" in web.get(url()).content.decode()
    # Another project's phase is not offered and not taken.
    with scopes_disabled():
        Phase.objects.filter(pk=phase.pk).update(title="Uitrol")
    assert web.post(url("rollout:plan"), {"phase": 999_999}).status_code == 302
    with scopes_disabled():
        assert queries.rollout_of(cast.project).phase == phase
    api = _api(cast.member)
    response = api.post(f"{API}/waves?phase={phase.pk}")
    assert response.status_code == 201, response.content
    assert response.json()["items"][0]["start_on"] >= start.isoformat()
    # Without a body the API plans as before; with another project's phase it finds none.
    assert api.post(f"{API}/waves").status_code == 201
    missing = api.post(f"{API}/waves?phase=999999")
    assert missing.status_code == 404


API = "/api/v1/w/acme/projects/cloud"


def _api(user: Any) -> WebClient:
    token = ApiToken(user=user, name="test")
    key = token.new_token()
    with scopes_disabled():
        token.save()
    return WebClient(HTTP_AUTHORIZATION=f"Bearer {key}")


# Short names.

SHORT = re.compile(
    r"^(First ring|Pilot|Wave \d+ · .{1,40}|Wave \d+ · \d+ departments?|Ring \d+ · [\d.]+%)$"
)


def test_wave_names_stay_short_and_the_wave_page_lists_the_departments(cast) -> None:
    waves = _plan(cast, 80)
    labels = [w.label for w in waves]
    assert all(SHORT.match(label) for label in labels), labels
    combined = [w for w in waves if w.kind == Wave.Kind.DEPARTMENT and len(w.departments) > 1]
    assert combined, labels
    wave = combined[0]
    assert wave.label == f"Wave {wave.number} · {len(wave.departments)} departments"
    page = cast.login(cast.viewer).get(url("rollout:wave", wave=wave.pk)).content.decode()
    assert all(f"<li>{d}" in page for d in wave.departments)


def test_a_single_department_wave_is_named_after_it_and_rings_by_their_share() -> None:
    assert (
        timeline.short_label(number=2, kind="department", departments=["HR"], name="HR")
        == "Wave 2 · HR"
    )
    long_name = "Afdeling Vergunningen, Toezicht en Handhaving Regio Oost"
    assert timeline.short_label(number=3, kind="department", departments=[long_name]) == (
        "Wave 3 · 1 department"
    )
    assert timeline.short_label(number=1, kind="ring", departments=["A", "B"], percentage=9.0) == (
        "Ring 1 · 9%"
    )


# Departments moved by hand.


def test_a_moved_department_stays_in_its_wave_when_the_waves_are_planned_anew(cast) -> None:
    _plan(cast, 80)
    movable = _movable(cast)
    last = movable[-1]
    department = last.departments[0]
    assert department not in movable[0].departments
    web = cast.login(cast.member)
    page = web.get(url("rollout:wave", wave=last.pk)).content.decode()
    assert 'action="/w/acme/p/cloud/rollout/departments/move/"' in page
    response = web.post(url("rollout:department_move"), {"department": department, "position": 1})
    assert response.status_code == 302
    first = _movable(cast)[0]
    assert department in first.departments
    assert response["Location"] == url("rollout:wave", wave=first.pk)
    with scopes_disabled():
        assert WavePin.objects.get(project=cast.project).position == 1
        # Planning anew, by anyone, keeps the choice.
        steering.waves_plan(project=cast.project, actor=cast.owner)
        again = _movable(cast)
        assert department in again[0].departments
        assert all(department not in w.departments for w in again[1:])
        planned = sum(w.size for w in Wave.objects.filter(project=cast.project))
        assert planned == active_people(cast.client).count()


def test_once_running_a_department_moves_between_planned_waves_only(cast) -> None:
    _plan(cast, 80)
    with scopes_disabled():
        # The first ring and the pilot are under way: the rollout has started.
        Wave.objects.filter(kind__in=["first_ring", "pilot"]).update(status=Wave.Status.DONE)
    movable = _movable(cast)
    source, target = movable[-1], movable[0]
    department = source.departments[0]
    moved_people = source.size if len(source.departments) == 1 else None
    with scopes_disabled():
        result = planning.wave_department_move(
            project=cast.project, actor=cast.owner, department=department, position=1
        )
        assert result.pk == target.pk and department in result.departments
        if moved_people is not None:
            assert result.size == target.size + moved_people
            assert not Wave.objects.filter(pk=source.pk).exists()  # emptied, so gone
        assert result.members.filter(person__department=department).exists()
        assert sum(n for _day, n in result.days) == result.size
        # The waves after it follow: none starts before the one before it ends.
        ordered = list(Wave.objects.filter(project=cast.project).order_by("number"))
        assert all(a.end_on < b.start_on for a, b in itertools.pairwise(ordered))
        now = _movable(cast)
        Wave.objects.filter(pk=now[0].pk).update(status=Wave.Status.ACTIVE)
        with pytest.raises(KoersError, match="not started"):
            planning.wave_department_move(
                project=cast.project,
                actor=cast.owner,
                department=now[0].departments[0],
                position=len(now),
            )


def test_moving_a_department_says_what_is_wrong(cast) -> None:
    with scopes_disabled(), pytest.raises(KoersError, match="Plan the waves first"):
        planning.wave_department_move(project=cast.project, actor=None, department="HR", position=1)
    _plan(cast, 60)
    with scopes_disabled():
        with pytest.raises(KoersError, match="No wave holds the department Marketing"):
            planning.wave_department_move(
                project=cast.project, actor=None, department="Marketing", position=1
            )
        with pytest.raises(KoersError, match="Choose a wave from 1 to"):
            planning.wave_department_move(
                project=cast.project, actor=None, department="HR", position=99
            )


def test_the_api_moves_a_department(cast) -> None:
    _plan(cast, 80)
    department = _movable(cast)[-1].departments[0]
    response = _api(cast.member).post(
        f"{API}/waves/departments",
        {"department": department, "position": 1},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    shown = response.json()
    movable = [w for w in shown["items"] if w["kind"] in ("department", "ring")]
    assert department in movable[0]["departments"]
    assert shown["count"] == len(shown["items"]) and shown["next"] is None


members = st.lists(
    st.builds(Member, key=st.uuids().map(str), department=st.sampled_from("ABCDEFG")),
    min_size=1,
    max_size=120,
    unique_by=lambda m: m.key,
)


@given(
    people=members,
    pins=st.dictionaries(st.sampled_from("ABCDEFG"), st.integers(1, 6), max_size=3),
    capacity=st.integers(1, 15),
)
def test_pinned_departments_are_in_their_wave_and_everyone_is_planned_once(
    people: list[Member], pins: dict[str, int], capacity: int
) -> None:
    plan = plan_departments(
        people, start=date(2026, 12, 21), capacity=capacity, calendar=WorkCalendar(), pins=pins
    )
    keys = [k for w in plan.waves for k in w.keys]
    assert sorted(keys) == sorted(m.key for m in people)
    waves = [w for w in plan.waves if w.kind != "pilot"]
    unpinned = len(
        group_departments(
            [m for m in people if m.department not in pins], max_size=capacity * DAYS_PER_WAVE
        )
    )
    for department, position in pins.items():
        holders = [i for i, w in enumerate(waves, 1) if department in w.departments]
        if any(m.department == department for m in people):
            assert len(holders) == 1
            # At its position; past the last wave it gets a wave of its own at the end.
            assert holders[0] == position if position <= unpinned else holders[0] > unpinned


# Late is late.


def _late_plan(cast: Any) -> list[Wave]:
    """Waves planned to start six weeks ago and never started: past their end, not done."""
    import_people(cast.client, 40)
    with scopes_disabled():
        selection.pilot_select(project=cast.project, actor=cast.owner, size=4)
        steering.rollout_update(
            project=cast.project,
            actor=None,
            capacity=10,
            start_on=timezone.localdate() - timedelta(weeks=6),
        )
        return steering.waves_plan(project=cast.project, actor=cast.owner)


def test_a_wave_past_its_end_and_not_done_is_late_on_every_face(cast) -> None:
    waves = _late_plan(cast)
    pilot = waves[0]
    assert pilot.end_on < timezone.localdate() and pilot.is_late
    web = cast.login(cast.viewer)
    late_badge = '<span class="badge bad late"'
    assert late_badge in web.get(url()).content.decode()
    assert late_badge in web.get(url("rollout:wave", wave=pilot.pk)).content.decode()
    roadmap = web.get(reverse("roadmap:roadmap", kwargs={"workspace": "acme", "project": "cloud"}))
    assert "late" in roadmap.content.decode()
    report = web.get(reverse("pulse:report", kwargs={"workspace": "acme", "project": "cloud"}))
    assert "steps are past their end and not done" in report.content.decode()
    api = _api(cast.viewer).get(f"{API}/waves").json()["items"]
    assert api[0]["is_late"] is True
    # Done is not late.
    with scopes_disabled():
        Wave.objects.filter(pk=pilot.pk).update(status=Wave.Status.DONE)
        assert not Wave.objects.get(pk=pilot.pk).is_late
        steps = timeline.steps_of(cast.project)
    assert not steps[0].is_late and steps[1].is_late


# On the roadmap and in the status report.


def test_the_roadmap_draws_the_rollout_under_its_phase_with_gate_decisions(cast) -> None:
    first = make_phase(cast.project, title="Voorbereiding", start_month=date(2026, 9, 1))
    rollout_phase = make_phase(cast.project, title="Uitrol", start_month=date(2026, 11, 1))
    make_phase(cast.project, title="Nazorg", start_month=date(2027, 2, 1))
    waves = _plan(cast, 60, phase=rollout_phase)
    with scopes_disabled():
        _decide(waves[0], GateDecision.Decision.GO)
        Wave.objects.filter(pk=waves[1].pk).update(
            status=Wave.Status.PAUSED, paused_reason="Printerdriver ontbreekt bij Financiën"
        )
        rollout = timeline.roadmap_steps(cast.project)
    assert rollout is not None and rollout.phase_key == rollout_phase.key
    assert [s.state for s in rollout.steps[:2]] == ["go", "paused"]
    page = cast.login(cast.viewer).get(
        reverse("roadmap:roadmap", kwargs={"workspace": "acme", "project": "cloud"})
    )
    html = page.content.decode()
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert "\u21b3 Rollout" in svg and "\u2713" in svg and "\u2016" in svg
    # Its row comes right under the phase that delivers it, before the phase after it.
    rows = {name: _row_y(svg, name) for name in ("1. ", "2. Uitrol", "\u21b3 Rollout", "3. Nazorg")}
    assert list(rows) == sorted(rows, key=rows.__getitem__)
    assert f"1. {first.title}" in svg
    assert "Printerdriver ontbreekt" in html  # the team sees why a wave is paused
    assert "Rollout: " in svg  # the description says it in words


def _row_y(svg: str, label: str) -> float:
    # A phase's name is written in lines (tspan), the rollout's row as one text.
    found = re.search(rf'<t(?:ext|span) x="[\d.]+" y="([\d.]+)"[^>]*>{re.escape(label)}', svg)
    assert found, label
    return float(found[1])


def test_the_shared_roadmap_shows_the_rollout_without_internal_notes(cast) -> None:
    rollout_phase = make_phase(cast.project, title="Uitrol", start_month=date(2026, 11, 1))
    waves = _plan(cast, 60, phase=rollout_phase)
    with scopes_disabled():
        Wave.objects.filter(pk=waves[1].pk).update(
            status=Wave.Status.PAUSED, paused_reason="Printerdriver ontbreekt bij Financiën"
        )
        _link, token = roadmap_services.share_link_create(
            project=cast.project, actor=cast.owner, kind=ShareLink.Kind.ROADMAP
        )
    html = cast.login(cast.outsider).get(reverse("shared_roadmap", args=[token])).content.decode()
    assert "\u21b3 Rollout" in html and waves[1].label in html
    assert "Paused" in html
    assert "Printerdriver" not in html


def _decide(wave: Wave, decision: str) -> GateDecision:
    """Record a decision as it stands in the log; how a gate is judged is tested elsewhere."""
    gate = Gate.objects.get(wave=wave)
    Wave.objects.filter(pk=wave.pk).update(
        status=Wave.Status.DONE if decision == GateDecision.Decision.GO else Wave.Status.EVALUATING
    )
    return GateDecision.objects.create(gate=gate, decision=decision, notes="Besproken")


def test_the_status_report_lists_the_pilots_go_and_every_waves_gate(cast) -> None:
    waves = _plan(cast, 60)
    pilot = next(w for w in waves if w.kind == Wave.Kind.PILOT)
    after = next(w for w in waves if w.number > pilot.number)
    with scopes_disabled():
        decided = _decide(pilot, GateDecision.Decision.GO)
        _decide(after, GateDecision.Decision.NO_GO)
    html = (
        cast.login(cast.viewer)
        .get(reverse("pulse:report", kwargs={"workspace": "acme", "project": "cloud"}))
        .content.decode()
    )
    section = html[html.index('id="report-rollout-h"') :]
    # The day in the workspace's time zone, as the report writes it (not UTC's: after 23:00
    # UTC it is already tomorrow in Amsterdam).
    day = timezone.localtime(decided.decided_at).strftime("%-d %B %Y")
    assert f"The pilot got its Go on {day}." in section
    assert section.index(pilot.label) < section.index(after.label)
    assert "No go" in section
    assert all(w.label in section for w in waves)


# Query counts stay fixed as the rollout grows.


def test_board_roadmap_and_report_use_a_fixed_number_of_queries(cast) -> None:
    phase = make_phase(cast.project, start_month=date(2026, 11, 1))
    web = cast.login(cast.viewer)
    pages = [
        url(),
        reverse("roadmap:roadmap", kwargs={"workspace": "acme", "project": "cloud"}),
        reverse("pulse:report", kwargs={"workspace": "acme", "project": "cloud"}),
    ]

    def counts() -> list[int]:
        found = []
        for page in pages:
            web.get(page)
            with CaptureQueriesContext(connection) as captured:
                assert web.get(page).status_code == 200
            found.append(len(captured))
        return found

    waves = _plan(cast, 30, phase=phase)
    with scopes_disabled():
        _decide(waves[0], GateDecision.Decision.GO)
    small = counts()
    import_people(cast.client, 300)
    with scopes_disabled():
        Wave.objects.all().delete()
        steering.rollout_update(project=cast.project, actor=None, capacity=5)
        waves = steering.waves_plan(project=cast.project, actor=cast.owner)
        for wave in waves[:4]:
            _decide(wave, GateDecision.Decision.GO)
    assert len(waves) > 8
    assert counts() == small


def test_the_plan_page_shows_a_12_week_phase_over_year_end_as_12_iso_weeks(cast) -> None:
    # Phases start on the first of a month: Monday 1 November 2032 is in W45, and 2032 has a
    # week 53. Twelve weeks end on Sunday 23 January 2033, in W03, not in W04.
    make_phase(cast.project, title="Uitrol", start_month=date(2032, 11, 1), weeks=12)
    page = (
        cast.login(cast.viewer)
        .get(reverse("roadmap:plan", kwargs={"workspace": "acme", "project": "cloud"}))
        .content.decode()
    )
    found = re.findall(r"\(\d{4}-W\d\d[^)]*\)", page)
    assert found == ["(2032-W45\u20132033-W03)"]
