"""One record per product: the API and the CLI's --json share it; the words of a finding."""

from typing import Any

from django.utils.translation import gettext as _

from koers.core import formatting

from . import contracts as rules
from .models import Contract
from .queries import ProductState


def finding_text(finding: rules.Finding, state: ProductState) -> str:
    contract = next(c for c in state.contracts if c.pk == finding.contract)
    if finding.risk == rules.Risk.PHASE_PAST_CONTRACT:
        phase = next(p for p in state.phases if p.pk == finding.phase)
        return _(
            "Phase %(phase)s runs past the contract with %(party)s "
            "(%(start)s to %(end)s): for part of it nobody is contracted."
        ) % {
            "phase": phase.title,
            "party": contract.party,
            "start": formatting.day(contract.starts_on),
            "end": formatting.day(contract.ends_on),
        }
    return _(
        "The contract with %(party)s runs %(weeks)s weeks beyond the phases it staffs: "
        "short contracts fit small phases."
    ) % {"party": contract.party, "weeks": finding.weeks}


def contract_record(contract: Contract, state: ProductState) -> dict[str, Any]:
    return {
        "id": contract.pk,
        "kind": contract.kind,
        "party": contract.party,
        "role": contract.role,
        "starts_on": contract.starts_on,
        "ends_on": contract.ends_on,
        "phases": [p.pk for p in contract.phases.all()],
        "warnings": [
            {
                "risk": str(f.risk),
                "phase": f.phase,
                "weeks": f.weeks,
                "message": finding_text(f, state),
            }
            for f in state.findings_of(contract)
        ],
    }


def product_record(state: ProductState) -> dict[str, Any]:
    """The product of a project, or `{"is_product": false}` when it is not run as one."""
    product = state.product
    if product is None:
        return {"is_product": False}
    owner = product.owner
    return {
        "is_product": True,
        "owner": None if owner is None else {"id": owner.pk, "name": owner.name},
        "owner_decides_alone": product.owner_decides_alone,
        "owner_mandate": product.owner_mandate,
        "starts_in": product.starts_in,
        "team": [{"id": m.pk, "name": m.name, "role": m.role} for m in product.team.all()],
        "outcomes": [
            {
                "id": o.pk,
                "text": o.text,
                "vision_horizon": o.vision.horizon if o.vision else None,
            }
            for o in product.outcomes.all()
        ],
        "contracts": [contract_record(c, state) for c in state.contracts],
    }
