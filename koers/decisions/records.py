"""One record per decision and per entry of the log: the API and the CLI's --json share them."""

from typing import Any

from .models import Decision, DecisionChange
from .queries import Entry, Source


def decision_record(decision: Decision) -> dict[str, Any]:
    """Return a decision of the log with what it concerns (ids; the plan revision by number)."""
    return {
        "id": decision.pk,
        "title": decision.title,
        "status": decision.status,
        "reasons": decision.reasons,
        "alternatives": decision.alternatives,
        "deciders": [{"id": who.pk, "name": who.name} for who in decision.deciders.all()],
        "decided_by": decision.decided_by,
        "decided_on": decision.decided_on,
        "due_on": decision.due_on,
        "superseded_by": decision.superseded_by_id,
        "phase": decision.phase_id,
        "wave": decision.wave_id,
        "gate_decision": decision.gate_decision_id,
        "scope_item": decision.scope_item_id,
        "plan_revision": decision.plan_revision.number if decision.plan_revision else None,
        "communicated_on": decision.communicated_on,
        "communicated_how": decision.communicated_how,
        "communicated": decision.is_told,
        "logged_at": decision.logged_at,
    }


def change_record(change: DecisionChange) -> dict[str, Any]:
    return {
        "from_status": change.from_status or None,
        "to_status": change.to_status,
        "note": change.note,
        "by": change.actor.email if change.actor else None,
        "at": change.at,
    }


def entry_record(entry: Entry) -> dict[str, Any]:
    """Return one line of the merged log, marked with where it comes from."""
    item = entry.item
    if entry.source == Source.LOG:
        return {"source": "log", "at": entry.at, **decision_record(item)}
    if entry.source == Source.GATE:
        wave = item.gate.wave
        return {
            "source": "gate",
            "at": entry.at,
            "id": item.pk,
            "wave": wave.number,
            "wave_label": wave.label,
            "decision": item.decision,
            "notes": item.notes,
            "justification": item.justification,
            "decided_by": item.decided_by.email if item.decided_by else None,
        }
    return {
        "source": "guardrail",
        "at": entry.at,
        "id": item.pk,
        "rule": item.rule,
        "title": entry.about,
        "justification": item.justification,
        "accepted_by": item.accepted_by.email if item.accepted_by else None,
    }
