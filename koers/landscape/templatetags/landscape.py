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
def plan_landscape(context: dict[str, Any], project: Project) -> dict[str, Any]:
    """Four queries: the systems, integrations, phases and their links."""
    state = queries.landscape(project.client)
    phases = list(Phase.objects.filter(project=project).order_by("start_month", "position", "id"))
    names = {s.pk: s.name for s in state.systems}
    risks = queries.phase_risks(phases, state)
    warnings = [
        {"phase": r.phase, "text": warning_text(w, names)} for r in risks for w in r.warnings
    ]
    changed = sum(len(r.links) for r in risks)
    return {
        "workspace": context["workspace"],
        "project": project,
        "has_systems": bool(state.systems),
        "warnings": warnings,
        "changed": changed,
    }
