"""Reads on a product that the page, the API and the CLI share, in a fixed number of queries."""

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from koers.projects.models import ClientVision, Project
from koers.roadmap.models import Phase
from koers.roadmap.queries import limits_for
from koers.stakeholders.models import Stakeholder

from . import contracts as rules
from .models import Contract, Outcome, Product


@dataclass(frozen=True)
class ProductState:
    project: Project
    product: Product | None
    phases: list[Phase]  # the plan's, in order, stopped ones left out
    findings: list[rules.Finding]

    @property
    def contracts(self) -> list[Contract]:
        return list(self.product.contracts.all()) if self.product else []

    def findings_of(self, contract: Contract) -> list[rules.Finding]:
        return [f for f in self.findings if f.contract == contract.pk]


def product_of(project: Project) -> ProductState:
    """The product with its owner, team, outcomes (with their vision), contracts (with their
    phases), the plan's phases and the contract findings: seven queries, however many."""
    product = (
        Product.objects.filter(project=project)
        .select_related("owner")
        .prefetch_related(
            "team",
            Prefetch("outcomes", queryset=Outcome.objects.select_related("vision")),
            Prefetch("contracts", queryset=Contract.objects.prefetch_related("phases")),
        )
        .first()
    )
    phases = list(project.phases.exclude(status=Phase.Status.STOPPED).order_by("position", "id"))
    found: list[rules.Finding] = []
    if product is not None:
        found = rules.check(
            [
                rules.Contract(c.pk, c.starts_on, c.ends_on, tuple(p.pk for p in c.phases.all()))
                for c in product.contracts.all()
            ],
            [rules.Phase(p.pk, p.start_month, p.end) for p in phases],
            slack_weeks=limits_for(project.workspace).max_phase_weeks,
        )
    return ProductState(project, product, phases, found)


def owner_choices(project: Project) -> QuerySet[Stakeholder]:
    """The stakeholders a product owner is chosen from: the project's client's."""
    return Stakeholder.objects.filter(client=project.client).order_by("name", "id")


def vision_choices(project: Project) -> QuerySet[ClientVision]:
    return ClientVision.objects.filter(client=project.client).order_by("horizon")
