"""The rule that proposes wins: fresh, not handled, not ahead, the newest first."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from koers.wins import rules

TODAY = date(2030, 6, 1)

facts = st.builds(
    rules.Fact,
    key=st.text(min_size=1, max_size=6),
    source=st.sampled_from(rules.Source),
    title=st.text(max_size=5),
    on=st.dates(min_value=date(2029, 1, 1), max_value=date(2030, 12, 31)),
)


@given(st.lists(facts, max_size=20), st.sets(st.text(min_size=1, max_size=6), max_size=5))
def test_a_proposal_is_fresh_unhandled_and_the_newest_come_first(
    found: list[rules.Fact], handled: set[str]
) -> None:
    proposed = rules.proposals(found, handled, TODAY)
    since = TODAY - timedelta(days=rules.FRESH_DAYS)
    assert all(f.key not in handled and since <= f.on <= TODAY for f in proposed)
    assert [f.on for f in proposed] == sorted((f.on for f in proposed), reverse=True)
    left_out = [f for f in found if f not in proposed]
    assert all(f.key in handled or not since <= f.on <= TODAY for f in left_out)


def test_a_win_of_exactly_two_months_ago_is_still_news_a_day_more_is_not() -> None:
    edge = TODAY - timedelta(days=rules.FRESH_DAYS)
    old = rules.Fact("a", rules.Source.KPI, "A", edge - timedelta(days=1))
    fresh = rules.Fact("b", rules.Source.KPI, "B", edge)
    assert rules.proposals([old, fresh], set(), TODAY) == [fresh]
