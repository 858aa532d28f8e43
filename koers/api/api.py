"""The Koers API under /api/v1/, with its OpenAPI document at /api/v1/openapi.json."""

from typing import Any

from django.http import HttpRequest
from ninja import NinjaAPI

from koers.core.errors import KoersError

from . import projects, pulse, roadmap, rollout
from .auth import TokenAuth

api = NinjaAPI(
    title="Koers API",
    version="1",
    description="Projects, scope and plans of a Koers workspace. "
    "Authenticate with a personal token: `Authorization: Bearer koers_...`.",
    auth=TokenAuth(),
    urls_namespace="api",
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
