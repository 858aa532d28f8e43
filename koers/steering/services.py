"""Writes on steering group meetings: plan one, record its minutes and the decisions taken
there (each a decision of the log, typed once), and mail the minutes to the steering group."""

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import override

from koers.core.errors import KoersError
from koers.decisions import services as decisions
from koers.decisions.models import Decision
from koers.projects.models import Project
from koers.stakeholders import mailing
from koers.stakeholders import services as stakeholders
from koers.stakeholders.models import Communication, CommunicationKind, Stakeholder

from .models import Meeting


def steering_group(project: Project) -> list[Stakeholder]:
    """The members of the project's steering group (stakeholders with that role)."""
    return list(
        Stakeholder.objects.filter(
            involvements__project=project, involvements__is_steering_member=True
        ).order_by("name", "id")
    )


def meeting_create(*, project: Project, on: date, actor: Any) -> Meeting:
    return Meeting.objects.create(project=project, on=on, actor=actor)


def _subject(meeting: Meeting) -> str:
    with override(meeting.project.language):
        day = formats.date_format(meeting.on, "j F Y")
        return _("Steering group meeting of %(date)s") % {"date": day}


@transaction.atomic
def meeting_minutes(
    *,
    meeting: Meeting,
    actor: Any,
    minutes: str,
    decided: Iterable[Decision] = (),
    new_decisions: Iterable[str] = (),
) -> Meeting:
    """Keep the minutes, as a done steering group communication to the steering group. The
    open decisions `decided` are decided at the meeting, and each of `new_decisions` (one
    sentence each) is logged as decided there: the log and the minutes name the same ones."""
    project = meeting.project
    chosen = list(decided)
    if any(d.project_id != project.pk or d.status != Decision.Status.PROPOSED for d in chosen):
        raise KoersError(_("Only this project's open decisions can be taken."), field="decided")
    if not minutes.strip():
        raise KoersError(_("Write the minutes."), field="minutes")
    by = _("Steering group")
    for decision in chosen:
        decisions.decision_update(
            decision=decision,
            actor=actor,
            status=Decision.Status.DECIDED,
            decided_on=meeting.on,
            decided_by=decision.decided_by or by,
            note=_subject(meeting),
        )
    made = [
        decisions.decision_create(
            project=project,
            actor=actor,
            title=title.strip(),
            status=Decision.Status.DECIDED,
            decided_on=meeting.on,
            decided_by=by,
            note=_subject(meeting),
        )
        for title in new_decisions
        if title.strip()
    ]
    meeting.decisions.add(*chosen, *made)
    meeting.minutes = minutes.strip()
    fields: dict[str, Any] = {
        "kind": CommunicationKind.STEERING,
        "on": meeting.on,
        "content": meeting.minutes,
    }
    if meeting.communication is None:
        meeting.communication = stakeholders.communication_create(
            project=project,
            actor=actor,
            status=Communication.Status.DONE,
            subject=_subject(meeting),
            audience=steering_group(project),
            **fields,
        )
    else:
        stakeholders.communication_update(item=meeting.communication, **fields)
    meeting.save(update_fields=["minutes", "communication"])
    return meeting


def minutes_mail(*, meeting: Meeting, actor: Any) -> mailing.MailSummary:
    """Mail the minutes to each member of the steering group, at most once each: minutes
    changed after they were mailed are not mailed again (a member added later gets them)."""
    if meeting.communication is None:
        raise KoersError(_("Record the minutes before mailing them."))
    return mailing.communication_mail(
        item=meeting.communication,
        stakeholders=steering_group(meeting.project),
        template="status_update",
        actor=actor,
    )
