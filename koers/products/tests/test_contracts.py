"""Contracts against the phases they staff: the two warnings, by example and by property."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from koers.products.contracts import Contract, Finding, Phase, Risk, check

JAN = date(2027, 1, 1)


def phase(key: int, start: date, weeks: int) -> Phase:
    return Phase(key, start, start + timedelta(weeks=weeks))


def test_a_contract_that_covers_its_phases_exactly_is_fine() -> None:
    phases = [phase(1, JAN, 8), phase(2, JAN + timedelta(weeks=8), 8)]
    contract = Contract(9, JAN, JAN + timedelta(weeks=16, days=-1), (1, 2))
    assert check([contract], phases) == []


def test_a_phase_that_runs_past_its_contract_is_named() -> None:
    phases = [phase(1, JAN, 8), phase(2, JAN + timedelta(weeks=8), 8)]
    contract = Contract(9, JAN, JAN + timedelta(weeks=12), (1, 2))
    assert check([contract], phases) == [Finding(Risk.PHASE_PAST_CONTRACT, 9, 2)]


def test_a_phase_that_starts_before_its_contract_is_named() -> None:
    contract = Contract(9, JAN + timedelta(days=1), JAN + timedelta(weeks=10), (1,))
    assert check([contract], [phase(1, JAN, 8)]) == [Finding(Risk.PHASE_PAST_CONTRACT, 9, 1)]


def test_a_contract_of_four_years_for_one_phase_is_too_long() -> None:
    contract = Contract(9, JAN, date(2030, 12, 31), (1,))
    [found] = check([contract], [phase(1, JAN, 8)])
    assert (found.risk, found.weeks) == (Risk.CONTRACT_TOO_LONG, 200)


def test_one_more_phase_length_of_slack_is_allowed_and_one_day_more_is_not() -> None:
    phases = [phase(1, JAN, 8)]
    end = JAN + timedelta(weeks=8 + 12, days=-1)
    assert check([Contract(9, JAN, end, (1,))], phases) == []
    assert check([Contract(9, JAN, end + timedelta(days=1), (1,))], phases)[0].risk == (
        Risk.CONTRACT_TOO_LONG
    )
    assert check([Contract(9, JAN, end + timedelta(days=1), (1,))], phases, slack_weeks=13) == []


def test_a_contract_that_staffs_no_phase_is_too_long_past_the_slack() -> None:
    assert check([Contract(9, JAN, JAN + timedelta(weeks=12, days=-1), ())], []) == []
    assert check([Contract(9, JAN, JAN + timedelta(weeks=13), ())], [])[0].weeks == 13


def test_a_phase_of_another_plan_is_not_counted() -> None:
    assert check([Contract(9, JAN, JAN + timedelta(weeks=8), (404,))], [phase(1, JAN, 8)]) == []


@given(
    start=st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 1, 1)),
    weeks=st.lists(st.integers(1, 20), min_size=1, max_size=6),
    before=st.integers(0, 200),
    after=st.integers(0, 200),
)
def test_a_contract_around_its_phases_only_warns_for_length(
    start: date, weeks: list[int], before: int, after: int
) -> None:
    """A contract that covers every phase it staffs never says a phase runs past it, and is
    too long exactly when it runs beyond them by more than 12 weeks in all."""
    phases, day = [], start
    for key, length in enumerate(weeks):
        phases.append(phase(key, day, length))
        day = phases[-1].end
    contract = Contract(
        99,
        start - timedelta(days=before),
        day + timedelta(days=after - 1),
        tuple(range(len(weeks))),
    )
    found = check([contract], phases)
    assert all(f.risk == Risk.CONTRACT_TOO_LONG for f in found)
    assert bool(found) == (before + after > 12 * 7)
