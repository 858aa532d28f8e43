"""One record per proposed and handled win: the API and the CLI's --json share them."""

from typing import Any

from koers.core import merging

from . import rules
from .models import Win
from .timeline import Kind


def proposal_record(fact: rules.Fact) -> dict[str, Any]:
    return {"key": fact.key, "kind": fact.source.value, "title": fact.title, "on": fact.on}


def win_record(win: Win) -> dict[str, Any]:
    return {
        "id": win.pk,
        "key": win.key,
        "kind": win.kind,
        "status": win.status,
        "title": win.title,
        "on": win.on,
        "communication": win.communication_id,
        "message": win.communication.content if win.communication else "",
    }


def timeline_record(row: merging.Row) -> dict[str, Any]:
    """One line of the timeline: a celebrated win, a decision made or a communication."""
    item = row.item
    kind = Kind(row.rank)
    base = {"kind": kind.label, "on": row.at, "id": item.pk}
    if kind == Kind.WIN:
        return base | {
            "title": item.title,
            "win_kind": item.kind,
            "communication": item.communication_id,
        }
    if kind == Kind.DECISION:
        return base | {"title": item.title, "status": item.status, "decided_by": item.decided_by}
    return base | {"title": item.subject, "communication_kind": item.kind}
