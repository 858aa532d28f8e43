"""Aftercare of a project: its lessons learned, the earlier lessons that fit it, the handover
to operations, the client's evaluations and the reference case. The team's internal record:
client guests get 404."""

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from koers.core import paging
from koers.core.errors import KoersError, show_error
from koers.core.forms import add_domain_error
from koers.projects.models import Project
from koers.projects.queries import project_for
from koers.workspaces.models import Role
from koers.workspaces.tenancy import WorkspaceRequest, may_edit, workspace_view

from . import queries, services
from .forms import HandoverItemForm, LessonForm, ReferenceCaseForm, ShadowForm, TakeForm
from .models import HandoverItem, Lesson, ReferenceCase

LESSONS_PAGE = 50
EVALUATIONS_PAGE = 50
NEW_EVALUATION = "koers_new_evaluation"


@workspace_view()
@require_safe
def lessons(request: WorkspaceRequest, project: str) -> HttpResponse:
    """The project's lessons learned, and the earlier lessons that fit it, to take along."""
    found = project_for(request, project)
    page, cursor = paging.page_of_request(
        request,
        queries.lesson_rows(found).order_by(),
        name="lessons",
        ordering=["-recorded_at"],
        limit=LESSONS_PAGE,
    )
    return render(
        request,
        "aftercare/lessons.html",
        {
            "project": found,
            "page": page,
            "cursor": cursor,
            "matches": queries.matches(found),
            "taken": queries.taken_rows(found),
        },
    )


def _lesson_form(
    request: WorkspaceRequest, project: Project, lesson: Lesson | None
) -> HttpResponse:
    form = LessonForm(request.POST or None, instance=lesson, project=project)
    if request.method == "POST" and form.is_valid():
        try:
            if lesson is None:
                services.lesson_create(project=project, actor=request.user, **form.cleaned_data)
            else:
                services.lesson_update(lesson=lesson, **form.cleaned_data)
        except KoersError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The lesson is saved."))
            return redirect(project.url("aftercare:lessons"))
    return render(
        request, "aftercare/lesson_form.html", {"project": project, "form": form, "lesson": lesson}
    )


@workspace_view(Role.MEMBER)
def lesson_create(request: WorkspaceRequest, project: str) -> HttpResponse:
    return _lesson_form(request, project_for(request, project), None)


@workspace_view(Role.MEMBER)
def lesson_edit(request: WorkspaceRequest, project: str, lesson: int) -> HttpResponse:
    found = project_for(request, project)
    return _lesson_form(request, found, get_object_or_404(found.lessons, pk=lesson))


@workspace_view(Role.MEMBER)
@require_POST
def lesson_delete(request: WorkspaceRequest, project: str, lesson: int) -> HttpResponse:
    found = project_for(request, project)
    services.lesson_delete(lesson=get_object_or_404(found.lessons, pk=lesson))
    messages.success(request, _("The lesson is removed."))
    return redirect(found.url("aftercare:lessons"))


@workspace_view(Role.MEMBER)
@require_POST
def lesson_take(request: WorkspaceRequest, project: str) -> HttpResponse:
    """Take an earlier lesson along in the project's plan, or drop it again."""
    found = project_for(request, project)
    form = TakeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a lesson."))
    elif form.cleaned_data["take"]:
        try:
            services.lesson_take(
                project=found, lesson=form.cleaned_data["lesson"], actor=request.user
            )
        except KoersError as error:
            show_error(request, error)
        else:
            messages.success(request, _("The plan takes this lesson along."))
    else:
        services.lesson_drop(project=found, lesson=form.cleaned_data["lesson"])
        messages.success(request, _("The plan no longer takes this lesson along."))
    return redirect(found.url("aftercare:lessons"))


@workspace_view()
@require_safe
def handover(request: WorkspaceRequest, project: str) -> HttpResponse:
    """The handover to operations: the checklist, the shadow period, closing the project."""
    found = project_for(request, project)
    items = queries.checklist(found)
    return render(
        request,
        "aftercare/handover.html",
        {
            "project": found,
            "items": items,
            "handover": queries.handover_of(found),
            "open_count": sum(i.state != HandoverItem.State.DONE for i in items),
            "closes_next": found.status == Project.Status.AFTERCARE,
        },
    )


@workspace_view(Role.MEMBER)
def handover_edit(request: WorkspaceRequest, project: str) -> HttpResponse:
    found = project_for(request, project)
    data = request.POST if request.method == "POST" else None
    forms = [
        (item, HandoverItemForm(data, instance=item, prefix=item.kind))
        for item in queries.checklist(found)
    ]
    shadow = ShadowForm(data, instance=queries.handover_of(found), prefix="shadow")
    if data is not None and shadow.is_valid() and all(f.is_valid() for _i, f in forms):
        current: django_forms.BaseForm = shadow
        try:
            with transaction.atomic():
                for item, current in forms:
                    services.handover_item_save(
                        project=found, kind=item.kind, **current.cleaned_data
                    )
                current = shadow
                services.shadow_save(project=found, **shadow.cleaned_data)
        except KoersError as error:
            add_domain_error(current, error)  # on the field of the item that was refused
        else:
            messages.success(request, _("The handover is saved."))
            return redirect(found.url("aftercare:handover"))
    return render(
        request,
        "aftercare/handover_form.html",
        {"project": found, "forms": forms, "shadow": shadow},
    )


@workspace_view()
@require_safe
def evaluations(request: WorkspaceRequest, project: str) -> HttpResponse:
    """The evaluation links sent to the client and their answers, the newest first."""
    found = project_for(request, project)
    page, cursor = paging.page_of_request(
        request,
        queries.evaluation_rows(found).order_by(),
        name="evaluations",
        ordering=["-created_at"],
        limit=EVALUATIONS_PAGE,
    )
    new_token = request.session.pop(NEW_EVALUATION, None)
    return render(
        request,
        "aftercare/evaluations.html",
        {
            "project": found,
            "page": page,
            "cursor": cursor,
            "new_url": request.build_absolute_uri(
                reverse("evaluation_answer", kwargs={"token": new_token})
            )
            if new_token
            else None,
        },
    )


@workspace_view(Role.MEMBER)
@require_POST
def evaluation_send(request: WorkspaceRequest, project: str) -> HttpResponse:
    """Make a new evaluation link; it is shown once, on the next page."""
    found = project_for(request, project)
    _evaluation, token = services.evaluation_send(project=found, actor=request.user)
    request.session[NEW_EVALUATION] = token
    return redirect(found.url("aftercare:evaluations"))


@workspace_view(Role.MEMBER)
@require_POST
def evaluation_revoke(request: WorkspaceRequest, project: str, evaluation: int) -> HttpResponse:
    found = project_for(request, project)
    services.evaluation_revoke(evaluation=get_object_or_404(found.evaluations, pk=evaluation))
    messages.success(request, _("The evaluation link no longer works."))
    return redirect(found.url("aftercare:evaluations"))


@workspace_view()
@require_safe
def client_evaluations(request: WorkspaceRequest, client: str) -> HttpResponse:
    """The client's answered evaluations over all its projects, by date, and their trend."""
    found = get_object_or_404(request.workspace.clients, slug=client)
    page, cursor = paging.page_of_request(
        request,
        queries.client_evaluation_rows(found).select_related("project__workspace").order_by(),
        name="client-evaluations",
        ordering=["-answered_at"],
        limit=EVALUATIONS_PAGE,
    )
    return render(
        request,
        "aftercare/client_evaluations.html",
        {"client": found, "page": page, "cursor": cursor, "trend": queries.client_trend(found)},
    )


@workspace_view()
def reference(request: WorkspaceRequest, project: str) -> HttpResponse:
    """The project's reference case: what it says, and what another client sees of it."""
    found = project_for(request, project)
    case = ReferenceCase.objects.filter(project=found).first()
    form = ReferenceCaseForm(request.POST or None, instance=case)
    if request.method == "POST":
        if not may_edit(request.membership):
            raise PermissionDenied
        if form.is_valid():
            try:
                services.reference_save(project=found, **form.cleaned_data)
            except KoersError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("The reference case is saved."))
                return redirect(found.url("aftercare:reference"))
    shown = None
    if case is not None:
        row = queries.reference_rows().get(pk=case.pk)
        shown = queries.citation(row, reader=0)  # as any other client sees it
    return render(
        request,
        "aftercare/reference.html",
        {
            "project": found,
            "form": form,
            "case": case,
            "shown": shown,
            "may_become": case is not None or services.may_become_reference(found),
        },
    )
