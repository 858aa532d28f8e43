import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from koers.accounts.models import User
from koers.workspaces.models import Membership, Role, Workspace
from tests.factories import UserFactory, WorkspaceFactory

STRONG = "paarse-olifant-42"


def create_workspace(*args: str) -> str:
    out = io.StringIO()
    with translation.override("en"):  # the password validators' messages are translated
        call_command("create_workspace", *args, stdout=out)
    return out.getvalue()


def test_create_workspace_makes_the_workspace_and_its_owner(db, monkeypatch):
    monkeypatch.setenv("KOERS_PASSWORD", STRONG)

    out = create_workspace(
        "van-dijk-it", "--name", "Van Dijk IT", "--owner", "Fatima@VanDijk-IT.nl"
    )

    workspace = Workspace.objects.get(slug="van-dijk-it")
    assert workspace.name == "Van Dijk IT"
    membership = Membership.objects.select_related("user").get(workspace=workspace)
    assert membership.role == Role.OWNER
    assert membership.user.email == "fatima@vandijk-it.nl"
    assert membership.user.check_password(STRONG)
    assert "van-dijk-it" in out


def test_create_workspace_for_an_existing_user_keeps_their_password(db, monkeypatch):
    monkeypatch.delenv("KOERS_PASSWORD", raising=False)
    user = UserFactory(email="fatima@vandijk-it.nl")

    create_workspace("van-dijk-it", "--name", "Van Dijk IT", "--owner", "fatima@vandijk-it.nl")

    assert Membership.objects.get(workspace__slug="van-dijk-it").user == user
    assert User.objects.count() == 1


def test_create_workspace_refuses_a_taken_short_name(db, monkeypatch):
    monkeypatch.setenv("KOERS_PASSWORD", STRONG)
    WorkspaceFactory(slug="van-dijk-it")

    with pytest.raises(CommandError, match=r"'van-dijk-it'.*already exists"):
        create_workspace("van-dijk-it", "--name", "Tweede", "--owner", "new@example.com")

    assert Workspace.objects.filter(slug="van-dijk-it").count() == 1
    assert not User.objects.filter(email="new@example.com").exists()


@pytest.mark.parametrize("slug", ["Van Dijk", "van--dijk", "admin"])
def test_create_workspace_refuses_a_bad_short_name(db, monkeypatch, slug: str):
    monkeypatch.setenv("KOERS_PASSWORD", STRONG)

    with pytest.raises(CommandError, match="slug"):
        create_workspace(slug, "--name", "X", "--owner", "new@example.com")

    assert not Workspace.objects.exists()


@pytest.mark.parametrize(
    ("password", "problem"),
    [("kort", "too short"), ("password123", "too common"), ("12345678901234", "numeric")],
)
def test_create_workspace_refuses_a_weak_password_naming_the_problem(
    db, monkeypatch, password: str, problem: str
):
    monkeypatch.setenv("KOERS_PASSWORD", password)

    with pytest.raises(CommandError, match="password") as error:
        create_workspace("van-dijk-it", "--name", "Van Dijk IT", "--owner", "new@example.com")

    assert problem in str(error.value)
    assert not Workspace.objects.exists()
    assert not User.objects.exists()


def test_create_workspace_without_a_password_and_no_terminal_says_how(db, monkeypatch):
    monkeypatch.delenv("KOERS_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))

    with pytest.raises(CommandError, match="KOERS_PASSWORD"):
        create_workspace("van-dijk-it", "--name", "Van Dijk IT", "--owner", "new@example.com")

    assert not User.objects.exists()
