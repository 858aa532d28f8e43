"""Wave planning under arbitrary input: a plan or PlanError, never another exception."""

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from koers.rollout import waves as w

FUZZ = settings(
    max_examples=60, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
)
DAY = st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31))
DEPARTMENT = st.sampled_from(["", "HR", "IT", "Verkoop", "مالية", "🦄"])


@st.composite
def members(draw: st.DrawFn) -> list[w.Member]:
    count = draw(st.integers(min_value=0, max_value=60))
    return [w.Member(key=f"k{n}", department=draw(DEPARTMENT)) for n in range(count)]


CALENDAR = st.builds(
    w.WorkCalendar,
    country=st.sampled_from(["NL", "BE"]),
    blackout=st.frozensets(DAY, max_size=10),
)


@FUZZ
@given(
    people=members(),
    start=DAY,
    capacity=st.integers(min_value=-2, max_value=40),
    calendar=CALENDAR,
    pilot=st.sets(st.sampled_from([f"k{n}" for n in range(70)]), max_size=6),
    soak=st.integers(min_value=0, max_value=10),
    max_size=st.none() | st.integers(min_value=-1, max_value=30),
)
def test_department_waves_are_planned_or_refused(
    people: list[w.Member],
    start: date,
    capacity: int,
    calendar: w.WorkCalendar,
    pilot: set[str],
    soak: int,
    max_size: int | None,
) -> None:
    try:
        plan = w.plan_departments(
            people,
            start=start,
            capacity=capacity,
            calendar=calendar,
            pilot=sorted(pilot),
            soak_days=soak,
            max_size=max_size,
        )
    except w.PlanError as error:
        assert str(error)
        return
    planned = [key for wave in plan.waves for key in wave.keys]
    assert sorted(planned) == sorted({m.key for m in people})  # everyone once
    for wave in plan.waves:
        assert all(calendar.closed_because(day) is None for day, _n in wave.days)
        assert all(0 < n <= capacity for _day, n in wave.days)


@FUZZ
@given(
    people=members(),
    start=DAY,
    capacity=st.integers(min_value=1, max_value=40),
    percentages=st.lists(st.floats(min_value=-10, max_value=110, allow_nan=False), max_size=5),
    soak=st.lists(st.integers(min_value=0, max_value=10), max_size=5),
    seed=st.integers(min_value=0, max_value=2**31),
)
def test_rings_are_planned_or_refused(
    people: list[w.Member],
    start: date,
    capacity: int,
    percentages: list[float],
    soak: list[int],
    seed: int,
) -> None:
    try:
        plan = w.plan_rings(
            people,
            start=start,
            capacity=capacity,
            calendar=w.WorkCalendar(),
            percentages=percentages,
            soak_days=soak,
            seed=seed,
        )
    except w.PlanError as error:
        assert str(error)
        return
    planned = [key for wave in plan.waves for key in wave.keys]
    assert len(planned) == len(set(planned))
    assert set(planned) <= {m.key for m in people}
