"""The stakeholder pages: a client's stakeholders, and per project the power/interest grid,
who is overdue for contact, the communication log and its rhythm.

Stakeholders are personal data: no page here lets a client guest in (no `guests=True`).
"""

from typing import Any

from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from koers.core import paging
from koers.core.errors import KoersError, show_error
from koers.core.forms import add_domain_error
from koers.outbox.services import mail_retry
from koers.projects.models import Project
from koers.projects.queries import project_for
from koers.workspaces.models import Client, Role
from koers.workspaces.tenancy import WorkspaceRequest, workspace_view

from . import grid, mailing, queries, services
from .forms import (
    CommunicationForm,
    InvolvementForm,
    MailForm,
    RhythmForm,
    StakeholderForm,
)
from .models import Communication, CommunicationKind, Involvement, Stakeholder, Stance
from .rules import Stance as StanceRule

PAGE = 50


def _client(request: WorkspaceRequest, slug: str) -> Client:
    return get_object_or_404(request.workspace.clients, slug=slug)


# A client's stakeholders.


@workspace_view()
@require_safe
def stakeholder_list(request: WorkspaceRequest, client: str) -> HttpResponse:
    found = _client(request, client)
    rows = Stakeholder.objects.filter(client=found)
    page, cursor = paging.page_of_request(
        request, rows, name="stakeholders", ordering=["name"], limit=PAGE
    )
    return render(
        request,
        "stakeholders/stakeholder_list.html",
        {"client": found, "page": page, "cursor": cursor},
    )


def _stakeholder_form(
    request: WorkspaceRequest, found: Client, stakeholder: Stakeholder | None
) -> HttpResponse:
    form = StakeholderForm(request.POST or None, instance=stakeholder or Stakeholder(client=found))
    if request.method == "POST" and form.is_valid():
        try:
            if stakeholder is None:
                services.stakeholder_create(client=found, actor=request.user, **form.cleaned_data)
            else:
                services.stakeholder_update(stakeholder=stakeholder, **form.cleaned_data)
        except KoersError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The stakeholder is saved."))
            return redirect(found.url("stakeholders:list"))
    roles = (
        stakeholder.involvements.select_related("project").prefetch_related("stance_changes")
        if stakeholder
        else []
    )
    return render(
        request,
        "stakeholders/stakeholder_form.html",
        {"client": found, "form": form, "stakeholder": stakeholder, "roles": roles},
    )


@workspace_view(Role.MEMBER)
def stakeholder_create(request: WorkspaceRequest, client: str) -> HttpResponse:
    return _stakeholder_form(request, _client(request, client), None)


@workspace_view(Role.MEMBER)
def stakeholder_edit(request: WorkspaceRequest, client: str, stakeholder: int) -> HttpResponse:
    found = _client(request, client)
    return _stakeholder_form(request, found, get_object_or_404(found.stakeholders, pk=stakeholder))


@workspace_view(Role.MEMBER)
@require_POST
def stakeholder_delete(request: WorkspaceRequest, client: str, stakeholder: int) -> HttpResponse:
    found = _client(request, client)
    gone = get_object_or_404(found.stakeholders, pk=stakeholder)
    services.stakeholder_delete(stakeholder=gone)
    messages.success(request, _("%(name)s is removed everywhere.") % {"name": gone.name})
    return redirect(found.url("stakeholders:list"))


# A project's stakeholders: the grid and who is overdue for contact.


def _to(name: str, project: Project, **kwargs: Any) -> HttpResponse:
    return redirect(project.url("project_stakeholders:" + name, **kwargs))


def stance_words() -> dict[StanceRule, str]:
    return {StanceRule(value): str(label) for value, label in Stance.choices}


def point_label(row: Involvement) -> str:
    return _("%(name)s: %(stance)s, influence %(influence)s, interest %(interest)s") % {
        "name": row.stakeholder.name,
        "stance": row.get_stance_display(),
        "influence": row.influence,
        "interest": row.interest,
    }


@workspace_view()
@require_safe
def project_grid(request: WorkspaceRequest, project: str) -> HttpResponse:
    """The power/interest grid with a table of the same, and who is overdue for contact."""
    found = project_for(request, project)
    today = timezone.localdate()
    rows = list(queries.involvements(found))
    drawing = grid.grid(
        [
            grid.Point(
                label=point_label(row),
                stance=StanceRule(row.stance),
                influence=row.influence,
                interest=row.interest,
                href=found.url("project_stakeholders:role", stakeholder=row.stakeholder_id),
            )
            for row in rows
        ],
        key="stakeholder-grid",
        title=_("Power/interest grid"),
        description=_(
            "Each stakeholder by influence (up) and interest (right); the stance shows as "
            "colour and shape. The table beside it holds the same."
        ),
        influence=_("Influence"),
        interest=_("Interest"),
        quadrants=(_("Keep satisfied"), _("Manage closely"), _("Monitor"), _("Keep informed")),
        stances=stance_words(),
    )
    return render(
        request,
        "stakeholders/project_grid.html",
        {
            "project": found,
            "rows": rows,
            "grid_svg": mark_safe(drawing),  # noqa: S308 (grid.py escapes every text)
            "overdue": queries.overdue(rows, today),
            "today": today,
        },
    )


def _role_form(
    request: WorkspaceRequest, found: Project, involvement: Involvement | None
) -> HttpResponse:
    form = InvolvementForm(
        request.POST or None,
        instance=involvement or Involvement(project=found),
        project=found,
        initial={"stance": request.GET.get("stance")} if involvement is None else None,
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        who = data.pop("stakeholder", None) or involvement.stakeholder  # type: ignore[union-attr]
        try:
            services.involvement_save(project=found, stakeholder=who, actor=request.user, **data)
        except KoersError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("%(name)s's role is saved.") % {"name": who.name})
            return _to("grid", found)
    history = involvement.stance_changes.select_related("actor") if involvement else []
    return render(
        request,
        "stakeholders/role_form.html",
        {"project": found, "form": form, "involvement": involvement, "history": history},
    )


@workspace_view(Role.MEMBER)
def role_add(request: WorkspaceRequest, project: str) -> HttpResponse:
    return _role_form(request, project_for(request, project), None)


def _involvement(found: Project, stakeholder: int) -> Involvement:
    rows = found.involvements.select_related("stakeholder")
    found_row: Involvement = get_object_or_404(rows, stakeholder_id=stakeholder)
    return found_row


@workspace_view()
def role(request: WorkspaceRequest, project: str, stakeholder: int) -> HttpResponse:
    """A stakeholder's role in the project and their stance history; members may change it."""
    found = project_for(request, project)
    involvement = _involvement(found, stakeholder)
    if request.method == "POST" and not request.membership.has_role(Role.MEMBER):
        return HttpResponse(status=403)
    return _role_form(request, found, involvement)


@workspace_view(Role.MEMBER)
@require_POST
def role_remove(request: WorkspaceRequest, project: str, stakeholder: int) -> HttpResponse:
    found = project_for(request, project)
    involvement = _involvement(found, stakeholder)
    services.involvement_remove(involvement=involvement)
    messages.success(
        request,
        _("%(name)s is no longer a stakeholder of this project.")
        % {"name": involvement.stakeholder.name},
    )
    return _to("grid", found)


# The communication log and the rhythm.


@workspace_view()
@require_safe
def communications(request: WorkspaceRequest, project: str) -> HttpResponse:
    found = project_for(request, project)
    rows = Communication.objects.filter(project=found).prefetch_related(
        Prefetch("audience", queryset=Stakeholder.objects.only("name", "client_id"))
    )
    page, cursor = paging.page_of_request(
        request, rows, name="communications", ordering=["-on", "-id"], limit=PAGE
    )
    return render(
        request,
        "stakeholders/communications.html",
        {
            "project": found,
            "page": page,
            "cursor": cursor,
            "rhythm": queries.rhythm(found, timezone.localdate()),
            "kinds": dict(CommunicationKind.choices),
        },
    )


def _communication_form(
    request: WorkspaceRequest, found: Project, item: Communication | None
) -> HttpResponse:
    form = CommunicationForm(
        request.POST or None,
        instance=item or Communication(project=found),
        project=found,
        initial={"kind": request.GET.get("kind")} if item is None else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            if item is None:
                services.communication_create(
                    project=found, actor=request.user, **form.cleaned_data
                )
            else:
                services.communication_update(item=item, **form.cleaned_data)
        except KoersError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The communication is saved."))
            return _to("communications", found)
    return render(
        request,
        "stakeholders/communication_form.html",
        {
            "project": found,
            "form": form,
            "item": item,
            "mail_form": MailForm(item=item) if item else None,
            "mails": mailing.mails_of(item) if item else [],
        },
    )


@workspace_view(Role.MEMBER)
def communication_create(request: WorkspaceRequest, project: str) -> HttpResponse:
    return _communication_form(request, project_for(request, project), None)


@workspace_view(Role.MEMBER)
def communication_edit(request: WorkspaceRequest, project: str, communication: int) -> HttpResponse:
    found = project_for(request, project)
    item = get_object_or_404(Communication.objects.filter(project=found), pk=communication)
    return _communication_form(request, found, item)


@workspace_view(Role.MEMBER)
@require_POST
def communication_delete(
    request: WorkspaceRequest, project: str, communication: int
) -> HttpResponse:
    found = project_for(request, project)
    item = get_object_or_404(Communication.objects.filter(project=found), pk=communication)
    services.communication_delete(item=item)
    messages.success(request, _("The communication is removed."))
    return _to("communications", found)


@workspace_view(Role.MEMBER)
@require_POST
def communication_mail(request: WorkspaceRequest, project: str, communication: int) -> HttpResponse:
    """Mail the communication to the chosen stakeholders, each at most once."""
    found = project_for(request, project)
    item = get_object_or_404(Communication.objects.filter(project=found), pk=communication)
    form = MailForm(request.POST, item=item)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(str(error) for error in errors))
        return _to("communication_edit", found, communication=item.pk)
    sent = mailing.communication_mail(
        item=item,
        stakeholders=form.cleaned_data["stakeholders"],
        template=form.cleaned_data["template"],
        actor=request.user,
    )
    messages.success(
        request,
        _("Mailed: %(mailed)s; mailed before, not again: %(before)s; without address: %(none)s.")
        % {"mailed": sent.mailed, "before": sent.before, "none": sent.no_address},
    )
    return _to("communication_edit", found, communication=item.pk)


@workspace_view(Role.MEMBER)
@require_POST
def communication_mail_retry(
    request: WorkspaceRequest, project: str, communication: int, message: int
) -> HttpResponse:
    """Send a failed mail of this communication again (the same text, one more attempt)."""
    found = project_for(request, project)
    item = get_object_or_404(Communication.objects.filter(project=found), pk=communication)
    failed = mailing.failed_mail(item, message)
    if failed is None:
        raise Http404
    try:
        mail_retry(message=failed)
    except KoersError as error:
        show_error(request, error)
    else:
        messages.success(request, _("The mail is queued to be sent again."))
    return _to("communication_edit", found, communication=item.pk)


@workspace_view(Role.MEMBER)
def rhythm(request: WorkspaceRequest, project: str) -> HttpResponse:
    found = project_for(request, project)
    form = RhythmForm(request.POST or None, expected=queries.expected_rhythm(found))
    if request.method == "POST" and form.is_valid():
        try:
            services.rhythm_save(project=found, every_days=form.cleaned_data)
        except KoersError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The communication rhythm is saved."))
            return _to("communications", found)
    return render(request, "stakeholders/rhythm_form.html", {"project": found, "form": form})
