"""API routes for a project run as a product: its owner and their decision power, team,
outcomes and contracts with the warnings of contracts against phases. The team's own record:
client guests get 404, as on the page."""

from datetime import date
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status

from koers.core.errors import KoersError
from koers.products import queries, records, services
from koers.products.models import Product
from koers.projects.models import Project
from koers.projects.queries import project_for
from koers.workspaces.models import Role

from .auth import workspace_route
from .errors import Error
from .inputs import Input

router = Router(tags=["products"])
BASE = "w/{workspace}/projects/{project}/product"


class OwnerOut(Schema):
    id: int
    name: str


class MemberOut(Schema):
    id: int
    name: str
    role: str


class OutcomeOut(Schema):
    id: int
    text: str
    vision_horizon: int | None = Field(description="The part of the client's vision it serves.")


class ContractWarningOut(Schema):
    risk: Literal["phase-past-contract", "contract-too-long"]
    phase: int | None
    weeks: int
    message: str


class ContractOut(Schema):
    id: int
    kind: Literal["supplier", "person"]
    party: str
    role: str
    starts_on: date
    ends_on: date
    phases: list[int]
    warnings: list[ContractWarningOut]


class ProductOut(Schema):
    is_product: bool = Field(description="False when the project is not run as a product.")
    owner: OwnerOut | None = None
    owner_decides_alone: bool = False
    owner_mandate: str = ""
    starts_in: str = ""
    team: list[MemberOut] = []
    outcomes: list[OutcomeOut] = []
    contracts: list[ContractOut] = []


class ProductIn(Input):
    owner: int | None = Field(None, description="The id of a stakeholder of the client.")
    owner_decides_alone: bool = False
    owner_mandate: str = Field("", max_length=1000)
    starts_in: str = Field("", max_length=200)


class MemberIn(Input):
    name: str = Field(..., min_length=1, max_length=150)
    role: str = Field(..., min_length=1, max_length=120)


class OutcomeIn(Input):
    text: str = Field(..., min_length=1, max_length=300)
    vision_horizon: Literal[24, 48] | None = None


class ContractIn(Input):
    kind: Literal["supplier", "person"] = "supplier"
    party: str = Field(..., min_length=1, max_length=150)
    role: str = Field("", max_length=150)
    starts_on: date
    ends_on: date = Field(description="The contract's last day.")
    phases: list[int] = Field([], description="Ids of phases of the project's plan it staffs.")


def _project(request: HttpRequest, slug: str) -> Project:
    return project_for(request, slug)  # type: ignore[arg-type]


def _product(project: Project) -> Product:
    found = Product.objects.filter(project=project).first()
    if found is None:
        raise KoersError(_("The project is not run as a product."))
    return found


def _read(project: Project) -> dict[str, Any]:
    return records.product_record(queries.product_of(project))


@router.get(BASE, response={200: ProductOut, 404: Error})
@workspace_route()
def product_read(request: HttpRequest, workspace: str, project: str) -> Any:
    return _read(_project(request, project))


@router.put(BASE, response={200: ProductOut, 400: Error, 403: Error, 404: Error})
@workspace_route(Role.MEMBER)
def product_put(request: HttpRequest, workspace: str, project: str, body: ProductIn) -> Any:
    """Run the project as a product, or change its owner, their mandate and where it starts."""
    found = _project(request, project)
    fields = body.dict()
    if fields["owner"] is not None:
        owner = queries.owner_choices(found).filter(pk=fields["owner"]).first()
        if owner is None:
            raise KoersError(_("Choose a stakeholder of the project's client."), field="owner")
        fields["owner"] = owner
    services.product_save(project=found, **fields)
    return _read(found)


@router.post(f"{BASE}/team", response={201: ProductOut, 400: Error, 403: Error, 404: Error})
@workspace_route(Role.MEMBER)
def member_add(request: HttpRequest, workspace: str, project: str, body: MemberIn) -> Any:
    found = _project(request, project)
    services.member_add(product=_product(found), **body.dict())
    return Status(201, _read(found))


@router.post(f"{BASE}/outcomes", response={201: ProductOut, 400: Error, 403: Error, 404: Error})
@workspace_route(Role.MEMBER)
def outcome_add(request: HttpRequest, workspace: str, project: str, body: OutcomeIn) -> Any:
    found = _project(request, project)
    horizon = body.vision_horizon
    vision = (
        None if horizon is None else queries.vision_choices(found).filter(horizon=horizon).first()
    )
    if horizon is not None and vision is None:
        raise KoersError(_("The client has no vision at that horizon yet."), field="vision_horizon")
    services.outcome_add(product=_product(found), text=body.text, vision=vision)
    return Status(201, _read(found))


@router.post(f"{BASE}/contracts", response={201: ProductOut, 400: Error, 403: Error, 404: Error})
@workspace_route(Role.MEMBER)
def contract_add(request: HttpRequest, workspace: str, project: str, body: ContractIn) -> Any:
    found = _project(request, project)
    fields = body.dict()
    wanted = set(fields.pop("phases"))
    phases = list(found.phases.filter(pk__in=wanted))
    if len(phases) != len(wanted):
        raise KoersError(_("Choose phases of this project's plan."), field="phases")
    services.contract_add(product=_product(found), phases=phases, **fields)
    return Status(201, _read(found))
