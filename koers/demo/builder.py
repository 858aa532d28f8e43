"""Build the demo workspace from the cases of METHOD.md (see cases.py)."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

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
    from .cases import build_cases

    guest_client = build_cases(
        workspace=workspace, owner=users[Role.OWNER], manager=users[Role.MANAGER]
    )
    from .plans import build_plans

    build_plans(workspace, actor=users[Role.MANAGER])
    from .rollout import build_rollout

    build_rollout(workspace)  # before the pulse: its rounds attach to these waves
    from .pulse import build_pulse

    build_pulse(workspace)  # after the plans and waves: its rounds are for the pilot and waves
    Membership.objects.create(
        workspace=workspace, user=users[Role.GUEST], role=Role.GUEST, client=guest_client
    )
    return workspace, True
