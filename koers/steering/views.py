"""The steering group meetings of a project: the list, one meeting's agenda (printable),
its minutes with the decisions taken, and the minutes mailed to the steering group.

The steering group names people and their decisions: no page here lets a client guest in.
"""

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from koers.core import paging
from koers.core.errors import KoersError, show_error
from koers.core.forms import add_domain_error
from koers.projects.models import Project
from koers.projects.queries import project_for
from koers.stakeholders import mailing
from koers.workspaces.models import Role
from koers.workspaces.tenancy import WorkspaceRequest, workspace_view

from . import services
from .agenda import agenda_of
from .forms import MeetingForm, MinutesForm
from .models import Meeting

PAGE = 50


def _meetings(project: Project) -> QuerySet[Meeting]:
    return Meeting.objects.filter(project=project).select_related("project__workspace")


@workspace_view()
@require_safe
def meeting_list(request: WorkspaceRequest, project: str) -> HttpResponse:
    found = project_for(request, project)
    page, cursor = paging.page_of_request(
        request, _meetings(found), name="meetings", ordering=["-on", "-id"], limit=PAGE
    )
    return render(request, "steering/list.html", {"project": found, "page": page, "cursor": cursor})


@workspace_view(Role.MEMBER)
def meeting_create(request: WorkspaceRequest, project: str) -> HttpResponse:
    found = project_for(request, project)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        made = services.meeting_create(project=found, actor=request.user, **form.cleaned_data)
        messages.success(request, _("The meeting is planned: its agenda is ready."))
        return redirect(made.url())
    return render(request, "steering/form.html", {"project": found, "form": form})


def _detail(
    request: WorkspaceRequest, found: Project, meeting: Meeting, form: MinutesForm | None = None
) -> HttpResponse:
    item = meeting.communication
    return render(
        request,
        "steering/meeting.html",
        {
            "project": found,
            "meeting": meeting,
            "agenda": agenda_of(found),
            "taken": meeting.decisions.all(),
            "form": form or MinutesForm(project=found, initial={"minutes": meeting.minutes}),
            "members": services.steering_group(found),
            "item": item,
            "mails": mailing.mails_of(item) if item else [],
        },
    )


@workspace_view()
@require_safe
def meeting_detail(request: WorkspaceRequest, project: str, meeting: int) -> HttpResponse:
    """The agenda (printable), the minutes and the decisions taken."""
    found = project_for(request, project)
    return _detail(request, found, get_object_or_404(_meetings(found), pk=meeting))


@workspace_view(Role.MEMBER)
@require_POST
def meeting_minutes(request: WorkspaceRequest, project: str, meeting: int) -> HttpResponse:
    found = project_for(request, project)
    shown = get_object_or_404(_meetings(found), pk=meeting)
    form = MinutesForm(request.POST, project=found)
    if form.is_valid():
        try:
            services.meeting_minutes(meeting=shown, actor=request.user, **form.cleaned_data)
        except KoersError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The minutes and the decisions taken are saved."))
            return redirect(shown.url())
    return _detail(request, found, shown, form)


@workspace_view(Role.MEMBER)
@require_POST
def meeting_mail(request: WorkspaceRequest, project: str, meeting: int) -> HttpResponse:
    """Mail the minutes to the steering group, to each member at most once."""
    found = project_for(request, project)
    shown = get_object_or_404(_meetings(found), pk=meeting)
    try:
        sent = services.minutes_mail(meeting=shown, actor=request.user)
    except KoersError as error:
        show_error(request, error)
        return redirect(shown.url())
    messages.success(
        request,
        _("Mailed: %(mailed)s; mailed before, not again: %(before)s; without address: %(none)s.")
        % {"mailed": sent.mailed, "before": sent.before, "none": sent.no_address},
    )
    return redirect(shown.url())
