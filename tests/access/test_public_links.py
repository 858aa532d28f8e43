"""Public pages, reached by a token alone: each shows only what its token is for, refuses
another's, ends when revoked or expired, is rate limited, uncached, and never logged."""

import io
import logging
import string
from typing import Any

import pytest
from django.test import Client as WebClient

from tests.access.public import (
    PUBLIC_ROUTES,
    Place,
    PublicRoute,
    TokenKind,
    places_of,
    token_kind,
)
from tests.access.walk import MIN_TOKEN_BITS, random_bits, url_for
from tests.factories import Cast


def _hex_bits(token: str) -> int:
    assert set(token) <= set(string.hexdigits), token
    return len(token) * 4


@pytest.fixture
def places(cast: Cast) -> dict[str, Place]:
    return places_of(cast)


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
        "evaluation_answer",
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
