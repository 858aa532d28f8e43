from typing import Any

from django.http import HttpResponse
from django.utils import timezone, translation
from django.views.decorators.http import require_safe
from django_scopes import scope

from koers.core import ratelimit
from koers.projects.queries import project_for
from koers.roadmap.models import ShareLink
from koers.roadmap.queries import current_snapshot
from koers.roadmap.views import shared_link_or_404
from koers.rollout.exports import waves_calendar
from koers.workspaces.tenancy import WorkspaceRequest, workspace_view

from . import closing_report as closing
from . import decision_log
from .ical import plan_calendar
from .proposal import proposal_filename, render_proposal
from .xlsx import plan_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@workspace_view(guests=True)
@require_safe
def proposal(request: WorkspaceRequest, project: str) -> HttpResponse:
    """The proposal on one A4 page, in the project's language. A client guest's copy leaves
    out the landscape's findings: the landscape is the team's."""
    found = project_for(request, project)
    pdf = render_proposal(found, with_landscape=not request.membership.is_guest)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{proposal_filename(found)}"'
    return response


@workspace_view(guests=True)
@require_safe
def plan_xlsx(request: WorkspaceRequest, project: str) -> HttpResponse:
    found = project_for(request, project)
    response = HttpResponse(plan_workbook(current_snapshot(found)), content_type=XLSX)
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="{found.slug}-plan-{stamp}.xlsx"'
    return response


# The decision log is the team's: guests (client contacts) do not see it.
@workspace_view()
@require_safe
def decision_log_xlsx(request: WorkspaceRequest, project: str) -> HttpResponse:
    found = project_for(request, project)
    response = HttpResponse(decision_log.decision_log_xlsx(found), content_type=XLSX)
    name = decision_log.log_filename(found, "xlsx")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@workspace_view()
@require_safe
def decision_log_pdf(request: WorkspaceRequest, project: str) -> HttpResponse:
    found = project_for(request, project)
    response = HttpResponse(decision_log.decision_log_pdf(found), content_type="application/pdf")
    name = decision_log.log_filename(found, "pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# The closing report is the team's, like the decision log it cites.
@workspace_view()
@require_safe
def closing_report(request: WorkspaceRequest, project: str) -> HttpResponse:
    found = project_for(request, project)
    response = HttpResponse(closing.closing_report_pdf(found), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{closing.closing_filename(found)}"'
    return response


@require_safe
@ratelimit.per_address("shared-link")
def waves_feed(request: Any, token: str) -> HttpResponse:
    """The waves as a calendar to subscribe to, behind a revocable link: each wave keeps its
    event when the waves are planned again, and a project without waves is an empty calendar."""
    link = shared_link_or_404(token, ShareLink.Kind.WAVES)
    project = link.project
    with scope(workspace=project.workspace), translation.override(project.language):
        body = waves_calendar(project, host=request.get_host().split(":")[0])
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{project.slug}-waves.ics"'
    response["X-Robots-Tag"] = "noindex"
    return response


@require_safe
@ratelimit.per_address("shared-link")
def plan_feed(request: Any, token: str) -> HttpResponse:
    """The calendar feed behind a revocable link: the latest revision's phases and moments."""
    link = shared_link_or_404(token, ShareLink.Kind.CALENDAR)
    project = link.project
    with scope(workspace=project.workspace), translation.override(project.language):
        revision = project.plan_revisions.first()
        snapshot = revision.snapshot if revision else current_snapshot(project)
        body = plan_calendar(project, snapshot, host=request.get_host().split(":")[0])
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{project.slug}.ics"'
    response["X-Robots-Tag"] = "noindex"
    return response
