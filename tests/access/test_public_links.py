"""Public pages, reached by a token alone: each shows only what its token is for, refuses
another's, ends when revoked or expired, is rate limited, uncached, and never logged."""

import io
import logging
import string
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client as WebClient
from django.test import TestCase
from django.urls import get_resolver
from django.utils import timezone
from django_scopes import scopes_disabled

from koers.core.tokens import hash_token
from koers.workspaces.models import Invitation, Membership, Role
from tests.access.walk import (
    API_NAMESPACES,
    KWARG,
    MIN_TOKEN_BITS,
    random_bits,
    rollout_kwargs,
    url_for,
    walk,
)
from tests.factories import Cast, make_project

# Public pages: reached by a token alone, from the URL configuration like the pages above.
# Every pattern with a text <token> kwarg outside /w/ and the API is one; PUBLIC_TOKENS says
# how to make, revoke and expire the token of each, and a new one without an entry fails.


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


def _hex_bits(token: str) -> int:
    assert set(token) <= set(string.hexdigits), token
    return len(token) * 4


@pytest.fixture
def places(cast: Cast) -> dict[str, Place]:
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


def public_url(route: PublicRoute, kwargs: dict[str, str]) -> str:
    return url_for(route.route, kwargs)


def refused(kind: TokenKind, response: Any, place: Place, other: Place) -> None:
    """Assert the answer to a token that must not work: no page, no data of either project."""
    assert response.status_code in kind.refused, response.status_code
    body = response.content.decode(errors="replace")
    for name in (*place.names[:2], *other.names[:2]):
        assert name not in body, name
    assert 'name="new_password1"' not in body and "BEGIN:VCALENDAR" not in body
    assert 'href="/w/' not in body and "form_key" not in body


def test_the_walk_finds_every_public_token_page() -> None:
    names = {route.name for route in PUBLIC_ROUTES}
    assert {
        "pulse_answer",
        "pulse_personal_answer",
        "pulse_you_said_we_did",
        "shared_roadmap",
        "plan_feed",
        "invitation",
    } <= names
    assert "accounts:token_revoke" not in names  # <int:token> is an API token's id, not public


def test_a_public_route_without_a_token_kind_fails_naming_it() -> None:
    with pytest.raises(pytest.fail.Exception, match=r"PUBLIC_TOKENS .* does not know"):
        token_kind(PublicRoute("s/<str:token>/", "new_shared_page"))


@pytest.mark.parametrize("route", PUBLIC_ROUTES, ids=str)
def test_a_public_token_shows_only_what_it_is_for(
    route: PublicRoute, places: dict[str, Place]
) -> None:
    kind = token_kind(route)
    for mine, other in ((places["ours"], places["theirs"]), (places["theirs"], places["ours"])):
        kwargs = kind.issue(mine)
        secret = (kind.secret or (lambda token: token))(kwargs["token"])
        bits = _hex_bits(secret) if set(secret) <= set(string.hexdigits) else random_bits(secret)
        assert bits >= MIN_TOKEN_BITS, kwargs["token"]

        response = WebClient().get(public_url(route, kwargs))
        assert response.status_code == kind.ok, public_url(route, kwargs)
        body = response.content.decode()
        if kind.shows_project:
            assert any(name in body for name in mine.names), "the page shows its own project"
        for name in other.names:
            assert name not in body, f"{route}: {name} of another workspace"
        assert 'href="/w/' not in body, f"{route} links into a workspace"


@pytest.mark.parametrize("route", PUBLIC_ROUTES, ids=str)
def test_a_public_page_refuses_tokens_not_made_for_it(
    route: PublicRoute, places: dict[str, Place]
) -> None:
    kind = token_kind(route)
    ours, theirs = places["ours"], places["theirs"]
    valid = kind.issue(ours)
    web = WebClient()
    # The valid token of every other public page, of another workspace's project.
    for other_route in PUBLIC_ROUTES:
        if token_kind(other_route) is kind:
            continue
        foreign = {**valid, "token": token_kind(other_route).issue(theirs)["token"]}
        response = web.get(public_url(route, foreign))
        assert response.status_code in (*kind.refused, kind.unknown), (route, other_route)
        refused(kind, response, ours, theirs)
    # A random 128-bit token, and the valid one with a character changed or cut short.
    import secrets

    for token in (
        secrets.token_urlsafe(16),
        valid["token"][:-1] + ("A" if valid["token"][-1] != "A" else "B"),
        valid["token"][: len(valid["token"]) // 2],
    ):
        response = web.get(public_url(route, {**valid, "token": token}))
        assert response.status_code == kind.unknown, token
        refused(kind, response, ours, theirs)
    assert web.get(public_url(route, valid)).status_code == kind.ok  # the real one still works


@pytest.mark.parametrize("end", ["revoked", "expired"])
@pytest.mark.parametrize("route", PUBLIC_ROUTES, ids=str)
def test_a_revoked_or_expired_public_token_shows_nothing(
    route: PublicRoute, end: str, places: dict[str, Place]
) -> None:
    kind = token_kind(route)
    stop = kind.revoke if end == "revoked" else kind.expire
    if stop is None:
        assert kind.no_end, f"{route}: say why its token has no {end} state"
        return
    kwargs = kind.issue(places["ours"])
    web = WebClient()
    assert web.get(public_url(route, kwargs)).status_code == kind.ok
    stop(kwargs)
    for method in ("get", "post"):
        response = getattr(web, method)(public_url(route, kwargs))
        if method == "post" and response.status_code == 405:
            continue  # a read-only page
        refused(kind, response, places["ours"], places["theirs"])


@pytest.mark.parametrize("route", PUBLIC_ROUTES, ids=str)
def test_a_public_page_is_rate_limited(
    route: PublicRoute,
    places: dict[str, Place],
    settings: Any,
) -> None:
    kind = token_kind(route)
    limit = 3
    settings.PUBLIC_RATE_LIMIT = limit
    kwargs = kind.issue(places["ours"])
    url = public_url(route, kwargs)
    web = WebClient()
    answers = [web.get(url).status_code for _ in range(limit + 1)]
    assert answers == [kind.ok] * limit + [429], url
    limited = web.get(url)
    assert limited.status_code == 429
    refused_body = limited.content.decode()
    for name in places["ours"].names:
        assert name not in refused_body
    # Another address is not held up by this one's visits.
    assert web.get(url, REMOTE_ADDR="192.0.2.7").status_code == kind.ok


@pytest.mark.parametrize("route", PUBLIC_ROUTES, ids=str)
def test_a_public_page_is_kept_out_of_shared_caches(
    route: PublicRoute, places: dict[str, Place]
) -> None:
    kind = token_kind(route)
    response = WebClient().get(public_url(route, kind.issue(places["ours"])))
    assert response.status_code == kind.ok
    directives = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    assert {"private", "no-store"} <= directives, response.get("Cache-Control")


def _log_through(logger: logging.Logger, *handlers: logging.Handler) -> io.StringIO:
    """Return a buffer that gets what `logger` writes, through the filters of `handlers`."""
    buffer = io.StringIO()
    capture = logging.StreamHandler(buffer)
    for handler in handlers:
        for found in handler.filters:
            capture.addFilter(found)
    logger.addHandler(capture)
    return buffer


@pytest.mark.parametrize("route", PUBLIC_ROUTES, ids=str)
def test_a_public_token_never_reaches_a_log(
    route: PublicRoute, places: dict[str, Place], tmp_path: Any
) -> None:
    """Visit the link and an unknown one (a 4xx Django logs); neither token may be logged."""
    import secrets

    from gunicorn.config import Config

    from koers.core.gunicorn_logger import RedactingLogger

    kind = token_kind(route)
    kwargs = kind.issue(places["ours"])
    unknown = {**kwargs, "token": secrets.token_urlsafe(16)}
    secrets_shown = {kwargs["token"], unknown["token"], *(kwargs.get("uidb64", "x" * 9),)}
    django_log = logging.getLogger("django")
    assert django_log.handlers and not django_log.propagate
    buffer = _log_through(django_log, *django_log.handlers)
    try:
        for visit in (kwargs, unknown):
            WebClient().get(public_url(route, visit))
            WebClient().get(public_url(route, visit).rstrip("/"))  # without its slash too
        logging.getLogger("django.request").warning("Not Found: %s", public_url(route, unknown))
    finally:
        django_log.removeHandler(django_log.handlers[-1])
    cfg = Config()
    cfg.set("accesslog", str(tmp_path / "access.log"))
    cfg.set("errorlog", str(tmp_path / "error.log"))
    gunicorn_log = RedactingLogger(cfg)
    for visit in (kwargs, unknown):
        path = public_url(route, visit)
        gunicorn_log.access_log.info(
            '%(t)s "%(r)s" %(s)s', {"t": "[now]", "r": f"GET {path}?lang=en HTTP/1.1", "s": "404"}
        )
        gunicorn_log.error("Error handling request %s", path)
    written = buffer.getvalue() + "".join(
        (tmp_path / name).read_text() for name in ("access.log", "error.log")
    )
    assert "[redacted]" in written
    for secret in secrets_shown:
        assert secret not in written, (route, secret)
