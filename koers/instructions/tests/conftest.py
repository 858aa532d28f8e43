"""The instructions' tests read English; they share a wave of the cast's project and one of a
project of another workspace."""

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from django.test import Client as WebClient
from django.urls import reverse
from django.utils import translation
from django_scopes import scopes_disabled
from pytest_django.fixtures import Settings

from koers.instructions import services
from koers.instructions.models import Instructions
from koers.projects.models import Project
from koers.rollout.models import Wave
from koers.workspaces.models import ApiToken
from tests.factories import Cast, ClientFactory, WorkspaceFactory, make_project

API = "/api/v1/w/acme/projects/cloud/instructions"
READY = {
    "what_changed_nl": "Je mail staat voortaan in de cloud.",
    "what_changed_en": "Your mail now lives in the cloud.",
    "support_hours_nl": "ma-vr 8-17 uur",
    "support_hours_en": "Mon-Fri 8-17",
    "support_phone": "+32 9 123 45 67",
    "support_email": "servicedesk@example.com",
    "support_portal": "https://help.example.com",
}


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


def wave_of(project: Project, number: int = 1) -> Wave:
    with scopes_disabled():
        return Wave.objects.create(
            project=project,
            number=number,
            label=f"Golf {number}",
            kind=Wave.Kind.DEPARTMENT,
            start_on=date(2030, 3, 4),
            end_on=date(2030, 3, 8),
            days=[["2030-03-04", 10]],
            size=10,
        )


def write(project: Project, wave: Wave | None = None, **fields: str) -> Instructions:
    return write_for(project, wave, fields)


def write_for(project: Project, wave: Wave | None, fields: dict[str, str]) -> Instructions:
    with scopes_disabled():
        return services.instructions_create(
            project=project, actor=None, wave=wave.pk if wave else None, **(READY | fields)
        )


def publish(instructions: Instructions) -> str:
    """Publish and return the public page's path."""
    with scopes_disabled():
        link = services.instructions_publish(instructions=instructions, actor=None)
        return reverse("instructions_public", args=[link.token])


@pytest.fixture
def foreign(cast: Cast) -> Instructions:
    """Published instructions of a wave of another workspace."""
    with scopes_disabled():
        rival = WorkspaceFactory(slug="rival", name="Rival")
        project = make_project(ClientFactory(workspace=rival, slug="bakkerij"), slug="cloud")
    made = write(project, wave_of(project))
    publish(made)
    return made
