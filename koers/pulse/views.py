"""The project team's pulse pages: rounds, results, feedback items, status updates, report."""

from datetime import date
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from koers.core.errors import KoersError, show_error
from koers.core.forms import add_domain_error
from koers.core.spreadsheets import csv_separator
from koers.decisions import queries as decision_queries
from koers.outbox.services import mail_retry
from koers.projects.models import Project
from koers.projects.queries import project_for
from koers.workspaces.models import Role
from koers.workspaces.tenancy import WorkspaceRequest, workspace_view

from . import export, mailing, queries, report, services
from .forms import (
    FeedbackForm,
    PublicLinkForm,
    RoundForm,
    StatusUpdateForm,
    ThresholdsForm,
    question_formset,
    question_specs,
)
from .models import FeedbackItem, Round, StatusUpdate, Thresholds, week_start
from .questions import OPEN_QUESTIONS, STATEMENTS

OPEN_ANSWERS_PAGE = 50
FEEDBACK_PAGE = 50
STATUS_PAGE = 20
NEEDED_SHOWN = 8


def _to(name: str, project: Project, **kwargs: Any) -> HttpResponse:
    return redirect(
        "pulse:" + name, workspace=project.workspace.slug, project=project.slug, **kwargs
    )


def _answer_url(request: WorkspaceRequest, token: str) -> str:
    """Return the public link's address; personal links exist only in mails (mailing.py)."""
    return request.build_absolute_uri(reverse("pulse_answer", args=[token]))


@workspace_view(guests=True)
@require_safe
def rounds(request: WorkspaceRequest, project: str) -> HttpResponse:
    """The project's pulse rounds, the trend over them, and the watermelon signal."""
    found = project_for(request, project)
    signal = queries.project_signals([found], request.workspace)[found.pk]
    return render(
        request,
        "pulse/rounds.html",
        {
            "project": found,
            "rounds": found.pulse_rounds.select_related("phase").order_by("-number"),
            "trend": queries.trend(found),
            "statements": STATEMENTS,
            "signal": signal,
        },
    )


def _round_form(request: WorkspaceRequest, found: Project, round: Round | None) -> HttpResponse:
    form = RoundForm(request.POST or None, instance=round or Round(project=found), project=found)
    formset = question_formset(request.POST or None, round)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = form.cleaned_data
        fields = {
            "title": data["title"],
            "closes_at": data["closes_at"],
            "phase": data["phase"],
            "wave": data["wave"],
            "ask_department": data["ask_department"],
            "departments": data["departments"],
            "questions": question_specs(formset),
        }
        try:
            if round is None:
                round = services.round_create(project=found, actor=request.user, **fields)
            else:
                round = services.round_update(round=round, **fields)
        except KoersError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The pulse round is saved."))
            return _to("round", found, round=round.number)
    return render(
        request,
        "pulse/round_form.html",
        {
            "project": found,
            "round": round,
            "form": form,
            "formset": formset,
            "statements": STATEMENTS,
            "open_questions": OPEN_QUESTIONS,
            "locked": round is not None and round.answers.exists(),
        },
    )


@workspace_view(Role.MEMBER)
def round_create(request: WorkspaceRequest, project: str) -> HttpResponse:
    """Prepare a round: the method's fixed questions and the team's own."""
    return _round_form(request, project_for(request, project), None)


@workspace_view(Role.MEMBER)
def round_edit(request: WorkspaceRequest, project: str, round: int) -> HttpResponse:
    found = project_for(request, project)
    return _round_form(request, found, queries.round_for(found, round))


@workspace_view(guests=True)
@require_safe
def round_detail(request: WorkspaceRequest, project: str, round: int) -> HttpResponse:
    """A round's results (in steps of five answers), its links and, once closed, open answers."""
    found = project_for(request, project)
    current = queries.round_for(found, round)
    by = request.GET.get("by")
    link = current.public_links.filter(revoked_at__isnull=True).first()
    may_change = request.membership.has_role(Role.MEMBER) and not request.membership.is_guest
    answers = queries.published(current)
    return render(
        request,
        "pulse/round.html",
        {
            "project": found,
            "round": current,
            "results": queries.results(current, by, found=answers),
            "by": by if by in queries.GROUPINGS else "",
            "response": queries.response(current) if may_change else None,
            "own_results": queries.own_results(current, found=answers),
            "open_answers": Paginator(
                queries.open_answers(current, found=answers), OPEN_ANSWERS_PAGE
            ).get_page(request.GET.get("page")),
            "statements": STATEMENTS,
            "link": link if link and link.is_live and may_change else None,
            "link_url": _answer_url(request, link.token) if link and may_change else "",
            "link_form": PublicLinkForm(),
            "may_change": may_change,
            "now": timezone.now(),
            "mailing": _mailing(current) if may_change else None,
        },
    )


def _mailing(round: Round) -> dict[str, Any]:
    return {
        "counts": mailing.mail_counts(round),
        "failed": mailing.failed_mails(round),
        "departments": mailing.departments(round),
    }


@workspace_view(Role.MEMBER)
@require_POST
def round_open(request: WorkspaceRequest, project: str, round: int) -> HttpResponse:
    found = project_for(request, project)
    current = queries.round_for(found, round)
    try:
        services.round_open(round=current, actor=request.user)
    except KoersError as error:
        show_error(request, error)
    else:
        messages.success(request, _("The round is open: share its link."))
    return _to("round", found, round=current.number)


@workspace_view(Role.MEMBER)
@require_POST
def round_close(request: WorkspaceRequest, project: str, round: int) -> HttpResponse:
    found = project_for(request, project)
    current = services.round_close(round=queries.round_for(found, round))
    messages.success(request, _("The round is closed; its links no longer take answers."))
    return _to("round", found, round=current.number)


@workspace_view(Role.MEMBER)
@require_POST
def link_create(request: WorkspaceRequest, project: str, round: int) -> HttpResponse:
    """Make a new public link; the old one stops working."""
    found = project_for(request, project)
    current = queries.round_for(found, round)
    form = PublicLinkForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a valid end date."))
    else:
        try:
            services.public_link_create(
                round=current, actor=request.user, expires_at=form.cleaned_data["expires_at"]
            )
        except KoersError as error:
            show_error(request, error)
        else:
            messages.success(request, _("A new link is made; the earlier one no longer works."))
    return _to("round", found, round=current.number)


@workspace_view(Role.MEMBER)
@require_POST
def link_revoke(request: WorkspaceRequest, project: str, round: int) -> HttpResponse:
    found = project_for(request, project)
    current = queries.round_for(found, round)
    services.public_link_revoke(round=current)
    messages.success(request, _("The public link no longer works."))
    return _to("round", found, round=current.number)


BACKGROUND_NOTE = gettext_lazy(
    "Koers is mailing in the background; the counts below follow as the mails go out."
)


def _base_url(request: WorkspaceRequest) -> str:
    """Return the scheme and host the links in mails start with (the page never shows one)."""
    return request.build_absolute_uri("/").removesuffix("/")


@workspace_view(Role.MEMBER)
@require_POST
def round_links_mail(request: WorkspaceRequest, project: str, round: int) -> HttpResponse:
    """Mail each person of the round's wave (or of one department) their own link, once."""
    found = project_for(request, project)
    current = queries.round_for(found, round)
    department = request.POST.get("department", "").strip()[:150]
    try:
        if mailing.links_mail_is_large(current, department):
            mailing.round_links_mail_later(
                round=current, base_url=_base_url(request), department=department
            )
            messages.success(request, BACKGROUND_NOTE)
            return _to("round", found, round=current.number)
        summary = mailing.round_links_mail(
            round=current,
            answer_url=mailing.personal_url(_base_url(request)),
            department=department,
        )
    except KoersError as error:
        show_error(request, error)
    else:
        messages.success(
            request,
            _(
                "Links mailed: %(mailed)s; mailed before or answered: %(before)s; "
                "no e-mail address: %(none)s."
            )
            % {"mailed": summary.mailed, "before": summary.before, "none": summary.no_address},
        )
    return _to("round", found, round=current.number)


@workspace_view(Role.MEMBER)
@require_POST
def round_remind(request: WorkspaceRequest, project: str, round: int) -> HttpResponse:
    """Remind those who have not answered; the team learns how many, not who."""
    found = project_for(request, project)
    current = queries.round_for(found, round)
    try:
        if mailing.reminders_are_many(current):
            mailing.round_reminders_mail_later(round=current, base_url=_base_url(request))
            messages.success(request, BACKGROUND_NOTE)
            return _to("round", found, round=current.number)
        count = mailing.round_reminders_mail(
            round=current, answer_url=mailing.personal_url(_base_url(request))
        )
    except KoersError as error:
        show_error(request, error)
    else:
        messages.success(request, _("Reminders mailed: %(count)s.") % {"count": count})
    return _to("round", found, round=current.number)


@workspace_view(Role.MEMBER)
@require_POST
def round_mail_retry(
    request: WorkspaceRequest, project: str, round: int, message: int
) -> HttpResponse:
    """Send a failed mail of this round again (the same link, one more attempt)."""
    found = project_for(request, project)
    current = queries.round_for(found, round)
    failed = get_object_or_404(mailing.failed_mails(current), pk=message)
    try:
        mail_retry(message=failed)
    except KoersError as error:
        show_error(request, error)
    else:
        messages.success(request, _("The mail is queued to be sent again."))
    return _to("round", found, round=current.number)


@workspace_view(Role.MEMBER)
@require_safe
def link_qr(request: WorkspaceRequest, project: str, round: int) -> HttpResponse:
    """The public link as a QR code (SVG), to print on a poster or a slide."""
    found = project_for(request, project)
    current = queries.round_for(found, round)
    link = get_object_or_404(current.public_links, revoked_at__isnull=True)
    response = HttpResponse(
        export.qr_svg(_answer_url(request, link.token)), content_type="image/svg+xml"
    )
    if "download" in request.GET:
        name = f"{found.slug}-pulse-{current.number}-qr.svg"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@workspace_view(Role.MEMBER)
@require_safe
def answers_export(request: WorkspaceRequest, project: str, round: int, fmt: str) -> HttpResponse:
    """The answers of a closed round as CSV or XLSX, under the same rule as the results page."""
    found = project_for(request, project)
    current = queries.round_for(found, round)
    table = export.answer_table(current)
    if table is None:
        messages.error(
            request,
            _(
                "Answers are exported once the round is closed and five or more people "
                "answered: until then an export could be compared with a later one."
            ),
        )
        return _to("round", found, round=current.number)
    name = f"{found.slug}-pulse-{current.number}-{timezone.localdate().isoformat()}"
    if fmt == "xlsx":
        response = HttpResponse(export.to_xlsx(table), content_type=export.XLSX)
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    else:
        separator = csv_separator(request.GET.get("sep"), get_language())
        body = export.to_csv(table, separator=separator)
        response = HttpResponse(body, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response


@workspace_view(Role.MEMBER)
@require_POST
def feedback_from_answer(request: WorkspaceRequest, project: str, round: int) -> HttpResponse:
    """Turn a published open answer into a feedback item and go and edit it."""
    found = project_for(request, project)
    current = queries.round_for(found, round)
    named = queries.open_answer(current, request.POST.get("answer", ""))
    if named is None:
        raise Http404("no such open answer")
    answer_id, question = named
    try:
        item = services.feedback_from_answer(
            round=current,
            answer=get_object_or_404(current.answers, pk=answer_id),
            question=question,
            actor=request.user,
        )
    except KoersError as error:
        show_error(request, error)
        return _to("round", found, round=current.number)
    return _to("feedback_edit", found, feedback=item.pk)


# Feedback items.


@workspace_view(guests=True)
@require_safe
def feedback_list(request: WorkspaceRequest, project: str) -> HttpResponse:
    found = project_for(request, project)
    status = request.GET.get("status", "")
    items = found.feedback_items.select_related("phase", "plan_revision", "pulse_round").defer(
        "plan_revision__snapshot"  # a whole plan per revision, of which the list shows the number
    )
    if status in FeedbackItem.Status.values:
        items = items.filter(status=status)
    listed = Paginator(items, FEEDBACK_PAGE).get_page(request.GET.get("page"))
    shared = found.feedback_pages.filter(revoked_at__isnull=True).first()
    new_token = request.session.pop("koers_feedback_page", None)
    return render(
        request,
        "pulse/feedback_list.html",
        {
            "project": found,
            "items": listed.object_list,
            "page": listed,
            "status": status,
            "statuses": FeedbackItem.Status,
            "shared_page": shared,
            "new_url": request.build_absolute_uri(
                reverse("pulse_you_said_we_did", args=[new_token])
            )
            if new_token
            else "",
        },
    )


def _feedback_form(
    request: WorkspaceRequest, found: Project, item: FeedbackItem | None
) -> HttpResponse:
    form = FeedbackForm(
        request.POST or None,
        instance=item or FeedbackItem(project=found),
        project=found,
        initial={"source": request.GET.get("source")} if item is None else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            if item is None:
                services.feedback_create(project=found, actor=request.user, **form.cleaned_data)
            else:
                services.feedback_update(item=item, **form.cleaned_data)
        except KoersError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The feedback item is saved."))
            return _to("feedback", found)
    return render(
        request, "pulse/feedback_form.html", {"project": found, "form": form, "item": item}
    )


@workspace_view(Role.MEMBER)
def feedback_create(request: WorkspaceRequest, project: str) -> HttpResponse:
    return _feedback_form(request, project_for(request, project), None)


@workspace_view(Role.MEMBER)
def feedback_edit(request: WorkspaceRequest, project: str, feedback: int) -> HttpResponse:
    found = project_for(request, project)
    return _feedback_form(request, found, get_object_or_404(found.feedback_items, pk=feedback))


@workspace_view(Role.MEMBER)
@require_POST
def feedback_share(request: WorkspaceRequest, project: str) -> HttpResponse:
    """Make the link to the 'you said, we did' page; shown once."""
    found = project_for(request, project)
    _page, token = services.feedback_page_create(project=found, actor=request.user)
    request.session["koers_feedback_page"] = token
    return _to("feedback", found)


@workspace_view(Role.MEMBER)
@require_POST
def feedback_share_revoke(request: WorkspaceRequest, project: str) -> HttpResponse:
    found = project_for(request, project)
    services.feedback_page_revoke(project=found)
    messages.success(request, _("The 'you said, we did' link no longer works."))
    return _to("feedback", found)


# Status updates and the report.


@workspace_view(guests=True)
@require_safe
def status_updates(request: WorkspaceRequest, project: str) -> HttpResponse:
    found = project_for(request, project)
    updates = found.status_updates.select_related("actor")
    page = Paginator(updates, STATUS_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "pulse/status_list.html",
        {"project": found, "updates": page.object_list, "page": page},
    )


def _week(text: str | None) -> date:
    try:
        return week_start(date.fromisoformat(text or ""))
    except ValueError:
        return week_start(timezone.localdate())


@workspace_view(Role.MEMBER)
def status_update_edit(request: WorkspaceRequest, project: str) -> HttpResponse:
    """Write this week's update (or the week in ?week=); writing it again replaces it."""
    found = project_for(request, project)
    week = _week(request.GET.get("week"))
    existing = found.status_updates.filter(week=week).first()
    previous = found.status_updates.filter(week__lt=week).first()
    initial: dict[str, Any] = {"week": week}
    if existing is None and previous is not None:
        initial |= {"status": previous.status, "risks": previous.risks}
    form = StatusUpdateForm(
        request.POST or None, instance=existing or StatusUpdate(project=found), initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.status_update_save(project=found, actor=request.user, **form.cleaned_data)
        except KoersError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The status update is saved."))
            return _to("report", found)
    return render(
        request,
        "pulse/status_form.html",
        {"project": found, "form": form, "week": week, "previous": previous},
    )


def _decisions_needed(project: Project) -> dict[str, Any]:
    """The decision log's open decisions, shown beside the update's own decisions text."""
    needed, count = decision_queries.needed_shown(project, NEEDED_SHOWN)
    return {"decisions_needed": needed, "decisions_needed_count": count}


@workspace_view(guests=True)
@require_safe
def status_report(request: WorkspaceRequest, project: str) -> HttpResponse:
    """Progress and understanding side by side, with the reported status."""
    found = project_for(request, project)
    context = {"project": found, **report.report_context(found), **_decisions_needed(found)}
    return render(request, "pulse/report.html", context)


@workspace_view(guests=True)
@require_safe
def status_report_pdf(request: WorkspaceRequest, project: str) -> HttpResponse:
    found = project_for(request, project)
    pdf = report.render_pdf(found, extra=_decisions_needed(found))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{report.filename(found)}"'
    return response


@workspace_view(Role.MANAGER)
def thresholds(request: WorkspaceRequest) -> HttpResponse:
    """The workspace's watermelon thresholds: the method's numbers unless changed here."""
    current = Thresholds.objects.filter(workspace=request.workspace).first()
    form = ThresholdsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.thresholds_update(workspace=request.workspace, **form.cleaned_data)
        except KoersError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The thresholds are saved."))
            return redirect("pulse_thresholds", workspace=request.workspace.slug)
    return render(request, "pulse/thresholds.html", {"form": form})
