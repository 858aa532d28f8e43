"""The API, route by route from its OpenAPI document: tokens of another workspace, of a
viewer, none at all, and a member's."""

import json
import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

import pytest
from django.http import HttpResponse
from django.test import Client as WebClient
from django.test import TestCase
from django.urls import get_resolver, reverse
from django.utils import timezone

from koers.workspaces.models import ApiToken, Invitation, Role
from tests.access.walk import (
    API_NAMESPACES,
    KWARG,
    MIN_TOKEN_BITS,
    api_token,
    random_bits,
    url_for,
    walk,
)
from tests.factories import Cast

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


def test_api_tokens_carry_at_least_128random_bits(cast: Cast) -> None:
    tokens = {ApiToken(user=cast.owner, name="a").new_token() for _ in range(20)}
    assert len(tokens) == 20
    for token in tokens:
        assert token.startswith(ApiToken.TOKEN_PREFIX)
        assert random_bits(token.removeprefix(ApiToken.TOKEN_PREFIX)) >= MIN_TOKEN_BITS


def test_invitation_tokens_carry_at_least_128random_bits(cast: Cast, mailoutbox: list) -> None:
    tokens = {Invitation(workspace=cast.workspace).new_token() for _ in range(20)}
    assert len(tokens) == 20
    assert all(random_bits(token) >= MIN_TOKEN_BITS for token in tokens)

    web = cast.login(cast.owner)
    with TestCase.captureOnCommitCallbacks(execute=True):  # the outbox sends on commit
        web.post(
            reverse("workspaces:members", args=[cast.workspace.slug]),
            {"email": "new@example.com", "role": Role.MEMBER},
        )
    (mail,) = mailoutbox
    link = re.search(r"/invite/([^/\s]+)/", mail.body)
    assert link is not None, mail.body
    assert random_bits(link[1]) >= MIN_TOKEN_BITS
