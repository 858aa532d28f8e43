from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.test import TestCase
from django.utils import timezone, translation

from koers.core.errors import KoersError
from koers.core.tokens import hash_token
from koers.workspaces import services
from koers.workspaces.models import Invitation, Membership, Role, Workspace
from tests.factories import Cast, MembershipFactory, UserFactory


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    # Services translate their messages; match them in the source language.
    with translation.override("en"):
        yield


def _membership(cast: Cast, user) -> Membership:
    return Membership.objects.select_related("workspace", "user").get(
        workspace=cast.workspace, user=user
    )


def _invite(cast: Cast, email: str, role: str = Role.MEMBER) -> tuple[Invitation, str]:
    """Invite `email` as the owner; return the invitation and the token of its link."""
    tokens: list[str] = []

    def accept_url(token: str) -> str:
        tokens.append(token)
        return f"https://koers.test/invite/{token}/"

    with TestCase.captureOnCommitCallbacks(execute=True):  # the outbox sends on commit
        invitation = services.invitation_create(
            actor=_membership(cast, cast.owner), email=email, role=role, accept_url=accept_url
        )
    (token,) = tokens
    return invitation, token


def test_workspace_create_makes_the_owner(db):
    owner = UserFactory()

    workspace = services.workspace_create(slug="van-dijk-it", name="Van Dijk IT", owner=owner)

    assert Membership.objects.get(workspace=workspace).role == Role.OWNER
    assert Membership.objects.get(workspace=workspace).user == owner


def test_workspace_create_refuses_a_taken_short_name(cast: Cast):
    with pytest.raises(KoersError) as error:
        services.workspace_create(slug="acme", name="Other", owner=cast.outsider)

    assert error.value.field == "slug"
    assert Workspace.objects.filter(slug="acme").count() == 1


def test_invitation_create_mails_a_link_and_stores_only_the_hash(cast: Cast, mailoutbox):
    invitation, token = _invite(cast, " New@Example.COM ")

    (mail,) = mailoutbox
    assert mail.to == ["new@example.com"]
    assert f"https://koers.test/invite/{token}/" in mail.body
    assert invitation.email == "new@example.com"
    assert invitation.token_hash == hash_token(token)
    assert token not in invitation.token_hash


def test_a_new_invitation_to_the_same_address_replaces_the_open_one(cast: Cast):
    _first, first_token = _invite(cast, "new@example.com")
    second, _token = _invite(cast, "new@example.com", role=Role.VIEWER)

    assert list(cast.workspace.invitations.all()) == [second]
    with pytest.raises(KoersError):
        services.invitation_for_token(first_token)


def test_invitation_create_refuses_an_existing_member(cast: Cast):
    with pytest.raises(KoersError) as error:
        _invite(cast, cast.viewer.email.upper())

    assert error.value.field == "email"


def test_only_an_owner_may_invite_an_owner(cast: Cast):
    with pytest.raises(KoersError) as error:
        services.invitation_create(
            actor=_membership(cast, cast.manager),
            email="boss@example.com",
            role=Role.OWNER,
            accept_url=str,
        )

    assert error.value.field == "role"
    assert not cast.workspace.invitations.exists()


def test_a_guest_invitation_needs_a_client(cast: Cast):
    with pytest.raises(KoersError) as error:
        _invite(cast, "guest@client.example", role=Role.GUEST)

    assert error.value.field == "client"


def test_invitation_accept_makes_the_invited_address_a_member_once(cast: Cast):
    invitation, token = _invite(cast, "new@example.com", role=Role.VIEWER)
    user = UserFactory(email="NEW@example.com")

    membership = services.invitation_accept(token=token, user=user)

    assert (membership.workspace, membership.role) == (cast.workspace, Role.VIEWER)
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    with pytest.raises(KoersError, match="already been used"):
        services.invitation_accept(token=token, user=user)


def test_invitation_accept_refuses_another_address(cast: Cast):
    _invitation, token = _invite(cast, "new@example.com")
    other = UserFactory(email="other@example.com")

    with pytest.raises(KoersError, match=r"new@example\.com"):
        services.invitation_accept(token=token, user=other)

    assert not Membership.objects.filter(user=other).exists()
    assert services.invitation_for_token(token).accepted_at is None  # still usable


def test_invitation_accept_refuses_an_expired_link(cast: Cast):
    invitation, token = _invite(cast, "new@example.com")
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    user = UserFactory(email="new@example.com")

    with pytest.raises(KoersError, match="expired"):
        services.invitation_accept(token=token, user=user)

    assert not Membership.objects.filter(user=user).exists()


def test_invitation_accept_refuses_a_withdrawn_link(cast: Cast):
    invitation, token = _invite(cast, "new@example.com")
    invitation.delete()
    user = UserFactory(email="new@example.com")

    with pytest.raises(KoersError, match="not valid"):
        services.invitation_accept(token=token, user=user)

    assert not Membership.objects.filter(user=user).exists()


def test_invitations_expire_after_the_configured_days(cast: Cast, settings):
    settings.INVITATION_MAX_AGE_DAYS = 3

    invitation, _token = _invite(cast, "new@example.com")

    expected = timezone.now() + timedelta(days=3)
    assert abs(invitation.expires_at - expected) < timedelta(minutes=1)


def test_the_last_owner_cannot_be_demoted(cast: Cast):
    owner = _membership(cast, cast.owner)

    with pytest.raises(KoersError, match="at least one owner"):
        services.member_change_role(actor=owner, membership=owner, role=Role.MANAGER)

    owner.refresh_from_db()
    assert owner.role == Role.OWNER


def test_the_last_owner_cannot_be_removed(cast: Cast):
    owner = _membership(cast, cast.owner)

    with pytest.raises(KoersError, match="at least one owner"):
        services.member_remove(actor=owner, membership=owner)

    assert Membership.objects.filter(pk=owner.pk).exists()


def test_an_owner_can_step_down_once_there_is_another_owner(cast: Cast):
    owner = _membership(cast, cast.owner)
    services.member_change_role(
        actor=owner, membership=_membership(cast, cast.manager), role=Role.OWNER
    )

    services.member_change_role(actor=owner, membership=owner, role=Role.MANAGER)

    assert owner.role == Role.MANAGER
    assert cast.workspace.memberships.filter(role=Role.OWNER).get().user == cast.manager


def test_only_owners_make_owners(cast: Cast):
    manager = _membership(cast, cast.manager)
    member = _membership(cast, cast.member)

    with pytest.raises(KoersError, match="Only an owner"):
        services.member_change_role(actor=manager, membership=member, role=Role.OWNER)

    member.refresh_from_db()
    assert member.role == Role.MEMBER


def test_a_manager_cannot_demote_or_remove_an_owner(cast: Cast):
    manager = _membership(cast, cast.manager)
    owner = _membership(cast, cast.owner)
    MembershipFactory(workspace=cast.workspace, role=Role.OWNER)  # not the last owner

    with pytest.raises(KoersError):
        services.member_change_role(actor=manager, membership=owner, role=Role.MEMBER)
    with pytest.raises(KoersError):
        services.member_remove(actor=manager, membership=owner)

    owner.refresh_from_db()
    assert owner.role == Role.OWNER


def test_making_someone_guest_needs_a_client_and_binds_it(cast: Cast):
    owner = _membership(cast, cast.owner)
    member = _membership(cast, cast.member)

    with pytest.raises(KoersError) as error:
        services.member_change_role(actor=owner, membership=member, role=Role.GUEST)
    assert error.value.field == "client"

    services.member_change_role(actor=owner, membership=member, role=Role.GUEST, client=cast.client)
    member.refresh_from_db()
    assert (member.role, member.client_id) == (Role.GUEST, cast.client.pk)

    services.member_change_role(
        actor=owner, membership=member, role=Role.VIEWER, client=cast.client
    )
    member.refresh_from_db()
    assert (member.role, member.client_id) == (Role.VIEWER, None)
