"""Writes on a product: its owner and mandate, its team, its outcomes and its contracts.

Every object named by a caller (the owner, a vision, a phase) must be of the product's own
client or plan: a wrong one is refused with a field error, never linked across."""

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from koers.core.errors import KoersError
from koers.projects.models import ClientVision, Project
from koers.roadmap.models import Phase

from .models import Contract, Outcome, Product, TeamMember

PRODUCT_FIELDS = ("owner", "owner_decides_alone", "owner_mandate", "starts_in")


def _checked(instance: Model, *, exclude: Iterable[str] = ()) -> None:
    """Validate the model's fields (lengths, choices) as a KoersError on the field."""
    try:
        instance.full_clean(exclude=list(exclude), validate_unique=False)
    except ValidationError as wrong:
        field, errors = next(iter(wrong.message_dict.items()))
        raise KoersError(errors[0], field=None if field == "__all__" else field) from wrong


def product_save(*, project: Project, **fields: Any) -> Product:
    """Run the project as a product, or change its owner, mandate and where it starts."""
    unknown = set(fields) - set(PRODUCT_FIELDS)
    if unknown:
        raise KoersError(_("Unknown field: %(name)s.") % {"name": sorted(unknown)[0]})
    owner = fields.get("owner")
    if owner is not None and owner.client_id != project.client_id:
        raise KoersError(_("Choose a stakeholder of the project's client."), field="owner")
    product = Product.objects.filter(project=project).first() or Product(project=project)
    for name, value in fields.items():
        setattr(product, name, value.strip() if isinstance(value, str) else value)
    _checked(product, exclude=["project", "owner"])
    product.save()
    return product


def member_add(*, product: Product, name: str, role: str) -> TeamMember:
    member = TeamMember(product=product, name=name.strip(), role=role.strip())
    _checked(member, exclude=["product"])
    member.save()
    return member


def member_remove(*, member: TeamMember) -> None:
    member.delete()


def outcome_add(*, product: Product, text: str, vision: ClientVision | None = None) -> Outcome:
    if vision is not None and vision.client_id != product.project.client_id:
        raise KoersError(_("Choose a part of the client's own vision."), field="vision")
    outcome = Outcome(product=product, text=text.strip(), vision=vision)
    _checked(outcome, exclude=["product", "vision"])
    outcome.save()
    return outcome


def outcome_remove(*, outcome: Outcome) -> None:
    outcome.delete()


@transaction.atomic
def contract_add(
    *,
    product: Product,
    party: str,
    starts_on: date,
    ends_on: date,
    kind: str = Contract.Kind.SUPPLIER,
    role: str = "",
    phases: Iterable[Phase] = (),
) -> Contract:
    """Record a contract and the phases of the product's plan it staffs."""
    phases = list(phases)
    if any(p.project_id != product.project_id for p in phases):
        raise KoersError(_("Choose phases of this project's plan."), field="phases")
    if ends_on < starts_on:
        raise KoersError(_("A contract ends on or after the day it starts."), field="ends_on")
    contract = Contract(
        product=product,
        kind=kind,
        party=party.strip(),
        role=role.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
    )
    _checked(contract, exclude=["product"])
    contract.save()
    contract.phases.set(phases)
    return contract


def contract_remove(*, contract: Contract) -> None:
    contract.delete()
