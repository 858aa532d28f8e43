"""Plan factories: phases and milestones made through the services, as a user would."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.utils import translation
from django_scopes import scopes_disabled

from koers.projects.models import Project
from koers.roadmap import services
from koers.roadmap.models import Milestone, Phase


def good_kpi(**fields: Any) -> dict[str, Any]:
    return {
        "name": "Tijd per offerte",
        "unit": "min",
        "direction": "lower",
        "baseline": Decimal(50),
        "baseline_on": date(2025, 1, 15),
        "target": Decimal(20),
    } | fields


def make_phase(project: Project, **fields: Any) -> Phase:
    """A phase that meets every guardrail unless told otherwise."""
    kpis = fields.pop("kpis", [good_kpi()])
    defaults: dict[str, Any] = {
        "title": "Offertetool",
        "goal": "Offertes in minuten in plaats van uren",
        "standalone_value": "Sneller offreren, ook als er niets volgt",
        "vision_horizon": 24,
        "vision_contribution": "Order-to-cash geautomatiseerd",
        "start_month": date(2025, 2, 1),
        "weeks": 8,
        "budget": Decimal(25_000),
    }
    with scopes_disabled():
        return services.phase_create(project=project, actor=None, kpis=kpis, **(defaults | fields))


def make_plan(project: Project, phases: int = 3) -> list[Phase]:
    """A plan of `phases` back-to-back phases of 8 weeks, with a feedback moment each."""
    made = []
    with scopes_disabled():
        for i in range(phases):
            start = date(2025 + (2 * i) // 12, (2 * i) % 12 + 1, 1)
            phase = make_phase(
                project,
                title=f"Fase {i + 1}",
                start_month=start,
                kpis=[good_kpi(name=f"KPI {i + 1}a"), good_kpi(name=f"KPI {i + 1}b")],
            )
            services.milestone_create(
                project=project,
                actor=None,
                kind=Milestone.Kind.FEEDBACK,
                title=f"Feedback {i + 1}",
                on=start.replace(day=20),
                decision_needed="Door naar de volgende fase?",
            )
            made.append(phase)
    return made


@pytest.fixture
def plan(cast: Any) -> list[Phase]:
    return make_plan(cast.project, 3)


@pytest.fixture
def english():
    """Run the test in English (the default language is Dutch), for messages it matches."""
    with translation.override("en"):
        yield
