"""Aftercare's tests read English; they share a project of another client and one of another
workspace, each with a lesson."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client as WebClient
from django.urls import reverse
from django.utils import translation
from django_scopes import scopes_disabled
from pytest_django.fixtures import Settings

from koers.aftercare import services
from koers.aftercare.models import Lesson
from koers.projects.models import Project
from koers.workspaces.models import ApiToken
from tests.factories import Cast, ClientFactory, WorkspaceFactory, make_project

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


def lesson(project: Project, title: str, **fields: Any) -> Lesson:
    with scopes_disabled():
        return services.lesson_create(project=project, actor=None, title=title, **fields)


@pytest.fixture
def earlier(cast: Cast) -> Project:
    """An earlier project of the same client, closed, with its lessons."""
    with scopes_disabled():
        return make_project(
            cast.client, slug="mail", name="Mail migreren", request="Mail naar de cloud."
        )


@pytest.fixture
def foreign_lesson() -> Lesson:
    """A lesson of another workspace that would match every word of the cast's project."""
    with scopes_disabled():
        workspace = WorkspaceFactory(slug="rival", name="Rival")
        client = ClientFactory(workspace=workspace, slug="bakkerij", name="Bakkerij")
        project = make_project(client, slug="cloud")
        return services.lesson_create(
            project=project, actor=None, title="Naar de cloud: storingen thuiswerken", tags="cloud"
        )
