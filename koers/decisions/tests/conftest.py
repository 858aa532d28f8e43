"""The decision log's tests read English, and share a wave with a gate decision and a plan
with an accepted deviation."""

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from django.test import Client as WebClient
from django.urls import reverse
from django.utils import translation
from django_scopes import scopes_disabled
from pytest_django.fixtures import Settings

from koers.decisions import services
from koers.decisions.models import Decision
from koers.projects.models import Project
from koers.roadmap import services as plan_services
from koers.roadmap.models import Deviation, Phase
from koers.rollout import steering
from koers.rollout.models import Gate, GateDecision, Wave
from koers.workspaces.models import ApiToken
from tests.factories import Cast

API = "/api/v1/w/acme/projects/cloud"


@pytest.fixture(autouse=True)
def _english(settings: Settings) -> Iterator[None]:
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def url(name: str, **kwargs: Any) -> str:
    return reverse(name, kwargs={"workspace": "acme", "project": "cloud", **kwargs})


def api(user: Any) -> WebClient:
    token = ApiToken(user=user, name="script")
    secret = token.new_token()
    token.save()
    return WebClient(headers={"Authorization": f"Bearer {secret}"})


def log(project: Project, title: str, **fields: Any) -> Decision:
    with scopes_disabled():
        return services.decision_create(project=project, actor=None, title=title, **fields)


def phase_of(project: Project, title: str = "Pilot") -> Phase:
    with scopes_disabled():
        return plan_services.phase_create(
            project=project,
            actor=None,
            title=title,
            start_month=date(2030, 1, 1),
            weeks=14,
            budget=20_000,
        )


def deviation_of(project: Project, phase: Phase) -> Deviation:
    with scopes_disabled():
        return plan_services.deviation_accept(
            project=project,
            actor=None,
            rule="phase-too-long",
            subject=phase.key,
            justification="De migratie past niet in twaalf weken.",
        )


def wave_of(project: Project, number: int = 1) -> Wave:
    with scopes_disabled():
        day = date(2030, 3, 4)
        wave = Wave.objects.create(
            project=project,
            number=number,
            label=f"Golf {number}",
            kind=Wave.Kind.DEPARTMENT,
            status=Wave.Status.EVALUATING,
            start_on=day,
            end_on=day,
            days=[[day.isoformat(), 10]],
            size=10,
        )
        Gate.objects.create(wave=wave, max_blocking=5)
        return wave


def gate_decision_of(wave: Wave, user: Any) -> GateDecision:
    with scopes_disabled():
        return steering.gate_decide(gate=wave.gate, actor=user, decision="no_go", notes="Te vroeg")


@pytest.fixture
def other_project(cast: Cast) -> Project:
    from tests.factories import make_project

    with scopes_disabled():
        return make_project(cast.client, slug="andere", name="Ander project")
