"""The plan as plain JSON data: what a revision keeps, and what changed between two.

Pure: no Django. A snapshot is the dict `queries.plan_snapshot` builds and `PlanRevision`
stores; the roadmap, the guardrails, the shared link and the calendar all read it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from . import guardrails

Snapshot = dict[str, Any]
DELIVERY_KINDS = frozenset({"live", "coming"})


def empty() -> Snapshot:
    return {"version": 1, "phases": [], "milestones": [], "deviations": []}


def _decimal(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def to_plan(snapshot: Snapshot, *, needs_phases: bool = False) -> guardrails.Plan:
    """Return the guardrails' view of a snapshot (`needs_phases`: the project is delivering)."""
    phases = tuple(
        guardrails.Phase(
            key=p["key"],
            title=p["title"],
            start=date.fromisoformat(p["start_month"]),
            weeks=int(p["weeks"]),
            budget=Decimal(p["budget"]),
            status=p["status"],
            has_standalone_value=bool(p["standalone_value"].strip()),
            has_vision_link=p["vision_horizon"] is not None
            and bool(p["vision_contribution"].strip()),
            builds_on=p["builds_on"],
            kpis=tuple(
                guardrails.Kpi(
                    name=k["name"],
                    baseline=_decimal(k["baseline"]),
                    target=_decimal(k["target"]),
                    actual=_decimal(k["actual"]),
                    lower_is_better=k["direction"] == "lower",
                )
                for k in p["kpis"]
            ),
        )
        for p in snapshot["phases"]
    )
    deliveries = tuple(
        date.fromisoformat(m["on"]) for m in snapshot["milestones"] if m["kind"] in DELIVERY_KINDS
    )
    return guardrails.Plan(phases=phases, deliveries=deliveries, needs_phases=needs_phases)


def acceptances(snapshot: Snapshot) -> list[guardrails.Acceptance]:
    return [
        guardrails.Acceptance(guardrails.Rule(d["rule"]), d["subject"], d["justification"])
        for d in snapshot["deviations"]
        if d["rule"] in {r.value for r in guardrails.Rule}
    ]


def findings(
    snapshot: Snapshot,
    limits: guardrails.Limits,
    *,
    needs_phases: bool = False,
    vision_gap: guardrails.VisionGap | None = None,
) -> list[guardrails.Finding]:
    plan = to_plan(snapshot, needs_phases=needs_phases)
    if vision_gap is not None:
        plan = replace(plan, vision_gap=vision_gap)
    return guardrails.check_plan(plan, limits, acceptances(snapshot))


class ChangeKind(StrEnum):
    PHASE_ADDED = "phase-added"
    PHASE_REMOVED = "phase-removed"
    PHASE_MOVED = "phase-moved"
    PHASE_RESIZED = "phase-resized"
    PHASE_REBUDGETED = "phase-rebudgeted"
    PHASE_RENAMED = "phase-renamed"
    PHASE_STATUS = "phase-status"
    PHASE_REWORDED = "phase-reworded"
    KPI_ADDED = "kpi-added"
    KPI_REMOVED = "kpi-removed"
    KPI_TARGET = "kpi-target"
    KPI_BASELINE = "kpi-baseline"
    KPI_REWORDED = "kpi-reworded"
    MILESTONE_ADDED = "milestone-added"
    MILESTONE_REMOVED = "milestone-removed"
    MILESTONE_MOVED = "milestone-moved"
    MILESTONE_CHANGED = "milestone-changed"
    DEVIATION_ACCEPTED = "deviation-accepted"
    DEVIATION_WITHDRAWN = "deviation-withdrawn"


@dataclass(frozen=True)
class Change:
    kind: ChangeKind
    title: str  # the phase, KPI or milestone the change is about
    before: str = ""
    after: str = ""
    phase: str = ""  # the phase's title, for a KPI


# Measured actual values are results, not plan changes: they are not compared.
_KPI_TEXT = ("name", "unit", "direction", "baseline_on")
_MILESTONE_TEXT = ("kind", "title", "decision_needed", "phase")
# Wording fields of a phase: a change in any of them is one "reworded" change.
_PHASE_TEXT = ("goal", "standalone_value", "vision_horizon", "vision_contribution", "builds_on")


def _by_key(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {row["key"]: row for row in rows}


def _number(value: str | None) -> str:
    if value is None:
        return ""
    return format(Decimal(value).normalize(), "f")


def _diff_kpis(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    changes: list[Change] = []
    before, after = _by_key(old["kpis"]), _by_key(new["kpis"])
    phase = new["title"]
    for key, kpi in after.items():
        if key not in before:
            changes.append(Change(ChangeKind.KPI_ADDED, kpi["name"], phase=phase))
            continue
        was = before[key]
        if was["target"] != kpi["target"]:
            changes.append(
                Change(
                    ChangeKind.KPI_TARGET,
                    kpi["name"],
                    _number(was["target"]),
                    _number(kpi["target"]),
                    phase=phase,
                )
            )
        if was["baseline"] != kpi["baseline"]:
            changes.append(
                Change(
                    ChangeKind.KPI_BASELINE,
                    kpi["name"],
                    _number(was["baseline"]),
                    _number(kpi["baseline"]),
                    phase=phase,
                )
            )
        if any(was[name] != kpi[name] for name in _KPI_TEXT):
            changes.append(Change(ChangeKind.KPI_REWORDED, kpi["name"], phase=phase))
    changes.extend(
        Change(ChangeKind.KPI_REMOVED, kpi["name"], phase=phase)
        for key, kpi in before.items()
        if key not in after
    )
    return changes


def _diff_phase(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    title = new["title"]
    changes: list[Change] = []
    if old["title"] != new["title"]:
        changes.append(Change(ChangeKind.PHASE_RENAMED, title, old["title"], new["title"]))
    if old["start_month"] != new["start_month"]:
        changes.append(
            Change(ChangeKind.PHASE_MOVED, title, old["start_month"][:7], new["start_month"][:7])
        )
    if old["weeks"] != new["weeks"]:
        changes.append(
            Change(ChangeKind.PHASE_RESIZED, title, str(old["weeks"]), str(new["weeks"]))
        )
    if Decimal(old["budget"]) != Decimal(new["budget"]):
        changes.append(
            Change(
                ChangeKind.PHASE_REBUDGETED, title, _number(old["budget"]), _number(new["budget"])
            )
        )
    if old["status"] != new["status"]:
        changes.append(Change(ChangeKind.PHASE_STATUS, title, old["status"], new["status"]))
    if any(old[name] != new[name] for name in _PHASE_TEXT):
        changes.append(Change(ChangeKind.PHASE_REWORDED, title))
    return changes + _diff_kpis(old, new)


def diff(old: Snapshot, new: Snapshot) -> list[Change]:
    """Return what changed from `old` to `new`: phases first, then milestones, deviations."""
    changes: list[Change] = []
    before, after = _by_key(old["phases"]), _by_key(new["phases"])
    titles = {key: p["title"] for key, p in (before | after).items()}
    for key, phase in after.items():
        if key in before:
            changes.extend(_diff_phase(before[key], phase))
        else:
            changes.append(
                Change(
                    ChangeKind.PHASE_ADDED,
                    phase["title"],
                    after=f"{phase['start_month'][:7]}, {phase['weeks']}",
                )
            )
    changes.extend(
        Change(ChangeKind.PHASE_REMOVED, phase["title"])
        for key, phase in before.items()
        if key not in after
    )
    old_ms, new_ms = _by_key(old["milestones"]), _by_key(new["milestones"])
    for key, milestone in new_ms.items():
        if key not in old_ms:
            changes.append(
                Change(ChangeKind.MILESTONE_ADDED, milestone["title"], after=milestone["on"])
            )
        elif old_ms[key]["on"] != milestone["on"]:
            changes.append(
                Change(
                    ChangeKind.MILESTONE_MOVED,
                    milestone["title"],
                    old_ms[key]["on"],
                    milestone["on"],
                )
            )
        if key in old_ms and any(old_ms[key][n] != milestone[n] for n in _MILESTONE_TEXT):
            changes.append(Change(ChangeKind.MILESTONE_CHANGED, milestone["title"]))
    changes.extend(
        Change(ChangeKind.MILESTONE_REMOVED, m["title"])
        for key, m in old_ms.items()
        if key not in new_ms
    )

    def deviation_keys(snapshot: Snapshot) -> dict[tuple[str, str], str]:
        return {(d["rule"], d["subject"]): d["justification"] for d in snapshot["deviations"]}

    old_dev, new_dev = deviation_keys(old), deviation_keys(new)
    for (rule, subject), justification in new_dev.items():
        if (rule, subject) not in old_dev:
            changes.append(
                Change(
                    ChangeKind.DEVIATION_ACCEPTED,
                    rule,
                    after=justification,
                    phase=titles.get(subject, ""),
                )
            )
    changes.extend(
        Change(ChangeKind.DEVIATION_WITHDRAWN, rule, phase=titles.get(subject, ""))
        for (rule, subject) in old_dev
        if (rule, subject) not in new_dev
    )
    return changes


def same_plan(a: Snapshot, b: Snapshot) -> bool:
    """Return whether two snapshots hold the same plan (order of rows does not matter).

    The parts other apps keep with a revision (`parts.py`) count only when both snapshots
    have them: the plan pages' snapshot leaves them out."""
    both_parts = "parts" in a and "parts" in b
    return (
        not diff(a, b)
        and _positions(a) == _positions(b)
        and (not both_parts or a["parts"] == b["parts"])
    )


def _positions(snapshot: Snapshot) -> list[str]:
    return [p["key"] for p in snapshot["phases"]]
