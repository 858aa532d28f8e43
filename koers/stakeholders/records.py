"""One record per stakeholder, project role, stance change and communication, and the grid:
the API and the CLI's --json share them."""

from datetime import date
from typing import Any

from koers.projects.models import Project

from . import queries, rules
from .models import Communication, CommunicationMail, Involvement, Stakeholder, StanceChange


def stakeholder_record(stakeholder: Stakeholder) -> dict[str, Any]:
    return {
        "id": stakeholder.pk,
        "name": stakeholder.name,
        "organisation": stakeholder.organisation,
        "job_title": stakeholder.job_title,
        "email": stakeholder.email,
        "phone": stakeholder.phone,
        "cares_about": stakeholder.cares_about,
        "concerns": stakeholder.concerns,
        "channel": stakeholder.channel,
        "contact_every_days": stakeholder.contact_every_days,
    }


def involvement_record(involvement: Involvement, today: date) -> dict[str, Any]:
    """The stakeholder's role in the project; `last_contact` as `queries.involvements` reads it."""
    last: date | None = getattr(involvement, "last_contact", None)
    every = involvement.stakeholder.contact_every_days
    return {
        "stakeholder": involvement.stakeholder_id,
        "name": involvement.stakeholder.name,
        "is_steering_member": involvement.is_steering_member,
        "is_decision_maker": involvement.is_decision_maker,
        "stance": involvement.stance,
        "influence": involvement.influence,
        "interest": involvement.interest,
        "last_contact": last,
        "contact_due_on": rules.due_on(last, every),
        "is_overdue": rules.is_overdue(last, every, today),
    }


def stance_change_record(change: StanceChange) -> dict[str, Any]:
    return {
        "before": change.before or None,
        "after": change.after,
        "on": change.on,
        "reason": change.reason,
    }


def communication_record(item: Communication) -> dict[str, Any]:
    """The communication; its audience read from a prefetch of `audience` when there is one."""
    return {
        "id": item.pk,
        "kind": item.kind,
        "status": item.status,
        "on": item.on,
        "subject": item.subject,
        "content": item.content,
        "audience": sorted(s.pk for s in item.audience.all()),
    }


def mail_record(mail: CommunicationMail) -> dict[str, Any]:
    """One mail of a communication with its state; the outbox holds the message itself."""
    return {
        "message": mail.message_id,
        "stakeholder": mail.stakeholder_id,
        "to": mail.message.to,
        "state": mail.message.state,
        "failure": mail.message.failure,
        "reason": mail.message.reason,
    }


def beat_record(beat: rules.Beat) -> dict[str, Any]:
    return {
        "kind": beat.kind,
        "every_days": beat.every_days,
        "last_done": beat.last_done,
        "next_planned": beat.next_planned,
        "due_on": beat.due_on,
        "is_overdue": beat.is_overdue,
    }


def rhythm_record(beats: list[rules.Beat]) -> dict[str, dict[str, Any]]:
    """The rhythm by kind of communication (all five, always), as the API and the CLI give it."""
    return {beat.kind: beat_record(beat) for beat in beats}


def grid_record(project: Project, today: date) -> dict[str, Any]:
    """The project's grid, who is overdue for contact (in the order to call them) and the
    rhythm: the CLI's document."""
    rows = list(queries.involvements(project))
    return {
        "project": f"{project.workspace.slug}/{project.slug}",
        "stakeholders": [involvement_record(row, today) for row in rows],
        "overdue": [
            {"stakeholder": o.involvement.stakeholder_id, "name": o.involvement.stakeholder.name}
            | {"stance": o.involvement.stance, "days_overdue": o.due.days_overdue}
            for o in queries.overdue(rows, today)
        ],
        "rhythm": rhythm_record(queries.rhythm(project, today)),
    }
