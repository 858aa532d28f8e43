"""The guardrails module: examples from the method, and properties that hold for any plan."""

import subprocess
import sys
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from koers.roadmap.guardrails import (
    Acceptance,
    Finding,
    Kpi,
    Limits,
    Phase,
    Plan,
    Rule,
    Severity,
    check_plan,
    kpi_is_met,
    phase_kpis_met,
    summarise,
)

LIMITS = Limits()
KPI = Kpi("Tijd per offerte", baseline=Decimal(100), target=Decimal(40))


def phase(key: str = "p1", **fields: object) -> Phase:
    values: dict[str, object] = {
        "title": "Offertetool",
        "start": date(2025, 1, 1),
        "weeks": 8,
        "budget": Decimal(25_000),
        "kpis": (KPI,),
    }
    values.update(fields)
    return Phase(key=key, **values)  # type: ignore[arg-type]


def rules(findings: list[Finding], subject: str | None = None) -> set[Rule]:
    return {f.rule for f in findings if subject is None or f.subject == subject}


def test_a_phase_within_the_method_has_no_findings() -> None:
    assert check_plan(Plan((phase(),)), LIMITS) == []


def test_order_to_cash_case_meets_every_guardrail() -> None:
    plan = Plan(
        (
            phase("p1", weeks=8, budget=Decimal(22_000)),
            phase("p2", start=date(2025, 3, 1), weeks=10, budget=Decimal(28_000)),
            phase("p3", start=date(2025, 5, 1), weeks=12, budget=Decimal(35_000)),
        )
    )
    assert check_plan(plan, LIMITS) == []


def test_ghent_erp_shows_the_big_bang_warnings() -> None:
    erp = phase("erp", weeks=78, budget=Decimal(180_000))
    found = check_plan(Plan((erp,)), LIMITS)
    assert rules(found) == {
        Rule.PHASE_TOO_LONG,
        Rule.BUDGET_OUTSIDE_RANGE,
        Rule.BIG_BANG,
        Rule.NO_EARLY_DELIVERY,
    }
    big_bang = next(f for f in found if f.rule is Rule.BIG_BANG)
    assert big_bang.value("weeks") == "78"
    assert big_bang.value("budget") == "180000"
    assert all(f.is_blocking for f in found)


def test_a_thirteen_week_phase_is_too_long_but_twelve_is_not() -> None:
    assert Rule.PHASE_TOO_LONG in rules(check_plan(Plan((phase(weeks=13),)), LIMITS))
    assert Rule.PHASE_TOO_LONG not in rules(check_plan(Plan((phase(weeks=12),)), LIMITS))


def test_budget_limits_are_inclusive() -> None:
    for budget, outside in [(14_999, True), (15_000, False), (50_000, False), (50_001, True)]:
        found = check_plan(Plan((phase(budget=Decimal(budget)),)), LIMITS)
        assert (Rule.BUDGET_OUTSIDE_RANGE in rules(found)) is outside, budget


def test_missing_value_kpi_and_vision_link_are_found() -> None:
    bare = phase(has_standalone_value=False, has_vision_link=False, kpis=())
    found = check_plan(Plan((bare,)), LIMITS)
    assert {Rule.NO_STANDALONE_VALUE, Rule.NO_KPI, Rule.NO_VISION_LINK} <= rules(found)


def test_a_kpi_without_baseline_is_a_warning_naming_the_kpi() -> None:
    vague = Kpi("Tevredenheid", baseline=None, target=Decimal(8))
    found = check_plan(Plan((phase(kpis=(KPI, vague)),)), LIMITS)
    [incomplete] = [f for f in found if f.rule is Rule.KPI_INCOMPLETE]
    assert incomplete.severity is Severity.WARNING
    assert incomplete.value("kpis") == "Tevredenheid"


def test_a_delivery_milestone_in_time_satisfies_the_early_delivery_rule() -> None:
    long_phase = phase(weeks=20, budget=Decimal(40_000))
    late = check_plan(Plan((long_phase,)), LIMITS)
    assert Rule.NO_EARLY_DELIVERY in rules(late)
    early = check_plan(Plan((long_phase,), deliveries=(date(2025, 2, 15),)), LIMITS)
    assert Rule.NO_EARLY_DELIVERY not in rules(early)


def test_workspace_limits_change_the_verdict() -> None:
    strict = Limits(max_phase_weeks=6, min_phase_budget=Decimal(1), max_phase_budget=Decimal(10))
    assert {Rule.PHASE_TOO_LONG, Rule.BUDGET_OUTSIDE_RANGE} <= rules(
        check_plan(Plan((phase(),)), strict)
    )


def test_stopped_phases_are_not_checked() -> None:
    assert check_plan(Plan((phase(weeks=40, status="stopped"),)), LIMITS) == []


def test_an_accepted_deviation_stays_listed_with_its_justification() -> None:
    acceptance = Acceptance(Rule.PHASE_TOO_LONG, "p1", "Leverancier levert pas in week 14")
    pilot_live = (date(2025, 2, 10),)
    [finding] = check_plan(Plan((phase(weeks=14),), pilot_live), LIMITS, [acceptance])
    assert finding.accepted and not finding.is_blocking
    assert finding.justification == "Leverancier levert pas in week 14"
    assert summarise([finding]).accepted == 1
    assert not summarise([finding]).has_blocking


def test_a_phase_starting_before_what_it_builds_on_ends_is_warned_once() -> None:
    base = phase("p1", title="Fundament", start=date(2025, 2, 1), weeks=8)
    early = phase("p2", start=date(2025, 3, 1), builds_on="p1")
    after = phase("p3", start=date(2025, 4, 1), builds_on="p1")
    found = check_plan(Plan((base, early, after)), LIMITS)
    assert [(f.rule, f.subject, f.values) for f in found] == [
        (Rule.BUILDS_ON_OVERLAP, "p2", (("other", "Fundament"), ("day", "2025-03-28")))
    ]
    assert found[0].severity is Severity.WARNING
    stopped = Plan((phase("p1", status="stopped"), early))
    assert check_plan(stopped, LIMITS) == []


def test_kpi_met_follows_its_direction() -> None:
    lower = Kpi("Betaaltermijn", Decimal(45), Decimal(33), actual=Decimal(32))
    higher = Kpi("Adoptie", Decimal(10), Decimal(80), actual=Decimal(70), lower_is_better=False)
    assert kpi_is_met(lower) is True
    assert kpi_is_met(higher) is False
    assert kpi_is_met(KPI) is None
    assert phase_kpis_met(phase(kpis=(lower, higher))) is False
    assert phase_kpis_met(phase(kpis=(KPI,))) is None


def test_the_module_imports_no_django() -> None:
    code = (
        "import sys; import koers.roadmap.guardrails, koers.roadmap.snapshot, "
        "koers.roadmap.svg; "
        "bad = [m for m in sys.modules if m.split('.')[0] == 'django']; "
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# Properties: whatever the plan, these hold.

kpis = st.builds(
    Kpi,
    name=st.text(min_size=1, max_size=10),
    baseline=st.none() | st.decimals(0, 1000, places=2),
    target=st.none() | st.decimals(0, 1000, places=2),
    actual=st.none() | st.decimals(0, 1000, places=2),
    lower_is_better=st.booleans(),
)
phases = st.builds(
    Phase,
    key=st.uuids().map(lambda u: u.hex[:12]),
    title=st.text(max_size=20),
    start=st.dates(date(2024, 1, 1), date(2030, 12, 31)).map(lambda d: d.replace(day=1)),
    weeks=st.integers(1, 260),
    budget=st.decimals(0, 1_000_000, places=2),
    status=st.sampled_from(["planned", "active", "done", "stopped"]),
    has_standalone_value=st.booleans(),
    has_vision_link=st.booleans(),
    kpis=st.lists(kpis, max_size=3).map(tuple),
)
plans = st.builds(
    Plan,
    phases=st.lists(phases, max_size=8, unique_by=lambda p: p.key).map(tuple),
    deliveries=st.lists(st.dates(date(2024, 1, 1), date(2031, 12, 31)), max_size=3).map(tuple),
)


def _linked(plan: Plan, data: st.DataObject) -> Plan:
    keys = [p.key for p in plan.phases]
    return Plan(
        tuple(
            replace(p, builds_on=data.draw(st.none() | st.sampled_from(keys))) if keys else p
            for p in plan.phases
        ),
        plan.deliveries,
    )


@settings(deadline=None)  # drawing inside the test is slow on a busy machine
@given(plans, st.data())
def test_builds_on_is_warned_exactly_when_a_phase_starts_before_its_base_ends(
    plan: Plan, data: st.DataObject
) -> None:
    plan = _linked(plan, data)
    checked = {p.key: p for p in plan.phases if p.status != "stopped"}
    expected = {
        p.key
        for p in checked.values()
        if p.builds_on in checked and p.start < checked[p.builds_on].end
    }
    found = {f.subject for f in check_plan(plan, LIMITS) if f.rule is Rule.BUILDS_ON_OVERLAP}
    assert found == expected


@given(plans)
def test_every_finding_names_a_phase_of_the_plan_or_the_plan(plan: Plan) -> None:
    keys = {p.key for p in plan.phases if p.status != "stopped"} | {""}
    for finding in check_plan(plan, LIMITS):
        assert finding.subject in keys
        assert (finding.subject == "") == (finding.rule is Rule.NO_EARLY_DELIVERY)


@given(plans, st.randoms())
def test_findings_do_not_depend_on_the_order_of_phases(plan: Plan, random: object) -> None:
    shuffled = list(plan.phases)
    random.shuffle(shuffled)  # type: ignore[attr-defined]
    before = {(f.rule, f.subject) for f in check_plan(plan, LIMITS)}
    after = {
        (f.rule, f.subject) for f in check_plan(Plan(tuple(shuffled), plan.deliveries), LIMITS)
    }
    assert before == after


@given(phases)
def test_a_phase_is_too_long_exactly_when_it_exceeds_the_limit(p: Phase) -> None:
    found = rules(check_plan(Plan((p,)), LIMITS), p.key)
    if p.status == "stopped":
        assert found == set()
    else:
        assert (Rule.PHASE_TOO_LONG in found) is (p.weeks > LIMITS.max_phase_weeks)
        assert (Rule.BUDGET_OUTSIDE_RANGE in found) is not (
            LIMITS.min_phase_budget <= p.budget <= LIMITS.max_phase_budget
        )


@given(plans)
def test_big_bang_implies_too_long_and_over_budget(plan: Plan) -> None:
    found = check_plan(plan, LIMITS)
    for finding in found:
        if finding.rule is Rule.BIG_BANG:
            same = rules(found, finding.subject)
            assert {Rule.PHASE_TOO_LONG, Rule.BUDGET_OUTSIDE_RANGE} <= same


@given(plans)
def test_accepting_every_finding_leaves_nothing_blocking(plan: Plan) -> None:
    found = check_plan(plan, LIMITS)
    accepted = [Acceptance(f.rule, f.subject, "bewust") for f in found]
    again = check_plan(plan, LIMITS, accepted)
    assert [(f.rule, f.subject) for f in again] == [(f.rule, f.subject) for f in found]
    assert not summarise(again).has_blocking


@given(phases, st.integers(1, 52))
def test_a_shorter_phase_never_gets_more_findings(p: Phase, shorter_by: int) -> None:
    weeks = max(1, p.weeks - shorter_by)
    shorter = Phase(**{**p.__dict__, "weeks": weeks})
    assert rules(check_plan(Plan((shorter,)), LIMITS)) <= rules(check_plan(Plan((p,)), LIMITS))


@given(plans)
def test_the_summary_counts_every_finding_once(plan: Plan) -> None:
    found = check_plan(plan, LIMITS)
    summary = summarise(found)
    assert summary.errors + summary.warnings + summary.accepted == len(found)
    assert sum(len(v) for v in summary.by_subject.values()) == len(found)


@given(st.lists(phases, min_size=1, max_size=8, unique_by=lambda p: p.key))
def test_early_delivery_holds_when_a_valued_phase_ends_in_time(ps: list[Phase]) -> None:
    first = min((p.start for p in ps if p.status != "stopped"), default=None)
    plan = Plan(tuple(ps))
    found = rules(check_plan(plan, LIMITS))
    if first is not None and any(
        p.status != "stopped"
        and p.has_standalone_value
        and p.end <= first + timedelta(weeks=LIMITS.first_delivery_weeks)
        for p in ps
    ):
        assert Rule.NO_EARLY_DELIVERY not in found


# Late is late; an empty plan in delivery is a finding.


def test_a_phase_is_late_from_the_day_after_its_last_day_until_it_is_done() -> None:
    twelve = phase(start=date(2027, 1, 4), weeks=12)  # last day Sunday 28 March 2027
    assert not twelve.is_late(date(2027, 3, 28))
    assert twelve.is_late(date(2027, 3, 29))
    assert phase(start=date(2027, 1, 4), weeks=12, status="active").is_late(date(2027, 6, 1))
    for finished in ("done", "stopped"):
        assert not phase(start=date(2027, 1, 4), weeks=12, status=finished).is_late(
            date(2027, 6, 1)
        )


@given(
    start=st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 1, 1)),
    weeks=st.integers(1, 260),
    status=st.sampled_from(["planned", "active", "done", "stopped"]),
    offset=st.integers(-400, 400),
)
def test_late_means_open_and_past_the_last_day(
    start: date, weeks: int, status: str, offset: int
) -> None:
    checked = phase(start=start, weeks=weeks, status=status)
    last_day = start + timedelta(weeks=weeks) - timedelta(days=1)
    today = last_day + timedelta(days=offset)
    assert checked.is_late(today) == (status in {"planned", "active"} and today > last_day)


def test_an_empty_plan_is_a_finding_only_when_the_project_is_delivering() -> None:
    [found] = check_plan(Plan((), needs_phases=True), LIMITS)
    assert found.rule is Rule.EMPTY_PLAN and found.subject == ""
    assert found.is_blocking
    assert summarise([found]).has_blocking
    assert check_plan(Plan(()), LIMITS) == []
    # Only stopped phases: nothing is being delivered either.
    stopped = Plan((phase(status="stopped"),), needs_phases=True)
    assert rules(check_plan(stopped, LIMITS)) == {Rule.EMPTY_PLAN}
    assert rules(check_plan(Plan((phase(),), needs_phases=True), LIMITS)) == set()
