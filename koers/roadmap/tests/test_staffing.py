"""Who is on how many phases at once: month-level, across projects."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from koers.roadmap.staffing import Assignment, TooThin, months_of, too_thin


def on(person: int, phase: int, start: date, weeks: int) -> Assignment:
    return Assignment(person, phase, start, start + timedelta(weeks=weeks))


def test_a_phase_is_in_every_month_it_has_a_day_in() -> None:
    assert months_of(date(2027, 1, 25), date(2027, 3, 2)) == [
        date(2027, 1, 1),
        date(2027, 2, 1),
        date(2027, 3, 1),
    ]
    assert months_of(date(2027, 1, 1), date(2027, 2, 1)) == [date(2027, 1, 1)]
    assert months_of(date(2027, 12, 1), date(2028, 1, 2)) == [date(2027, 12, 1), date(2028, 1, 1)]


def test_four_phases_in_one_month_are_too_many_three_are_not() -> None:
    jan = date(2027, 1, 1)
    three = [on(7, n, jan, 4) for n in range(3)]
    assert too_thin(three, 3) == []
    four = [*three, on(7, 3, date(2027, 1, 20), 8), on(8, 4, jan, 4)]
    assert too_thin(four, 3) == [TooThin(7, jan, (0, 1, 2, 3))]


@given(
    st.lists(
        st.tuples(
            st.integers(1, 3),
            st.dates(min_value=date(2026, 1, 1), max_value=date(2028, 1, 1)),
            st.integers(1, 12),
        ),
        max_size=12,
    ),
    st.integers(1, 5),
)
def test_a_month_is_reported_exactly_when_its_phases_pass_the_limit(rows, limit) -> None:
    assignments = [on(p, n, start, weeks) for n, (p, start, weeks) in enumerate(rows)]
    found = too_thin(assignments, limit)
    for t in found:
        assert len(t.phases) > limit
        for phase in t.phases:
            assert t.month in months_of(assignments[phase].start, assignments[phase].end)
    reported = {(t.person, t.month) for t in found}
    for a in assignments:
        for month in months_of(a.start, a.end):
            count = sum(
                1
                for b in assignments
                if b.person == a.person and month in months_of(b.start, b.end)
            )
            assert ((a.person, month) in reported) == (count > limit)
