"""The attention ranking, as properties: what adds a cause never lowers the score, a
watermelon always counts, the order is total, and a quiet project needs nothing."""

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from koers.portfolio.attention import (
    FIXED,
    MAX_COUNTED,
    SOON_DAYS,
    Facts,
    Moment,
    MomentKind,
    Reason,
    assess,
    next_moment,
    order_key,
)

FUZZ = settings(
    max_examples=200, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
)
TODAY = date(2026, 12, 8)  # a Tuesday
counts = st.integers(min_value=0, max_value=20)
days = st.integers(min_value=-30, max_value=60).map(lambda n: TODAY + timedelta(days=n))
moments = st.builds(Moment, kind=st.sampled_from(list(MomentKind)), on=days, title=st.text())


@st.composite
def facts(draw: st.DrawFn) -> Facts:
    waiting = draw(counts)
    return Facts(
        key=draw(st.integers(min_value=1, max_value=10_000)),
        reported=draw(st.sampled_from([None, "green", "amber", "red"])),
        measured=draw(st.sampled_from([None, "green", "amber", "red"])),
        is_watermelon=draw(st.booleans()),
        understanding=draw(st.none() | st.decimals(1, 5, places=1)),
        gate=draw(st.none() | st.builds(Moment, kind=st.just(MomentKind.GATE), on=days)),
        gate_failing=draw(st.booleans()),
        moments=tuple(draw(st.lists(moments, max_size=3))),
        late_phases=draw(counts),
        late_waves=draw(counts),
        guardrail_errors=draw(counts),
        decisions_waiting=waiting,
        decisions_overdue=draw(st.integers(min_value=0, max_value=waiting)),
        stakeholders_overdue=draw(counts),
    )


@FUZZ
@given(facts())
def test_the_score_is_the_sum_of_its_causes_the_weightiest_first(found: Facts) -> None:
    result = assess(found, TODAY)
    weights = [cause.weight for cause in result.causes]
    assert result.score == sum(weights)
    assert weights == sorted(weights, reverse=True)
    assert all(weight > 0 for weight in weights)
    assert len({cause.reason for cause in result.causes}) == len(result.causes)


@FUZZ
@given(facts(), st.sampled_from(["late_phases", "late_waves", "guardrail_errors"]))
def test_one_more_thing_behind_never_lowers_the_score(found: Facts, field: str) -> None:
    more = replace(found, **{field: getattr(found, field) + 1})
    assert assess(more, TODAY).score >= assess(found, TODAY).score


@FUZZ
@given(facts())
def test_a_watermelon_outranks_the_same_project_without_it(found: Facts) -> None:
    melon = replace(found, is_watermelon=True)
    plain = replace(found, is_watermelon=False, reported="green", measured="green")
    assert assess(melon, TODAY).score > assess(plain, TODAY).score
    assert Reason.WATERMELON in {cause.reason for cause in assess(melon, TODAY).causes}


@FUZZ
@given(st.integers(min_value=1, max_value=100))
def test_a_quiet_project_needs_nothing(key: int) -> None:
    result = assess(Facts(key=key, reported="green", measured="green"), TODAY)
    assert result.score == 0 and not result.causes and not result.needs_attention


@FUZZ
@given(st.lists(facts(), min_size=2, max_size=8, unique_by=lambda f: f.key))
def test_the_order_is_total_and_puts_the_highest_score_first(many: list[Facts]) -> None:
    results = [assess(found, TODAY) for found in many]
    ordered = sorted(results, key=lambda a: order_key(a, "Client", "Project"))
    assert [a.score for a in ordered] == sorted((a.score for a in results), reverse=True)
    keys = [order_key(a, "Client", "Project") for a in results]
    assert len(set(keys)) == len(keys)


@FUZZ
@given(st.integers(min_value=MAX_COUNTED, max_value=50))
def test_the_weight_of_a_count_stops_growing(count: int) -> None:
    capped = assess(Facts(key=1, late_phases=MAX_COUNTED), TODAY).score
    assert assess(Facts(key=1, late_phases=count), TODAY).score == capped


@FUZZ
@given(st.integers(min_value=-20, max_value=40))
def test_a_gate_is_a_cause_from_a_week_ahead_and_stays_one_when_overdue(offset: int) -> None:
    gate = Moment(MomentKind.GATE, TODAY + timedelta(days=offset), "Golf 2")
    result = assess(Facts(key=1, gate=gate, understanding=Decimal("2.7")), TODAY)
    reasons = {cause.reason for cause in result.causes}
    if offset > SOON_DAYS:
        assert not reasons
    else:
        assert reasons == {Reason.GATE_OVERDUE if offset < 0 else Reason.GATE_DUE}
        assert result.causes[0].understanding == Decimal("2.7")
    assert next_moment(Facts(key=1, gate=gate), TODAY) == gate


def test_a_failing_gate_weighs_more_than_one_that_passes() -> None:
    gate = Moment(MomentKind.GATE, TODAY + timedelta(days=2))
    passing = assess(Facts(key=1, gate=gate), TODAY).score
    failing = assess(Facts(key=1, gate=gate, gate_failing=True), TODAY).score
    assert passing == FIXED[Reason.GATE_DUE] < failing


def test_facts_refuse_impossible_counts() -> None:
    with pytest.raises(ValueError, match="negative"):
        Facts(key=1, late_phases=-1)
    with pytest.raises(ValueError, match="among those waiting"):
        Facts(key=1, decisions_waiting=1, decisions_overdue=2)


def test_past_moments_are_not_next_but_an_overdue_gate_is() -> None:
    past = Moment(MomentKind.MILESTONE, TODAY - timedelta(days=1), "Go-live")
    ahead = Moment(MomentKind.FEEDBACK, TODAY + timedelta(days=3))
    assert next_moment(Facts(key=1, moments=(past, ahead)), TODAY) == ahead
    late_gate = Moment(MomentKind.GATE, TODAY - timedelta(days=2))
    assert next_moment(Facts(key=1, gate=late_gate, moments=(ahead,)), TODAY) == late_gate
