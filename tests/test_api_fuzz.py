"""The API under generated input: schemathesis against /api/v1/ on a live test server.

Every operation of the OpenAPI document is called as a member with a token, its path naming
real objects of the member's workspace (a project with phases, a pulse round, a wave with
people), with bodies and query values generated from the schema: valid ones (the answer must
be a documented status with a body that matches the schema, never a 5xx) and invalid ones
(the answer must be a 4xx that says what is wrong). Bounded and derandomized: the same cases
every run, in about half a minute.
"""

from datetime import timedelta
from typing import Any

import pytest
import requests
import schemathesis
from django.utils import timezone
from django_scopes import scopes_disabled
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import CHECKS

from tests.access.walk import (
    aftercare_kwargs,
    api_token,
    decision_kwargs,
    instructions_kwargs,
    landscape_kwargs,
    outbox_kwargs,
    plan_kwargs,
    pulse_kwargs,
    rollout_kwargs,
    stakeholder_kwargs,
    steering_kwargs,
    win_kwargs,
)
from tests.factories import Cast

EXAMPLES = {GenerationMode.POSITIVE: 8, GenerationMode.NEGATIVE: 5}  # 13 per operation


def _check(name: str) -> Any:
    found = {check.__name__: check for check in CHECKS.get_all()}
    return found[name]


# What every answer must satisfy. `ignored_auth` and the stateful checks call the API again
# with changed tokens or after deletes; the token rules have their own test (tests/access).
CHECKED = [
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
    "response_headers_conformance",
    "negative_data_rejection",
]


@pytest.fixture
def member_with_data(cast: Cast, live_server: Any) -> dict[str, Any]:
    """A member's token, and path values naming real objects of the member's workspace."""
    with scopes_disabled():
        path = {
            "workspace": cast.workspace.slug,
            "project": cast.project.slug,
            "client": cast.client.slug,
            "horizon": 48,
            "item": cast.project.scope_items.get().pk,
            **plan_kwargs(cast.project),
            **rollout_kwargs(cast.project),
            **pulse_kwargs(cast.project),
            **decision_kwargs(cast.project),
            **stakeholder_kwargs(cast.project),
            **win_kwargs(cast.project),
            **steering_kwargs(cast.project),
            **aftercare_kwargs(cast.project),
            **instructions_kwargs(cast.project),
            **outbox_kwargs(cast.workspace),
            **landscape_kwargs(cast.project),
        }
        path["wave"] = cast.project.waves.order_by("number").first().pk
    token = api_token(cast.member, expires_at=timezone.now() + timedelta(days=1))
    return {"path": path, "token": token, "base_url": live_server.url}


@pytest.mark.slow
def test_every_api_operation_holds_under_generated_input(member_with_data: dict[str, Any]) -> None:
    base_url = member_with_data["base_url"]
    schema = schemathesis.openapi.from_url(f"{base_url}/api/v1/openapi.json")
    headers = {"Authorization": f"Bearer {member_with_data['token']}"}
    with requests.Session() as session:  # closed before the server stops
        _fuzz(base_url, session, schema, headers, member_with_data["path"])


def _fuzz(
    base_url: str,
    session: requests.Session,
    schema: Any,
    headers: dict[str, str],
    path: dict[str, Any],
) -> None:
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 30, "the OpenAPI document lost operations"
    seen: dict[str, set[int]] = {}

    for operation in operations:
        fixed = {p.name: path[p.name] for p in operation.path_parameters}
        for mode, examples in EXAMPLES.items():
            _fuzz_operation(operation, mode, examples, fixed, base_url, session, headers, seen)

    # Proves the run reached the routes' work, not only their 404s and 422s.
    reached = {label for label, codes in seen.items() if codes & {200, 201, 204}}
    positive = {label for label in seen if label.endswith("positive")}
    assert len(reached) >= len(positive) * 3 // 4, sorted(positive - reached)


def _fuzz_operation(
    operation: Any,
    mode: GenerationMode,
    examples: int,
    fixed: dict[str, Any],
    base_url: str,
    session: requests.Session,
    headers: dict[str, str],
    seen: dict[str, set[int]],
) -> None:
    """Call one operation with `examples` generated cases of `mode`; record the statuses."""
    checks = [_check(name) for name in CHECKED]
    label = f"{operation.label} {mode.value}"
    strategy = operation.as_strategy(generation_mode=mode, path_parameters=fixed)

    @settings(
        max_examples=examples,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def run(case: schemathesis.Case) -> None:
        case.path_parameters = {**(case.path_parameters or {}), **fixed}
        case.headers = {**(case.headers or {}), **headers}
        response = case.call_and_validate(base_url=base_url, session=session, checks=checks)
        seen.setdefault(label, set()).add(response.status_code)
        if response.status_code >= 400:
            detail = response.json().get("detail")
            assert detail, f"{label}: {response.status_code} without a message"

    try:
        run()
    except Exception as error:
        # Nothing invalid can be made for an operation without inputs: nothing to check.
        if mode is not GenerationMode.NEGATIVE or "Unsatisfiable" not in type(error).__name__:
            raise
