"""Factories and the access cast for the tests: `from tests.factories import Cast, ...`.

A module of the top-level `tests` package rather than the root conftest: it is imported like
any other module (pytest puts the repository root on sys.path, the benchmarks do so
themselves), while the `cast` fixture that fills a `Cast` stays in conftest.py.
"""

from dataclasses import dataclass

import factory
from django.test import Client as WebClient

from koers.accounts.models import User
from koers.projects import services as project_services
from koers.projects.models import Project
from koers.workspaces.models import Client, ContactPerson, Membership, Role, Workspace

PASSWORD = "correct-horse-battery"


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
