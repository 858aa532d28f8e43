"""Small-win fixtures: a project with one fact of each kind that Koers proposes, and one of
each that it does not. The tests read English."""

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django_scopes import scopes_disabled
from pytest_django.fixtures import Settings

from koers.decisions import services as decisions
from koers.projects.models import Project
from koers.roadmap.tests.conftest import good_kpi, make_phase
from koers.rollout.models import Wave


@pytest.fixture(autouse=True)
def _english(settings: Settings) -> Iterator[None]:
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def url(name: str, **kwargs: Any) -> str:
    return reverse(name, kwargs={"workspace": "acme", "project": "cloud", **kwargs})


def days_ago(days: int) -> date:
    return timezone.localdate() - timedelta(days=days)


def live_wave(project: Project, number: int, ago: int = 3, **fields: Any) -> Wave:
    day = days_ago(ago)
    with scopes_disabled():
        return Wave.objects.create(
            project=project,
            number=number,
            label=fields.pop("label", f"Golf {number}"),
            kind=fields.pop("kind", Wave.Kind.DEPARTMENT),
            status=fields.pop("status", Wave.Status.ACTIVE),
            start_on=day,
            end_on=day,
            days=[[day.isoformat(), 10]],
            size=10,
            **({"started_at": timezone.make_aware(datetime.combine(day, time(9)))} | fields),
        )


def made_decision(project: Project, title: str, ago: int = 1, **fields: Any) -> Any:
    with scopes_disabled():
        return decisions.decision_create(
            project=project,
            actor=None,
            title=title,
            status=fields.pop("status", "decided"),
            decided_on=days_ago(ago),
            **fields,
        )


def facts_of(project: Project) -> dict[str, str]:
    """A KPI met, a department live and a decision made; and a KPI missed, a planned wave, a
    proposed decision and a KPI met too long ago. Returns the keys of the three proposed."""
    phase = make_phase(
        project,
        title="Offertetool",
        kpis=[
            good_kpi(name="Tijd per offerte", actual=Decimal(18), actual_on=days_ago(5)),
            good_kpi(name="Fouten per week", actual=Decimal(30), actual_on=days_ago(5)),
            good_kpi(name="Oude meting", actual=Decimal(10), actual_on=days_ago(200)),
        ],
    )
    wave = live_wave(project, 1, label="Afdeling Verkoop")
    live_wave(project, 2, status=Wave.Status.PLANNED, started_at=None)
    decision = made_decision(project, "Eerst de verkoop")
    with scopes_disabled():
        decisions.decision_create(project=project, actor=None, title="Welke afdeling daarna?")
        kpi = phase.kpis.get(name="Tijd per offerte")
    return {
        "kpi": f"kpi:{kpi.key}",
        "live": f"live:{wave.pk}",
        "decision": f"decision:{decision.pk}",
    }
