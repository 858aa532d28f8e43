"""The pure rules of understanding: barrier point, watermelon, gate, averages, trend."""

import ast
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from koers.core import adkar
from koers.pulse import signals
from koers.pulse.disclosure import MIN_GROUP
from koers.pulse.signals import (
    STEPS,
    Measure,
    Rag,
    Step,
    Thresholds,
    barrier_point,
    combine,
    scores,
    trend,
    understanding_gate,
    watermelon,
)

answer = st.fixed_dictionaries({step: st.integers(1, 5) for step in STEPS})
answers = st.lists(answer, max_size=40)


def uniform(value: int, count: int = MIN_GROUP) -> signals.Scores:
    return scores([dict.fromkeys(STEPS, value)] * count)


def by_step(**values: int) -> signals.Scores:
    """Five answers whose averages are the given whole numbers (4 for steps not named)."""
    row = {step: values.get(step.value, 4) for step in STEPS}
    return scores([row] * MIN_GROUP)


def test_the_module_imports_no_django() -> None:
    """Pure: of Koers only the ADKAR steps, which are pure themselves."""
    for module, allowed in ((signals, {"koers.core.adkar"}), (adkar, set())):
        tree = ast.parse(Path(module.__file__ or "").read_text())
        imported = {
            alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.Import)
            for alias in node.names
        } | {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        assert not {name for name in imported if name.split(".")[0] == "django"}
        assert {name for name in imported if name.split(".")[0] == "koers"} <= allowed


def test_barrier_point_is_the_first_step_averaging_three_or_lower() -> None:
    assert by_step(desire=3, ability=2).barrier_point == Step.DESIRE
    assert by_step(awareness=5, knowledge=3).barrier_point == Step.KNOWLEDGE
    assert by_step().barrier_point is None


def test_averages_are_given_to_one_decimal() -> None:
    assert signals.average(16, 5) == Decimal("3.2")
    assert signals.average(7, 2) == Decimal("3.5")  # half up
    with pytest.raises(ValueError, match="at least one"):
        signals.average(0, 0)


def test_an_average_just_above_three_is_no_barrier() -> None:
    group = scores([dict.fromkeys(STEPS, 3)] * 9 + [dict.fromkeys(STEPS, 4)])
    assert group.average(Step.AWARENESS) == Decimal("3.1")
    assert group.barrier_point is None


def test_a_step_nobody_answered_is_skipped_not_a_barrier() -> None:
    group = scores([{Step.AWARENESS: 5, Step.KNOWLEDGE: 2}] * 5)
    assert group.average(Step.DESIRE) is None
    assert group.barrier_point == Step.KNOWLEDGE


def test_scores_refuse_a_value_outside_the_scale() -> None:
    with pytest.raises(ValueError, match="1 to 5"):
        scores([{Step.AWARENESS: 6}])


@given(answers)
def test_barrier_point_has_no_lower_step_at_or_below_three(rows: list[dict[Step, int]]) -> None:
    group = scores(rows)
    barrier = group.barrier_point
    averages = group.averages()
    earlier = STEPS if barrier is None else STEPS[: barrier.position]
    assert all((averages[s] or Decimal(5)) > 3 for s in earlier)
    if barrier is not None:
        value = averages[barrier]
        assert value is not None and value <= 3
    assert barrier == barrier_point(averages)


@given(st.lists(answers, max_size=5))
def test_combining_groups_is_scoring_all_their_answers(groups: list[list[dict[Step, int]]]) -> None:
    together = combine(scores(rows) for rows in groups)
    assert together == scores([row for rows in groups for row in rows])


@given(answers)
def test_averages_stay_on_the_scale(rows: list[dict[Step, int]]) -> None:
    for value in scores(rows).averages().values():
        assert value is None or Decimal(1) <= value <= Decimal(5)


# Gate.


def test_gate_passes_when_the_barrier_lies_after_the_step_the_wave_needs() -> None:
    check = understanding_gate(by_step(ability=2), reached=Step.KNOWLEDGE)
    assert check.passed and check.barrier == Step.ABILITY


def test_gate_fails_on_a_barrier_at_or_before_the_step_the_wave_needs() -> None:
    assert not understanding_gate(by_step(knowledge=3), reached=Step.KNOWLEDGE).passed
    assert not understanding_gate(by_step(awareness=2), reached=Step.KNOWLEDGE).passed


def test_gate_fails_without_a_measurement_of_five_answers() -> None:
    assert not understanding_gate(None, reached=Step.AWARENESS).passed
    small = scores([dict.fromkeys(STEPS, 5)] * 4)
    check = understanding_gate(small, reached=Step.AWARENESS)
    assert not check.passed and not check.measured


# Watermelon.


def test_green_reported_with_low_understanding_is_a_watermelon() -> None:
    signal = watermelon(reported=Rag.GREEN, scores=by_step(awareness=2, knowledge=3), open_risks=0)
    assert signal.is_watermelon
    assert signal.red == (Measure.UNDERSTANDING,)
    assert signal.measured == Rag.RED


def test_red_reported_is_honest_not_a_watermelon() -> None:
    signal = watermelon(reported=Rag.RED, scores=by_step(awareness=2, knowledge=2), open_risks=5)
    assert not signal.is_watermelon
    assert signal.measured == Rag.RED


def test_open_risks_alone_make_a_watermelon() -> None:
    signal = watermelon(reported=Rag.GREEN, scores=None, open_risks=3)
    assert signal.is_watermelon and signal.red == (Measure.OPEN_RISKS,)


def test_too_few_answers_are_no_measurement() -> None:
    few = scores([dict.fromkeys(STEPS, 1)] * 4)
    signal = watermelon(reported=Rag.GREEN, scores=few, open_risks=0)
    assert not signal.is_watermelon
    assert signal.readings[0].value is None and signal.readings[0].rag is None


def test_a_workspace_sets_its_own_thresholds() -> None:
    group = by_step(awareness=4, knowledge=4)  # understanding 4.00
    strict = Thresholds(understanding_red=Decimal(4), understanding_amber=Decimal("4.5"))
    assert watermelon(
        reported=Rag.GREEN, scores=group, open_risks=0, thresholds=strict
    ).is_watermelon
    assert not watermelon(reported=Rag.GREEN, scores=group, open_risks=0).is_watermelon


def test_thresholds_refuse_amber_below_red() -> None:
    with pytest.raises(ValueError, match="amber"):
        Thresholds(understanding_red=Decimal(3), understanding_amber=Decimal(2))
    with pytest.raises(ValueError, match="open risks"):
        Thresholds(open_risks_red=1, open_risks_amber=2)


@given(answers, st.sampled_from([*Rag, None]), st.integers(0, 10))
def test_watermelon_means_reported_green_and_something_measured_red(
    rows: list[dict[Step, int]], reported: Rag | None, risks: int
) -> None:
    signal = watermelon(reported=reported, scores=scores(rows), open_risks=risks)
    assert signal.is_watermelon == (reported == Rag.GREEN and signal.measured == Rag.RED)
    assert set(signal.red) == {r.measure for r in signal.readings if r.rag == Rag.RED}


# Trend.


def test_trend_gives_the_change_per_step_since_the_previous_round() -> None:
    points = trend(
        [("1", uniform(2)), ("2", scores([dict.fromkeys(STEPS, 1)] * 3)), ("3", uniform(4))]
    )
    assert points[0].barrier == Step.AWARENESS and points[0].change[Step.DESIRE] is None
    assert points[1].scores is None  # too few answers: nothing shown, not even a change
    assert points[2].change[Step.DESIRE] == Decimal(2) and points[2].barrier is None


def test_without_a_pulse_measurement_no_open_risks_is_not_measured_green() -> None:
    signal = signals.watermelon(reported=signals.Rag.GREEN, scores=None, open_risks=0)
    assert signal.measured is None
    assert not signal.is_watermelon
    risky = signals.watermelon(reported=signals.Rag.GREEN, scores=None, open_risks=5)
    assert risky.measured == signals.Rag.RED
    assert risky.is_watermelon
    assert [r.measure for r in risky.red_readings] == [signals.Measure.OPEN_RISKS]


def test_understanding_is_rounded_once_from_the_exact_step_averages() -> None:
    # Twenty answers: awareness averages 3.25 (shown 3.3), knowledge 3.15 (shown 3.2).
    group = scores([{Step.AWARENESS: 3 + (i < 5), Step.KNOWLEDGE: 3 + (i < 3)} for i in range(20)])
    assert (group.average(Step.AWARENESS), group.average(Step.KNOWLEDGE)) == (
        Decimal("3.3"),
        Decimal("3.2"),
    )
    assert group.understanding == Decimal("3.2")  # (3.25 + 3.15) / 2, not (3.3 + 3.2) / 2


@given(answers)
def test_understanding_is_the_exact_mean_of_its_steps_to_one_decimal(group: list) -> None:
    found = scores(group)
    if not group:
        assert found.understanding is None
        return
    steps = signals.UNDERSTANDING_STEPS
    exact = (
        sum((Decimal(sum(a[step] for a in group)) / len(group) for step in steps), Decimal(0)) / 2
    )
    assert found.understanding is not None
    assert abs(found.understanding - exact) <= Decimal("0.05")
