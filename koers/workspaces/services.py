"""Writes on workspaces, memberships, clients and invitations."""

from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from koers.core.errors import KoersError
from koers.core.tokens import hash_token
from koers.outbox.services import mail_send

from .models import Client, Invitation, Membership, Role, Workspace


@transaction.atomic
def workspace_create(*, slug: str, name: str, owner: Any) -> Workspace:
    if Workspace.objects.filter(slug=slug).exists():
        raise KoersError(_("A workspace with this short name already exists."), field="slug")
    workspace = Workspace.objects.create(slug=slug, name=name)
    Membership.objects.create(workspace=workspace, user=owner, role=Role.OWNER)
    return workspace


def _ensure_owner_remains(membership: Membership) -> None:
    if membership.role != Role.OWNER:
        return
    owners = Membership.objects.select_for_update().filter(
        workspace=membership.workspace, role=Role.OWNER
    )
    if owners.count() <= 1:
        raise KoersError(_("A workspace needs at least one owner. Make someone else owner first."))


def _check_may_grant(actor: Membership, role: str) -> None:
    if role == Role.OWNER and actor.role != Role.OWNER:
        raise KoersError(_("Only an owner can make someone owner."), field="role")


@transaction.atomic
def member_change_role(
    *, actor: Membership, membership: Membership, role: str, client: Client | None = None
) -> Membership:
    _check_may_grant(actor, role)
    if membership.role == Role.OWNER and actor.role != Role.OWNER:
        raise KoersError(_("Only an owner can change the role of an owner."), field="role")
    if role != Role.OWNER:
        _ensure_owner_remains(membership)
    if role == Role.GUEST and client is None:
        raise KoersError(_("Choose the client whose projects the guest may see."), field="client")
    membership.role = role
    membership.client = client if role == Role.GUEST else None
    membership.save(update_fields=["role", "client"])
    return membership


@transaction.atomic
def member_remove(*, actor: Membership, membership: Membership) -> None:
    if membership.role == Role.OWNER and actor.role != Role.OWNER:
        raise KoersError(_("Only an owner can remove an owner."))
    _ensure_owner_remains(membership)
    membership.delete()


def invitation_create(
    *,
    actor: Membership,
    email: str,
    role: str,
    client: Client | None = None,
    accept_url: Any,
) -> Invitation:
    """Invite `email` into the actor's workspace and send the link.

    `accept_url` turns the one-time token into the absolute link for the e-mail.
    """
    _check_may_grant(actor, role)
    email = email.strip().lower()
    workspace = actor.workspace
    if workspace.memberships.filter(user__email__iexact=email).exists():
        raise KoersError(_("%(email)s is already a member.") % {"email": email}, field="email")
    if role == Role.GUEST and client is None:
        raise KoersError(_("Choose the client whose projects the guest may see."), field="client")
    with transaction.atomic():
        # A new invitation to the same address replaces the open one.
        workspace.invitations.filter(email__iexact=email, accepted_at__isnull=True).delete()
        invitation = Invitation(
            workspace=workspace,
            email=email,
            role=role,
            client=client if role == Role.GUEST else None,
            invited_by=actor.user,
        )
        token = invitation.new_token()
        invitation.save()
        # The invitee's language is not known yet: the mail speaks the inviter's.
        mail_send(
            to=email,
            template="workspaces/email/invitation",
            context={
                "invitation": invitation,
                "link": accept_url(token),
                "inviter": actor.user,
                "role": Role(role).label,
            },
            language=translation.get_language() or settings.LANGUAGE_CODE,
            workspace=workspace,
            key=f"invitation:{invitation.pk}",
            is_private=True,  # the link makes its holder a member
        )
    return invitation


def invitation_for_token(token: str) -> Invitation:
    """Return the open invitation behind `token`, or raise KoersError saying why not."""
    invitation = (
        Invitation.objects.select_related("workspace", "client")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if invitation is None:
        raise KoersError(
            _(
                "This invitation link is not valid. It may have been withdrawn or replaced by "
                "a newer invitation; ask for a new one."
            )
        )
    if invitation.accepted_at is not None:
        raise KoersError(_("This invitation has already been used. Log in to reach the workspace."))
    if invitation.is_expired:
        raise KoersError(
            _("This invitation expired on %(date)s. Ask %(name)s for a new one.")
            % {
                "date": date_format(timezone.localtime(invitation.expires_at), "SHORT_DATE_FORMAT"),
                "name": invitation.invited_by or invitation.workspace.name,
            }
        )
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, user: Any) -> Membership:
    invitation = invitation_for_token(token)
    if invitation.email.lower() != user.email.lower():
        raise KoersError(
            _(
                "This invitation is for %(invited)s, but you are logged in as %(current)s. "
                "Log out and log in or sign up with the invited address."
            )
            % {"invited": invitation.email, "current": user.email}
        )
    # Mark it used first, under a row lock, so two clicks cannot both succeed.
    updated = Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(
        accepted_at=timezone.now()
    )
    if not updated:
        raise KoersError(_("This invitation has already been used. Log in to reach the workspace."))
    membership, _created = Membership.objects.get_or_create(
        workspace=invitation.workspace,
        user=user,
        defaults={"role": invitation.role, "client": invitation.client},
    )
    return membership
