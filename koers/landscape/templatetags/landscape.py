"""`{% plan_landscape project %}`: on the plan page, what the phases do to the client's
landscape, with the warnings of a new digital island or a second system for a capability.
The plan page is the roadmap's; the landscape adds itself here so the roadmap needs no
knowledge of it. Not for a client guest: the caller leaves it out for them."""

from typing import Any

from django import template

from koers.landscape import queries
from koers.landscape.records import warning_text
from koers.projects.models import Project
from koers.roadmap.models import Phase

register = template.Library()


@register.inclusion_tag("landscape/includes/plan_landscape.html", takes_context=True)
def plan_landscape(
    context: dict[str, Any], project: Project, phases: list[Phase]
) -> dict[str, Any]:
    """One query while no phase changes a system; three when some do (their links, the
    client's systems and integrations). `phases`: the plan page's, already read."""
    links = queries.phase_links(phases)
    warnings = []
    if links:
        state = queries.landscape(project.client)
        names = {s.pk: s.name for s in state.systems}
        warnings = [
            {"phase": r.phase, "text": warning_text(w, names)}
            for r in queries.phase_risks(phases, state, links)
            for w in r.warnings
        ]
    return {
        "workspace": context["workspace"],
        "project": project,
        "warnings": warnings,
        "changed": len(links),
    }
