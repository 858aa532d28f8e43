"""The tenancy rule, proved on every URL pattern and every API route.

The routes are read from the URL configuration and the OpenAPI document, so a new page or
API route is covered without touching this file. Values for the URL's kwargs come from
`victim_kwargs`: real objects of the workspace under attack. A pattern with a kwarg that
mapping lacks fails and says which kwarg to add.
"""

import io
import json
import logging
import re
import string
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

import pytest
from django.http import HttpResponse
from django.test import Client as WebClient
from django.test import TestCase
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RoutePattern
from django.utils import timezone
from django_scopes import scopes_disabled

from koers.core.tokens import hash_token
from koers.projects import services as project_services
from koers.projects.models import ScopeItem
from koers.workspaces.models import ApiToken, Invitation, Membership, Role
from tests.factories import Cast, ContactPersonFactory, make_project

# Workspace pages outside a project that a client guest may read (GET gives 200).
GUEST_WORKSPACE_PAGES = {"workspaces:dashboard"}
# Project pages a member of viewer level may read but a client guest may not.
GUEST_HIDDEN_PROJECT_PAGES: set[str] = set()
# URL namespaces covered by the API checks below instead of the page checks.
API_NAMESPACES = {"api"}

ORDER_HINT = (
    " (a 405 means @require_POST or @require_safe sits above @workspace_view: put"
    " @workspace_view outermost, so the method is checked only for members)"
)
KWARG = re.compile(r"<(?:[^>:]+:)?(?P<name>[^>]+)>")
URLSAFE = set(string.ascii_letters + string.digits + "-_")
MIN_TOKEN_BITS = 128


@dataclass(frozen=True)
class Route:
    route: str  # as in the URL configuration, e.g. "w/<slug:workspace>/p/<slug:project>/"
    name: str  # "namespace:name", or the route when the pattern has no name
    pattern: URLPattern

    def __str__(self) -> str:
        return self.name

    @property
    def kwargs(self) -> list[str]:
        return KWARG.findall(self.route)

    @property
    def role(self) -> Role:
        role = getattr(self.pattern.callback, "koers_role", None)
        if role is None:
            pytest.fail(
                f"The view of {self.name} ({self.route}) is under <workspace> but not wrapped "
                "in koers.workspaces.tenancy.workspace_view."
            )
        return Role(role)

    @property
    def is_project_page(self) -> bool:
        return "project" in self.kwargs


def walk(
    resolver: URLResolver, prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, str, str, URLPattern]]:
    """Yield (namespace, route, name, pattern) for every URL pattern below `resolver`."""
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = ":".join(part for part in (namespace, entry.namespace or "") if part)
            yield from walk(entry, prefix + _route_text(entry), inner)
        else:
            route = prefix + _route_text(entry)
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            yield namespace, route, name or route, entry


def _route_text(entry: URLPattern | URLResolver) -> str:
    if isinstance(entry.pattern, RoutePattern):
        return str(entry.pattern)
    # A regular expression cannot be filled from the kwargs mapping; keep its group names so
    # the walk still finds a <workspace> in it, and url_for() fails on it.
    return "re_path(" + "".join(f"<{name}>" for name in entry.pattern.regex.groupindex) + ")"


def workspace_routes() -> list[Route]:
    """Return every page pattern whose route carries <workspace>, API patterns excepted."""
    return [
        Route(route, name, pattern)
        for namespace, route, name, pattern in walk(get_resolver())
        if "workspace" in KWARG.findall(route) and namespace.split(":")[0] not in API_NAMESPACES
    ]


ROUTES = workspace_routes()


def url_for(route: Route | str, kwargs: dict[str, Any]) -> str:
    """Fill the route's kwargs from `kwargs`; fail naming a kwarg that is missing."""
    text = route.route if isinstance(route, Route) else route
    label = f"{route} ({text})" if isinstance(route, Route) else text
    if "re_path(" in text:
        pytest.fail(f"{label}: use path() with <converter:name> kwargs, not re_path().")
    missing = [name for name in KWARG.findall(text) if name not in kwargs]
    if missing:
        pytest.fail(
            f"{label} has the kwarg <{missing[0]}>, which victim_kwargs in "
            f"tests/test_access.py does not know: add '{missing[0]}' to it, made from a real "
            "object of the victim workspace."
        )
    return "/" + KWARG.sub(lambda match: str(kwargs[match["name"]]), text)


@pytest.fixture
def victim_kwargs(cast: Cast) -> dict[str, Any]:
    """One value per URL kwarg, each naming a real object of the workspace under attack."""
    with scopes_disabled():
        invitation = Invitation(workspace=cast.workspace, email="new@example.com", role=Role.MEMBER)
        invitation.new_token()
        invitation.save()
        return {
            "workspace": cast.workspace.slug,
            "client": cast.client.slug,
            "project": cast.project.slug,
            "item": cast.project.scope_items.get().pk,
            "contact": cast.client.contacts.get().pk,
            "member": Membership.objects.get(user=cast.member).pk,
            "invitation": invitation.pk,
            **plan_kwargs(cast.project),
            **pulse_kwargs(cast.project),
            **rollout_kwargs(cast.project),
            **outbox_kwargs(cast.workspace),
        }


def outbox_kwargs(workspace: Any) -> dict[str, Any]:
    """A failed mail of `workspace`, and an editable mail text in one language."""
    from koers.outbox.models import Message

    with scopes_disabled():
        message = Message.objects.create(
            workspace=workspace,
            to="someone@example.com",
            template="pulse/mail/invitation",
            language="nl",
            subject="Hallo",
            message_id="<access@koers>",
            state=Message.State.FAILED,
            failure=Message.Failure.REFUSED,
        )
    return {"message": message.pk, "template": "pulse-invitation", "language": "nl"}


def plan_kwargs(project: Any) -> dict[str, Any]:
    """A phase with a KPI, a milestone, a deviation, a revision and a share link of `project`."""
    from koers.roadmap import services as plan_services

    with scopes_disabled():
        phase = plan_services.phase_create(
            project=project,
            actor=None,
            title="Pilot",
            start_month=timezone.localdate(),
            weeks=14,
            budget=20_000,
            kpis=[{"name": "Tickets", "baseline": 9, "target": 4}],
        )
        milestone = plan_services.milestone_create(
            project=project, actor=None, kind="feedback", title="Evaluatie", on=timezone.localdate()
        )
        deviation = plan_services.deviation_accept(
            project=project,
            actor=None,
            rule="phase-too-long",
            subject=phase.key,
            justification="Ok",
        )
        link, _token = plan_services.share_link_create(project=project, actor=None, kind="roadmap")
        return {
            "phase": phase.pk,
            "kpi": phase.kpis.get().pk,
            "milestone": milestone.pk,
            "deviation": deviation.pk,
            "number": project.plan_revisions.get().number,
            "link": link.pk,
        }


def rollout_kwargs(project: Any) -> dict[str, Any]:
    """An import run and a person of the project's client, and a planned wave with a gate."""
    from koers.population import services as population_services
    from koers.population.models import ImportRun
    from koers.population.reading import PersonRow
    from koers.rollout import selection as rollout_selection
    from koers.rollout import steering as rollout_steering

    with scopes_disabled():
        # Not IT: IT would be the first ring, and nobody would be left for the pilot.
        rows = [PersonRow(row=n + 2, key=f"P{n}", department="HR") for n in range(3)]
        population_services.people_import(client=project.client, actor=None, rows=rows)
        run = ImportRun.objects.create(client=project.client, file_name="people.csv")
        rollout_selection.pilot_select(project=project, actor=None, size=1)
        wave = rollout_steering.waves_plan(project=project, actor=None)[0]
        return {
            "run": run.pk,
            "person": project.client.people.get(key="P0").pk,
            "key": "P0",
            "wave": wave.pk,
        }


def pulse_kwargs(project: Any) -> dict[str, Any]:
    """A pulse round with a public link, and a feedback item, of `project`."""
    from datetime import timedelta as days

    from koers.pulse import services as pulse_services

    with scopes_disabled():
        round = pulse_services.round_create(
            project=project,
            actor=None,
            title="Voor de pilot",
            closes_at=timezone.now() + days(days=7),
        )
        pulse_services.round_open(round=round)
        item = pulse_services.feedback_create(
            project=project, actor=None, source="meeting", text="Te weinig uitleg"
        )
    return {"round": round.number, "feedback": item.pk}


@pytest.fixture
def other_client_kwargs(cast: Cast, victim_kwargs: dict[str, Any]) -> dict[str, Any]:
    """The same kwargs, but naming the project, item and contact of the other client."""
    with scopes_disabled():
        project = make_project(cast.other_client, slug="raadhuis", name="Raadhuis")
        item = project_services.scope_item_add(
            project=project, actor=None, column=ScopeItem.Column.IN, title="Wifi", reason="Nu"
        )
        contact = ContactPersonFactory(client=cast.other_client)
    return {
        **victim_kwargs,
        "client": cast.other_client.slug,
        "project": project.slug,
        "item": item.pk,
        "contact": contact.pk,
        **plan_kwargs(project),
        **pulse_kwargs(project),
    }


def both_methods(web: WebClient, url: str) -> dict[str, HttpResponse]:
    return {"GET": web.get(url), "POST": web.post(url, {})}


def test_the_walk_finds_the_pages_of_workspaces_clients_and_projects() -> None:
    names = {route.name for route in ROUTES}
    assert {
        "workspaces:dashboard",
        "workspaces:member_remove",
        "workspaces:contact_edit",
        "projects:overview",
        "projects:scope_item_move",
    } <= names
    assert not any(name.startswith("api:") for name in names)


def test_a_route_with_an_unknown_kwarg_fails_naming_it() -> None:
    with pytest.raises(pytest.fail.Exception, match="add 'phase'"):
        url_for(
            "w/<slug:workspace>/p/<slug:project>/phases/<int:phase>/",
            {"workspace": "acme", "project": "cloud"},
        )


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_outsider_gets_404_on_every_workspace_page(
    route: Route, cast: Cast, victim_kwargs: dict[str, Any]
) -> None:
    url = url_for(route, victim_kwargs)
    responses = both_methods(cast.login(cast.outsider), url)
    assert {m: r.status_code for m, r in responses.items()} == {"GET": 404, "POST": 404}, (
        url + ORDER_HINT
    )


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_anonymous_visitor_is_sent_to_the_login_page(
    route: Route, cast: Cast, victim_kwargs: dict[str, Any]
) -> None:
    url = url_for(route, victim_kwargs)
    login = reverse("accounts:login")
    for method, response in both_methods(WebClient(), url).items():
        assert response.status_code == 302, f"{method} {url}{ORDER_HINT}"
        assert response["Location"].startswith(f"{login}?next="), f"{method} {url}"


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_viewer_may_read_but_not_change(
    route: Route, cast: Cast, victim_kwargs: dict[str, Any]
) -> None:
    url = url_for(route, victim_kwargs)
    responses = both_methods(cast.login(cast.viewer), url)
    assert responses["POST"].status_code in (403, 405), f"POST {url}"
    if route.role.rank > Role.VIEWER.rank:
        assert responses["GET"].status_code in (403, 405), f"GET {url}"
    else:
        assert responses["GET"].status_code in (200, 405), f"GET {url}"


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_guest_reads_only_the_project_pages_of_its_own_client(
    route: Route,
    cast: Cast,
    victim_kwargs: dict[str, Any],
    other_client_kwargs: dict[str, Any],
) -> None:
    web = cast.login(cast.guest)
    if not route.is_project_page:
        url = url_for(route, victim_kwargs)
        responses = both_methods(web, url)
        if route.name in GUEST_WORKSPACE_PAGES:
            assert responses["GET"].status_code == 200, f"GET {url}"
            assert responses["POST"].status_code in (403, 405), f"POST {url}"
        else:
            assert responses["GET"].status_code == 404, f"GET {url}"
            assert responses["POST"].status_code == 404, f"POST {url}"
        return

    other_url = url_for(route, other_client_kwargs)
    other = both_methods(web, other_url)
    assert other["GET"].status_code == 404, f"GET {other_url}"
    # A read-only page may refuse POST before it looks the project up; then the answer must
    # be the same as for a project that does not exist, so it confirms nothing.
    missing_url = url_for(route, {**other_client_kwargs, "project": "missing", "item": 0})
    missing = web.post(missing_url, {})
    assert other["POST"].status_code in (404, 405), f"POST {other_url}"
    assert other["POST"].status_code == missing.status_code, f"POST {other_url}"

    own_url = url_for(route, victim_kwargs)
    responses = both_methods(web, own_url)
    assert responses["POST"].status_code in (403, 404, 405), f"POST {own_url}"
    if route.role == Role.VIEWER and route.name not in GUEST_HIDDEN_PROJECT_PAGES:
        assert responses["GET"].status_code in (200, 405), f"GET {own_url}"
    else:
        assert responses["GET"].status_code in (403, 404), f"GET {own_url}"


# The API, route by route from its OpenAPI document.


@dataclass(frozen=True)
class Operation:
    method: str
    path: str  # as in the OpenAPI document, e.g. "/api/v1/w/{workspace}/projects"
    spec: dict[str, Any]

    def __str__(self) -> str:
        return f"{self.method.upper()} {self.path}"

    @property
    def is_change(self) -> bool:
        return self.method in ("post", "put", "patch", "delete")

    @property
    def is_in_workspace(self) -> bool:
        return "{workspace}" in self.path


@pytest.fixture
def openapi(db: None) -> dict[str, Any]:
    response = WebClient().get("/api/v1/openapi.json")
    assert response.status_code == 200
    document: dict[str, Any] = response.json()
    return document


def operations(document: dict[str, Any]) -> list[Operation]:
    found = [
        Operation(method, path, spec)
        for path, methods in document["paths"].items()
        for method, spec in methods.items()
        if method in ("get", "post", "put", "patch", "delete")
    ]
    assert found, "the OpenAPI document lists no routes"
    return found


def example(schema: dict[str, Any], document: dict[str, Any]) -> Any:
    """Return a value that satisfies `schema`, so a request gets past validation."""
    if "$ref" in schema:
        target: Any = document
        for part in schema["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        return example(target, document)
    for combined in ("allOf", "anyOf", "oneOf"):
        if combined in schema:
            return example(schema[combined][0], document)
    if "enum" in schema:
        return schema["enum"][0]
    if "default" in schema:
        return schema["default"]
    kind = schema.get("type", "string")
    if kind == "object":
        properties = schema.get("properties", {})
        return {name: example(properties[name], document) for name in schema.get("required", [])}
    if kind == "array":
        return [example(schema.get("items", {}), document)] * schema.get("minItems", 0)
    if kind in ("integer", "number"):
        return schema.get("minimum", 0)
    if kind == "boolean":
        return True
    if schema.get("format") == "date":
        return "2025-01-01"
    if schema.get("format") == "date-time":
        return "2025-01-01T12:00:00Z"
    return "x" * max(schema.get("minLength", 1), 1)


def api_request(
    operation: Operation,
    document: dict[str, Any],
    kwargs: dict[str, Any],
    token: str | None,
) -> HttpResponse:
    """Call the operation with valid parameters and body, as the holder of `token`."""
    url = url_for(operation.path.replace("{", "<").replace("}", ">").removeprefix("/"), kwargs)
    query = {
        parameter["name"]: example(parameter.get("schema", {}), document)
        for parameter in operation.spec.get("parameters", [])
        if parameter["in"] == "query" and parameter.get("required")
    }
    if query:
        url += "?" + urlencode(query, doseq=True)
    body = operation.spec.get("requestBody", {}).get("content", {}).get("application/json")
    response: HttpResponse = WebClient().generic(
        operation.method.upper(),
        url,
        data=json.dumps(example(body["schema"], document)) if body else "",
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"} if token else {},
    )
    return response


def api_token(user: Any, **fields: Any) -> str:
    token = ApiToken(user=user, name="script", **fields)
    secret = token.new_token()
    token.save()
    return secret


def test_the_openapi_document_lists_every_api_route_in_a_workspace(
    openapi: dict[str, Any],
) -> None:
    documented = {op.path.removeprefix("/api/v1/") for op in operations(openapi)}
    routed = {
        KWARG.sub(lambda match: "{" + match["name"] + "}", route).removeprefix("api/v1/")
        for namespace, route, _name, _pattern in walk(get_resolver())
        if namespace.split(":")[0] in API_NAMESPACES and "<workspace>" in route
    }
    assert routed, "no API pattern carries <workspace>"
    assert routed <= documented


def test_api_answers_404_to_the_token_of_another_workspace(
    cast: Cast, victim_kwargs: dict[str, Any], openapi: dict[str, Any]
) -> None:
    token = api_token(cast.outsider)
    in_workspace = [op for op in operations(openapi) if op.is_in_workspace]
    assert in_workspace
    answers = {
        str(op): api_request(op, openapi, victim_kwargs, token).status_code for op in in_workspace
    }
    assert answers == dict.fromkeys(answers, 404)


def test_api_refuses_every_change_by_a_viewer_with_403(
    cast: Cast, victim_kwargs: dict[str, Any], openapi: dict[str, Any]
) -> None:
    token = api_token(cast.viewer)
    changes = [op for op in operations(openapi) if op.is_in_workspace and op.is_change]
    assert changes
    answers = {
        str(op): api_request(op, openapi, victim_kwargs, token).status_code for op in changes
    }
    assert answers == dict.fromkeys(answers, 403)


@pytest.mark.parametrize("kind", ["none", "unknown", "revoked", "expired"])
def test_api_answers_401_without_a_usable_token(
    kind: str, cast: Cast, victim_kwargs: dict[str, Any], openapi: dict[str, Any]
) -> None:
    tokens = {
        "none": None,
        "unknown": ApiToken.TOKEN_PREFIX + "x" * 43,
        "revoked": api_token(cast.owner, revoked_at=timezone.now()),
        "expired": api_token(cast.owner, expires_at=timezone.now() - timedelta(seconds=1)),
    }
    answers = {
        str(op): api_request(op, openapi, victim_kwargs, tokens[kind]).status_code
        for op in operations(openapi)
    }
    assert answers == dict.fromkeys(answers, 401)


def test_a_usable_token_of_a_member_reaches_every_read_route(
    cast: Cast, victim_kwargs: dict[str, Any], openapi: dict[str, Any]
) -> None:
    # Proves the 401s and 404s above come from the rule, not from a broken request.
    token = api_token(cast.owner, expires_at=timezone.now() + timedelta(days=1))
    reads = [op for op in operations(openapi) if op.method == "get"]
    answers = {str(op): api_request(op, openapi, victim_kwargs, token).status_code for op in reads}
    assert answers == dict.fromkeys(answers, 200)


# Tokens: at least 128 random bits in the urlsafe part.


def _random_bits(token: str) -> int:
    assert set(token) <= URLSAFE, token
    return len(token) * 6  # each urlsafe base64 character carries 6 bits


def test_api_tokens_carry_at_least_128_random_bits(cast: Cast) -> None:
    tokens = {ApiToken(user=cast.owner, name="a").new_token() for _ in range(20)}
    assert len(tokens) == 20
    for token in tokens:
        assert token.startswith(ApiToken.TOKEN_PREFIX)
        assert _random_bits(token.removeprefix(ApiToken.TOKEN_PREFIX)) >= MIN_TOKEN_BITS


def test_invitation_tokens_carry_at_least_128_random_bits(cast: Cast, mailoutbox: list) -> None:
    tokens = {Invitation(workspace=cast.workspace).new_token() for _ in range(20)}
    assert len(tokens) == 20
    assert all(_random_bits(token) >= MIN_TOKEN_BITS for token in tokens)

    web = cast.login(cast.owner)
    with TestCase.captureOnCommitCallbacks(execute=True):  # the outbox sends on commit
        web.post(
            reverse("workspaces:members", args=[cast.workspace.slug]),
            {"email": "new@example.com", "role": Role.MEMBER},
        )
    (mail,) = mailoutbox
    link = re.search(r"/invite/([^/\s]+)/", mail.body)
    assert link is not None, mail.body
    assert _random_bits(link[1]) >= MIN_TOKEN_BITS


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
        no_end="a share link lives until revoked; it has no end date",
    ),
    "plan_feed": TokenKind(
        _issue_share_link("calendar"),
        _revoke_share_link,
        None,
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
            "tests/test_access.py does not know: say how to make, revoke and expire its token."
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
        bits = _hex_bits(secret) if set(secret) <= set(string.hexdigits) else _random_bits(secret)
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
