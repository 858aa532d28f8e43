"""Sign-up confirmed by mail: the same answer whether or not an address has an account."""

from collections.abc import Callable
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from koers.core import ratelimit
from koers.core.errors import KoersError
from koers.core.tokens import hash_token
from koers.outbox.services import mail_send
from koers.workspaces.models import Workspace
from koers.workspaces.services import workspace_create

from .models import PendingSignup, User

CONFIRM_VALID = timedelta(days=1)
# Sign-up mails one address gets at most in an hour, however many clients sign it up.
SIGNUP_MAILS_PER_HOUR = 3


def signup_request(
    *,
    name: str,
    email: str,
    password: str,
    language: str,
    workspace_name: str,
    workspace_slug: str,
    confirm_url: Callable[[str], str],
    reset_url: Callable[[User], str],
) -> None:
    """Mail `email` a link that confirms the sign-up; when the address has an account, mail
    its owner that someone tried, with a link to reset the password instead.

    The caller learns nothing either way: no error, the same return. `confirm_url` turns the
    one-time token into the absolute link, `reset_url` a user into a password-reset link.
    """
    email = email.strip().lower()
    now = timezone.now()
    PendingSignup.objects.filter(expires_at__lt=now).delete()  # password hashes not kept
    if ratelimit.hit("signup-mail", email, window=3600) > SIGNUP_MAILS_PER_HOUR:
        return  # the page says "check your mail" as always, so it floods no mailbox
    owner = User.objects.filter(email__iexact=email).first()
    if owner is not None:
        mail_send(
            to=owner.email,
            template="accounts/mail/signup_exists",
            context={"name": owner.name, "link": reset_url(owner)},
            language=owner.language or language,
            is_private=True,  # the link sets a new password
        )
        return
    pending = PendingSignup(
        email=email,
        name=name,
        password=make_password(password),
        language=language,
        workspace_name=workspace_name,
        workspace_slug=workspace_slug,
        expires_at=now + CONFIRM_VALID,
    )
    token = pending.new_token()
    pending.save()
    mail_send(
        to=email,
        template="accounts/mail/signup_confirm",
        context={"name": name, "link": confirm_url(token), "expires_at": pending.expires_at},
        language=language,
        is_private=True,  # the link opens the new account
    )


def signup_for_token(token: str) -> PendingSignup:
    """Return the open sign-up behind `token`, or raise KoersError saying why not."""
    pending = PendingSignup.objects.filter(token_hash=hash_token(token)).first()
    if pending is None or pending.confirmed_at is not None or pending.expires_at <= timezone.now():
        raise _link_gone()
    return pending


def _link_gone() -> KoersError:
    # One answer for unknown, used and expired links: a guessed token learns nothing.
    return KoersError(
        _("This link no longer works: it was used already or it expired. Sign up again.")
    )


@transaction.atomic
def signup_confirm(*, token: str, workspace_slug: str) -> tuple[User, Workspace]:
    """Make the confirmed account and its workspace, once; the link is used up by it.

    `workspace_slug` is the short name chosen at sign-up, or another one when that was
    taken meanwhile (KoersError on field "workspace_slug").
    """
    pending = signup_for_token(token)
    # Two clicks at once: the second waits for the first's row lock, then finds it used.
    if not PendingSignup.objects.select_for_update().filter(pk=pending.pk, confirmed_at=None):
        raise _link_gone()
    if User.objects.filter(email__iexact=pending.email).exists():
        raise KoersError(_("An account with this address was made meanwhile. Log in instead."))
    user = User(email=pending.email, name=pending.name, language=pending.language)
    user.password = pending.password  # hashed at sign-up; the plain one was never kept
    user.save()
    try:
        workspace = workspace_create(slug=workspace_slug, name=pending.workspace_name, owner=user)
    except KoersError as error:
        raise KoersError(error.message, field="workspace_slug") from error
    pending.confirmed_at = timezone.now()
    pending.save(update_fields=["confirmed_at"])
    return user, workspace


def weekly_digest_set(*, user: User, on: bool) -> User:
    """Switch the person's Monday digest on or off (only their own: the caller is them)."""
    user.weekly_digest = on
    user.save(update_fields=["weekly_digest"])
    return user
