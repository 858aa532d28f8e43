"""The one group-size rule, pure: steps over time, group sizes, complements, comparisons."""

import ast
import json
from collections.abc import Sequence
from pathlib import Path
from typing import TypeVar

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from koers.pulse import disclosure
from koers.pulse.disclosure import (
    MIN_GROUP,
    NOT_GIVEN,
    STEP,
    Publication,
    basis,
    publish,
    publish_overall,
)

from .comparing import assert_nothing_small_revealed

GROUPINGS = ("department", "wave")
Record = TypeVar("Record", bound=tuple[str, ...])


def test_the_module_imports_no_django() -> None:
    tree = ast.parse(Path(disclosure.__file__).read_text())
    imported = {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    } | {
        (node.module or "").split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
    }
    assert not imported & {"django", "koers"}


def test_figures_move_in_steps_of_five_answers() -> None:
    assert [basis(n) for n in (0, 4, 5, 6, 9, 10, 37)] == [0, 0, 5, 5, 5, 10, 35]
    with pytest.raises(ValueError, match="cannot be negative"):
        basis(-1)


def test_an_open_round_publishes_only_the_overall_figure() -> None:
    found = publish([("A", "W")] * 7, groupings=GROUPINGS, is_closed=False)
    assert found.basis == 5 and found.answers == 7 and found.groupings == {}
    assert not found.is_final and found.unpublished == 2


def test_nothing_is_published_below_five_answers_even_when_closed() -> None:
    found = publish([("A", "W")] * 4, groupings=GROUPINGS, is_closed=True)
    assert not found.is_shown and found.groupings == {}


def test_bad_records_are_refused_with_their_place() -> None:
    with pytest.raises(ValueError, match="answer 2 has 1 values for 2 groupings"):
        publish([("A", "W"), ("A",)], groupings=GROUPINGS, is_closed=True)
    with pytest.raises(ValueError, match="distinct"):
        publish([], groupings=("department", "department"), is_closed=True)


def test_the_issues_attack_department_b_inside_wave_b_and_c_is_closed() -> None:
    # A (30), B (6), C (1); by wave "B + C" (7). B shown alone would give C away as 7 - 6.
    records = _taking_turns([("A", "W1")] * 30 + [("B", "W2"), ("C", "W2")] + [("B", "W2")] * 5)
    found = publish(records, groupings=GROUPINGS, is_closed=True)
    department = found.groupings["department"]
    assert not department.is_shown("B") and not department.is_shown("C")
    assert department.hidden_size >= MIN_GROUP
    _assert_safe(records, found)


def test_a_wave_minus_its_shown_departments_gives_no_small_department_away() -> None:
    # Wave W = D1 (6) + D2 (6) + D3 (2); D4 (3) is in W'. Hiding D3 and D4 together is not
    # enough: W - D1 - D2 = D3.
    groups = {"D1": ("W", 6), "D2": ("W", 6), "D3": ("W", 2), "D4": ("V", 3), "D5": ("V", 10)}
    records = _taking_turns(
        [(department, wave) for department, (wave, n) in groups.items() for _ in range(n)]
    )
    found = publish(records, groupings=GROUPINGS, is_closed=True)
    _assert_safe(records, found)
    department, wave = found.groupings["department"], found.groupings["wave"]
    assert not (department.is_shown("D1") and department.is_shown("D2") and wave.is_shown("W"))


def test_a_department_answering_in_one_go_is_not_left_beside_the_snapshots() -> None:
    # The first 5 answers are all Finance: the snapshot at 5 is Finance's 5, so showing
    # Finance (6) would give away its sixth answer.
    records = [("Finance",)] * 5 + [("Sales",), ("Finance",)] + [("Sales",)] * 8
    found = publish(records, groupings=("department",), is_closed=True)
    assert not found.groupings["department"].is_shown("Finance")
    _assert_safe(records, found)


def test_groups_that_interleave_are_shown() -> None:
    records = _taking_turns([("Sales",)] * 10 + [("Finance",)] * 10)
    found = publish(records, groupings=("department",), is_closed=True)
    assert found.groupings["department"].shown == ("Finance", "Sales")


def test_twelve_thousand_answers_are_decided_quickly() -> None:
    import time

    departments = [f"D{n}" for n in range(40)]
    records = [
        (departments[(n * 7 + n // 13) % 40], f"W{(n * 7 + n // 13) % 40 % 8}")
        for n in range(12_003)
    ]
    start = time.perf_counter()
    found = publish(records, groupings=GROUPINGS, is_closed=True)
    assert time.perf_counter() - start < 1.0
    assert found.basis == 12_000


# The property: everything a viewer could add up or subtract.

DEPARTMENTS = st.lists(st.integers(1, 14), min_size=1, max_size=6)


@st.composite
def rounds(draw: st.DrawFn) -> tuple[list[tuple[str, str]], bool]:
    """A population of departments of varied sizes, waves as unions of them, some answers
    without a department, in any order of arrival."""
    sizes = draw(DEPARTMENTS)
    departments = [f"D{n}" for n in range(len(sizes))]
    wave_of = {d: f"W{draw(st.integers(0, 2))}" for d in departments}
    records = [
        (d, wave_of[d]) for d, size in zip(departments, sizes, strict=True) for _ in range(size)
    ]
    records += [(NOT_GIVEN, NOT_GIVEN)] * draw(st.integers(0, 6))
    return draw(st.permutations(records)), draw(st.booleans())


@settings(max_examples=400, deadline=None)
@given(rounds())
def test_no_published_figure_minus_others_reveals_fewer_than_five(
    drawn: tuple[list[tuple[str, str]], bool],
) -> None:
    records, is_closed = drawn
    found = publish(records, groupings=GROUPINGS, is_closed=is_closed)
    assert found.basis == basis(len(records))
    if not is_closed:
        assert found.groupings == {}
    _assert_safe(records, found)


def _taking_turns(records: Sequence[Record]) -> list[Record]:
    """Return the records with their groups answering in turn, as after a team meeting."""
    queues: dict[Record, int] = {}
    for record in records:
        queues[record] = queues.get(record, 0) + 1
    found = []
    while any(queues.values()):
        for record in queues:
            if queues[record]:
                found.append(record)
                queues[record] -= 1
    return found


def _assert_safe(records: Sequence[Sequence[str]], found: Publication) -> None:
    """Check by brute force over answer sets, apart from how `publish` works it out."""
    kept = range(found.basis)
    snapshots = [frozenset(range(end)) for end in range(STEP, found.basis + 1, STEP)]
    figures: list[frozenset[int]] = list(snapshots)
    partitions: list[list[frozenset[int]]] = [
        [frozenset(range(start, start + STEP)) for start in range(0, found.basis, STEP)]
    ]
    for index, grouping in enumerate(found.groupings.values()):
        cells = {
            key: frozenset(i for i in kept if records[i][index] == key) for key in grouping.sizes
        }
        assert all(len(cells[key]) >= MIN_GROUP for key in grouping.shown)
        rest = frozenset().union(*(cells[key] for key in grouping.hidden))
        assert len(rest) == grouping.hidden_size and (not rest or len(rest) >= MIN_GROUP)
        pieces = [cells[key] for key in grouping.shown] + ([rest] if rest else [])
        figures += pieces
        partitions.append(pieces)
    assert_nothing_small_revealed(figures, partitions)


@given(st.integers(0, 300), st.booleans())
def test_the_overall_figure_alone_is_publish_without_groupings(count: int, closed: bool) -> None:
    assert publish_overall(count, is_closed=closed) == publish(
        [()] * count, groupings=(), is_closed=closed
    )


@given(st.lists(st.tuples(st.sampled_from("ABC"), st.sampled_from("XY")), max_size=60))
def test_a_kept_publication_reads_back_as_it_was(records: list[tuple[str, str]]) -> None:
    decided = publish(records, groupings=GROUPINGS, is_closed=True)
    kept = json.loads(json.dumps(disclosure.publication_record(decided)))
    assert disclosure.publication_from_record(kept) == decided
