"""Pilot selection under arbitrary people: a selection or ValueError, never another error."""

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from koers.rollout import pilot as p

FUZZ = settings(
    max_examples=80, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
)
VALUE = st.sampled_from(["", "HR", "IT", "Servicedesk", "Financiën", "مالية", "🦄", " "])
ATTRIBUTES = ["department", "location", "device"]


@st.composite
def people(draw: st.DrawFn) -> list[p.Candidate]:
    count = draw(st.integers(min_value=0, max_value=40))
    return [
        p.Candidate(
            key=f"k{n}",
            values={a: draw(VALUE) for a in draw(st.sets(st.sampled_from(ATTRIBUTES)))},
            marks=frozenset(draw(st.sets(st.sampled_from(p.MARKS)))),
        )
        for n in range(count)
    ]


@FUZZ
@given(
    candidates=people(),
    size=st.integers(min_value=-3, max_value=50),
    attributes=st.lists(st.sampled_from([*ATTRIBUTES, "unknown"]), max_size=3),
    seed=st.integers(min_value=0, max_value=2**31),
    ring=st.sets(st.sampled_from([f"k{n}" for n in range(45)]), max_size=8),
    exclude=st.sets(st.sampled_from([f"k{n}" for n in range(40)]), max_size=5),
)
def test_any_population_gets_a_pilot_or_a_value_error(
    candidates: list[p.Candidate],
    size: int,
    attributes: list[str],
    seed: int,
    ring: set[str],
    exclude: set[str],
) -> None:
    try:
        chosen = p.select_pilot(
            candidates, size=size, attributes=attributes, seed=seed, ring=ring, exclude=exclude
        )
    except ValueError:
        assert size < 0 or not attributes
        return
    keys = {c.key for c in candidates}
    assert len(set(chosen.keys)) == len(chosen.keys)
    assert set(chosen.keys) <= keys - exclude - ring
    assert set(chosen.ring) == ring & keys
    assert len(chosen.keys) <= max(size, 0)
    assert 0 <= chosen.measure.mean_tvd <= 1
    assert chosen.measure.population == len(keys - ring)
    for report in chosen.marks:
        assert report.honoured + sum(m.people for m in report.missed) == report.marked


@FUZZ
@given(candidates=people(), size=st.integers(min_value=0, max_value=10), seed=st.integers(0, 99))
def test_baseline_and_swap_take_any_population(
    candidates: list[p.Candidate], size: int, seed: int
) -> None:
    assume(candidates)
    median = p.random_baseline(candidates, size=size, attributes=["department"], draws=5, seed=seed)
    assert 0 <= median <= 1
    chosen = p.select_pilot(candidates, size=size, attributes=["department"], seed=seed)
    if chosen.keys:
        swap = p.best_swap(candidates, chosen.keys, out=chosen.keys[0], attributes=["department"])
        assert swap is None or swap not in chosen.keys


@FUZZ
@given(
    total=st.integers(min_value=-2, max_value=1000),
    weights=st.dictionaries(st.text(max_size=3), st.integers(min_value=0, max_value=10**6)),
)
def test_hamilton_shares_out_any_total_or_refuses_a_negative_one(
    total: int, weights: dict[str, int]
) -> None:
    try:
        seats = p.hamilton(total, weights)
    except ValueError:
        assert total < 0
        return
    assert all(n >= 0 for n in seats.values())
    if sum(weights.values()) > 0:
        assert sum(seats.values()) == total
