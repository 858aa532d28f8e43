"""Stakeholder fixtures: stakeholders of the cast's client with a role in its project. The
tests read English: pages follow LANGUAGE_CODE without a header."""

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from django.utils import translation
from django_scopes import scopes_disabled
from pytest_django.fixtures import Settings

from koers.projects.models import Project
from koers.stakeholders import services
from koers.stakeholders.models import Involvement, Stakeholder


@pytest.fixture(autouse=True)
def _english(settings: Settings) -> Iterator[None]:
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def add_stakeholder(
    project: Project, name: str, *, stance: str = "neutral", every: int = 14, **role: Any
) -> Stakeholder:
    """A stakeholder of the project's client with a role in the project, as the pages make it."""
    with scopes_disabled():
        made = services.stakeholder_create(
            client=project.client, actor=None, name=name, contact_every_days=every
        )
        services.involvement_save(
            project=project, stakeholder=made, actor=None, stance=stance, **role
        )
    return made


def log(project: Project, on: date, *audience: Stakeholder, kind: str = "call", **fields: Any):
    with scopes_disabled():
        return services.communication_create(
            project=project,
            actor=None,
            kind=kind,
            on=on,
            subject=fields.pop("subject", "Bijpraten"),
            audience=audience,
            **fields,
        )


def role_of(project: Project, stakeholder: Stakeholder) -> Involvement:
    with scopes_disabled():
        return Involvement.objects.get(project=project, stakeholder=stakeholder)
