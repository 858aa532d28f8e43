"""API routes for a client's stakeholders, their roles and stances per project, the
communication log and its rhythm. Stakeholders are personal data: no route lets a client
guest in. Objects go out as the records the CLI prints (koers.stakeholders.records)."""

from datetime import date
from typing import Annotated, Any, Literal

from django.db.models import Prefetch
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from koers.core.paging import page
from koers.outbox.services import mail_retry
from koers.projects.models import Project
from koers.projects.queries import project_for
from koers.stakeholders import mailing, queries, records, services
from koers.stakeholders.models import Communication, Involvement, Stakeholder
from koers.workspaces.models import Client, Role

from .auth import workspace_route
from .errors import Error
from .inputs import Input, unchanged
from .paging import PageIn, page_of

router = Router(tags=["stakeholders"])

# Literal types, not the models' TextChoices: OpenAPI names an enum by its class name.
StanceName = Literal["champion", "supporter", "neutral", "sceptic", "opponent"]
ChannelName = Literal["call", "mail", "meeting", "demo"]
CommunicationKindName = Literal["update", "demo", "call", "meeting", "steering"]
CommunicationStatus = Literal["planned", "done"]
CLIENT = "w/{workspace}/clients/{client}/stakeholders"
PROJECT = "w/{workspace}/projects/{project}"
# An id as the database holds one: a larger number is refused (422), not looked up.
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]


class StakeholderOut(Schema):
    id: int
    name: str
    organisation: str
    job_title: str
    email: str
    phone: str
    cares_about: str
    concerns: str
    channel: ChannelName
    contact_every_days: int


class StakeholderIn(Input):
    name: str = Field(..., min_length=1, max_length=150)
    organisation: str = Field("", max_length=150)
    job_title: str = Field("", max_length=120)
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=40)
    cares_about: str = Field("", max_length=2000)
    concerns: str = Field("", max_length=2000)
    channel: ChannelName = "meeting"
    contact_every_days: int = Field(14, ge=1, le=365)


class StakeholderPatch(Input):
    name: str = unchanged(min_length=1, max_length=150)
    organisation: str = unchanged(max_length=150)
    job_title: str = unchanged(max_length=120)
    email: str = unchanged(max_length=254)
    phone: str = unchanged(max_length=40)
    cares_about: str = unchanged(max_length=2000)
    concerns: str = unchanged(max_length=2000)
    channel: ChannelName = unchanged()
    contact_every_days: int = unchanged(ge=1, le=365)


class RoleOut(Schema):
    stakeholder: int
    name: str
    is_steering_member: bool
    is_decision_maker: bool
    stance: StanceName
    influence: int
    interest: int
    last_contact: date | None = Field(
        ..., description="The latest done communication they were in the audience of."
    )
    contact_due_on: date | None = Field(..., description="Null: never contacted (due now).")
    is_overdue: bool


class RoleIn(Input):
    stakeholder: Id = Field(..., description="The id of one of the client's stakeholders.")
    is_steering_member: bool = False
    is_decision_maker: bool = False
    stance: StanceName = "neutral"
    influence: int = Field(3, ge=1, le=5)
    interest: int = Field(3, ge=1, le=5)
    reason: str = Field("", max_length=500, description="Why this stance (kept when it changes).")
    on: date | None = Field(None, description="Since when this stance; default today.")


class RolePatch(Input):
    is_steering_member: bool = unchanged()
    is_decision_maker: bool = unchanged()
    stance: StanceName = unchanged()
    influence: int = unchanged(ge=1, le=5)
    interest: int = unchanged(ge=1, le=5)
    reason: str = Field("", max_length=500, description="Why this stance (kept when it changes).")
    on: date | None = Field(None, description="Since when this stance; default today.")


class StanceChangeOut(Schema):
    before: StanceName | None
    after: StanceName
    on: date
    reason: str


class CommunicationOut(Schema):
    id: int
    kind: CommunicationKindName
    status: CommunicationStatus
    on: date
    subject: str
    content: str
    audience: list[int] = Field(..., description="The ids of the stakeholders it reached.")


class CommunicationIn(Input):
    kind: CommunicationKindName
    status: CommunicationStatus = "done"
    on: date | None = Field(None, description="Default: today.")
    subject: str = Field(..., min_length=1, max_length=200)
    content: str = Field("", max_length=8000)
    audience: list[Id] = Field(default_factory=list, max_length=500)


class CommunicationPatch(Input):
    kind: CommunicationKindName = unchanged()
    status: CommunicationStatus = unchanged()
    on: date = unchanged()
    subject: str = unchanged(min_length=1, max_length=200)
    content: str = unchanged(max_length=8000)
    audience: list[Id] = unchanged(max_length=500)


class MailIn(Input):
    template: Literal["status_update", "celebration"] = "status_update"
    stakeholders: list[Id] = Field(
        ..., min_length=1, max_length=500, description="Ids of the client's stakeholders."
    )


class MailSummaryOut(Schema):
    mailed: int = Field(..., description="Mails queued now.")
    before: int = Field(..., description="Mailed this communication before: not sent again.")
    no_address: int = Field(..., description="Stakeholders without an e-mail address.")


class MailOut(Schema):
    message: int
    stakeholder: int
    to: str
    state: Literal["queued", "sending", "sent", "failed"]
    failure: str = Field(..., description="Why it failed: refused, error or unknown; or empty.")
    reason: str = Field(..., description="The mail server's answer, when it gave one.")


class BeatOut(Schema):
    kind: CommunicationKindName
    every_days: int | None
    last_done: date | None
    next_planned: date | None
    due_on: date | None
    is_overdue: bool


class RhythmOut(Schema):
    """The rhythm by kind of communication: all five, always."""

    update: BeatOut
    demo: BeatOut
    call: BeatOut
    meeting: BeatOut
    steering: BeatOut


class RhythmIn(Input):
    update: int | None = Field(None, ge=1, le=365)
    demo: int | None = Field(None, ge=1, le=365)
    call: int | None = Field(None, ge=1, le=365)
    meeting: int | None = Field(None, ge=1, le=365)
    steering: int | None = Field(None, ge=1, le=365)


def _client(request: HttpRequest, slug: str) -> Client:
    found: Client = get_object_or_404(request.workspace.clients, slug=slug)  # type: ignore[attr-defined]
    return found


def _project(request: HttpRequest, slug: str) -> Project:
    return project_for(request, slug)  # type: ignore[arg-type]


def _stakeholder(client: Client, pk: int) -> Stakeholder:
    found: Stakeholder = get_object_or_404(Stakeholder.objects.filter(client=client), pk=pk)
    return found


def _audience(project: Project, ids: list[int]) -> list[Stakeholder] | None:
    """The chosen stakeholders of the project's client; None when an id is not one of them."""
    found = list(Stakeholder.objects.filter(client=project.client, pk__in=ids))
    return found if len(found) == len(set(ids)) else None


NO_SUCH_AUDIENCE = {"detail": "Not found.", "field": "audience"}


# A client's stakeholders.


@router.get(CLIENT, response={200: page_of(StakeholderOut), 404: Error})
@workspace_route()
def stakeholders(request: HttpRequest, workspace: str, client: str, paging: Query[PageIn]) -> Any:
    """The client's stakeholders, by name."""
    rows = Stakeholder.objects.filter(client=_client(request, client))
    shown = page(rows, name="stakeholders", ordering=["name"], **paging.dict())
    items = [records.stakeholder_record(s) for s in shown.items]
    return {"count": shown.count, "next": shown.next, "items": items}


@router.post(CLIENT, response={201: StakeholderOut, 400: Error, 403: Error, 404: Error})
@workspace_route(Role.MEMBER)
def stakeholder_create(
    request: HttpRequest, workspace: str, client: str, body: StakeholderIn
) -> Any:
    """Keep a stakeholder of the client (e-mail address and phone number are validated)."""
    made = services.stakeholder_create(
        client=_client(request, client), actor=request.user, **body.dict()
    )
    return Status(201, records.stakeholder_record(made))


@router.get(f"{CLIENT}/{{stakeholder}}", response={200: StakeholderOut, 404: Error})
@workspace_route()
def stakeholder_detail(request: HttpRequest, workspace: str, client: str, stakeholder: int) -> Any:
    return records.stakeholder_record(_stakeholder(_client(request, client), stakeholder))


@router.patch(
    f"{CLIENT}/{{stakeholder}}", response={200: StakeholderOut, 400: Error, 403: Error, 404: Error}
)
@workspace_route(Role.MEMBER)
def stakeholder_update(
    request: HttpRequest, workspace: str, client: str, stakeholder: int, body: StakeholderPatch
) -> Any:
    found = _stakeholder(_client(request, client), stakeholder)
    changed = services.stakeholder_update(stakeholder=found, **body.dict(exclude_unset=True))
    return records.stakeholder_record(changed)


@router.delete(f"{CLIENT}/{{stakeholder}}", response={204: None, 403: Error, 404: Error})
@workspace_route(Role.MEMBER)
def stakeholder_delete(request: HttpRequest, workspace: str, client: str, stakeholder: int) -> Any:
    """Delete the stakeholder everywhere: every project role, stance and audience."""
    services.stakeholder_delete(stakeholder=_stakeholder(_client(request, client), stakeholder))
    return Status(204, None)


# A project's stakeholders: their role, stance and last contact.


def _role(project: Project, stakeholder: int) -> Involvement:
    found: Involvement = get_object_or_404(queries.involvements(project), stakeholder=stakeholder)
    return found


@router.get(f"{PROJECT}/stakeholders", response={200: page_of(RoleOut), 404: Error})
@workspace_route()
def roles(request: HttpRequest, workspace: str, project: str, paging: Query[PageIn]) -> Any:
    """The project's stakeholders with their role, stance, last contact and whether they are
    overdue for contact, by name."""
    rows = queries.involvements(_project(request, project))
    shown = page(rows, name="roles", ordering=["stakeholder__name"], **paging.dict())
    today = timezone.localdate()
    items = [records.involvement_record(row, today) for row in shown.items]
    return {"count": shown.count, "next": shown.next, "items": items}


@router.post(f"{PROJECT}/stakeholders", response={201: RoleOut, 400: Error, 403: Error, 404: Error})
@workspace_route(Role.MEMBER)
def role_save(request: HttpRequest, workspace: str, project: str, body: RoleIn) -> Any:
    """Give one of the client's stakeholders a role in the project, or change it."""
    found = _project(request, project)
    data = body.dict()
    who = _stakeholder(found.client, data.pop("stakeholder"))
    services.involvement_save(project=found, stakeholder=who, actor=request.user, **data)
    return Status(201, records.involvement_record(_role(found, who.pk), timezone.localdate()))


@router.get(f"{PROJECT}/stakeholders/{{stakeholder}}", response={200: RoleOut, 404: Error})
@workspace_route()
def role_detail(request: HttpRequest, workspace: str, project: str, stakeholder: int) -> Any:
    found = _role(_project(request, project), stakeholder)
    return records.involvement_record(found, timezone.localdate())


@router.patch(
    f"{PROJECT}/stakeholders/{{stakeholder}}",
    response={200: RoleOut, 400: Error, 403: Error, 404: Error},
)
@workspace_route(Role.MEMBER)
def role_update(
    request: HttpRequest, workspace: str, project: str, stakeholder: int, body: RolePatch
) -> Any:
    """Change a stakeholder's role; a changed stance is kept with `reason` and `on`."""
    found = _project(request, project)
    role = _role(found, stakeholder)
    fields = body.dict(exclude_unset=True)
    services.involvement_save(
        project=found, stakeholder=role.stakeholder, actor=request.user, **fields
    )
    return records.involvement_record(_role(found, stakeholder), timezone.localdate())


@router.delete(
    f"{PROJECT}/stakeholders/{{stakeholder}}", response={204: None, 403: Error, 404: Error}
)
@workspace_route(Role.MEMBER)
def role_remove(request: HttpRequest, workspace: str, project: str, stakeholder: int) -> Any:
    """Take the stakeholder off the project (they stay a stakeholder of the client)."""
    services.involvement_remove(involvement=_role(_project(request, project), stakeholder))
    return Status(204, None)


@router.get(
    f"{PROJECT}/stakeholders/{{stakeholder}}/stance-changes",
    response={200: page_of(StanceChangeOut), 404: Error},
)
@workspace_route()
def stance_changes(
    request: HttpRequest, workspace: str, project: str, stakeholder: int, paging: Query[PageIn]
) -> Any:
    """The stakeholder's stances in the project with date and reason, the latest first."""
    role = _role(_project(request, project), stakeholder)
    shown = page(
        role.stance_changes.all(), name="stance-changes", ordering=["-on", "-id"], **paging.dict()
    )
    items = [records.stance_change_record(change) for change in shown.items]
    return {"count": shown.count, "next": shown.next, "items": items}


# The communication log and the rhythm.


def _communications(project: Project) -> Any:
    return Communication.objects.filter(project=project).prefetch_related(
        Prefetch("audience", queryset=Stakeholder.objects.only("pk"))
    )


def _communication(project: Project, pk: int) -> Communication:
    found: Communication = get_object_or_404(_communications(project), pk=pk)
    return found


@router.get(f"{PROJECT}/communications", response={200: page_of(CommunicationOut), 404: Error})
@workspace_route()
def communications(
    request: HttpRequest, workspace: str, project: str, paging: Query[PageIn]
) -> Any:
    """The project's communications, planned and done, the latest date first."""
    rows = _communications(_project(request, project))
    shown = page(rows, name="communications", ordering=["-on", "-id"], **paging.dict())
    items = [records.communication_record(item) for item in shown.items]
    return {"count": shown.count, "next": shown.next, "items": items}


@router.post(
    f"{PROJECT}/communications",
    response={201: CommunicationOut, 400: Error, 403: Error, 404: Error},
)
@workspace_route(Role.MEMBER)
def communication_create(
    request: HttpRequest, workspace: str, project: str, body: CommunicationIn
) -> Any:
    """Log a communication; a done one is contact with every stakeholder in `audience`."""
    found = _project(request, project)
    data = body.dict()
    data["on"] = data["on"] or timezone.localdate()
    data["audience"] = _audience(found, data["audience"])
    if data["audience"] is None:
        return Status(404, NO_SUCH_AUDIENCE)
    made = services.communication_create(project=found, actor=request.user, **data)
    return Status(201, records.communication_record(_communication(found, made.pk)))


@router.patch(
    f"{PROJECT}/communications/{{communication}}",
    response={200: CommunicationOut, 400: Error, 403: Error, 404: Error},
)
@workspace_route(Role.MEMBER)
def communication_update(
    request: HttpRequest,
    workspace: str,
    project: str,
    communication: int,
    body: CommunicationPatch,
) -> Any:
    found = _project(request, project)
    item = _communication(found, communication)
    data = body.dict(exclude_unset=True)
    if "audience" in data:
        data["audience"] = _audience(found, data["audience"])
        if data["audience"] is None:
            return Status(404, NO_SUCH_AUDIENCE)
    services.communication_update(item=item, **data)
    return records.communication_record(_communication(found, communication))


@router.delete(
    f"{PROJECT}/communications/{{communication}}", response={204: None, 403: Error, 404: Error}
)
@workspace_route(Role.MEMBER)
def communication_delete(
    request: HttpRequest, workspace: str, project: str, communication: int
) -> Any:
    found = _project(request, project)
    services.communication_delete(item=_communication(found, communication))
    return Status(204, None)


@router.post(
    f"{PROJECT}/communications/{{communication}}/mail",
    response={200: MailSummaryOut, 400: Error, 403: Error, 404: Error},
)
@workspace_route(Role.MEMBER)
def communication_mail(
    request: HttpRequest, workspace: str, project: str, communication: int, body: MailIn
) -> Any:
    """Mail the communication to the stakeholders, each at most once ever (calling again
    sends nothing to who got it); they join its audience, a planned one becomes done today."""
    found = _project(request, project)
    item = _communication(found, communication)
    chosen = _audience(found, body.stakeholders)
    if chosen is None:
        return Status(404, {"detail": "Not found.", "field": "stakeholders"})
    sent = mailing.communication_mail(
        item=item, stakeholders=chosen, template=body.template, actor=request.user
    )
    return {"mailed": sent.mailed, "before": sent.before, "no_address": sent.no_address}


@router.get(
    f"{PROJECT}/communications/{{communication}}/mails",
    response={200: page_of(MailOut), 404: Error},
)
@workspace_route()
def communication_mails(
    request: HttpRequest, workspace: str, project: str, communication: int, paging: Query[PageIn]
) -> Any:
    """The mails of the communication with their state; a failed one says why."""
    item = _communication(_project(request, project), communication)
    rows = item.mails.select_related("message")
    shown = page(rows, name="mails", ordering=["id"], **paging.dict())
    items = [records.mail_record(mail) for mail in shown.items]
    return {"count": shown.count, "next": shown.next, "items": items}


@router.post(
    f"{PROJECT}/communications/{{communication}}/mails/{{message}}/retry",
    response={200: MailOut, 400: Error, 403: Error, 404: Error},
)
@workspace_route(Role.MEMBER)
def communication_mail_retry(
    request: HttpRequest, workspace: str, project: str, communication: int, message: int
) -> Any:
    """Send a failed mail again: the same text and Message-ID, one more attempt."""
    item = _communication(_project(request, project), communication)
    mail = get_object_or_404(item.mails.select_related("message"), message_id=message)
    mail_retry(message=mail.message)  # refuses (400) a message that is not failed
    mail.message.refresh_from_db()
    return records.mail_record(mail)


@router.get(f"{PROJECT}/communication-rhythm", response={200: RhythmOut, 404: Error})
@workspace_route()
def rhythm(request: HttpRequest, workspace: str, project: str) -> Any:
    """Every kind of communication (five, always): how often it is meant to happen, when it
    was last done, the next one planned, and whether it is overdue."""
    return records.rhythm_record(queries.rhythm(_project(request, project), timezone.localdate()))


@router.put(
    f"{PROJECT}/communication-rhythm",
    response={200: RhythmOut, 400: Error, 403: Error, 404: Error},
)
@workspace_route(Role.MEMBER)
def rhythm_save(request: HttpRequest, workspace: str, project: str, body: RhythmIn) -> Any:
    """Set how often the project means to communicate per kind, in days (null: no rhythm)."""
    found = _project(request, project)
    services.rhythm_save(project=found, every_days=body.dict())
    return records.rhythm_record(queries.rhythm(found, timezone.localdate()))
