"""The pulse signals under arbitrary answers: results or ValueError, never another error."""

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from koers.pulse import disclosure
from koers.pulse import signals as s

FUZZ = settings(
    max_examples=200, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
)
ANSWER = st.dictionaries(st.sampled_from(list(s.Step)), st.none() | st.integers(-2, 8))
SCORE = st.decimals(min_value=-1, max_value=7, allow_nan=False, places=2)


@FUZZ
@given(answers=st.lists(ANSWER, max_size=30), reached=st.sampled_from(list(s.Step)))
def test_any_answers_give_scores_or_a_value_error(
    answers: list[dict[s.Step, int | None]], reached: s.Step
) -> None:
    try:
        found = s.scores(answers)
    except ValueError as error:
        assert any(v is not None and not 1 <= v <= 5 for a in answers for v in a.values())
        assert "must be 1 to 5" in str(error)
        return
    assert found.answers == len(answers)
    for step in found.steps:
        assert step.average is None or Decimal(1) <= step.average <= Decimal(5)
    assert s.combine([found, found]).answers == 2 * len(answers)
    gate = s.understanding_gate(found, reached=reached)
    assert gate.passed in (True, False)


@FUZZ
@given(
    reported=st.none() | st.sampled_from(list(s.Rag)),
    answers=st.lists(
        st.fixed_dictionaries({step: st.integers(1, 5) for step in s.STEPS}), max_size=12
    ),
    open_risks=st.integers(min_value=-2, max_value=20),
    values=st.tuples(SCORE, SCORE, SCORE, SCORE, st.integers(-1, 10), st.integers(-1, 10)),
    min_group=st.integers(min_value=1, max_value=10),
)
def test_any_reading_gives_a_signal_or_a_value_error(
    reported: s.Rag | None,
    answers: list[dict[s.Step, int]],
    open_risks: int,
    values: tuple[Decimal, Decimal, Decimal, Decimal, int, int],
    min_group: int,
) -> None:
    try:
        thresholds = s.Thresholds(*values)
    except ValueError:
        return
    try:
        signal = s.watermelon(
            reported=reported,
            scores=s.scores(answers) if answers else None,
            open_risks=open_risks,
            thresholds=thresholds,
            min_group=min_group,
        )
    except ValueError:
        assert open_risks < 0
        return
    assert signal.is_watermelon in (True, False)
    assert set(signal.red) <= {reading.measure for reading in signal.readings}


@FUZZ
@given(
    records=st.lists(st.lists(st.text(max_size=3), max_size=3), max_size=40),
    groupings=st.lists(st.text(max_size=3), max_size=3),
    is_closed=st.booleans(),
)
def test_any_records_are_published_or_refused(
    records: list[list[str]], groupings: list[str], is_closed: bool
) -> None:
    try:
        found = disclosure.publish(records, groupings=groupings, is_closed=is_closed)
    except ValueError:
        assert len(set(groupings)) < len(groupings) or any(
            len(record) != len(groupings) for record in records
        )
        return
    assert found.answers == len(records) and found.basis % disclosure.STEP == 0
