"""The decision log of a project: the merged log, what is still to decide, one decision."""

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from koers.core import paging
from koers.core.errors import KoersError
from koers.core.forms import add_domain_error
from koers.projects.models import Project
from koers.projects.queries import project_for
from koers.workspaces.models import Role
from koers.workspaces.tenancy import WorkspaceRequest, workspace_view

from . import queries, services
from .forms import LoggedDecisionForm
from .models import Decision

NEEDED_PAGE = 50
NEEDED_SHOWN = 5  # above the log; the rest on the page of decisions needed


@workspace_view()
@require_safe
def log(request: WorkspaceRequest, project: str) -> HttpResponse:
    """Every decision of the project, newest first: its own, the gates' and the accepted
    guardrail deviations; with ?needed=1 only the decisions still to be made."""
    found = project_for(request, project)
    context: dict[str, Any] = {"project": found, "today": timezone.localdate()}
    if request.GET.get("needed") == "1":
        context["page"], context["cursor"] = paging.page_of_request(
            request,
            queries.needed(found).order_by(),
            name="decisions-needed",
            ordering=["logged_at"],
            limit=NEEDED_PAGE,
        )
        context["needed_only"] = True
        return render(request, "decisions/log.html", context)
    cursor = request.GET.get("cursor") or None
    try:
        context["page"] = queries.log_page(found, cursor=cursor)
    except paging.CursorError:
        messages.warning(request, _("That page link no longer works: here is the first page."))
        cursor = None
        context["page"] = queries.log_page(found)
    context["cursor"] = cursor
    context["needed"], context["needed_count"] = queries.needed_shown(found, NEEDED_SHOWN)
    return render(request, "decisions/log.html", context)


def _decision(project: Project, pk: int) -> Decision:
    return get_object_or_404(queries.with_deciders(queries.decision_rows(project)), pk=pk)


@workspace_view()
@require_safe
def decision_detail(request: WorkspaceRequest, project: str, decision: int) -> HttpResponse:
    found = project_for(request, project)
    shown = _decision(found, decision)
    return render(
        request,
        "decisions/detail.html",
        {
            "project": found,
            "decision": shown,
            "changes": shown.changes.select_related("actor"),
            "supersedes": list(shown.supersedes.all()),
        },
    )


def _form(request: WorkspaceRequest, project: Project, decision: Decision | None) -> HttpResponse:
    form = LoggedDecisionForm(request.POST or None, instance=decision, project=project)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        note = data.pop("note", "")
        try:
            if decision is None:
                saved = services.decision_create(
                    project=project, actor=request.user, note=note, **data
                )
            else:
                saved = services.decision_update(
                    decision=decision, actor=request.user, note=note, **data
                )
        except KoersError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The decision is saved in the log."))
            return redirect(saved.url())
    return render(
        request, "decisions/form.html", {"project": project, "form": form, "decision": decision}
    )


@workspace_view(Role.MEMBER)
def decision_create(request: WorkspaceRequest, project: str) -> HttpResponse:
    return _form(request, project_for(request, project), None)


@workspace_view(Role.MEMBER)
def decision_edit(request: WorkspaceRequest, project: str, decision: int) -> HttpResponse:
    found = project_for(request, project)
    # A fresh row, not the one with its links read: the form changes it.
    return _form(request, found, get_object_or_404(found.decisions, pk=decision))
