"""The team's pages of user instructions: write them per project or wave, publish them on a
public link, revoke it. Viewers read; client guests get 404, like the rest of aftercare."""

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from koers.core import paging
from koers.core.errors import KoersError, show_error
from koers.core.forms import add_domain_error
from koers.outbox.services import mail_retry
from koers.projects.models import Project
from koers.projects.queries import project_for
from koers.rollout.models import Wave
from koers.workspaces.models import Role
from koers.workspaces.tenancy import WorkspaceRequest, workspace_view

from . import mailing, queries, services
from .forms import InstructionsForm
from .models import Instructions

PAGE = 50
SKIPPED_SHOWN = 50  # names of people without an address on the page; the API gives them all


@workspace_view()
@require_safe
def instructions_list(request: WorkspaceRequest, project: str) -> HttpResponse:
    """The project's instructions, each with its public link when published."""
    found = project_for(request, project)
    page, cursor = paging.page_of_request(
        request, queries.instructions_of(found), name="instructions", ordering=["-updated_at"],
        limit=PAGE,
    )  # fmt: skip
    return render(
        request,
        "instructions/list.html",
        {
            "project": found,
            "page": page,
            "cursor": cursor,
            "waves": found.waves.order_by("number").only("id", "project", "label", "number"),
        },
    )


def _form(
    request: WorkspaceRequest, project: Project, instructions: Instructions | None
) -> HttpResponse:
    form = InstructionsForm(request.POST or None, instance=instructions, project=project)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            if instructions is None:
                wave = data.pop("wave")
                saved = services.instructions_create(
                    project=project, actor=request.user, wave=wave.pk if wave else None, **data
                )
            else:
                saved = services.instructions_update(
                    instructions=instructions, actor=request.user, **data
                )
        except KoersError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The instructions are saved."))
            return redirect(saved.url())
    return render(
        request,
        "instructions/form.html",
        {
            "project": project,
            "form": form,
            "instructions": instructions,
            "link": services.live_link(instructions) if instructions else None,
        },
    )


def _instructions(project: Project, pk: int) -> Instructions:
    return get_object_or_404(project.instructions.select_related("wave"), pk=pk)


@workspace_view(Role.MEMBER)
def instructions_create(request: WorkspaceRequest, project: str) -> HttpResponse:
    return _form(request, project_for(request, project), None)


@workspace_view(Role.MEMBER)
def instructions_edit(request: WorkspaceRequest, project: str, instructions: int) -> HttpResponse:
    found = project_for(request, project)
    return _form(request, found, _instructions(found, instructions))


@workspace_view(Role.MEMBER)
@require_POST
def instructions_publish(
    request: WorkspaceRequest, project: str, instructions: int
) -> HttpResponse:
    found = project_for(request, project)
    shown = _instructions(found, instructions)
    try:
        services.instructions_publish(instructions=shown, actor=request.user)
    except KoersError as error:
        show_error(request, error)
    else:
        messages.success(request, _("The instructions are published: share the link."))
    return redirect(shown.url())


@workspace_view(Role.MEMBER)
@require_POST
def instructions_revoke(request: WorkspaceRequest, project: str, instructions: int) -> HttpResponse:
    found = project_for(request, project)
    shown = _instructions(found, instructions)
    services.instructions_revoke(instructions=shown)
    messages.success(request, _("The link to the instructions no longer works."))
    return redirect(shown.url())


@workspace_view(Role.MEMBER)
@require_POST
def instructions_delete(request: WorkspaceRequest, project: str, instructions: int) -> HttpResponse:
    found = project_for(request, project)
    services.instructions_delete(instructions=_instructions(found, instructions))
    messages.success(request, _("The instructions are removed."))
    return redirect(found.url("instructions:list"))


def _mailing(project: Project, kind: str, wave: int | None) -> tuple[mailing.Kind, Wave | None]:
    found = get_object_or_404(project.waves, pk=wave) if wave is not None else None
    return mailing.Kind(kind), found


def _back(project: Project, wave: Wave | None) -> HttpResponse:
    if wave is None:
        return redirect(project.url("instructions:mail_pilot"))
    return redirect(project.url("instructions:mail_wave", wave=wave.pk))


@workspace_view()
@require_safe
def people_mail(
    request: WorkspaceRequest, project: str, kind: str, wave: int | None = None
) -> HttpResponse:
    """The pilot invitation or a wave's announcement: who gets it, who has no address, and
    every mail made with its state."""
    found = project_for(request, project)
    chosen, shown = _mailing(found, kind, wave)
    people = mailing.audience(found, chosen, shown)
    without = people.filter(email="")
    # Both counts in one pass over a wave of thousands.
    counted = people.order_by().aggregate(
        everyone=Count("pk"), without=Count("pk", filter=Q(email=""))
    )
    page, cursor = paging.page_of_request(
        request, mailing.messages_of(found, chosen, shown), name="people-mails",
        ordering=["-created_at"], limit=PAGE,
    )  # fmt: skip
    return render(
        request,
        "instructions/mail.html",
        {
            "project": found,
            "kind": chosen,
            "wave": shown,
            "people": counted["everyone"],
            "without": list(without.values_list("name", flat=True)[:SKIPPED_SHOWN]),
            "without_count": counted["without"],
            "link": queries.published_path(found, shown.pk if shown else None),
            "page": page,
            "cursor": cursor,
        },
    )


@workspace_view(Role.MEMBER)
@require_POST
def people_mail_send(
    request: WorkspaceRequest, project: str, kind: str, wave: int | None = None
) -> HttpResponse:
    """Mail each person of the pilot or wave who did not get it yet."""
    found = project_for(request, project)
    chosen, shown = _mailing(found, kind, wave)
    sent = mailing.people_mail(
        project=found, kind=chosen, wave=shown, actor=request.user,
        site=request.build_absolute_uri("/"),
    )  # fmt: skip
    messages.success(
        request,
        _("%(mailed)s mails queued; %(before)s people had it before.")
        % {"mailed": sent.mailed, "before": sent.before},
    )
    if sent.skipped.count:
        names = ", ".join(sent.skipped.names[:SKIPPED_SHOWN])
        more = " …" if sent.skipped.count > SKIPPED_SHOWN else ""
        messages.warning(
            request,
            _("Skipped, without a usable e-mail address (%(count)s): %(names)s")
            % {"count": sent.skipped.count, "names": names + more},
        )
    return _back(found, shown)


@workspace_view(Role.MEMBER)
@require_POST
def people_mail_retry(
    request: WorkspaceRequest, project: str, kind: str, message: int, wave: int | None = None
) -> HttpResponse:
    found = project_for(request, project)
    chosen, shown = _mailing(found, kind, wave)
    try:
        mail_retry(message=mailing.failed_message(found, chosen, shown, message))
    except KoersError as error:
        show_error(request, error)
    else:
        messages.success(request, _("The mail is sent again."))
    return _back(found, shown)
