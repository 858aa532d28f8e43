"""The small wins of a project: what Koers proposes to celebrate, the wins celebrated (and
dismissed), and one win with its message mailed to stakeholders.

The message is a communication of the stakeholders' log, so it is mailed, retried and counted
as contact there too. Like stakeholders, no page here lets a client guest in.
"""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from koers.core import paging
from koers.core.errors import KoersError, show_error
from koers.core.forms import add_domain_error
from koers.projects.models import Project
from koers.projects.queries import project_for
from koers.stakeholders import mailing
from koers.stakeholders.forms import MailForm
from koers.workspaces.models import Role
from koers.workspaces.tenancy import WorkspaceRequest, workspace_view

from . import queries, services
from . import timeline as timeline_of
from .forms import CelebrateForm
from .models import Win

PAGE = 50


@workspace_view()
@require_safe
def win_list(request: WorkspaceRequest, project: str) -> HttpResponse:
    found = project_for(request, project)
    proposals = queries.proposals(found)
    page, cursor = paging.page_of_request(
        request, queries.wins_of(found), name="wins", ordering=["-on", "-id"], limit=PAGE
    )
    return render(
        request,
        "wins/list.html",
        {
            "project": found,
            "proposals": proposals[: queries.SHOWN],
            "proposal_count": len(proposals),
            "page": page,
            "cursor": cursor,
        },
    )


@workspace_view(Role.MEMBER)
def win_celebrate(request: WorkspaceRequest, project: str, fact: str) -> HttpResponse:
    found = project_for(request, project)
    proposed = queries.proposal(found, fact)
    if proposed is None:
        raise Http404
    form = CelebrateForm(request.POST or None, initial={"title": proposed.title, "on": proposed.on})
    if request.method == "POST" and form.is_valid():
        try:
            win = services.win_celebrate(
                project=found, key=fact, actor=request.user, **form.cleaned_data
            )
        except KoersError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The win is celebrated."))
            return redirect(win.url())
    return render(
        request, "wins/celebrate.html", {"project": found, "fact": proposed, "form": form}
    )


@workspace_view(Role.MEMBER)
@require_POST
def win_dismiss(request: WorkspaceRequest, project: str, fact: str) -> HttpResponse:
    found = project_for(request, project)
    try:
        services.win_dismiss(project=found, key=fact, actor=request.user)
    except KoersError as error:
        show_error(request, error)
    else:
        messages.success(request, _("Koers will not propose that win again."))
    return redirect(found.url("wins:list"))


def _win(found: Project, pk: int) -> Win:
    win: Win = get_object_or_404(queries.wins_of(found), pk=pk)
    return win


@workspace_view()
@require_safe
def win_detail(request: WorkspaceRequest, project: str, win: int) -> HttpResponse:
    found = project_for(request, project)
    shown = _win(found, win)
    item = shown.communication
    return render(
        request,
        "wins/detail.html",
        {
            "project": found,
            "win": shown,
            "item": item,
            "mail_form": MailForm(item=item, initial={"template": "celebration"}) if item else None,
            "mails": mailing.mails_of(item) if item else [],
        },
    )


@workspace_view(Role.MEMBER)
@require_POST
def win_mail(request: WorkspaceRequest, project: str, win: int) -> HttpResponse:
    """Mail the win's message with the celebration text, to each stakeholder at most once."""
    found = project_for(request, project)
    shown = _win(found, win)
    if shown.communication is None:
        raise Http404
    form = MailForm(request.POST, item=shown.communication)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(str(error) for error in errors))
        return redirect(shown.url())
    sent = mailing.communication_mail(
        item=shown.communication,
        stakeholders=form.cleaned_data["stakeholders"],
        template="celebration",
        actor=request.user,
    )
    messages.success(
        request,
        _("Mailed: %(mailed)s; mailed before, not again: %(before)s; without address: %(none)s.")
        % {"mailed": sent.mailed, "before": sent.before, "none": sent.no_address},
    )
    return redirect(shown.url())


@workspace_view()
@require_safe
def timeline(request: WorkspaceRequest, project: str) -> HttpResponse:
    """The wins, decisions and communications of the project in date order, newest first."""
    found = project_for(request, project)
    cursor = request.GET.get("cursor") or None
    try:
        page = timeline_of.timeline_page(found, cursor=cursor)
    except paging.CursorError:
        messages.warning(request, _("That page link no longer works: here is the first page."))
        cursor = None
        page = timeline_of.timeline_page(found)
    return render(
        request,
        "wins/timeline.html",
        {
            "project": found,
            "page": page,
            "cursor": cursor,
            "lines": [(timeline_of.Kind(row.rank).label, row) for row in page.rows],
        },
    )
