"""One record per proposed and handled win: the API and the CLI's --json share them."""

from typing import Any

from . import rules
from .models import Win


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
