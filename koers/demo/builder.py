"""Build the demo workspace from the cases of METHOD.md, one module per case (see cases/)."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone, translation

from koers.workspaces.models import Membership, Role, Workspace

DEMO_SLUG = "demo"
DEMO_PASSWORD = "koers-demo"  # noqa: S105 (published in the README on purpose)


@dataclass(frozen=True)
class DemoUser:
    email: str
    name: str
    role: Role


DEMO_USERS = [
    DemoUser("demo@example.com", "Sanne de Vries", Role.OWNER),
    DemoUser("manager@example.com", "Pieter Claes", Role.MANAGER),
    DemoUser("viewer@example.com", "Fatima El Amrani", Role.VIEWER),
    DemoUser("guest@example.com", "Jan Vermeulen", Role.GUEST),
]


@transaction.atomic
def build_demo(*, reset: bool = False) -> tuple[Workspace, bool]:
    """Make the demo workspace; return it and whether it was made now."""
    existing = Workspace.objects.filter(slug=DEMO_SLUG).first()
    if existing and not reset:
        return existing, False
    if existing:
        existing.projects.all().delete()
        existing.delete()
    workspace = Workspace.objects.create(slug=DEMO_SLUG, name="Van Dijk IT-diensten")
    users = {}
    for demo_user in DEMO_USERS:
        user = get_user_model().objects.filter(email=demo_user.email).first()
        if user is None:
            user = get_user_model().objects.create_user(
                demo_user.email, DEMO_PASSWORD, name=demo_user.name, language="nl"
            )
        users[demo_user.role] = user
    for role in (Role.OWNER, Role.MANAGER, Role.VIEWER):
        Membership.objects.create(workspace=workspace, user=users[role], role=role)
    from . import aftercare, decisions, steering, wins
    from .cases import CLIENT_MODULES, GUEST_PROJECT, MODULES

    # Every date of the story is relative to today; the story is told in Dutch (wave names).
    today = timezone.localdate()
    with translation.override("nl"):
        for module in MODULES:
            module.build(workspace, users=users, today=today)
        for client_module in CLIENT_MODULES:
            client_module.build(workspace, users=users, today=today)
        decisions.build(workspace, users=users, today=today)
        wins.build(workspace, users=users)
        steering.build(workspace, users=users, today=today)
        aftercare.build(workspace, users=users, today=today)
    guest_client = workspace.projects.get(slug=GUEST_PROJECT).client
    Membership.objects.create(
        workspace=workspace, user=users[Role.GUEST], role=Role.GUEST, client=guest_client
    )
    return workspace, True
