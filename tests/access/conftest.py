"""Fixtures of the access tests: the kwargs of a workspace under attack, and the API's
OpenAPI document."""

from typing import Any

import pytest
from django.test import Client as WebClient
from django_scopes import scopes_disabled

from koers.projects import services as project_services
from koers.projects.models import ScopeItem
from tests.access.walk import (
    decision_kwargs,
    instructions_kwargs,
    landscape_kwargs,
    plan_kwargs,
    product_kwargs,
    pulse_kwargs,
    stakeholder_kwargs,
    steering_kwargs,
    victim_kwargs_of,
    win_kwargs,
)
from tests.factories import Cast, ContactPersonFactory, make_project


@pytest.fixture
def victim_kwargs(cast: Cast) -> dict[str, Any]:
    return victim_kwargs_of(cast)


@pytest.fixture
def other_client_kwargs(cast: Cast, victim_kwargs: dict[str, Any]) -> dict[str, Any]:
    """The same kwargs, but naming the project, item and contact of the other client."""
    with scopes_disabled():
        project = make_project(cast.other_client, slug="raadhuis", name="Raadhuis")
        item = project_services.scope_item_add(
            project=project, actor=None, column=ScopeItem.Column.IN, title="Wifi", reason="Nu"
        )
        contact = ContactPersonFactory(client=cast.other_client)
    return {
        **victim_kwargs,
        "client": cast.other_client.slug,
        "project": project.slug,
        "item": item.pk,
        "contact": contact.pk,
        **plan_kwargs(project),
        **pulse_kwargs(project),
        **decision_kwargs(project),
        **stakeholder_kwargs(project),
        **win_kwargs(project),
        **steering_kwargs(project),
        **landscape_kwargs(project),
        **product_kwargs(project),
        **instructions_kwargs(project),
    }


@pytest.fixture
def openapi(db: None) -> dict[str, Any]:
    response = WebClient().get("/api/v1/openapi.json")
    assert response.status_code == 200
    document: dict[str, Any] = response.json()
    return document
