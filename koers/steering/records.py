"""One record per steering group meeting, with its agenda: the API and the CLI share them."""

from typing import Any

from koers.decisions.records import decision_record

from .agenda import Agenda
from .models import Meeting


def meeting_record(meeting: Meeting) -> dict[str, Any]:
    """The meeting; its decisions read from a prefetch of `decisions` when there is one."""
    return {
        "id": meeting.pk,
        "on": meeting.on,
        "minutes": meeting.minutes,
        "decisions": sorted(d.pk for d in meeting.decisions.all()),
        "communication": meeting.communication_id,
    }


def agenda_record(agenda: Agenda) -> dict[str, Any]:
    signal = agenda.signal.signal
    return {
        "decisions_needed": [decision_record(d) for d in agenda.needed],
        "decisions_needed_count": agenda.needed_count,
        "reported": signal.reported.value if signal.reported else None,
        "measured": signal.measured.value if signal.measured else None,
        "watermelon": signal.is_watermelon,
        "risks": agenda.risks,
        "phases": [
            {
                "id": phase.pk,
                "title": phase.title,
                "status": phase.status,
                "kpis": [
                    {
                        "name": kpi.name,
                        "target": kpi.target,
                        "actual": kpi.actual,
                        "met": kpi.is_met,
                    }
                    for kpi in phase.kpis.all()
                ],
            }
            for phase in agenda.phases
        ],
        "next_phase": agenda.next_phase.pk if agenda.next_phase else None,
    }
