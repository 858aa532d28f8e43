"""The public page of user instructions: reached by its link alone, on a phone, without
logging in. Light on purpose, like the public answer pages: no JavaScript, no third-party
resources, no app chrome; the reader chooses Dutch or English; printable."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.http import require_safe

from koers.core import ratelimit

from . import queries
from .models import LANGUAGES


@require_safe
@ratelimit.per_address("instructions")
def instructions_public(request: HttpRequest, token: str) -> HttpResponse:
    instructions = queries.published(token)
    if instructions is None:
        raise Http404
    project = instructions.project
    asked = request.GET.get("lang", "")
    language = asked if asked in LANGUAGES else project.language
    with translation.override(language):
        response = render(
            request,
            "instructions/public.html",
            {
                "instructions": instructions,
                "project": project,
                "wave": instructions.wave,
                "texts": instructions.texts(language),
                "language": language,
                "languages": LANGUAGES,
            },
        )
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    response["Content-Language"] = language
    return response
