"""The rules of a decision: dates by status, and replacements that never go round."""

from datetime import date
from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from koers.decisions.validity import Entry, Problem, Status, is_told, leads_back, problems

DAY = date(2030, 1, 2)


def entry(
    status: Status, *, id: int | None = 1, on: date | None = None, by: int | None = None
) -> Entry:
    return Entry(id=id, status=status, decided_on=on, superseded_by=by)


def test_a_made_decision_has_a_date_and_a_proposed_one_none() -> None:
    assert problems(entry(Status.DECIDED), {}) == [Problem.DATE_MISSING]
    assert problems(entry(Status.REVISITED), {}) == [Problem.DATE_MISSING]
    assert problems(entry(Status.PROPOSED, on=DAY), {}) == [Problem.DATE_TOO_EARLY]
    assert problems(entry(Status.DECIDED, on=DAY), {}) == []
    assert problems(entry(Status.PROPOSED), {}) == []


def test_superseded_names_its_replacement_and_only_then() -> None:
    assert problems(entry(Status.SUPERSEDED), {}) == [Problem.SUCCESSOR_MISSING]
    assert problems(entry(Status.DECIDED, on=DAY, by=2), {2: None}) == [
        Problem.SUCCESSOR_WITHOUT_STATUS
    ]
    assert problems(entry(Status.SUPERSEDED, by=2), {1: None, 2: None}) == []


def test_a_decision_never_replaces_itself_directly_or_through_others() -> None:
    assert problems(entry(Status.SUPERSEDED, by=1), {}) == [Problem.SUCCESSOR_IS_ITSELF]
    # 2 is replaced by 3, 3 by 1: 1 replaced by 2 would close the circle.
    assert problems(entry(Status.SUPERSEDED, by=2), {1: None, 2: 3, 3: 1}) == [
        Problem.SUCCESSOR_CYCLE
    ]
    # A new decision (no id yet) cannot be in any chain.
    assert problems(entry(Status.SUPERSEDED, id=None, by=2), {2: 3, 3: 2}) == []


@given(st.lists(st.integers(0, 50), unique=True, min_size=1), st.data())
def test_leads_back_follows_a_chain_and_stops_on_a_loop(
    chain: list[int], data: st.DataObject
) -> None:
    """A chain of replacements, maybe ending in a loop back to an earlier one: from the j-th,
    exactly the ones after it (and those of the loop) are reached, and the walk ends."""
    loop = data.draw(st.one_of(st.none(), st.integers(0, len(chain) - 1)))
    successors: dict[int, int | None] = dict(pairwise(chain))
    successors[chain[-1]] = None if loop is None else chain[loop]
    i = data.draw(st.integers(0, len(chain) - 1))
    j = data.draw(st.integers(0, len(chain) - 1))
    reached = i >= j or (loop is not None and i >= loop)
    assert leads_back(chain[i], chain[j], successors) is reached


def test_only_a_made_decision_can_be_untold() -> None:
    assert is_told(Status.PROPOSED, None) is None
    assert is_told(Status.DECIDED, None) is False
    assert is_told(Status.SUPERSEDED, DAY) is True
