"""The pilot selection: Hamilton seats per department, representativeness, reproducibility."""

import random
import statistics
import subprocess
import sys
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from koers.rollout.pilot import (
    MARKS,
    Candidate,
    default_size,
    hamilton,
    measure,
    random_baseline,
    select_pilot,
)
from koers.rollout.ring import RingPerson, first_ring

ATTRIBUTES = ["department", "location", "job_title", "device"]


def population(size: int, seed: int = 1) -> list[Candidate]:
    """A made-up organisation: uneven departments, three offices, functions, devices."""
    rng = random.Random(seed)
    departments = {
        "Buitendienst": 180, "Installatie": 120, "Onderhoud": 90, "Planning": 60,
        "Werkvoorbereiding": 55, "Verkoop": 50, "Inkoop": 40, "Financiën": 35,
        "HR": 25, "Magazijn": 45, "Engineering": 40, "Kwaliteit": 20, "IT": 6,
        "Servicedesk": 4,
    }  # fmt: skip
    names, weights = list(departments), list(departments.values())
    people = []
    for n in range(size):
        department = rng.choices(names, weights)[0]
        field = department in {"Buitendienst", "Installatie", "Onderhoud"}
        people.append(
            Candidate(
                key=f"E{n:05d}",
                values={
                    "department": department,
                    "location": rng.choices(["Nijmegen", "Arnhem", "Tiel"], [5, 3, 2])[0],
                    "job_title": rng.choice(
                        ["Monteur", "Werkvoorbereider", "Teamleider", "Medewerker"]
                        if field
                        else ["Medewerker", "Adviseur", "Teamleider", "Specialist", "Manager"]
                    ),
                    "device": rng.choices(
                        ["Tablet", "Laptop"] if field else ["Laptop", "Desktop"], [3, 1]
                    )[0],
                },
                marks=frozenset(m for m in MARKS if rng.random() < 0.1),
            )
        )
    return people


def test_hamilton_gives_the_largest_remainders_the_seats_left_over() -> None:
    # Quotas 4.2, 3.5, 2.3: floors 4, 3, 2 leave one seat, for the .5.
    assert hamilton(10, {"a": 42, "b": 35, "c": 23}) == {"a": 4, "b": 4, "c": 2}
    assert hamilton(0, {"a": 1}) == {"a": 0}
    assert hamilton(3, {}) == {}


def test_the_default_size_is_the_methods_20_of_800() -> None:
    assert default_size(800) == 20
    assert default_size(100_000) == 2500
    assert default_size(10) == 1
    assert default_size(0) == 0


def test_the_pilots_department_counts_follow_hamilton() -> None:
    people = population(800)
    selection = select_pilot(people, size=20, attributes=ATTRIBUTES, seed=7)
    counts = Counter(p.values["department"] for p in people if p.key in set(selection.keys))
    expected = hamilton(20, Counter(p.values["department"] for p in people))
    assert {k: v for k, v in expected.items() if v} == dict(counts)
    assert dict(selection.quotas) == expected


def test_the_pilot_is_at_least_twice_as_representative_as_the_median_random_pick() -> None:
    people = population(800)
    selection = select_pilot(people, size=20, attributes=ATTRIBUTES, seed=7)
    baseline = random_baseline(people, size=20, attributes=ATTRIBUTES, draws=1000, seed=7)
    assert selection.measure.mean_tvd <= baseline / 2, (selection.measure.mean_tvd, baseline)


def test_random_baseline_is_the_median_of_random_picks() -> None:
    people = population(400, seed=3)
    rng = random.Random(1)
    picks = [
        measure(people, [p.key for p in rng.sample(people, 10)], ATTRIBUTES) for _ in range(300)
    ]
    by_hand = statistics.median(m.mean_tvd for m in picks)
    baseline = random_baseline(people, size=10, attributes=ATTRIBUTES, draws=300, seed=1)
    assert abs(baseline - by_hand) < 0.05


def ring_of(people: list[Candidate]) -> tuple[str, ...]:
    return first_ring(
        RingPerson(p.key, p.values["department"], p.values.get("job_title", "")) for p in people
    ).keys


def test_the_first_ring_is_left_out_and_the_pilot_measured_against_the_rest() -> None:
    people = population(800)
    ring = ring_of(people)
    assert ring and {p.values["department"] for p in people if p.key in ring} == {
        "IT",
        "Servicedesk",
    }
    selection = select_pilot(people, size=20, attributes=ATTRIBUTES, seed=1, ring=ring)
    assert not set(selection.keys) & set(ring)
    assert selection.ring == ring
    others = [p for p in people if p.key not in set(ring)]
    assert selection.measure == measure(others, selection.keys, ATTRIBUTES)
    assert dict(selection.quotas) == hamilton(20, Counter(p.values["department"] for p in others))
    baseline = random_baseline(people, size=20, attributes=ATTRIBUTES, ring=ring, seed=1)
    assert selection.measure.mean_tvd <= baseline / 2


def test_the_report_says_how_many_marks_were_honoured_and_why_not_the_others() -> None:
    # Finance has 2 seats and 3 ambassadors; Sales has no seat at all.
    people = [Candidate(f"b{n}", {"department": "Buitendienst"}) for n in range(60)]
    people += [Candidate(f"f{n}", {"department": "Finance"}) for n in range(17)]
    people += [
        Candidate(f"a{n}", {"department": "Finance"}, frozenset({"ambassador"})) for n in range(3)
    ]
    people += [Candidate("s1", {"department": "Sales"}, frozenset({"ambassador"}))]
    people += [Candidate("w1", {"department": "Buitendienst"}, frozenset({"ambassador"}))]
    selection = select_pilot(people, size=8, attributes=["department"], seed=2)
    assert dict(selection.quotas) == {"Buitendienst": 6, "Finance": 2, "Sales": 0}
    ambassadors = next(r for r in selection.marks if r.mark == "ambassador")
    assert (ambassadors.marked, ambassadors.honoured) == (5, 3)
    finance, sales = ambassadors.missed
    assert (finance.value, finance.people, finance.seats, finance.reason) == (
        "Finance", 1, 2, "seats_marked"
    )  # fmt: skip
    assert set(finance.seated) <= {"a0", "a1", "a2"}
    assert (sales.value, sales.people, sales.seats, sales.reason) == ("Sales", 1, 0, "no_seat")


def test_people_marked_well_known_are_preferred() -> None:
    plain = [Candidate(f"p{n}", {"department": "A"}) for n in range(50)]
    marked = [
        Candidate(f"m{n}", {"department": "A"}, frozenset({"well_known", "constructive"}))
        for n in range(5)
    ]
    selection = select_pilot(plain + marked, size=5, attributes=["department"], seed=3)
    assert set(selection.keys) == {c.key for c in marked}


def test_the_shares_and_tvd_are_shown_per_attribute() -> None:
    people = [
        Candidate("1", {"department": "A"}),
        Candidate("2", {"department": "A"}),
        Candidate("3", {"department": "B"}),
        Candidate("4", {"department": "B"}),
    ]
    result = measure(people, ["1", "2"], ["department"])
    (department,) = result.attributes
    assert [(s.value, s.population, s.pilot) for s in department.shares] == [
        ("A", 2, 2),
        ("B", 2, 0),
    ]
    assert department.tvd == 0.5
    assert result.mean_tvd == 0.5


def test_the_module_imports_no_django() -> None:
    code = (
        "import sys; import koers.rollout.pilot, koers.rollout.waves; "
        "bad = [m for m in sys.modules if m.split('.')[0] == 'django']; assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# Properties: whatever the population, these hold.

candidates = st.lists(
    st.builds(
        Candidate,
        key=st.uuids().map(str),
        values=st.fixed_dictionaries(
            {
                "department": st.sampled_from("ABCDE"),
                "location": st.sampled_from("xyz"),
                "device": st.sampled_from(["", "laptop", "tablet"]),
            }
        ),
        marks=st.frozensets(st.sampled_from(MARKS)),
    ),
    max_size=120,
    unique_by=lambda c: c.key,
)
attribute_lists = st.lists(
    st.sampled_from(["department", "location", "device"]), min_size=1, max_size=3, unique=True
)


@settings(max_examples=80, deadline=None)
@given(candidates, st.integers(0, 150), attribute_lists, st.integers(0, 2**32), st.data())
def test_a_selection_has_the_asked_size_of_distinct_people_and_is_reproducible(
    people: list[Candidate], size: int, attributes: list[str], seed: int, data: st.DataObject
) -> None:
    keys = [p.key for p in people]
    ring = data.draw(st.sets(st.sampled_from(keys)) if keys else st.just(set()))
    selection = select_pilot(people, size=size, attributes=attributes, seed=seed, ring=ring)
    assert len(selection.keys) == min(size, len(people) - len(ring))
    assert len(set(selection.keys)) == len(selection.keys)
    assert set(selection.keys) <= set(keys) - ring
    again = select_pilot(people, size=size, attributes=attributes, seed=seed, ring=ring)
    assert again == selection
    assert 0 <= selection.measure.mean_tvd <= 1


@settings(max_examples=80, deadline=None)
@given(candidates, st.integers(0, 150), attribute_lists, st.integers(0, 2**32), st.data())
def test_marks_honoured_never_break_the_stratum_seats_of_the_rest(
    people: list[Candidate], size: int, attributes: list[str], seed: int, data: st.DataObject
) -> None:
    keys = [p.key for p in people]
    ring = data.draw(st.sets(st.sampled_from(keys)) if keys else st.just(set()))
    others = [p for p in people if p.key not in ring]
    selection = select_pilot(people, size=size, attributes=attributes, seed=seed, ring=ring)
    stratum = attributes[0]
    chosen = set(selection.keys)
    counts = Counter(p.value(stratum) for p in others if p.key in chosen)
    expected = hamilton(min(size, len(others)), Counter(p.value(stratum) for p in others))
    assert {k: v for k, v in expected.items() if v} == dict(counts)
    for report in selection.marks:
        marked = [p for p in others if report.mark in p.marks]
        assert report.marked == len(marked)
        assert report.honoured == sum(1 for p in marked if p.key in chosen)
        for missed in report.missed:
            assert missed.seats == counts[missed.value]
            # A marked person is left out of a value only when its seats are all taken.
            assert (missed.reason == "no_seat") == (missed.seats == 0)


@settings(max_examples=80, deadline=None)
@given(candidates, st.data())
def test_swapped_out_people_are_never_picked(people: list[Candidate], data: st.DataObject) -> None:
    out = data.draw(st.sets(st.sampled_from([p.key for p in people]) if people else st.nothing()))
    selection = select_pilot(people, size=len(people), attributes=["department"], exclude=out)
    assert not set(selection.keys) & out
    assert len(selection.keys) == len(people) - len(out)


@settings(max_examples=80, deadline=None)
@given(st.integers(0, 500), st.dictionaries(st.text(max_size=3), st.integers(0, 1000)))
def test_hamilton_hands_out_every_seat_within_one_of_the_quota(
    total: int, weights: dict[str, int]
) -> None:
    seats = hamilton(total, weights)
    whole = sum(weights.values())
    if whole == 0:
        assert set(seats.values()) <= {0}
        return
    assert sum(seats.values()) == total
    for name, weight in weights.items():
        quota = total * weight / whole
        assert int(quota) <= seats[name] <= int(quota) + 1


@settings(max_examples=60, deadline=None)
@given(candidates, attribute_lists)
def test_the_whole_population_mirrors_itself(
    people: list[Candidate], attributes: list[str]
) -> None:
    result = measure(people, [p.key for p in people], attributes)
    assert result.mean_tvd < 1e-9
    for attribute in result.attributes:
        assert abs(sum(s.population_share for s in attribute.shares) - (1 if people else 0)) < 1e-9


@st.composite
def organisations(draw: st.DrawFn) -> list[Candidate]:
    """An organisation of 300 to 1,500 people: uneven departments (IT and a service desk
    among them), offices, job titles and devices, some people marked."""
    rng = random.Random(draw(st.integers(0, 2**32)))
    count = draw(st.integers(300, 1500))
    departments = ["IT", "Servicedesk", *(f"Afdeling {n}" for n in range(draw(st.integers(3, 15))))]
    department_weights = [draw(st.integers(1, 30)) for _ in departments]
    locations = [f"L{n}" for n in range(draw(st.integers(1, 4)))]
    location_weights = [draw(st.integers(1, 10)) for _ in locations]
    titles = ["Medewerker", "Adviseur", "Teamleider", "Specialist", "Functioneel beheerder"]
    marked = draw(st.floats(0, 0.5))
    return [
        Candidate(
            key=f"E{n:05d}",
            values={
                "department": rng.choices(departments, department_weights)[0],
                "location": rng.choices(locations, location_weights)[0],
                "job_title": rng.choice(titles),
                "device": rng.choices(["Laptop", "Tablet", "Desktop"], [6, 3, 1])[0],
            },
            marks=frozenset(m for m in MARKS if rng.random() < marked),
        )
        for n in range(count)
    ]


@settings(max_examples=25, deadline=None)
@given(organisations(), st.integers(0, 2**16))
def test_over_generated_organisations_the_pilot_beats_half_the_median_random_pick(
    people: list[Candidate], seed: int
) -> None:
    ring = ring_of(people)
    size = max(10, default_size(len(people) - len(ring)))
    selection = select_pilot(people, size=size, attributes=ATTRIBUTES, seed=seed, ring=ring)
    baseline = random_baseline(
        people, size=size, attributes=ATTRIBUTES, ring=ring, seed=seed, draws=200
    )
    assert not set(selection.keys) & set(ring)
    assert selection.measure.population == len(people) - len(ring)
    assert selection.measure.mean_tvd <= baseline / 2, (selection.measure.mean_tvd, baseline)
