"""Shared test fixtures: factories and the access cast (owner, viewer, outsider, guest)."""

from collections.abc import Iterator
from dataclasses import dataclass

import factory
import pytest
from django.test import Client as WebClient
from django_scopes import scopes_disabled
from pytest_django.fixtures import Settings

from koers.accounts.models import User
from koers.projects import services as project_services
from koers.projects.models import Project, ScopeItem
from koers.workspaces.models import Client, ContactPerson, Membership, Role, Workspace

PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Settings) -> None:
    # Hashing with PBKDF2 makes every test that makes users slow; the hasher is not under test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            self.save()


class WorkspaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workspace

    slug = factory.Sequence(lambda n: f"workspace-{n}")
    name = factory.Sequence(lambda n: f"Workspace {n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    workspace = factory.SubFactory(WorkspaceFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.MEMBER


class ClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Client

    workspace = factory.SubFactory(WorkspaceFactory)
    slug = factory.Sequence(lambda n: f"client-{n}")
    name = factory.Sequence(lambda n: f"Client {n}")


class ContactPersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactPerson

    client = factory.SubFactory(ClientFactory)
    name = factory.Sequence(lambda n: f"Contact {n}")
    email = factory.Sequence(lambda n: f"contact{n}@client.example")


def make_project(client: Client, slug: str = "cloud", **fields: object) -> Project:
    """Make a project through the intake service, as a user would."""
    defaults: dict[str, object] = {
        "name": "Naar de cloud",
        "request": "We willen naar de cloud.",
        "goals": ["Minder storingen", "Thuiswerken mogelijk"],
    }
    defaults.update(fields)
    return project_services.project_create(
        workspace=client.workspace,
        client=client,
        slug=slug,
        **defaults,  # type: ignore[arg-type]
    )


@dataclass
class Cast:
    """One workspace with a member in every role, and an outsider from another workspace."""

    workspace: Workspace
    client: Client
    other_client: Client
    project: Project
    owner: User
    manager: User
    member: User
    viewer: User
    guest: User
    outsider: User

    def login(self, user: User) -> WebClient:
        web = WebClient()
        web.force_login(user)
        return web


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
