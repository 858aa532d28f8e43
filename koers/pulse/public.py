"""The respondent's pages: answer a round without logging in, and 'you said, we did'.

Light on purpose: no JavaScript, no third-party resources, no app chrome, the respondent's
own language. Each visit counts against a rate limit per link and client address; the
client address is used for that count only (hashed, in a rate-limit counter row) and never
stored with an answer. Every form carries a signed single-use key, so a double click or a
replayed request cannot add a second answer.
"""

import secrets
from functools import cache, lru_cache
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import connection
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe
from django_scopes import scope, scopes_disabled

from koers.core import ratelimit
from koers.core.errors import KoersError
from koers.core.tokens import hash_token
from koers.projects.models import Project
from koers.workspaces.models import Client, Workspace

from . import services
from .forms import AnswerForm
from .models import (
    FeedbackItem,
    FeedbackPage,
    PersonalLink,
    PublicLink,
    Question,
    Round,
    edit_key_for,
)
from .questions import SCALE_LABELS

MAX_TOKEN = 200
DAY = 24 * 60 * 60
LINK_MODELS: list[type[Model]] = [PublicLink, Round, Project, Workspace, Client]


def _language(request: HttpRequest) -> str:
    """Return the respondent's language: ?lang= if given, else what the browser asked for."""
    asked = request.GET.get("lang", "")
    codes = {code for code, _name in settings.LANGUAGES}
    return asked if asked in codes else (translation.get_language() or settings.LANGUAGE_CODE)


def _page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    response = render(request, template, context, status=status)
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    response["Content-Language"] = translation.get_language() or settings.LANGUAGE_CODE
    return response


def _thanks(language: str) -> HttpResponse:
    """The thank-you after a public answer: the same page for everyone in a language."""
    response = HttpResponse(_thanks_html(language) if not settings.DEBUG else _render_thanks())
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    response["Content-Language"] = translation.get_language() or settings.LANGUAGE_CODE
    return response


@lru_cache(maxsize=16)
def _thanks_html(language: str) -> str:
    """Render the public thank-you once per language and process; it holds nothing personal."""
    with translation.override(language):
        return _render_thanks()


def _render_thanks() -> str:
    return render_to_string("pulse/answer/thanks.html", {"personal": False})


def _limited(request: HttpRequest, token: str) -> str | None:
    """Count this visit; return why the link and address may not go on, or None.

    A visit counts against the minute; an answer sent also against the address's answers of
    the day, in the same statement, so the answer path pays no extra round trip.
    """
    identity = f"{token}|{ratelimit.client_address(request)}"
    if request.method != "POST":
        per_minute = ratelimit.hit("pulse-answer", identity, window=60)
        return "minute" if per_minute > settings.PUBLIC_RATE_LIMIT else None
    per_minute, per_day = ratelimit.hits(
        [("pulse-answer", identity, 60), ("pulse-answers-day", identity, DAY)]
    )
    if per_minute > settings.PUBLIC_RATE_LIMIT:
        return "minute"
    return "day" if per_day > settings.PUBLIC_ANSWERS_PER_ADDRESS else None


def _limited_page(request: HttpRequest, why: str) -> HttpResponse:
    return _page(request, "pulse/answer/limited.html", {"why": why}, status=429)


# The browser's marker that it answered a round: a signed random value, no personal data, and
# nothing stored beside it, so it can never be tied to the answer it stands for.
MARKER_COOKIE = "koers_answered"
MARKER_SALT = "koers.pulse.answered"


def _has_answered(request: HttpRequest, round: Round) -> bool:
    try:
        marked = signing.loads(request.COOKIES.get(MARKER_COOKIE, ""), salt=MARKER_SALT)
    except signing.BadSignature:
        return False
    return isinstance(marked, dict) and marked.get("round") == round.pk


def _mark_answered(response: HttpResponse, request: HttpRequest, round: Round) -> None:
    marked = {"round": round.pk, "nonce": secrets.token_urlsafe(16)}
    marker = signing.dumps(marked, salt=MARKER_SALT)
    response.set_cookie(
        MARKER_COOKIE,
        marker,
        max_age=max(DAY, int((round.closes_at - timezone.now()).total_seconds()) + DAY),
        path=request.path,  # this link's page only
        secure=settings.HTTPS,
        httponly=True,
        samesite="Lax",
    )


def link_for_token(token: str) -> tuple[PublicLink, list[Question]] | None:
    """Return the link a signed public token names and its round's own questions, or None.

    The one place an answer page reads outside a workspace scope: the signed token is the
    access right, and it names exactly one round. A token whose signature fails costs no query.
    The link comes with its round, the round's project, workspace and client, and the
    questions come beside it, in two prepared statements: every answer pays for this lookup,
    and the ORM's query building cost more than the queries themselves.
    """
    if not token or len(token) > MAX_TOKEN:
        return None
    key = PublicLink.key_from_token(token)
    if key is None:
        return None
    with connection.cursor() as cursor:
        cursor.execute(_link_query().sql, [key])
        row = cursor.fetchone()
        if row is None:
            return None
        link, round, project, workspace, client = _link_query().load(row)
        cursor.execute(_questions_query().sql, [round.pk])
        questions = [_questions_query().load(found)[0] for found in cursor.fetchall()]
    project.workspace, project.client = workspace, client
    round.project = project
    link.round = round
    for question in questions:
        question.round = round
    return link, questions


class _Query:
    """A hand-written SELECT of whole rows of `models`, turned back into model instances.

    Columns come from each model's own fields, and values pass through the same converters
    the ORM applies, so the instances equal what `select_related` would give.
    """

    def __init__(self, models: list[tuple[type[Model], str]], tail: str) -> None:
        quote = connection.ops.quote_name
        self.parts: list[tuple[type[Model], list[str], list[Any]]] = []
        columns = []
        for model, alias in models:
            fields = model._meta.concrete_fields
            expressions = [field.get_col(alias) for field in fields]
            converters = [
                connection.ops.get_db_converters(expression) + field.get_db_converters(connection)
                for field, expression in zip(fields, expressions, strict=True)
            ]
            names = [str(field.attname) for field in fields]
            self.parts.append((model, names, list(zip(converters, expressions, strict=True))))
            columns += [f"{alias}.{quote(str(field.column))}" for field in fields]
        self.sql = f"SELECT {', '.join(columns)} {tail}"

    def load(self, row: tuple[Any, ...]) -> list[Any]:
        found = []
        offset = 0
        for model, names, conversions in self.parts:
            values = []
            for (converters, expression), value in zip(
                conversions, row[offset : offset + len(names)], strict=True
            ):
                for convert in converters:
                    value = convert(value, expression, connection)
                values.append(value)
            offset += len(names)
            found.append(model.from_db(connection.alias, names, values))
        return found


@cache
def _link_query() -> _Query:
    table = {model: connection.ops.quote_name(model._meta.db_table) for model in LINK_MODELS}
    key = connection.ops.quote_name("key")
    return _Query(
        list(zip(LINK_MODELS, ["l", "r", "p", "w", "c"], strict=True)),
        f"FROM {table[PublicLink]} l JOIN {table[Round]} r ON r.id = l.round_id "
        f"JOIN {table[Project]} p ON p.id = r.project_id "
        f"JOIN {table[Workspace]} w ON w.id = p.workspace_id "
        f"JOIN {table[Client]} c ON c.id = p.client_id WHERE l.{key} = %s",
    )


@cache
def _questions_query() -> _Query:
    table = connection.ops.quote_name(Question._meta.db_table)
    position = connection.ops.quote_name("position")
    return _Query(
        [(Question, "q")], f"FROM {table} q WHERE q.round_id = %s ORDER BY q.{position}, q.id"
    )


@never_cache
@csrf_exempt  # no session or login to ride on; the signed single-use form key guards the POST
@require_http_methods(["GET", "HEAD", "POST"])
def answer(request: HttpRequest, token: str) -> HttpResponse:
    """The public answer page of a round: the form, and the thank-you once sent."""
    with translation.override(_language(request)):
        if why := _limited(request, token):
            return _limited_page(request, why)
        found = link_for_token(token)
        if found is None:
            raise Http404
        link, questions = found
        round = link.round
        if not link.is_live or not round.is_accepting:
            return _page(request, "pulse/answer/closed.html", {"round": round}, status=410)
        if _has_answered(request, round):
            # A reload or a second visit of a browser that answered: counted once, said kindly.
            return _page(request, "pulse/answer/thanks.html", {"round": round, "again": True})
        with scope(workspace=round.project.workspace):
            return _answer(request, round, questions, scope_key=link.key)


@never_cache
@csrf_exempt  # the personal token is the right; the signed single-use form key guards the POST
@require_http_methods(["GET", "HEAD", "POST"])
def personal_answer(request: HttpRequest, token: str) -> HttpResponse:
    """One person's answer page: answer once, change it until the round closes."""
    with translation.override(_language(request)):
        if why := _limited(request, token):
            return _limited_page(request, why)
        link = services.personal_link_for_token(token)
        if link is None:
            raise Http404
        round = link.round
        if not round.is_accepting:
            return _page(request, "pulse/answer/closed.html", {"round": round}, status=410)
        with scope(workspace=round.project.workspace):
            # The form always opens empty: whoever holds the link (a colleague at the
            # person's desk, a forwarded mail) never sees an earlier answer, and a new one
            # replaces it unseen.
            return _answer(
                request,
                round,
                list(round.questions.all()),
                scope_key=link.token_hash,
                personal=link,
                edit_key=edit_key_for(token),
            )


def _answer(
    request: HttpRequest,
    round: Round,
    questions: list[Question],
    *,
    scope_key: str,
    personal: PersonalLink | None = None,
    edit_key: str | None = None,
) -> HttpResponse:
    language = translation.get_language() or settings.LANGUAGE_CODE
    form = AnswerForm(
        request.POST or None,
        round=round,
        questions=questions,
        # A person's department comes from their record, not from the form.
        ask_department=round.ask_department and personal is None,
    )
    status = 200
    if request.method == "POST":
        try:
            nonce = services.form_key_check(request.POST.get("form_key", ""), scope_key)
        except KoersError as error:
            form.add_error(None, str(error.message))
            status = 400
        else:
            if form.is_valid():
                try:
                    services.answer_submit(
                        round=round,
                        form_key=hash_token(nonce),
                        values=form.cleaned_data,
                        questions=questions,
                        language=language,
                        edit_key=edit_key,
                        department=personal.person.department if personal else None,
                        personal_link=personal,
                    )
                except services.DuplicateSubmission:
                    return _page(
                        request,
                        "pulse/answer/thanks.html",
                        {"round": round, "again": True, "personal": personal is not None},
                        status=409,
                    )
                except services.RoundClosed:
                    return _page(request, "pulse/answer/closed.html", {"round": round}, status=410)
                except KoersError as error:
                    form.add_error(error.field, str(error.message))
                else:
                    if personal is None:
                        thanks = _thanks(language)
                        _mark_answered(thanks, request, round)
                        return thanks
                    return _page(
                        request, "pulse/answer/thanks.html", {"round": round, "personal": True}
                    )
            status = 400
    return _page(
        request,
        "pulse/answer/form.html",
        {
            "round": round,
            "form": form,
            "form_key": services.form_key_issue(scope_key),
            "scale": SCALE_LABELS,
            "language": language,
            "action": request.get_full_path(),
            "personal": personal is not None,
        },
        status=status,
    )


@require_safe
@ratelimit.per_address("feedback-page")
def you_said_we_did(request: HttpRequest, token: str) -> HttpResponse:
    """The shared 'you said, we did' page: what people said and what the project did."""
    if not token or len(token) > MAX_TOKEN:
        raise Http404
    with scopes_disabled():
        page = (
            FeedbackPage.objects.select_related("project__workspace", "project__client")
            .filter(token_hash=hash_token(token), revoked_at__isnull=True)
            .first()
        )
    if page is None:
        raise Http404
    project = page.project
    with scope(workspace=project.workspace), translation.override(project.language):
        items = list(
            project.feedback_items.filter(is_shared=True)
            .exclude(status=FeedbackItem.Status.NEW)
            .select_related("phase")
            .order_by("status", "-updated_at")
        )
        return _page(
            request,
            "pulse/you_said_we_did.html",
            {"project": project, "items": items, "today": timezone.localdate()},
        )
