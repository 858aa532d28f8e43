"""API routes for a client's landscape: systems, integrations, the audit, and the systems a
project's phases change with the warnings of what they do. The landscape names owners and
what data each system holds: no route lets a client guest in. Objects go out as the records
the CLI prints (koers.landscape.records)."""

from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status

from koers.core.paging import page
from koers.landscape import queries, records, services
from koers.landscape.models import Integration, PhaseSystem, System
from koers.projects.queries import project_for
from koers.roadmap.models import Phase
from koers.workspaces.models import Client, Role

from .auth import workspace_route
from .errors import Error
from .inputs import Input, Money, unchanged
from .paging import PageIn, page_of

router = Router(tags=["landscape"])

# Literal types, not the models' TextChoices: OpenAPI names an enum by its class name.
HostingName = Literal["on_premises", "hosted", "saas", "cloud", "desktop"]
LifecycleName = Literal["keep", "improve", "replace", "retire"]
KindName = Literal["api", "file", "manual", "none"]
FrequencyName = Literal["realtime", "daily", "weekly", "monthly", "ad_hoc"]
ChangeName = Literal["introduces", "changes", "retires"]
CLIENT = "w/{workspace}/clients/{client}/landscape"
PROJECT = "w/{workspace}/projects/{project}/landscape"
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]


class SystemOut(Schema):
    id: int
    name: str
    capability: str
    owner: str
    users: int
    hosting: HostingName
    lifecycle: LifecycleName
    debt: int
    yearly_cost: str | None = Field(..., description="Euros as a decimal string, or null.")
    data_held: str


class SystemIn(Input):
    name: str = Field(..., min_length=1, max_length=120)
    capability: str = Field(..., min_length=1, max_length=120)
    owner: str = Field("", max_length=120)
    users: int = Field(0, ge=0, le=10_000_000)
    hosting: HostingName = "saas"
    lifecycle: LifecycleName = "keep"
    debt: int = Field(1, ge=1, le=5)
    yearly_cost: Money | None = Field(None, ge=0, max_digits=12, decimal_places=2)
    data_held: str = Field("", max_length=2000)


class SystemPatch(Input):
    name: str = unchanged(min_length=1, max_length=120)
    capability: str = unchanged(min_length=1, max_length=120)
    owner: str = unchanged(max_length=120)
    users: int = unchanged(ge=0, le=10_000_000)
    hosting: HostingName = unchanged()
    lifecycle: LifecycleName = unchanged()
    debt: int = unchanged(ge=1, le=5)
    yearly_cost: Money | None = Field(None, ge=0, max_digits=12, decimal_places=2)
    data_held: str = unchanged(max_length=2000)


class IntegrationOut(Schema):
    id: int
    source: int
    source_name: str
    target: int
    target_name: str
    kind: KindName
    frequency: FrequencyName
    data: str


class IntegrationIn(Input):
    source: Id = Field(..., description="The id of one of the client's systems.")
    target: Id = Field(..., description="The id of another of the client's systems.")
    kind: KindName
    frequency: FrequencyName = "daily"
    data: str = Field("", max_length=200)


class IntegrationPatch(Input):
    source: Id = unchanged()
    target: Id = unchanged()
    kind: KindName = unchanged()
    frequency: FrequencyName = unchanged()
    data: str = unchanged(max_length=200)


class Named(Schema):
    id: int
    name: str


class IslandOut(Schema):
    systems: list[Named]


class DuplicateOut(Schema):
    capability: str
    systems: list[Named]


class PartOut(Schema):
    reason: Literal["debt", "users", "manual", "island", "duplicate"]
    points: int
    count: int


class ScoreOut(Schema):
    system: int
    name: str
    score: int
    parts: list[PartOut]
    explained: str


class AuditOut(Schema):
    """The landscape audit; `analysis.py` in koers/landscape defines every term."""

    systems: int
    integrations: int
    groups: int = Field(..., description="Groups of systems that talk (API or file).")
    islands: list[IslandOut]
    duplicates: list[DuplicateOut]
    manual: list[int] = Field(..., description="The ids of the manual integrations.")
    ranking: list[ScoreOut] = Field(..., description="Where modernising pays most, first.")


class PhaseLinkOut(Schema):
    id: int
    phase: int
    system: int
    system_name: str
    change: ChangeName


class PhaseLinkIn(Input):
    phase: Id = Field(..., description="The id of a phase of the project's plan.")
    system: Id = Field(..., description="The id of one of the client's systems.")
    change: ChangeName


class WarningOut(Schema):
    risk: Literal["new_island", "second_system"]
    system: int
    others: list[int]
    message: str


class PhaseRisksOut(Schema):
    phase: str
    systems: list[PhaseLinkOut]
    warnings: list[WarningOut]


def _client(request: HttpRequest, slug: str) -> Client:
    found: Client = get_object_or_404(request.workspace.clients, slug=slug)  # type: ignore[attr-defined]
    return found


def _system(client: Client, pk: int) -> System:
    found: System = get_object_or_404(System.objects.filter(client=client), pk=pk)
    return found


def _integration(client: Client, pk: int) -> Integration:
    rows = Integration.objects.filter(client=client).select_related("source", "target")
    found: Integration = get_object_or_404(rows, pk=pk)
    return found


@router.get(f"{CLIENT}/systems", response={200: page_of(SystemOut), 404: Error})
@workspace_route()
def systems(request: HttpRequest, workspace: str, client: str, paging: Query[PageIn]) -> Any:
    """The client's systems, by name."""
    rows = System.objects.filter(client=_client(request, client))
    shown = page(rows, name="systems", ordering=["name"], **paging.dict())
    return {
        "count": shown.count,
        "next": shown.next,
        "items": [records.system_record(s) for s in shown.items],
    }


@router.post(f"{CLIENT}/systems", response={201: SystemOut, 400: Error, 403: Error, 404: Error})
@workspace_route(Role.MEMBER)
def system_create(request: HttpRequest, workspace: str, client: str, body: SystemIn) -> Any:
    made = services.system_create(client=_client(request, client), **body.dict())
    return Status(201, records.system_record(made))


@router.get(f"{CLIENT}/systems/{{system}}", response={200: SystemOut, 404: Error})
@workspace_route()
def system_detail(request: HttpRequest, workspace: str, client: str, system: int) -> Any:
    return records.system_record(_system(_client(request, client), system))


@router.patch(
    f"{CLIENT}/systems/{{system}}", response={200: SystemOut, 400: Error, 403: Error, 404: Error}
)
@workspace_route(Role.MEMBER)
def system_update(
    request: HttpRequest, workspace: str, client: str, system: int, body: SystemPatch
) -> Any:
    found = _system(_client(request, client), system)
    changed = services.system_update(system=found, **body.dict(exclude_unset=True))
    return records.system_record(changed)


@router.delete(f"{CLIENT}/systems/{{system}}", response={204: None, 403: Error, 404: Error})
@workspace_route(Role.MEMBER)
def system_delete(request: HttpRequest, workspace: str, client: str, system: int) -> Any:
    """Delete the system with its integrations and the phases' links to it."""
    services.system_delete(system=_system(_client(request, client), system))
    return Status(204, None)


@router.get(f"{CLIENT}/integrations", response={200: page_of(IntegrationOut), 404: Error})
@workspace_route()
def integrations(request: HttpRequest, workspace: str, client: str, paging: Query[PageIn]) -> Any:
    """The client's integrations, oldest first."""
    rows = Integration.objects.filter(client=_client(request, client)).select_related(
        "source", "target"
    )
    shown = page(rows, name="integrations", ordering=["id"], **paging.dict())
    return {
        "count": shown.count,
        "next": shown.next,
        "items": [records.integration_record(i) for i in shown.items],
    }


@router.post(
    f"{CLIENT}/integrations", response={201: IntegrationOut, 400: Error, 403: Error, 404: Error}
)
@workspace_route(Role.MEMBER)
def integration_create(
    request: HttpRequest, workspace: str, client: str, body: IntegrationIn
) -> Any:
    found = _client(request, client)
    data = body.dict()
    made = services.integration_create(
        client=found,
        **data
        | {"source": _system(found, data["source"]), "target": _system(found, data["target"])},
    )
    return Status(201, records.integration_record(made))


@router.get(f"{CLIENT}/integrations/{{integration}}", response={200: IntegrationOut, 404: Error})
@workspace_route()
def integration_detail(request: HttpRequest, workspace: str, client: str, integration: int) -> Any:
    return records.integration_record(_integration(_client(request, client), integration))


@router.patch(
    f"{CLIENT}/integrations/{{integration}}",
    response={200: IntegrationOut, 400: Error, 403: Error, 404: Error},
)
@workspace_route(Role.MEMBER)
def integration_update(
    request: HttpRequest, workspace: str, client: str, integration: int, body: IntegrationPatch
) -> Any:
    found = _client(request, client)
    data = body.dict(exclude_unset=True)
    for end in ("source", "target"):
        if end in data:
            data[end] = _system(found, data[end])
    changed = services.integration_update(integration=_integration(found, integration), **data)
    return records.integration_record(changed)


@router.delete(
    f"{CLIENT}/integrations/{{integration}}", response={204: None, 403: Error, 404: Error}
)
@workspace_route(Role.MEMBER)
def integration_delete(request: HttpRequest, workspace: str, client: str, integration: int) -> Any:
    services.integration_delete(integration=_integration(_client(request, client), integration))
    return Status(204, None)


@router.get(f"{CLIENT}/audit", response={200: AuditOut, 404: Error})
@workspace_route()
def audit(request: HttpRequest, workspace: str, client: str) -> Any:
    """Digital islands, duplicated capabilities, manual integrations and the ranking of where
    modernising pays most, with each score's parts."""
    return records.audit_record(queries.landscape(_client(request, client)))


@router.get(PROJECT, response={200: page_of(PhaseRisksOut), 404: Error})
@workspace_route()
def phase_risks(request: HttpRequest, workspace: str, project: str, paging: Query[PageIn]) -> Any:
    """Per phase of the plan, in the plan's order, the systems it changes and the warnings
    of a new digital island or a second system for a capability."""
    found = project_for(request, project)  # type: ignore[arg-type]
    rows = Phase.objects.filter(project=found)
    shown = page(rows, name="phase_systems", ordering=["start_month", "position"], **paging.dict())
    state = queries.landscape(found.client)
    risks = queries.phase_risks(list(shown.items), state)
    return {
        "count": shown.count,
        "next": shown.next,
        "items": [records.phase_risks_record(state, r) for r in risks],
    }


@router.post(PROJECT, response={201: PhaseLinkOut, 400: Error, 403: Error, 404: Error})
@workspace_route(Role.MEMBER)
def phase_link(request: HttpRequest, workspace: str, project: str, body: PhaseLinkIn) -> Any:
    """Record what a phase does to a system (again for the same pair: changes it)."""
    found = project_for(request, project)  # type: ignore[arg-type]
    phase = get_object_or_404(Phase.objects.filter(project=found), pk=body.phase)
    system = _system(found.client, body.system)
    link = services.phase_system_save(phase=phase, system=system, change=body.change)
    return Status(201, records.phase_link_record(link))


@router.delete(f"{PROJECT}/{{system_change}}", response={204: None, 403: Error, 404: Error})
@workspace_route(Role.MEMBER)
def phase_unlink(request: HttpRequest, workspace: str, project: str, system_change: int) -> Any:
    found = project_for(request, project)  # type: ignore[arg-type]
    gone = get_object_or_404(PhaseSystem.objects.filter(phase__project=found), pk=system_change)
    services.phase_system_remove(link=gone)
    return Status(204, None)
