"""Reads on a client's landscape that the pages, the API and the CLI share; each is a fixed
number of queries, however many systems the client has."""

from dataclasses import dataclass

from koers.roadmap.models import Phase
from koers.workspaces.models import Client

from . import analysis
from .models import Integration, PhaseSystem, System


@dataclass(frozen=True)
class Landscape:
    systems: list[System]  # by name
    integrations: list[Integration]
    audit: analysis.Audit

    @property
    def by_key(self) -> dict[int, System]:
        return {s.pk: s for s in self.systems}


def integrations(client: Client) -> list[Integration]:
    return list(
        Integration.objects.filter(client=client)
        .select_related("source", "target")
        .order_by("source__name", "target__name", "id")
    )


def landscape(client: Client) -> Landscape:
    """The client's systems and integrations and their audit (two queries)."""
    systems = list(System.objects.filter(client=client).order_by("name", "id"))
    links = integrations(client)
    audit = analysis.audit([s.as_rule() for s in systems], [i.as_rule() for i in links])
    return Landscape(systems, links, audit)


@dataclass(frozen=True)
class PhaseRisks:
    phase: Phase
    links: list[PhaseSystem]
    warnings: tuple[analysis.PhaseWarning, ...]


def phase_links(phases: list[Phase]) -> list[PhaseSystem]:
    """The systems the phases change, with the system (one query)."""
    return list(
        PhaseSystem.objects.filter(phase__in=phases)
        .select_related("system")
        .order_by("system__name", "id")
    )


def phase_risks(
    phases: list[Phase], found: Landscape, links: list[PhaseSystem] | None = None
) -> list[PhaseRisks]:
    """Per phase, the systems it changes and the warnings of what it does (one query, none
    when the caller read `phase_links` already)."""
    per_phase: dict[int, list[PhaseSystem]] = {p.pk: [] for p in phases}
    for link in phase_links(phases) if links is None else links:
        per_phase[link.phase_id].append(link)
    systems = [s.as_rule() for s in found.systems]
    rules = [i.as_rule() for i in found.integrations]
    return [
        PhaseRisks(
            phase,
            per_phase[phase.pk],
            analysis.phase_warnings(
                systems,
                rules,
                [(link.system_id, analysis.Change(link.change)) for link in per_phase[phase.pk]],
            ),
        )
        for phase in phases
    ]
