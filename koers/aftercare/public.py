"""The client's evaluation page: answered once, on a phone, without logging in.

Light like the pulse's answer pages, whose look it shares: no JavaScript, no third-party
resources, no app chrome; in the project's language unless the reader picks another. Every
visit counts against a rate limit per client address.
"""

from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from django_scopes import scope, scopes_disabled

from koers.core import ratelimit
from koers.core.errors import KoersError
from koers.core.forms import add_domain_error
from koers.core.tokens import hash_token

from . import services
from .forms import EvaluationForm
from .models import Evaluation

MAX_TOKEN = 200


def _evaluation(token: str) -> Evaluation:
    """The one read outside a workspace scope: the token is the right to this one row."""
    if not token or len(token) > MAX_TOKEN:
        raise Http404
    with scopes_disabled():
        found = (
            Evaluation.objects.select_related("project__workspace", "project__client")
            .filter(token_hash=hash_token(token))
            .first()
        )
    if found is None:
        raise Http404
    return found


def _language(request: HttpRequest, evaluation: Evaluation) -> str:
    asked = request.GET.get("lang", "")
    return asked if asked in dict(settings.LANGUAGES) else evaluation.project.language


def _page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    response = render(request, f"aftercare/evaluation/{template}", context, status=status)
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    response["Content-Language"] = translation.get_language() or settings.LANGUAGE_CODE
    return response


@csrf_exempt  # no session to ride on: the token is the right, and it takes one answer only
@require_http_methods(["GET", "HEAD", "POST"])
@ratelimit.per_address("evaluation")
def answer(request: HttpRequest, token: str) -> HttpResponse:
    """The evaluation form, the thank-you once sent, 'already answered' after that."""
    evaluation = _evaluation(token)
    language = _language(request, evaluation)
    with translation.override(language), scope(workspace=evaluation.project.workspace):
        if evaluation.revoked_at is not None:
            return _page(request, "closed.html", {}, status=410)
        context = {"evaluation": evaluation, "project": evaluation.project, "language": language}
        if evaluation.answered_at is not None:
            return _page(request, "thanks.html", context | {"again": True})
        form = EvaluationForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.evaluation_answer(
                    evaluation=evaluation, language=language, **form.cleaned_data
                )
            except KoersError as error:
                add_domain_error(form, error)
            else:
                return _page(request, "thanks.html", context | {"again": False})
        scale = [(0, _("very poor")), *((n, "") for n in range(1, 10)), (10, _("excellent"))]
        return _page(
            request,
            "form.html",
            context | {"form": form, "scale": scale, "action": request.get_full_path()},
            status=400 if form.errors else 200,
        )
