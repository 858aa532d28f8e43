"""Wave planning: departments split and combined, working days only, rings, big bang."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from koers.rollout.waves import (
    LEADING,
    Member,
    PlanError,
    WorkCalendar,
    compare_big_bang,
    group_departments,
    iso_weeks,
    plan_departments,
    plan_rings,
    ring_groups,
    tickets_per_day,
)

NL = WorkCalendar("NL")


def people(**sizes: int) -> list[Member]:
    return [Member(f"{d}{n}", d) for d, size in sizes.items() for n in range(size)]


def test_large_departments_are_split_and_small_ones_combined() -> None:
    groups = group_departments(people(A=10, B=10, C=250, D=60, E=5), max_size=100)
    assert [(g.label, len(g.keys)) for g in groups] == [
        ("A + B", 20),
        ("C (1/3)", 84),
        ("C (2/3)", 83),
        ("C (3/3)", 83),
        ("D", 60),
        ("E", 5),
    ]


def test_waves_skip_weekends_dutch_holidays_and_blackout_dates() -> None:
    # King's Day 2025 is Sunday 27 April, so the Dutch holiday is Saturday 26; Liberation
    # Day 5 May 2025 is a Monday.
    calendar = WorkCalendar("NL", blackout=frozenset({date(2025, 5, 6)}))
    plan = plan_departments(
        people(A=30), start=date(2025, 5, 2), capacity=10, calendar=calendar, max_size=30
    )
    (wave,) = plan.waves
    assert [d for d, _n in wave.days] == [date(2025, 5, 2), date(2025, 5, 7), date(2025, 5, 8)]
    assert [n for _d, n in wave.days] == [10, 10, 10]
    assert [d for d, _r in plan.closed] == [date(2025, 5, 5), date(2025, 5, 6)]


def test_belgian_clients_get_belgian_holidays() -> None:
    # 21 July is the Belgian national day, a working day in the Netherlands.
    start = date(2025, 7, 21)
    assert WorkCalendar("BE").next_working_day(start) == date(2025, 7, 22)
    assert NL.next_working_day(start) == start


def test_the_pilot_goes_first_and_soaks_before_the_first_wave() -> None:
    members = people(A=40, B=40)
    pilot = ["A0", "B0"]
    plan = plan_departments(
        members, start=date(2025, 3, 3), capacity=20, calendar=NL, pilot=pilot, pilot_soak_days=3
    )
    first, *rest = plan.waves
    assert (first.kind, first.number, first.keys) == ("pilot", 0, ("A0", "B0"))
    assert first.start == date(2025, 3, 3)
    # Soak Tuesday to Thursday; the first wave starts on Friday.
    assert rest[0].start == date(2025, 3, 7)
    assert [w.number for w in rest] == [1, 2]
    assert not set(pilot) & {k for w in rest for k in w.keys}
    assert plan.total == 80


def test_iso_weeks_label_a_span() -> None:
    assert iso_weeks(date(2025, 3, 3), date(2025, 3, 7)) == "2025-W10"
    assert iso_weeks(date(2025, 3, 3), date(2025, 3, 17)) == "2025-W10\u2013W12"
    assert iso_weeks(date(2025, 12, 29), date(2026, 1, 5)) == "2026-W01\u2013W02"
    assert iso_weeks(date(2024, 12, 27), date(2025, 1, 6)) == "2024-W52\u20132025-W02"


def test_the_ring_template_is_one_nine_and_ninety_percent() -> None:
    members = people(A=500, B=300, C=200)
    rings = ring_groups(members, seed=1)
    assert [len(r.keys) for r in rings] == [10, 90, 900]
    assert [r.soak_days for r in rings] == [2, 3, 0]
    # The 9% ring is a cross-section of the departments, not one of them.
    assert rings[1].departments == ("A", "B", "C")


def test_own_percentages_must_add_up_to_100() -> None:
    with pytest.raises(PlanError, match="add up to 90"):
        ring_groups(people(A=10), percentages=[10, 80])
    rings = ring_groups(people(A=10), percentages=[50, 50], soak_days=[1])
    assert [len(r.keys) for r in rings] == [5, 5]
    assert [r.soak_days for r in rings] == [1, 0]


def test_rings_are_scheduled_after_the_pilot() -> None:
    members = people(A=500, B=500)
    plan = plan_rings(
        members, start=date(2025, 3, 3), capacity=100, calendar=NL, pilot=["A1", "B1"]
    )
    assert [w.kind for w in plan.waves] == ["pilot", "ring", "ring", "ring"]
    assert plan.total == 1000


def test_a_big_bang_hits_everyone_at_once_and_overloads_the_desk() -> None:
    members = people(A=400, B=400)
    plan = plan_departments(
        members, start=date(2025, 3, 3), capacity=80, calendar=NL, pilot=["A0", "B0"]
    )
    comparison = compare_big_bang(
        plan.outline(), big_bang_on=date(2025, 3, 1), rate_per_100=15, desk_per_day=20, calendar=NL
    )
    assert comparison.big_bang.people_hit_at_once == 800
    largest = max(w.size for w in plan.waves if w.kind not in LEADING)
    assert comparison.waves.people_hit_at_once == largest <= 240
    assert comparison.big_bang.first_feedback == date(2025, 3, 3)  # Saturday moves to Monday
    assert comparison.big_bang.peak_tickets == pytest.approx(40)  # 120 tickets over 3 days
    assert comparison.big_bang.days_over_capacity == 3
    assert comparison.waves.peak_tickets <= 20
    assert comparison.waves.days_over_capacity == 0


def test_tickets_spread_over_the_first_working_days() -> None:
    tickets = tickets_per_day([(date(2025, 3, 7), 300)], rate_per_100=10, calendar=NL)
    assert tickets == [(date(2025, 3, 7), 10), (date(2025, 3, 10), 10), (date(2025, 3, 11), 10)]


def test_no_capacity_is_refused() -> None:
    with pytest.raises(PlanError):
        plan_departments(people(A=3), start=date(2025, 3, 3), capacity=0, calendar=NL)


# Properties.

departments = st.dictionaries(st.sampled_from("ABCDEFGH"), st.integers(1, 120), max_size=8)


@settings(max_examples=60, deadline=None)
@given(
    departments,
    st.integers(1, 60),
    st.dates(date(2024, 1, 1), date(2027, 12, 31)),
    st.sets(st.dates(date(2024, 1, 1), date(2028, 6, 30)), max_size=20),
    st.sampled_from(["NL", "BE"]),
    st.integers(0, 3),
)
def test_every_person_gets_one_working_day_within_capacity(
    sizes: dict[str, int],
    capacity: int,
    start: date,
    blackout: set[date],
    country: str,
    soak: int,
) -> None:
    members = people(**sizes)
    calendar = WorkCalendar(country, frozenset(blackout))
    plan = plan_departments(
        members, start=start, capacity=capacity, calendar=calendar, soak_days=soak
    )
    keys = [k for w in plan.waves for k in w.keys]
    assert sorted(keys) == sorted(m.key for m in members)
    days = [d for w in plan.waves for d, _n in w.days]
    assert days == sorted(days) and len(days) == len(set(days))
    for wave in plan.waves:
        assert sum(n for _d, n in wave.days) == wave.size
        assert all(1 <= n <= capacity for _d, n in wave.days)
        assert all(calendar.is_working_day(d) for d, _n in wave.days)
        assert len(wave.days) <= -(-wave.size // capacity)
        assert all(d >= start for d, _n in wave.days)
    for before, after in zip(plan.waves, plan.waves[1:], strict=False):
        gap = [
            before.end + timedelta(days=n)
            for n in range(1, (after.start - before.end).days)
            if calendar.is_working_day(before.end + timedelta(days=n))
        ]
        assert len(gap) == soak


@settings(max_examples=60, deadline=None)
@given(departments, st.integers(1, 500))
def test_department_waves_stay_within_the_wave_size(sizes: dict[str, int], max_size: int) -> None:
    groups = group_departments(people(**sizes), max_size=max_size)
    assert all(1 <= len(g.keys) <= max_size for g in groups)
    assert sum(len(g.keys) for g in groups) == sum(sizes.values())
    for group in groups:
        if len(group.departments) > 1:
            assert all(sizes[d] < max_size // 2 for d in group.departments)


@settings(max_examples=60, deadline=None)
@given(departments, st.lists(st.integers(1, 60), min_size=1, max_size=5), st.integers(0, 99))
def test_rings_cover_everyone_once(sizes: dict[str, int], weights: list[int], seed: int) -> None:
    total = sum(weights)
    percentages = [100 * w / total for w in weights]
    members = people(**sizes)
    rings = ring_groups(members, percentages=percentages, seed=seed)
    keys = [k for r in rings for k in r.keys]
    assert sorted(keys) == sorted(m.key for m in members)
    assert rings == ring_groups(members, percentages=percentages, seed=seed)
