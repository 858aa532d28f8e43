"""Fixtures of the access tests: the kwargs of a workspace under attack, and the API's
OpenAPI document."""

from typing import Any

import pytest
from django.test import Client as WebClient
from django_scopes import scopes_disabled

from koers.projects import services as project_services
from koers.projects.models import ScopeItem
from koers.workspaces.models import Invitation, Membership, Role
from tests.access.walk import (
    decision_kwargs,
    outbox_kwargs,
    plan_kwargs,
    pulse_kwargs,
    rollout_kwargs,
    stakeholder_kwargs,
)
from tests.factories import Cast, ContactPersonFactory, make_project


@pytest.fixture
def victim_kwargs(cast: Cast) -> dict[str, Any]:
    """One value per URL kwarg, each naming a real object of the workspace under attack."""
    with scopes_disabled():
        invitation = Invitation(workspace=cast.workspace, email="new@example.com", role=Role.MEMBER)
        invitation.new_token()
        invitation.save()
        return {
            "workspace": cast.workspace.slug,
            "client": cast.client.slug,
            "project": cast.project.slug,
            "item": cast.project.scope_items.get().pk,
            "contact": cast.client.contacts.get().pk,
            "member": Membership.objects.get(user=cast.member).pk,
            "invitation": invitation.pk,
            **plan_kwargs(cast.project),
            **pulse_kwargs(cast.project),
            **rollout_kwargs(cast.project),
            **outbox_kwargs(cast.workspace),
            **decision_kwargs(cast.project),
            **stakeholder_kwargs(cast.project),
        }


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
    }


@pytest.fixture
def openapi(db: None) -> dict[str, Any]:
    response = WebClient().get("/api/v1/openapi.json")
    assert response.status_code == 200
    document: dict[str, Any] = response.json()
    return document
