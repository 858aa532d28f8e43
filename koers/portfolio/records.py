"""One record per portfolio row: the API and the CLI's --json share it."""

from datetime import date
from typing import Any

from . import describe
from .queries import Row


def row_record(row: Row, today: date) -> dict[str, Any]:
    """A project on the portfolio; the counts a guest may not see are null."""
    project, found = row.project, row.attention
    moment = found.next_moment
    return {
        "project": project.slug,
        "name": project.name,
        "client": project.client.slug,
        "client_name": project.client.name,
        "status": project.status,
        "manager": project.manager.email if project.manager else None,
        "phase": row.phase.title if row.phase else None,
        "reported": row.signal.signal.reported.value if row.signal.signal.reported else None,
        "measured": row.signal.signal.measured.value if row.signal.signal.measured else None,
        "watermelon": row.signal.signal.is_watermelon,
        "guardrail_errors": row.findings.errors if row.findings else None,
        "guardrail_warnings": row.findings.warnings if row.findings else None,
        "next_moment": None
        if moment is None
        else {"kind": moment.kind.value, "on": moment.on, "title": moment.title},
        "late_phases": len(row.late_phases),
        "late_waves": row.late_waves,
        "decisions_waiting": row.decisions_waiting,
        "stakeholders_overdue": row.stakeholders_overdue,
        "score": found.score,
        "reasons": [
            {"reason": cause.reason.value, "text": describe.cause_text(cause, today)}
            for cause in found.causes
        ],
    }
