"""API routes for workspaces, clients, projects and the scope canvas."""

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from koers.core.errors import KoersError
from koers.core.paging import page
from koers.projects import services
from koers.projects.forms import IntakeForm
from koers.projects.models import ClientVision, Project, ScopeItem
from koers.projects.queries import project_for, visible_projects
from koers.workspaces.forms import ClientForm
from koers.workspaces.models import Role

from .auth import workspace_route
from .errors import Error
from .inputs import Input
from .paging import PageIn, page_of

router = Router(tags=["projects"])
# A Literal, not Project.Status: OpenAPI names an enum after its class, and the waves'
# Wave.Status would overwrite this one in the document (the project's status was documented
# with the wave statuses).
ProjectStatus = Literal["intake", "planning", "delivery", "aftercare", "closed"]


class WorkspaceOut(Schema):
    slug: str
    name: str
    role: str


class ClientOut(Schema):
    slug: str
    name: str
    country: str
    sector: str


class ClientIn(Input):
    name: str = Field(..., min_length=1, max_length=120)
    slug: str = Field("", max_length=40, description="Made from the name when left out.")
    country: Literal["NL", "BE"] = "NL"
    has_liberation_day_off: bool = False
    sector: str = Field("", max_length=120)
    notes: str = Field("", max_length=5000)


class ProjectIn(Input):
    """The intake, as the form asks it; the token's user is the project manager."""

    client: str = Field(..., description="The client's short name.")
    name: str = Field(..., min_length=1, max_length=120)
    slug: str = Field("", max_length=40, description="Made from the name when left out.")
    request: str = Field(..., min_length=1, max_length=4000)
    goals: list[str] = Field(..., min_length=1, max_length=50)
    current_situation: str = Field("", max_length=8000)
    tried_before: str = Field("", max_length=8000)
    bottleneck: str = Field("", max_length=4000)
    behaviour_change: str = Field("", max_length=4000)
    smallest_version: str = Field("", max_length=4000)
    serves_vision: str = Field("", max_length=2000)
    language: Literal["nl", "en"] = "nl"


class ProjectChange(Input):
    """The intake fields to change; the ones left out stay."""

    name: str | None = Field(None, min_length=1, max_length=120)
    request: str | None = Field(None, min_length=1, max_length=4000)
    goals: list[str] | None = Field(None, min_length=1, max_length=50)
    current_situation: str | None = Field(None, max_length=8000)
    tried_before: str | None = Field(None, max_length=8000)
    bottleneck: str | None = Field(None, max_length=4000)
    behaviour_change: str | None = Field(None, max_length=4000)
    smallest_version: str | None = Field(None, max_length=4000)
    serves_vision: str | None = Field(None, max_length=2000)
    language: Literal["nl", "en"] | None = None


def _form_error(form: Any) -> KoersError:
    """The form's first problem, named by its field, as every API error is."""
    field, errors = next(iter(form.errors.items()))
    return KoersError(str(errors[0]), field=None if field == "__all__" else field)


class ProjectOut(Schema):
    slug: str
    name: str
    client: str = Field(..., alias="client.slug")
    status: ProjectStatus
    language: str
    request: str
    current_situation: str
    tried_before: str
    serves_vision: str
    bottleneck: str
    behaviour_change: str
    smallest_version: str
    goals: list[str]
    updated_at: datetime

    @staticmethod
    def resolve_goals(obj: Project) -> list[str]:
        return [goal.text for goal in obj.goals.all()]


class ScopeItemOut(Schema):
    id: int
    column: ScopeItem.Column
    title: str
    reason: str
    position: int


class ScopeItemIn(Input):
    column: ScopeItem.Column
    title: str = Field(..., min_length=1, max_length=200)
    reason: str = Field(..., min_length=1, max_length=500)


class ScopeMoveIn(Input):
    column: ScopeItem.Column
    position: int = Field(..., ge=0, le=10_000)


@router.get("workspaces", response=page_of(WorkspaceOut))
def workspaces(request: HttpRequest, paging: Query[PageIn]) -> Any:
    """The workspaces the token's user belongs to, with their role, by name."""
    memberships = request.user.memberships.select_related("workspace")  # type: ignore[union-attr]
    found = page(memberships, name="workspaces", ordering=["workspace__name"], **paging.dict())
    return {
        "count": found.count,
        "next": found.next,
        "items": [
            {"slug": m.workspace.slug, "name": m.workspace.name, "role": m.role}
            for m in found.items
        ],
    }


@router.get("w/{workspace}/clients", response={200: page_of(ClientOut), 404: Error})
@workspace_route()
def clients(request: HttpRequest, workspace: str, paging: Query[PageIn]) -> Any:
    """The workspace's clients, by name."""
    clients = request.workspace.clients.all()  # type: ignore[attr-defined]
    return page(clients, name="clients", ordering=["name"], **paging.dict())


class VisionOut(Schema):
    horizon: int
    summary: str
    automated_processes: str
    connected_systems: str
    biggest_gains: str


class ClientVisionOut(Schema):
    """The client's vision at both horizons (empty texts where nothing is written)."""

    months_24: VisionOut
    months_48: VisionOut


class VisionIn(Input):
    summary: str | None = Field(None, max_length=2000)
    automated_processes: str | None = Field(None, max_length=4000)
    connected_systems: str | None = Field(None, max_length=4000)
    biggest_gains: str | None = Field(None, max_length=4000)


def _client_vision(client: Any) -> dict[str, Any]:
    written = {v.horizon: v for v in client.visions.all()}
    return {
        f"months_{horizon}": written.get(horizon) or ClientVision(client=client, horizon=horizon)
        for horizon in ClientVision.Horizon
    }


@router.get("w/{workspace}/clients/{client}/vision", response={200: ClientVisionOut, 404: Error})
@workspace_route()
def client_vision(request: HttpRequest, workspace: str, client: str) -> Any:
    """The client's vision for its whole digital future, at 24 and 48 months."""
    found = get_object_or_404(request.workspace.clients, slug=client)  # type: ignore[attr-defined]
    return _client_vision(found)


@router.put(
    "w/{workspace}/clients/{client}/vision/{horizon}",
    response={200: ClientVisionOut, 400: Error, 403: Error, 404: Error},
)
@workspace_route(Role.MEMBER)
def client_vision_write(
    request: HttpRequest, workspace: str, client: str, horizon: int, body: VisionIn
) -> Any:
    """Write the client's vision at one horizon; the fields left out stay as they are."""
    found = get_object_or_404(request.workspace.clients, slug=client)  # type: ignore[attr-defined]
    services.client_vision_save(client=found, horizon=horizon, **body.dict(exclude_none=True))
    return _client_vision(found)


@router.post("w/{workspace}/clients", response={201: ClientOut, 400: Error, 403: Error, 404: Error})
@workspace_route(Role.MEMBER)
def client_create(request: HttpRequest, workspace: str, body: ClientIn) -> Any:
    """Add a client, checked as the client form checks it."""
    form = ClientForm(data=body.dict(), workspace=request.workspace)  # type: ignore[attr-defined]
    if not form.is_valid():
        raise _form_error(form)
    form.instance.workspace = request.workspace  # type: ignore[attr-defined]
    return Status(201, form.save())


@router.post(
    "w/{workspace}/projects", response={201: ProjectOut, 400: Error, 403: Error, 404: Error}
)
@workspace_route(Role.MEMBER)
def project_create(request: HttpRequest, workspace: str, body: ProjectIn) -> Any:
    """Start a project with its intake, checked as the intake form checks it."""
    found = request.workspace.clients.filter(slug=body.client).first()  # type: ignore[attr-defined]
    if found is None:
        raise KoersError(
            _("There is no client %(client)s.") % {"client": body.client}, field="client"
        )
    data = body.dict(exclude={"client", "goals", "serves_vision"})
    form = IntakeForm(
        data={
            **data,
            "client": found.pk,
            "goals": "\n".join(body.goals),
            "manager": request.user.pk,
        },
        workspace=request.workspace,  # type: ignore[attr-defined]
    )
    if not form.is_valid():
        raise _form_error(form)
    project = services.project_create(workspace=request.workspace, **form.cleaned_data)  # type: ignore[attr-defined]
    if body.serves_vision:
        services.intake_update(project=project, goals=body.goals, serves_vision=body.serves_vision)
    return Status(201, Project.objects.prefetch_related("goals").get(pk=project.pk))


@router.patch(
    "w/{workspace}/projects/{project}",
    response={200: ProjectOut, 400: Error, 403: Error, 404: Error},
)
@workspace_route(Role.MEMBER)
def project_change(request: HttpRequest, workspace: str, project: str, body: ProjectChange) -> Any:
    """Change the intake: only the fields given."""
    found = project_for(request, project)  # type: ignore[arg-type]
    fields = body.dict(exclude_none=True)
    goals = fields.pop("goals", None) or [goal.text for goal in found.goals.all()]
    services.intake_update(project=found, goals=goals, **fields)
    return Project.objects.prefetch_related("goals").get(pk=found.pk)


@router.get("w/{workspace}/projects", response={200: page_of(ProjectOut), 404: Error})
@workspace_route(guests=True)
def projects(request: HttpRequest, workspace: str, paging: Query[PageIn]) -> Any:
    """The projects the member may see, by client and name."""
    projects = visible_projects(request).prefetch_related("goals")  # type: ignore[arg-type]
    return page(projects, name="projects", ordering=["client__name", "name"], **paging.dict())


@router.get("w/{workspace}/projects/{project}", response={200: ProjectOut, 404: Error})
@workspace_route(guests=True)
def project(request: HttpRequest, workspace: str, project: str) -> Any:
    projects = visible_projects(request).prefetch_related("goals")  # type: ignore[arg-type]
    return get_object_or_404(projects, slug=project)


@router.get(
    "w/{workspace}/projects/{project}/scope", response={200: page_of(ScopeItemOut), 404: Error}
)
@workspace_route(guests=True)
def scope_items(request: HttpRequest, workspace: str, project: str, paging: Query[PageIn]) -> Any:
    """The scope canvas's items, by column and position."""
    items = project_for(request, project).scope_items.all()  # type: ignore[arg-type]
    return page(items, name="scope", ordering=["column", "position", "id"], **paging.dict())


@router.post(
    "w/{workspace}/projects/{project}/scope",
    response={201: ScopeItemOut, 403: Error, 404: Error},
)
@workspace_route(Role.MEMBER)
def scope_item_add(request: HttpRequest, workspace: str, project: str, body: ScopeItemIn) -> Any:
    found = project_for(request, project)  # type: ignore[arg-type]
    item = services.scope_item_add(project=found, actor=request.user, **body.dict())
    return Status(201, item)


@router.post(
    "w/{workspace}/projects/{project}/scope/{item}/move",
    response={200: ScopeItemOut, 403: Error, 404: Error},
)
@workspace_route(Role.MEMBER)
def scope_item_move(
    request: HttpRequest, workspace: str, project: str, item: int, body: ScopeMoveIn
) -> Any:
    found = project_for(request, project)  # type: ignore[arg-type]
    scope_item = get_object_or_404(found.scope_items.select_related("project"), pk=item)
    return services.scope_item_move(item=scope_item, actor=request.user, **body.dict())
