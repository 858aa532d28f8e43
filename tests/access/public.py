"""Public pages reached by a token alone, and how to make, revoke and expire each token.

Read from the URL configuration like the workspace pages: every pattern with a text <token>
kwarg outside /w/ and the API is one; PUBLIC_TOKENS says how to make, revoke and expire the
token of each, and a new one without an entry fails (tests/access/test_public_links.py).
"""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.test import TestCase
from django.urls import get_resolver
from django.utils import timezone
from django_scopes import scopes_disabled

from koers.core.tokens import hash_token
from koers.workspaces.models import Invitation, Membership, Role
from tests.access.walk import API_NAMESPACES, KWARG, rollout_kwargs, walk
from tests.factories import Cast, make_project


@dataclass(frozen=True)
class PublicRoute:
    route: str
    name: str

    def __str__(self) -> str:
        return self.name


def public_routes() -> list[PublicRoute]:
    """Return every pattern outside /w/ and the API whose <token> is a text token."""
    found = []
    for namespace, route, name, pattern in walk(get_resolver()):
        kwargs = KWARG.findall(route)
        converter = getattr(pattern.pattern, "converters", {}).get("token")
        if (
            "token" in kwargs
            and "workspace" not in kwargs
            and namespace.split(":")[0] not in API_NAMESPACES
            and type(converter).__name__ in ("StringConverter", "NoneType")
        ):
            found.append(PublicRoute(route, name))
    return found


PUBLIC_ROUTES = public_routes()


@dataclass
class Place:
    """A project with what its public tokens need: people in a planned wave."""

    project: Any
    names: tuple[str, ...]  # project, client and workspace names, none shared with the other
    owner: Any


@dataclass(frozen=True)
class TokenKind:
    """How to make, revoke and expire one public route's token, and what it answers.

    `issue` returns the URL kwargs of a fresh valid token; `revoke` and `expire` take them
    and make that token stop working (None: the token has no such end, with the reason in
    `no_end`). A refused token answers one of `refused`, never the page of `ok`.
    """

    issue: Any  # Callable[[Place], dict[str, str]]
    revoke: Any
    expire: Any
    ok: int = 200
    refused: tuple[int, ...] = (404, 410)
    unknown: int = 404  # a random token
    secret: Any = None  # the random part of the token (default: all of it)
    shows_project: bool = True
    no_end: str = ""


def _pulse_round(place: Place, *, wave: Any = None) -> Any:
    from koers.pulse import services as pulse_services

    round = pulse_services.round_create(
        project=place.project,
        actor=place.owner,
        title="Ronde",
        closes_at=timezone.now() + timedelta(days=7),
        wave=wave,
    )
    return pulse_services.round_open(round=round, actor=place.owner)


def _issue_public_answer(place: Place) -> dict[str, str]:
    with scopes_disabled():
        link = _pulse_round(place).public_links.get(revoked_at__isnull=True)
        return {"token": link.token}


def _public_link(kwargs: dict[str, str]) -> Any:
    from koers.pulse.models import PublicLink

    with scopes_disabled():
        return PublicLink.objects.get(key=PublicLink.key_from_token(kwargs["token"]))


def _revoke_public_answer(kwargs: dict[str, str]) -> None:
    from koers.pulse import services as pulse_services

    with scopes_disabled():
        pulse_services.public_link_revoke(round=_public_link(kwargs).round)


def _expire_public_answer(kwargs: dict[str, str]) -> None:
    with scopes_disabled():
        link = _public_link(kwargs)
        link.expires_at = timezone.now() - timedelta(seconds=1)
        link.save(update_fields=["expires_at"])


def _issue_personal_answer(place: Place) -> dict[str, str]:
    from koers.pulse import mailing

    tokens: list[str] = []
    with scopes_disabled():
        wave = place.project.waves.order_by("number").first()
        place.project.client.people.update(email="someone@example.com")
        round = _pulse_round(place, wave=wave)
        with TestCase.captureOnCommitCallbacks(execute=True):  # the mails go out on commit
            mailing.round_links_mail(round=round, answer_url=lambda t: tokens.append(t) or t)
    return {"token": tokens[0]}


def _personal_link(kwargs: dict[str, str]) -> Any:
    from koers.pulse.models import PersonalLink

    with scopes_disabled():
        return PersonalLink.objects.select_related("round").get(
            token_hash=hash_token(kwargs["token"])
        )


def _revoke_personal_answer(kwargs: dict[str, str]) -> None:
    from koers.pulse import mailing

    with scopes_disabled():  # a reminder carries a fresh link: the earlier one stops working
        mailing.round_reminders_mail(round=_personal_link(kwargs).round, answer_url=str)


def _expire_personal_answer(kwargs: dict[str, str]) -> None:
    from koers.pulse import services as pulse_services

    with scopes_disabled():
        pulse_services.round_close(round=_personal_link(kwargs).round)


def _issue_feedback_page(place: Place) -> dict[str, str]:
    from koers.pulse import services as pulse_services

    with scopes_disabled():
        _page, token = pulse_services.feedback_page_create(project=place.project, actor=None)
    return {"token": token}


def _revoke_feedback_page(kwargs: dict[str, str]) -> None:
    from koers.pulse.models import FeedbackPage

    with scopes_disabled():
        FeedbackPage.objects.filter(token_hash=hash_token(kwargs["token"])).update(
            revoked_at=timezone.now()
        )


def _issue_evaluation(place: Place) -> dict[str, str]:
    from koers.aftercare import services as aftercare_services

    with scopes_disabled():
        _evaluation, token = aftercare_services.evaluation_send(project=place.project, actor=None)
    return {"token": token}


def _revoke_evaluation(kwargs: dict[str, str]) -> None:
    from koers.aftercare import services as aftercare_services
    from koers.aftercare.models import Evaluation

    with scopes_disabled():
        evaluation = Evaluation.objects.get(token_hash=hash_token(kwargs["token"]))
        aftercare_services.evaluation_revoke(evaluation=evaluation)


def _issue_share_link(kind: str) -> Any:
    def issue(place: Place) -> dict[str, str]:
        from koers.roadmap import services as plan_services

        with scopes_disabled():
            _link, token = plan_services.share_link_create(
                project=place.project, actor=None, kind=kind
            )
        return {"token": token}

    return issue


def _revoke_share_link(kwargs: dict[str, str]) -> None:
    from koers.roadmap import services as plan_services
    from koers.roadmap.models import ShareLink

    with scopes_disabled():
        link = ShareLink.objects.get(token_hash=hash_token(kwargs["token"]))
        plan_services.share_link_revoke(link=link, actor=None)


def _issue_instructions(place: Place) -> dict[str, str]:
    """The instructions of the place's first wave (the access walk may have written them),
    published anew: the page names the project."""
    from koers.instructions import services as instructions_services

    with scopes_disabled():
        wave = place.project.waves.order_by("number").first()
        made = place.project.instructions.filter(wave=wave).first()
        made = made or instructions_services.instructions_create(
            project=place.project,
            actor=None,
            wave=wave.pk,
            what_changed_en="New mail",
            support_phone="+32 9 123 45 67",
        )
        link = instructions_services.instructions_publish(instructions=made, actor=None)
        return {"token": link.token}


def _revoke_instructions(kwargs: dict[str, str]) -> None:
    from koers.instructions import services as instructions_services
    from koers.instructions.models import InstructionsLink

    with scopes_disabled():
        link = InstructionsLink.objects.get(token_hash=hash_token(kwargs["token"]))
        instructions_services.instructions_revoke(instructions=link.instructions)


def _issue_invitation(place: Place) -> dict[str, str]:
    with scopes_disabled():
        invitation = Invitation(
            workspace=place.project.workspace, email="join@example.com", role=Role.MEMBER
        )
        token = invitation.new_token()
        invitation.save()
    return {"token": token}


def _revoke_invitation(kwargs: dict[str, str]) -> None:
    # Withdrawing an invitation deletes it (workspaces.views.invitation_revoke).
    Invitation.objects.filter(token_hash=hash_token(kwargs["token"])).delete()


def _expire_invitation(kwargs: dict[str, str]) -> None:
    Invitation.objects.filter(token_hash=hash_token(kwargs["token"])).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )


def _reset_token(user: Any, *, age: int = 0) -> dict[str, str]:
    from django.contrib.auth.tokens import default_token_generator as tokens
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    made = tokens._num_seconds(tokens._now()) - age  # type: ignore[attr-defined]
    token = tokens._make_token_with_timestamp(user, made, tokens.secret)  # type: ignore[attr-defined]
    return {"uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": token}


def _issue_password_reset(place: Place) -> dict[str, str]:
    return _reset_token(place.owner)


def _revoke_password_reset(kwargs: dict[str, str]) -> None:
    from django.utils.http import urlsafe_base64_decode

    from koers.accounts.models import User

    user = User.objects.get(pk=urlsafe_base64_decode(kwargs["uidb64"]).decode())
    user.set_password("another-horse-battery")  # a reset link ends when the password changes
    user.save()


def _expire_password_reset(kwargs: dict[str, str]) -> None:
    from django.conf import settings
    from django.utils.http import urlsafe_base64_decode

    from koers.accounts.models import User

    user = User.objects.get(pk=urlsafe_base64_decode(kwargs["uidb64"]).decode())
    kwargs.update(_reset_token(user, age=settings.PASSWORD_RESET_TIMEOUT + 60))


def _issue_signup(place: Place) -> dict[str, str]:
    from koers.accounts.models import PendingSignup

    pending = PendingSignup(
        email="nieuw@example.com",
        name="Nieuw",
        password="!",
        workspace_name="Nieuw BV",
        workspace_slug="nieuw-bv",
        expires_at=timezone.now() + timedelta(days=1),
    )
    token = pending.new_token()
    pending.save()
    return {"token": token}


def _revoke_signup(kwargs: dict[str, str]) -> None:
    from koers.accounts.models import PendingSignup

    # A confirmation link ends when it is used.
    PendingSignup.objects.filter(token_hash=hash_token(kwargs["token"])).update(
        confirmed_at=timezone.now()
    )


def _expire_signup(kwargs: dict[str, str]) -> None:
    from koers.accounts.models import PendingSignup

    PendingSignup.objects.filter(token_hash=hash_token(kwargs["token"])).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )


PUBLIC_TOKENS: dict[str, TokenKind] = {
    "pulse_answer": TokenKind(
        _issue_public_answer,
        _revoke_public_answer,
        _expire_public_answer,
        secret=lambda token: token.rsplit(":", 1)[0],  # the random key; the rest signs it
    ),
    "pulse_personal_answer": TokenKind(
        _issue_personal_answer, _revoke_personal_answer, _expire_personal_answer
    ),
    "pulse_you_said_we_did": TokenKind(
        _issue_feedback_page,
        _revoke_feedback_page,
        None,
        no_end="the page lives until revoked or replaced; it has no end date",
    ),
    "evaluation_answer": TokenKind(
        _issue_evaluation,
        _revoke_evaluation,
        None,
        no_end="an evaluation link lives until revoked or answered; it has no end date",
    ),
    "shared_roadmap": TokenKind(
        _issue_share_link("roadmap"),
        _revoke_share_link,
        None,
        secret=lambda token: token.rsplit(":", 1)[0],  # the random key; the rest signs it
        no_end="a share link lives until revoked; it has no end date",
    ),
    "plan_feed": TokenKind(
        _issue_share_link("calendar"),
        _revoke_share_link,
        None,
        secret=lambda token: token.rsplit(":", 1)[0],
        no_end="a calendar feed lives until revoked; it has no end date",
    ),
    "waves_feed": TokenKind(
        _issue_share_link("waves"),
        _revoke_share_link,
        None,
        secret=lambda token: token.rsplit(":", 1)[0],
        no_end="a calendar feed lives until revoked; it has no end date",
    ),
    "instructions_public": TokenKind(
        _issue_instructions,
        _revoke_instructions,
        None,
        secret=lambda token: token.rsplit(":", 1)[0],  # the random key; the rest signs it
        no_end="user instructions live until revoked or published anew; they have no end date",
    ),
    # An unknown invitation answers as a withdrawn one (410), so ids are not confirmed.
    "invitation": TokenKind(_issue_invitation, _revoke_invitation, _expire_invitation, unknown=410),
    # Django's own reset link: a bad one shows "invalid link" (200) without the password form;
    # its token is a 128-bit HMAC-SHA256 bound to the password hash and the last log-in.
    # Unknown, used and expired confirmation links answer alike (410).
    "accounts:signup_confirm": TokenKind(
        _issue_signup,
        _revoke_signup,
        _expire_signup,
        refused=(410,),
        unknown=410,
        shows_project=False,
    ),
    "accounts:password_reset_confirm": TokenKind(
        _issue_password_reset,
        _revoke_password_reset,
        _expire_password_reset,
        ok=302,
        refused=(200,),
        unknown=200,
        secret=lambda token: token.rsplit("-", 1)[1],
        shows_project=False,
    ),
}


def token_kind(route: PublicRoute) -> TokenKind:
    kind = PUBLIC_TOKENS.get(route.name)
    if kind is None:
        pytest.fail(
            f"{route.name} ({route.route}) is a public token page that PUBLIC_TOKENS in "
            "tests/access/test_public_links.py does not know: say how to make, revoke and "
            "expire its token."
        )
    return kind


def places_of(cast: Cast) -> dict[str, Place]:
    """The cast's project, and a project of the outsider's workspace: distinct names."""
    with scopes_disabled():
        theirs = Membership.objects.get(user=cast.outsider).workspace
        theirs.name = "Zuidwerk Advies"
        theirs.save()
        from tests.factories import ClientFactory

        client = ClientFactory(workspace=theirs, slug="waterschap", name="Waterschap Geheim")
        other = make_project(client, slug="dijken", name="Dijkversterking Noord")
        for project in (cast.project, other):
            rollout_kwargs(project)
    return {
        "ours": Place(cast.project, ("Naar de cloud", "Bakkerij Peeters", "Acme IT"), cast.owner),
        "theirs": Place(
            other, ("Dijkversterking Noord", "Waterschap Geheim", "Zuidwerk Advies"), cast.outsider
        ),
    }
