"""The guardrails under arbitrary plans: every plan gets findings, never an exception."""

from datetime import date
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from koers.roadmap import guardrails as g

FUZZ = settings(
    max_examples=200, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
)
MONEY = st.decimals(
    min_value=Decimal("-1e12"), max_value=Decimal("1e12"), allow_nan=False, places=2
)
DAY = st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31))
KPI = st.builds(
    g.Kpi,
    name=st.text(max_size=10),
    baseline=st.none() | MONEY,
    target=st.none() | MONEY,
    actual=st.none() | MONEY,
    lower_is_better=st.booleans(),
)
PHASE = st.builds(
    g.Phase,
    key=st.text(alphabet="abc123", min_size=1, max_size=4),
    title=st.text(max_size=20),
    start=DAY,
    weeks=st.integers(min_value=-5, max_value=600),
    budget=MONEY,
    status=st.sampled_from(["planned", "active", "done", "stopped", "?"]),
    has_standalone_value=st.booleans(),
    has_vision_link=st.booleans(),
    kpis=st.lists(KPI, max_size=3).map(tuple),
)
LIMITS = st.builds(
    g.Limits,
    max_phase_weeks=st.integers(min_value=0, max_value=100),
    min_phase_budget=MONEY,
    max_phase_budget=MONEY,
    first_delivery_weeks=st.integers(min_value=0, max_value=100),
    big_bang_share=st.decimals(min_value=0, max_value=2, allow_nan=False, places=2),
)


@FUZZ
@given(
    phases=st.lists(PHASE, max_size=6),
    deliveries=st.lists(DAY, max_size=3),
    limits=LIMITS,
    accept=st.lists(st.tuples(st.sampled_from(list(g.Rule)), st.text(max_size=4)), max_size=3),
)
def test_any_plan_gets_findings_and_a_summary(
    phases: list[g.Phase],
    deliveries: list[date],
    limits: g.Limits,
    accept: list[tuple[g.Rule, str]],
) -> None:
    plan = g.Plan(phases=tuple(phases), deliveries=tuple(deliveries))
    acceptances = [g.Acceptance(rule, subject, "ok") for rule, subject in accept]
    findings = g.check_plan(plan, limits, acceptances)
    summary = g.summarise(findings)
    assert summary.errors + summary.warnings + summary.accepted == len(findings)
    assert {f.subject for f in findings} <= {p.key for p in phases} | {""}
    for phase in phases:
        assert g.phase_kpis_met(phase) in (True, False, None)
