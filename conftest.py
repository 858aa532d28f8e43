"""Shared test fixtures: fast password hashing and the access cast (owner ... outsider, guest).

The factories and the `Cast` they fill live in tests/factories.py, an importable module.
"""

from collections.abc import Iterator

import pytest
from django.utils import translation
from django_scopes import scopes_disabled
from pytest_django.fixtures import Settings

from koers.projects import services as project_services
from koers.projects.models import ScopeItem
from koers.workspaces.models import Role
from tests.factories import (
    Cast,
    ClientFactory,
    ContactPersonFactory,
    MembershipFactory,
    UserFactory,
    WorkspaceFactory,
    make_project,
)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Settings) -> None:
    # Hashing with PBKDF2 makes every test that makes users slow; the hasher is not under test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    # A request leaves its language active in the thread (LocaleMiddleware activates, nothing
    # deactivates): reset it, so no test passes only after another one in the same process.
    yield
    translation.deactivate()


@pytest.fixture
def cast(db: None) -> Iterator[Cast]:
    with scopes_disabled():
        workspace = WorkspaceFactory(slug="acme", name="Acme IT")
        client = ClientFactory(workspace=workspace, slug="bakkerij", name="Bakkerij Peeters")
        other_client = ClientFactory(workspace=workspace, slug="gemeente", name="Gemeente Aa")
        project = make_project(client)
        project_services.scope_item_add(
            project=project,
            actor=None,
            column=ScopeItem.Column.IN,
            title="E-mail naar Microsoft 365",
            reason="Grootste pijn",
        )
        ContactPersonFactory(client=client)
        users = {role: UserFactory() for role in Role}
        for role, user in users.items():
            MembershipFactory(
                workspace=workspace,
                user=user,
                role=role,
                client=client if role == Role.GUEST else None,
            )
        outsider = UserFactory()
        MembershipFactory(user=outsider, role=Role.OWNER)
    yield Cast(
        workspace=workspace,
        client=client,
        other_client=other_client,
        project=project,
        owner=users[Role.OWNER],
        manager=users[Role.MANAGER],
        member=users[Role.MEMBER],
        viewer=users[Role.VIEWER],
        guest=users[Role.GUEST],
        outsider=outsider,
    )
