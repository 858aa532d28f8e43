"""What changed between two plan snapshots (pure)."""

import copy
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from koers.roadmap import snapshot as snap
from koers.roadmap.snapshot import ChangeKind


def kpi(key: str = "k1", **fields: Any) -> dict[str, Any]:
    return {
        "key": key,
        "name": "Offertetijd",
        "unit": "min",
        "direction": "lower",
        "baseline": "50.00",
        "baseline_on": "2025-01-10",
        "target": "20.00",
        "actual": None,
        "actual_on": None,
    } | fields


def phase(key: str, **fields: Any) -> dict[str, Any]:
    return {
        "key": key,
        "title": f"Fase {key}",
        "goal": "",
        "standalone_value": "Waarde",
        "vision_horizon": 24,
        "vision_contribution": "Visie",
        "start_month": "2025-01-01",
        "weeks": 8,
        "budget": "25000.00",
        "status": "planned",
        "builds_on": None,
        "kpis": [kpi(f"{key}k")],
    } | fields


def plan(*phases: dict[str, Any], milestones: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return snap.empty() | {"phases": list(phases), "milestones": milestones or []}


def kinds(old: dict[str, Any], new: dict[str, Any]) -> list[ChangeKind]:
    return [c.kind for c in snap.diff(old, new)]


def test_added_removed_moved_and_rebudgeted_phases_are_named() -> None:
    old = plan(phase("a"), phase("b"))
    new = plan(
        phase("a", start_month="2025-03-01", budget="30000.00"),
        phase("c"),
    )
    changes = snap.diff(old, new)
    assert [c.kind for c in changes] == [
        ChangeKind.PHASE_MOVED,
        ChangeKind.PHASE_REBUDGETED,
        ChangeKind.PHASE_ADDED,
        ChangeKind.PHASE_REMOVED,
    ]
    moved = changes[0]
    assert (moved.title, moved.before, moved.after) == ("Fase a", "2025-01", "2025-03")
    assert (changes[1].before, changes[1].after) == ("25000", "30000")


def test_a_changed_kpi_target_is_named_with_its_phase() -> None:
    old = plan(phase("a"))
    new = plan(phase("a", kpis=[kpi("ak", target="15.00")]))
    [change] = snap.diff(old, new)
    assert change.kind is ChangeKind.KPI_TARGET
    assert (change.title, change.phase, change.before, change.after) == (
        "Offertetijd",
        "Fase a",
        "20",
        "15",
    )


def test_measured_actuals_are_results_not_plan_changes() -> None:
    old = plan(phase("a"))
    new = plan(phase("a", kpis=[kpi("ak", actual="18.00", actual_on="2025-03-01")]))
    assert snap.diff(old, new) == []
    assert snap.same_plan(old, new)


def test_milestones_and_deviations_are_compared() -> None:
    feedback = {
        "key": "m1",
        "kind": "feedback",
        "title": "Pilot evalueren",
        "on": "2025-02-01",
        "decision_needed": "",
        "phase": "a",
    }
    old = plan(phase("a"), milestones=[feedback])
    new = plan(phase("a"), milestones=[feedback | {"on": "2025-02-15"}])
    new["deviations"] = [{"rule": "phase-too-long", "subject": "a", "justification": "Bewust"}]
    assert kinds(old, new) == [ChangeKind.MILESTONE_MOVED, ChangeKind.DEVIATION_ACCEPTED]
    assert kinds(new, old) == [ChangeKind.MILESTONE_MOVED, ChangeKind.DEVIATION_WITHDRAWN]


keys = st.sampled_from(list("abcdefgh"))
snapshots = st.lists(
    st.builds(
        phase,
        keys,
        weeks=st.integers(1, 30),
        budget=st.integers(0, 90_000).map(lambda n: f"{n}.00"),
        start_month=st.sampled_from(["2025-01-01", "2025-04-01", "2025-09-01"]),
    ),
    max_size=6,
    unique_by=lambda p: p["key"],
).map(lambda ps: plan(*ps))


@given(snapshots)
def test_a_plan_has_no_changes_against_itself(a: dict[str, Any]) -> None:
    assert snap.diff(a, copy.deepcopy(a)) == []


@given(snapshots, snapshots)
def test_added_one_way_is_removed_the_other_way(a: dict[str, Any], b: dict[str, Any]) -> None:
    there = [c.title for c in snap.diff(a, b) if c.kind is ChangeKind.PHASE_ADDED]
    back = [c.title for c in snap.diff(b, a) if c.kind is ChangeKind.PHASE_REMOVED]
    assert sorted(there) == sorted(back)


@given(snapshots, snapshots)
def test_a_diff_is_empty_only_for_the_same_phases(a: dict[str, Any], b: dict[str, Any]) -> None:
    if not snap.diff(a, b):
        assert {p["key"] for p in a["phases"]} == {p["key"] for p in b["phases"]}
