"""The Koers API under /api/v1/, with its OpenAPI document at /api/v1/openapi.json."""

from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema
from ninja.parser import Parser

from koers.core.errors import KoersError

from . import (
    aftercare,
    decisions,
    instructions,
    landscape,
    portfolio,
    products,
    projects,
    pulse,
    roadmap,
    rollout,
    stakeholders,
    steering,
    wins,
)
from .auth import TokenAuth

# Answers every operation may give before its own code runs: ninja's for a body that is not
# JSON (400) and for input that fails the schema (422, `detail` lists what and where), and
# the token check's (401). Documented on every operation, so clients and schema checks know.
FRAMEWORK_ANSWERS = {
    400: "The request body cannot be read, or a rule of Koers refused the input.",
    401: "No usable token: missing, unknown, revoked or expired.",
    422: "The input does not match the schema; `detail` says which field and why.",
}
ERROR_BODY = {
    "type": "object",
    "properties": {"detail": {"title": "Detail"}, "field": {"type": "string", "nullable": True}},
    "required": ["detail"],
}


class ObjectsOnly(Parser):
    """Every body Koers takes is a JSON object or list: `null`, a number or a string is
    refused (400) before a schema whose fields all have defaults could read it as `{}`."""

    def parse_body(self, request: HttpRequest) -> Any:
        data = super().parse_body(request)
        if not isinstance(data, dict | list):
            raise ValueError("the body is not a JSON object")
        return data


class KoersAPI(NinjaAPI):
    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        for methods in schema["paths"].values():
            for operation in methods.values():
                responses = operation.setdefault("responses", {})
                for status, description in FRAMEWORK_ANSWERS.items():
                    if status == 401 and not operation.get("security"):
                        continue
                    responses.setdefault(
                        status,
                        {
                            "description": description,
                            "content": {"application/json": {"schema": ERROR_BODY}},
                        },
                    )
        return schema


api = KoersAPI(
    title="Koers API",
    version="1",
    description="Projects, scope and plans of a Koers workspace. "
    "Authenticate with a personal token: `Authorization: Bearer koers_...`.",
    auth=TokenAuth(),
    urls_namespace="api",
    parser=ObjectsOnly(),
)


@api.exception_handler(KoersError)
def koers_error(request: HttpRequest, exc: KoersError) -> Any:
    return api.create_response(
        request, {"detail": str(exc.message), "field": exc.field}, status=400
    )


api.add_router("/", projects.router)
api.add_router("/", roadmap.router)
api.add_router("/", pulse.router)
api.add_router("/", rollout.router)
api.add_router("/", stakeholders.router)
api.add_router("/", decisions.router)
api.add_router("/", wins.router)
api.add_router("/", steering.router)
api.add_router("/", landscape.router)
api.add_router("/", aftercare.router)
api.add_router("/", products.router)
api.add_router("/", instructions.router)
api.add_router("/", portfolio.router)


@api.exception_handler(RequestDataTooBig)
def body_too_big(request: HttpRequest, exc: RequestDataTooBig) -> Any:
    limit = (settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0) / (1024 * 1024)
    return api.create_response(
        request,
        {
            "detail": _("The request body is larger than %(limit)s MB.") % {"limit": f"{limit:g}"}
            + " "
            + _("Send it in smaller parts, such as fewer people per call.")
        },
        status=413,
    )
