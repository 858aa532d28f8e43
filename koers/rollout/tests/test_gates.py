"""The gate rule, without a database: failing is failing, 0 is a value, unmeasured is never met."""

import subprocess
import sys
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from koers.rollout import gates
from koers.rollout.gates import Action, Code, Criterion, Facts, Outcome, Verdict, verdict

STEPS = ("awareness", "desire", "knowledge", "ability", "reinforcement")
decimals = st.decimals(min_value=0, max_value=1000, places=2)
scores = st.decimals(min_value=1, max_value=5, places=1)


@st.composite
def facts(draw: st.DrawFn) -> Facts:
    measured = draw(st.booleans())
    barrier = draw(st.none() | st.sampled_from(STEPS)) if measured else None
    # As the pulse judges it: passed when nobody gets stuck at or before Knowledge.
    passed = measured and (barrier is None or STEPS.index(barrier) > STEPS.index("knowledge"))
    return Facts(
        open_blocking=draw(st.integers(0, 50)),
        max_blocking=draw(st.integers(0, 50)),
        tickets=draw(st.none() | st.integers(0, 100_000)),
        size=draw(st.integers(0, 100_000)),
        max_tickets_per_100=draw(decimals),
        understanding=draw(st.none() | scores),
        min_understanding=draw(st.none() | scores),
        barrier_measured=measured,
        barrier=barrier,
        reached="knowledge",
        barrier_passed=passed,
    )


def the_case(**changes: object) -> Facts:
    base = {
        "open_blocking": 0,
        "max_blocking": 0,
        "tickets": 2,
        "size": 100,
        "max_tickets_per_100": Decimal(15),
        "understanding": None,
        "min_understanding": None,
        "barrier_measured": True,
        "barrier": None,
        "reached": "knowledge",
        "barrier_passed": True,
    }
    return Facts(**(base | changes))  # type: ignore[arg-type]


@settings(deadline=None)  # a loaded 2-core machine, not the rule, sets the pace
@given(facts())
def test_any_failing_criterion_fails_the_gate(case: Facts) -> None:
    judged = verdict(case)
    if any(c.outcome is Outcome.FAILED for c in judged.criteria):
        assert judged.outcome is Outcome.FAILED and not judged.is_met
    assert judged.is_met == all(c.outcome is Outcome.MET for c in judged.criteria)


@settings(deadline=None)  # a loaded 2-core machine, not the rule, sets the pace
@given(facts())
def test_what_was_not_measured_never_shows_as_met(case: Facts) -> None:
    judged = verdict(case)
    for criterion in judged.criteria:
        if criterion.value is None:
            assert criterion.outcome is Outcome.NOT_MEASURED and criterion.is_met is None
    if judged.not_measured:
        assert judged.outcome is not Outcome.MET
    assert set(judged.unmet) == set(judged.failed) | set(judged.not_measured)


@settings(deadline=None)  # a loaded 2-core machine, not the rule, sets the pace
@given(facts())
def test_the_verdict_survives_being_stored_and_read_back(case: Facts) -> None:
    judged = verdict(case)
    assert Verdict.from_records(judged.as_records()) == judged


@settings(deadline=None)  # a loaded 2-core machine, not the rule, sets the pace
@given(st.integers(1, 100_000), decimals)
def test_a_recorded_zero_tickets_is_a_value_and_meets_any_limit(size: int, limit: Decimal) -> None:
    judged = verdict(the_case(tickets=0, size=size, max_tickets_per_100=limit))
    tickets = next(c for c in judged.criteria if c.code is Code.TICKETS)
    assert tickets.outcome is Outcome.MET and tickets.value == "0.0"


def test_no_tickets_recorded_is_not_measured() -> None:
    judged = verdict(the_case(tickets=None))
    tickets = next(c for c in judged.criteria if c.code is Code.TICKETS)
    assert tickets.outcome is Outcome.NOT_MEASURED and judged.outcome is Outcome.NOT_MEASURED


def test_the_issue_case_one_blocking_item_and_a_red_barrier_point_is_not_met() -> None:
    judged = verdict(
        the_case(open_blocking=1, barrier="knowledge", barrier_passed=False, tickets=0)
    )
    outcomes = {c.code: c.outcome for c in judged.criteria}
    assert outcomes == {
        Code.BLOCKING: Outcome.FAILED,
        Code.TICKETS: Outcome.MET,
        Code.BARRIER: Outcome.FAILED,
    }
    assert judged.outcome is Outcome.FAILED
    assert [c.code for c in judged.failed] == [Code.BLOCKING, Code.BARRIER]


def test_understanding_counts_only_with_a_minimum_and_then_needs_a_measurement() -> None:
    assert Code.UNDERSTANDING not in {c.code for c in verdict(the_case()).criteria}
    unmeasured = verdict(the_case(min_understanding=Decimal(4)))
    assert unmeasured.outcome is Outcome.NOT_MEASURED
    low = verdict(the_case(min_understanding=Decimal(4), understanding=Decimal("3.96")))
    assert low.outcome is Outcome.MET  # shown and judged to one decimal: 4.0
    lower = verdict(the_case(min_understanding=Decimal(4), understanding=Decimal("3.9")))
    assert lower.outcome is Outcome.FAILED


def test_an_older_record_without_outcome_is_read_from_is_met() -> None:
    unrecorded: dict[str, object] = {
        "code": "tickets",
        "value": None,
        "limit": "15.00",
        "is_met": None,
    }
    assert Criterion.from_record(unrecorded).outcome is Outcome.NOT_MEASURED
    failed: dict[str, object] = {"code": "blocking", "value": 1, "limit": 0, "is_met": False}
    assert Criterion.from_record(failed) == Criterion(Code.BLOCKING, Outcome.FAILED, "1", "0")


def test_every_state_has_its_actions_and_a_decision_only_while_live() -> None:
    assert set(gates.ACTIONS) == {
        "planned",
        "active",
        "evaluating",
        "done",
        "paused",
        "rolled_back",
    }
    assert {s for s, actions in gates.ACTIONS.items() if Action.DECIDE in actions} == {
        "active",
        "evaluating",
    }
    assert gates.allowed("rolled_back") == frozenset()
    assert gates.allowed("no such state") == frozenset()


def test_the_module_imports_no_django() -> None:
    code = (
        "import koers.rollout.gates, sys; "
        "bad = [m for m in sys.modules if m.split('.')[0] == 'django']; assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
