"""The demo tells the seeds' cases truthfully: checked on what the demo makes, for every case.

One build for the module. Each rule is checked over every project of the demo, not only over
the ones that once broke it, and every message names the case and what is wrong with it.
"""

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from types import ModuleType
from unittest import mock

import pytest
from django.db import transaction
from django.utils import timezone
from django_scopes import scopes_disabled
from pytest_django import DjangoDbBlocker

from koers.demo import cases
from koers.demo.builder import build_demo
from koers.demo.common import Figure, intake_text
from koers.projects.models import Project
from koers.roadmap import snapshot
from koers.roadmap.guardrails import Limits, Rule
from koers.roadmap.models import Kpi, Milestone, Phase
from koers.roadmap.queries import limits_for, plan_state
from koers.rollout import gates
from koers.rollout import queries as rollout_queries
from koers.rollout.models import Gate, GateDecision, Wave
from koers.rollout.timeline import roadmap_steps
from koers.workspaces.models import Workspace

# Each test runs in its own transaction, inside the module's, which holds the one build.
pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Demo:
    workspace: Workspace
    today: date

    def projects(self) -> Iterator[tuple[ModuleType, Project]]:
        """Each case's module with its project."""
        for module in cases.MODULES:
            yield module, self.workspace.projects.get(slug=module.SLUG)


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[Demo]:
    """Build the demo once for the module, and take it away again afterwards."""
    with django_db_blocker.unblock(), scopes_disabled(), transaction.atomic():
        workspace, _made = build_demo(reset=True)
        yield Demo(workspace, timezone.localdate())
        transaction.set_rollback(True)


# Each case once.


def test_each_case_is_one_project_of_its_own_client(demo: Demo) -> None:
    projects = list(demo.workspace.projects.exclude(slug__in=cases.EARLIER))
    told = cases.MODULES + cases.CLIENT_MODULES
    assert sorted(p.slug for p in projects) == sorted(m.SLUG for m in told), (
        "the demo's projects are not the cases' modules, one project each"
    )
    clients = [p.client_id for p in projects]
    assert len(set(clients)) == len(clients), "two cases share a client: a case is told twice"
    for module, project in demo.projects():
        assert project.name == module.CASE.name, f"{module.SLUG}: not the case's project"


# No finding copied between cases.

SHARED_WORDS = 4  # four words in a row, in the findings of two cases: one copied the other


def finding_texts(project: Project) -> list[tuple[str, str]]:
    """What the project found, learned and decided, as (where, text)."""
    found: list[tuple[str, str]] = []
    found += [("revision", r.reason) for r in project.plan_revisions.all()]
    for m in project.milestones.all():
        found += [("milestone", m.title), ("milestone decision", m.decision_needed)]
    for item in project.feedback_items.all():
        found += [
            ("feedback", item.text),
            ("feedback response", item.response),
            ("feedback declined", item.decline_reason),
        ]
    for update in project.status_updates.all():
        found += [("status", update.highlights), ("status risks", update.risks)]
    found += [("gate notes", g.notes) for g in Gate.objects.filter(wave__project=project)]
    for d in GateDecision.objects.filter(gate__wave__project=project):
        found += [("gate decision", d.notes), ("gate justification", d.justification)]
    found += [("scope reason", item.reason) for item in project.scope_items.all()]
    return [(where, text) for where, text in found if text.strip()]


def word_runs(text: str) -> set[str]:
    words = re.findall(r"\w+", text.lower())
    return {" ".join(words[i : i + SHARED_WORDS]) for i in range(len(words) - SHARED_WORDS + 1)}


def test_no_finding_is_told_in_two_cases(demo: Demo) -> None:
    runs = {
        project.slug: {
            run: (where, text) for where, text in finding_texts(project) for run in word_runs(text)
        }
        for _module, project in demo.projects()
    }
    copied = []
    for one, other in itertools.combinations(runs, 2):
        for run in sorted(runs[one].keys() & runs[other].keys()):
            copied.append(
                f"{one} ({runs[one][run][0]}: {runs[one][run][1]!r}) and {other} "
                f"({runs[other][run][0]}: {runs[other][run][1]!r}) both say {run!r}"
            )
    assert not copied, "a finding is copied between cases:\n" + "\n".join(copied)


def test_the_care_pilot_finding_is_the_care_case_alone(demo: Demo) -> None:
    for _module, project in demo.projects():
        told = [
            text
            for _where, text in finding_texts(project)
            if re.search(r"uitlog|vergrendel", text, re.IGNORECASE)
        ]
        if project.slug == cases.ZORG_UITROL:
            assert told, f"{project.slug}: the pilot's log-out finding is missing"
        else:
            assert not told, f"{project.slug}: tells the care institution's log-out finding"


# Intake figures equal the KPI baselines (and targets) measured from them.


def test_kpis_measured_from_the_intake_have_its_figures(demo: Demo) -> None:
    for module, project in demo.projects():
        intake = intake_text(project)
        kpis = {k.name: k for k in Kpi.objects.filter(phase__project=project)}
        # A stopped phase is history (the ERP's old project): its KPI is as it was then.
        planned = Kpi.objects.filter(phase__project=project).exclude(
            phase__status=Phase.Status.STOPPED
        )
        declared = {spec.name for spec in module.KPIS}
        undeclared = sorted({k.name for k in planned} - declared)
        assert not undeclared, (
            f"{module.SLUG}: KPIs {undeclared} are not declared in the "
            "case's KPIS, so nothing ties them to the intake"
        )
        for spec in module.KPIS:
            assert spec.name in kpis, f"{module.SLUG}: the KPI {spec.name!r} is not in the plan"
            assert isinstance(spec.baseline, Figure) or spec.baseline == 0, (
                f"{module.SLUG}: the baseline of {spec.name!r} is {spec.baseline}, from nowhere: "
                "a baseline is the intake's figure, or 0 when there is nothing yet"
            )
            kpi = kpis[spec.name]
            for part, number, value in (
                ("baseline", spec.baseline, kpi.baseline),
                ("target", spec.target, kpi.target),
            ):
                if isinstance(number, Figure):
                    assert number.text in intake, (
                        f"{module.SLUG}: the intake does not say {number.text!r}, the {part} "
                        f"of {spec.name!r}"
                    )
                    assert value == number.value, (
                        f"{module.SLUG}: {spec.name!r} has {part} {value}, the intake says "
                        f"{number.text!r} ({number.value})"
                    )


# Dates that make sense on the day the demo is made.


def late_on_purpose(module: ModuleType, project: Project, name: str) -> bool:
    """A late phase or wave is allowed only when the case says so, in its module and its plan."""
    latest = project.plan_revisions.first()
    return name in getattr(module, "LATE_ON_PURPOSE", ()) and bool(latest and name in latest.reason)


def test_phases_are_done_active_or_planned_as_today_says(demo: Demo) -> None:
    today = demo.today
    for module, project in demo.projects():
        for phase in plan_state(project).phases:
            what = f"{module.SLUG}: phase {phase.title!r} ({phase.status}, {phase.start_month} "
            what += f"to {phase.end - timedelta(days=1)})"
            if phase.is_late_on(today):
                assert late_on_purpose(module, project, phase.title), f"{what} is late"
            if phase.status == Phase.Status.ACTIVE:
                assert phase.start_month <= today, f"{what} is active before it starts"
            if phase.status in (Phase.Status.DONE, Phase.Status.STOPPED):
                assert phase.end <= today + timedelta(days=1), f"{what} ended in the future"
            for kpi in phase.kpis.all():
                for day in (kpi.baseline_on, kpi.actual_on):
                    assert day is None or day <= today, f"{what}: KPI {kpi.name} measured later"
                if kpi.actual is not None and phase.status == Phase.Status.DONE:
                    assert kpi.actual_on and kpi.actual_on >= phase.start_month, what


def test_milestones_live_in_the_past_and_coming_in_the_future(demo: Demo) -> None:
    for module, project in demo.projects():
        for m in project.milestones.all():
            what = f"{module.SLUG}: milestone {m.title!r} ({m.kind}) on {m.on}"
            if m.kind == Milestone.Kind.LIVE:
                assert m.on <= demo.today, f"{what} is live in the future"
            if m.kind == Milestone.Kind.COMING:
                assert m.on >= demo.today, f"{what} is still coming in the past"


def test_waves_are_where_today_puts_them(demo: Demo) -> None:
    today = demo.today
    for module, project in demo.projects():
        for wave in project.waves.all():
            what = f"{module.SLUG}: {wave.label} ({wave.status}, {wave.start_on} to {wave.end_on})"
            if wave.is_late:
                assert late_on_purpose(module, project, wave.label), f"{what} is late"
            if wave.status == Wave.Status.PLANNED:
                assert wave.start_on > today, f"{what} should have started"
            else:
                assert wave.start_on <= today, f"{what} started before its first day"
            if wave.status == Wave.Status.ACTIVE:
                assert wave.end_on >= today, f"{what} is active after its last day"
            for decision in GateDecision.objects.filter(gate__wave=wave):
                day = timezone.localdate(decision.decided_at)
                assert wave.start_on <= day <= today, f"{what}: gate decided on {day}"
        for round in project.pulse_rounds.all():
            what = f"{module.SLUG}: pulse round {round.title!r}"
            if round.wave is not None:
                assert round.wave.is_live, f"{what} asks a wave that is not live"
                assert timezone.localdate(round.opened_at) >= round.wave.start_on, what
            if round.closed_at is not None:
                assert round.closed_at <= timezone.now(), f"{what} closed in the future"


# The pilot on the roadmap is the pilot on the wave board.

PILOT = re.compile(r"\bpilot", re.IGNORECASE)  # the pilot, its users; not Autopilot


def test_the_roadmap_shows_the_waves_of_the_wave_board(demo: Demo) -> None:
    for module, project in demo.projects():
        board = list(rollout_queries.waves_of(project))
        drawn = roadmap_steps(project)
        if not board:
            assert drawn is None, f"{module.SLUG}: the roadmap draws a rollout it does not have"
            continue
        assert drawn is not None, f"{module.SLUG}: the roadmap does not show the rollout"
        assert [(s.label, s.start, s.end) for s in drawn.steps] == [
            (w.label, w.start_on, w.end_on) for w in board
        ], f"{module.SLUG}: the roadmap's waves are not the wave board's"
        plan = plan_state(project)
        phases = {p.key: p for p in plan.phases}
        assert drawn.phase_key in phases, (
            f"{module.SLUG}: the rollout belongs to no phase, so the roadmap draws it apart"
        )
        holder = phases[drawn.phase_key]
        assert holder.start_month <= board[0].start_on and board[-1].end_on < holder.end, (
            f"{module.SLUG}: the waves ({board[0].start_on} to {board[-1].end_on}) fall outside "
            f"their phase {holder.title!r} ({holder.start_month} to {holder.end})"
        )
        pilots = [w for w in board if w.kind == Wave.Kind.PILOT]
        if not pilots:
            continue
        [pilot] = pilots
        [step] = [s for s in drawn.steps if s.kind == Wave.Kind.PILOT]
        assert (step.start, step.end) == (pilot.start_on, pilot.end_on), (
            f"{module.SLUG}: the pilot is {step.start} to {step.end} on the roadmap and "
            f"{pilot.start_on} to {pilot.end_on} on the wave board"
        )
        after = next((w.start_on for w in board if w.number > pilot.number), None)
        for m in plan.milestones:
            if PILOT.search(m.title):
                assert pilot.start_on <= m.on and (after is None or m.on < after), (
                    f"{module.SLUG}: {m.title!r} on {m.on} is not at the pilot "
                    f"({pilot.start_on} to {pilot.end_on})"
                )
        for phase in plan.phases:
            if PILOT.search(phase.title):
                assert phase.start_month <= pilot.start_on and pilot.end_on < phase.end, (
                    f"{module.SLUG}: phase {phase.title!r} ({phase.start_month} to "
                    f"{phase.end}) does not hold the pilot ({pilot.start_on} to {pilot.end_on})"
                )


# Gates: a go over criteria that were not met says why, and the board agrees with it.


def test_every_go_over_unmet_criteria_is_justified(demo: Demo) -> None:
    for module, project in demo.projects():
        for decision in GateDecision.objects.filter(gate__wave__project=project, decision="go"):
            verdict = gates.Verdict.from_records(decision.criteria)
            wave = decision.gate.wave
            what = f"{module.SLUG}: the go after {wave.label}"
            if not verdict.is_met:
                assert decision.justification.strip(), (
                    f"{what} passes over {[c.code.value for c in verdict.unmet]} without a "
                    "written justification"
                )
            says_unmeasured = re.search(
                r"niet\b.*\bgemeten|geen pulsmeting", decision.justification
            )
            if says_unmeasured:
                assert verdict.not_measured, f"{what} says something was not measured; it was"
            for criterion in verdict.failed:
                assert criterion.code.value not in ("tickets", "blocking") or (
                    "binnen de norm" not in decision.notes
                    and "geen open blokkerende" not in decision.notes.lower()
                ), f"{what} notes {decision.notes!r} while {criterion.code} failed"


def test_a_decided_wave_shows_the_verdict_its_decision_recorded(demo: Demo) -> None:
    for module, project in demo.projects():
        waves = list(project.waves.all())
        states = rollout_queries.gate_states(waves)
        for wave in waves:
            state = states.get(wave.pk)
            last = state.last_decision if state else None
            if last is None or last.decision != "go":
                continue
            assert state is not None
            now = state.verdict.as_records()
            assert now == last.criteria, (
                f"{module.SLUG}: {wave.label} passed its gate on {last.criteria}, but the wave "
                f"board now shows {now}"
            )


# Act small: the method's limits on every phase; the big bang only as stopped history.


def test_every_phase_keeps_the_limits_except_stopped_history(demo: Demo) -> None:
    for module, project in demo.projects():
        limits: Limits = limits_for(project.workspace)
        history = {
            row["key"]
            for revision in project.plan_revisions.all()
            for row in revision.snapshot["phases"]
        }
        for phase in plan_state(project).phases:
            within = phase.weeks <= limits.max_phase_weeks and (
                limits.min_phase_budget <= phase.budget <= limits.max_phase_budget
            )
            what = f"{module.SLUG}: phase {phase.title!r} ({phase.weeks} weeks, EUR {phase.budget})"
            if phase.status == Phase.Status.STOPPED:
                assert phase.key in history, f"{what} is stopped but in no earlier revision"
            else:
                assert within, f"{what} breaks the limits of the method"


def test_the_erp_restart_is_small_phases_after_the_big_bang(demo: Demo) -> None:
    project = demo.workspace.projects.get(slug=cases.ERP_GENT)
    plan = plan_state(project)
    [big_bang] = [p for p in plan.phases if p.status == Phase.Status.STOPPED]
    assert (big_bang.weeks, big_bang.budget) == (78, 180_000), (
        f"{cases.ERP_GENT}: the old project is not 18 months and EUR 180,000"
    )
    active = [p for p in plan.phases if p.status == Phase.Status.ACTIVE]
    assert active and big_bang not in active, f"{cases.ERP_GENT}: the active phase is the big bang"
    restart = [p for p in plan.phases if p != big_bang]
    assert len(restart) >= 2, f"{cases.ERP_GENT}: the restart is not in small phases"
    for phase in restart:
        assert phase.start_month >= big_bang.end, (
            f"{cases.ERP_GENT}: {phase.title!r} starts before the old project stopped"
        )
    assert not plan.summary.has_blocking, f"{cases.ERP_GENT}: the restart breaks the guardrails"
    # History: the first revision is the old plan, where the guardrails light up.
    first = project.plan_revisions.order_by("number").first()
    assert first is not None
    rules = {f.rule for f in snapshot.findings(first.snapshot, plan.limits)}
    assert {Rule.BIG_BANG, Rule.PHASE_TOO_LONG, Rule.BUDGET_OUTSIDE_RANGE} <= rules, (
        f"{cases.ERP_GENT}: revision 1 does not show the old plan's big bang"
    )
    latest = plan.latest
    assert latest is not None and latest.number > first.number
    [old] = [r for r in latest.snapshot["phases"] if r["key"] == big_bang.key]
    assert old["status"] == Phase.Status.STOPPED, f"{cases.ERP_GENT}: not stopped in the plan"


# Any day: the story is dated from the day the demo is made, weekends and holidays included.

RULES = [
    test_each_case_is_one_project_of_its_own_client,
    test_no_finding_is_told_in_two_cases,
    test_the_care_pilot_finding_is_the_care_case_alone,
    test_kpis_measured_from_the_intake_have_its_figures,
    test_phases_are_done_active_or_planned_as_today_says,
    test_milestones_live_in_the_past_and_coming_in_the_future,
    test_waves_are_where_today_puts_them,
    test_the_roadmap_shows_the_waves_of_the_wave_board,
    test_every_go_over_unmet_criteria_is_justified,
    test_a_decided_wave_shows_the_verdict_its_decision_recorded,
    test_every_phase_keeps_the_limits_except_stopped_history,
    test_the_erp_restart_is_small_phases_after_the_big_bang,
]


@pytest.mark.parametrize(
    "day",
    [date(2027, 3, 27), date(2026, 12, 25), date(2027, 3, 29)],
    ids=["a Saturday", "Christmas Day", "Easter Monday"],
)
def test_the_rules_hold_when_the_demo_is_made_on_a_day_off(day: date) -> None:
    made_at = timezone.make_aware(datetime.combine(day, time(10)))
    with mock.patch("django.utils.timezone.now", return_value=made_at), scopes_disabled():
        workspace, _made = build_demo(reset=True)
        assert timezone.localdate() == day
        for rule in RULES:
            rule(Demo(workspace, day))
