"""API routes for user instructions: per project or wave, in Dutch and English, published on a
public link (`link`: its path; publishing anew ends the link before) and revoked. The team's
internal record: client guests get 404, as on the pages.
"""

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from koers.core.errors import KoersError
from koers.core.paging import page
from koers.instructions import mailing, queries, records, services
from koers.instructions.models import Instructions
from koers.outbox.services import mail_retry
from koers.projects.models import Project
from koers.projects.queries import project_for
from koers.rollout.models import Wave
from koers.workspaces.models import Role

from .auth import workspace_route
from .errors import Error
from .inputs import Input, unchanged
from .paging import PageIn, page_of

router = Router(tags=["instructions"])
BASE = "w/{workspace}/projects/{project}/instructions"
TEXT = 8000
HELP = 4000
HOURS = 200


class InstructionsOut(Schema):
    id: int
    wave: int | None = Field(description="The wave's id; null: the whole project.")
    wave_label: str | None
    what_changed_nl: str
    what_changed_en: str
    get_help_nl: str
    get_help_en: str
    support_hours_nl: str
    support_hours_en: str
    support_phone: str
    support_email: str
    support_portal: str
    published: bool
    link: str | None = Field(description="The public page's path while published, else null.")
    updated_at: datetime


class InstructionsIn(Input):
    wave: int | None = Field(None, description="The id of a wave; leave out for the project.")
    what_changed_nl: str = Field("", max_length=TEXT)
    what_changed_en: str = Field("", max_length=TEXT)
    get_help_nl: str = Field("", max_length=HELP)
    get_help_en: str = Field("", max_length=HELP)
    support_hours_nl: str = Field("", max_length=HOURS)
    support_hours_en: str = Field("", max_length=HOURS)
    support_phone: str = Field("", max_length=40)
    support_email: str = Field("", max_length=254)
    support_portal: str = Field("", max_length=300, description="https://…")


class InstructionsPatch(Input):
    what_changed_nl: str = unchanged(max_length=TEXT)
    what_changed_en: str = unchanged(max_length=TEXT)
    get_help_nl: str = unchanged(max_length=HELP)
    get_help_en: str = unchanged(max_length=HELP)
    support_hours_nl: str = unchanged(max_length=HOURS)
    support_hours_en: str = unchanged(max_length=HOURS)
    support_phone: str = unchanged(max_length=40)
    support_email: str = unchanged(max_length=254)
    support_portal: str = unchanged(max_length=300)


def _project(request: HttpRequest, slug: str) -> Project:
    return project_for(request, slug)  # type: ignore[arg-type]


def _one(project: Project, pk: int) -> Instructions:
    return get_object_or_404(queries.instructions_of(project), pk=pk)


def _record(project: Project, pk: int) -> dict[str, Any]:
    return records.instructions_record(_one(project, pk))


@router.get(BASE, response={200: page_of(InstructionsOut), 404: Error})
@workspace_route()
def instructions_list(
    request: HttpRequest, workspace: str, project: str, paging: Query[PageIn]
) -> Any:
    """The project's instructions, the last changed first."""
    rows = queries.instructions_of(_project(request, project))
    found = page(rows, name="instructions", ordering=["-updated_at", "-id"], **paging.dict())
    return {
        "count": found.count,
        "next": found.next,
        "items": [records.instructions_record(item) for item in found.items],
    }


@router.post(BASE, response={201: InstructionsOut, 400: Error, 403: Error, 404: Error})
@workspace_route(Role.MEMBER)
def instructions_add(
    request: HttpRequest, workspace: str, project: str, body: InstructionsIn
) -> Any:
    """Write the instructions of the project or of one wave (one of each)."""
    found = _project(request, project)
    made = services.instructions_create(project=found, actor=request.user, **body.dict())
    return Status(201, _record(found, made.pk))


@router.get(f"{BASE}/{{instructions}}", response={200: InstructionsOut, 404: Error})
@workspace_route()
def instructions_read(request: HttpRequest, workspace: str, project: str, instructions: int) -> Any:
    return _record(_project(request, project), instructions)


@router.patch(
    f"{BASE}/{{instructions}}", response={200: InstructionsOut, 400: Error, 403: Error, 404: Error}
)
@workspace_route(Role.MEMBER)
def instructions_change(
    request: HttpRequest, workspace: str, project: str, instructions: int, body: InstructionsPatch
) -> Any:
    found = _project(request, project)
    services.instructions_update(
        instructions=_one(found, instructions),
        actor=request.user,
        **body.dict(exclude_unset=True),
    )
    return _record(found, instructions)


@router.delete(f"{BASE}/{{instructions}}", response={204: None, 403: Error, 404: Error})
@workspace_route(Role.MEMBER)
def instructions_delete(
    request: HttpRequest, workspace: str, project: str, instructions: int
) -> Any:
    """Remove the instructions; their public link stops working."""
    found = _project(request, project)
    services.instructions_delete(instructions=_one(found, instructions))
    return Status(204, None)


@router.post(
    f"{BASE}/{{instructions}}/publish",
    response={200: InstructionsOut, 400: Error, 403: Error, 404: Error},
)
@workspace_route(Role.MEMBER)
def instructions_publish(
    request: HttpRequest, workspace: str, project: str, instructions: int
) -> Any:
    """Publish on a new public link (in `link`); the link before stops working."""
    found = _project(request, project)
    services.instructions_publish(instructions=_one(found, instructions), actor=request.user)
    return _record(found, instructions)


@router.post(
    f"{BASE}/{{instructions}}/revoke", response={200: InstructionsOut, 403: Error, 404: Error}
)
@workspace_route(Role.MEMBER)
def instructions_revoke(
    request: HttpRequest, workspace: str, project: str, instructions: int
) -> Any:
    """End the public link: the page answers 404 from now on."""
    found = _project(request, project)
    services.instructions_revoke(instructions=_one(found, instructions))
    return _record(found, instructions)


MAIL = "w/{workspace}/projects/{project}/people-mail"
MailKind = Literal["pilot_invitation", "wave_announcement"]


class PeopleMailIn(Input):
    kind: MailKind
    wave: int | None = Field(None, description="The wave's id, for a wave announcement.")


class PeopleMailFilter(Schema):
    kind: MailKind = "pilot_invitation"
    wave: int | None = Field(None, description="The wave's id, for a wave announcement.")


class PeopleMailOut(Schema):
    mailed: int = Field(description="Mails queued now.")
    before: int = Field(description="People who had it before: nothing sent again.")
    skipped: int = Field(description="People without a usable e-mail address.")
    skipped_names: list[str] = Field(description="Their names, every one.")


class PeopleMessageOut(Schema):
    id: int
    to: str
    state: Literal["queued", "sending", "sent", "failed"]
    reason: str = Field(description="Why it failed; empty otherwise.")
    created_at: datetime
    sent_at: datetime | None


def _mailing(project: Project, kind: str, wave: int | None) -> tuple[mailing.Kind, Wave | None]:
    chosen = mailing.Kind(kind)
    if chosen == mailing.Kind.PILOT:
        return chosen, None
    found = project.waves.filter(pk=wave).first() if wave is not None else None
    if found is None:
        raise KoersError(_("There is no such item in this project."), field="wave")
    return chosen, found


def _message_record(message: Any) -> dict[str, Any]:
    return {
        "id": message.pk,
        "to": message.to,
        "state": message.state,
        "reason": message.reason_text,
        "created_at": message.created_at,
        "sent_at": message.sent_at,
    }


@router.post(MAIL, response={200: PeopleMailOut, 400: Error, 403: Error, 404: Error})
@workspace_route(Role.MEMBER)
def people_mail_send(request: HttpRequest, workspace: str, project: str, body: PeopleMailIn) -> Any:
    """Mail the pilot invitation to the pilot's people, or a wave's announcement (its dates
    and the link to its published instructions) to the wave's people: each person once."""
    found = _project(request, project)
    kind, wave = _mailing(found, body.kind, body.wave)
    sent = mailing.people_mail(
        project=found, kind=kind, wave=wave, actor=request.user,
        site=request.build_absolute_uri("/"),
    )  # fmt: skip
    return {
        "mailed": sent.mailed,
        "before": sent.before,
        "skipped": sent.skipped.count,
        "skipped_names": sent.skipped.names,
    }


@router.get(f"{MAIL}/messages", response={200: page_of(PeopleMessageOut), 400: Error, 404: Error})
@workspace_route()
def people_mail_messages(
    request: HttpRequest,
    workspace: str,
    project: str,
    paging: Query[PageIn],
    filters: Query[PeopleMailFilter],
) -> Any:
    """The mails of the pilot invitation or of a wave's announcement with their state, the
    newest first."""
    found = _project(request, project)
    kind, wave = _mailing(found, filters.kind, filters.wave)
    rows = mailing.messages_of(found, kind, wave)
    listed = page(rows, name="people-mails", ordering=["-created_at", "-id"], **paging.dict())
    return {
        "count": listed.count,
        "next": listed.next,
        "items": [_message_record(message) for message in listed.items],
    }


@router.post(
    f"{MAIL}/messages/{{message}}/retry",
    response={200: PeopleMessageOut, 400: Error, 403: Error, 404: Error},
)
@workspace_route(Role.MEMBER)
def people_mail_retry(
    request: HttpRequest, workspace: str, project: str, message: int, body: PeopleMailIn
) -> Any:
    """Send a failed mail of the mailing again."""
    found = _project(request, project)
    kind, wave = _mailing(found, body.kind, body.wave)
    return _message_record(mail_retry(message=mailing.failed_message(found, kind, wave, message)))
