from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from koers.core import ratelimit
from koers.core.errors import KoersError, show_error
from koers.core.forms import add_domain_error
from koers.core.paging import page_sorted_of_request
from koers.portfolio import describe
from koers.portfolio import queries as portfolio_queries
from koers.projects.models import Project
from koers.projects.queries import visible_projects
from koers.workspaces.tenancy import WorkspaceRequest, workspace_view

from .forms import (
    ClientForm,
    ContactPersonForm,
    InvitationForm,
    RoleForm,
    WorkspaceForm,
    WorkspaceSettingsForm,
)
from .models import Role
from .services import (
    invitation_accept,
    invitation_create,
    invitation_for_token,
    member_change_role,
    member_remove,
    workspace_create,
)

PORTFOLIO_PAGE = 50  # projects on a page of the workspace home
CLIENT_LIST_PAGE = 50


@login_required
def workspace_list(request: HttpRequest) -> HttpResponse:
    """List the user's workspaces and let them start a new one."""
    form = WorkspaceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            workspace = workspace_create(owner=request.user, **form.cleaned_data)
        except KoersError as error:
            add_domain_error(form, error)
        else:
            return redirect("workspaces:dashboard", workspace=workspace.slug)
    return render(request, "workspaces/workspace_list.html", {"form": form})


@workspace_view(guests=True)
@require_safe
def dashboard(request: WorkspaceRequest) -> HttpResponse:
    """The workspace home: the portfolio, what needs attention first, with the reason.

    A guest (client contact) sees their client's projects, without what is the team's own
    (guardrail findings, decisions, stakeholders). A wrong filter says why, with no rows.
    """
    workspace, guest = request.workspace, request.membership.is_guest
    today = timezone.localdate()
    error = None
    try:
        filters = portfolio_queries.filters_from(
            workspace, request.GET, guest_of=request.membership.client if guest else None
        )
    except KoersError as wrong:
        error, filters = wrong, None
    rows = []
    if filters is not None:
        rows = portfolio_queries.portfolio(
            visible_projects(request), workspace=workspace, guest=guest, filters=filters
        )
    page, cursor = page_sorted_of_request(
        request, rows, key=lambda row: row.order, name="portfolio", limit=PORTFOLIO_PAGE
    )
    return render(
        request,
        "workspaces/dashboard.html",
        {
            "rows": [
                (
                    row,
                    describe.reasons(row.attention, today),
                    describe.moment_text(row.attention.next_moment, today)
                    if row.attention.next_moment
                    else "",
                )
                for row in page.items
            ],
            "page": page,
            "cursor": cursor,
            "error": error,
            "has_clients": guest or workspace.clients.exists(),
            "clients": [] if guest else workspace.clients.order_by("name"),
            "managers": [] if guest else portfolio_queries.managers(workspace),
            "statuses": Project.Status,
            "chosen": {key: request.GET.get(key, "") for key in ("client", "manager", "status")},
        },
        status=400 if error else 200,
    )


@workspace_view(Role.OWNER)
def workspace_settings(request: WorkspaceRequest) -> HttpResponse:
    form = WorkspaceSettingsForm(request.POST or None, instance=request.workspace)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The workspace is saved."))
        return redirect("workspaces:settings", workspace=request.workspace.slug)
    return render(request, "workspaces/settings.html", {"form": form})


def _accept_url(request: HttpRequest):
    return lambda token: request.build_absolute_uri(reverse("invitation", args=[token]))


@workspace_view(Role.MANAGER)
def members(request: WorkspaceRequest) -> HttpResponse:
    """The members, open invitations, and the form to invite someone."""
    workspace = request.workspace
    form = InvitationForm(request.POST or None, workspace=workspace)
    if request.method == "POST" and form.is_valid():
        try:
            invitation_create(
                actor=request.membership,
                accept_url=_accept_url(request),
                **form.cleaned_data,
            )
        except KoersError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request,
                _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]},
            )
            return redirect("workspaces:members", workspace=workspace.slug)
    memberships = workspace.memberships.select_related("user", "client").order_by("user__name")
    invitations = workspace.invitations.filter(accepted_at__isnull=True).select_related("client")
    role_forms = {
        m.pk: RoleForm(
            workspace=workspace,
            initial={"role": m.role, "client": m.client_id},
            prefix=f"m{m.pk}",
        )
        for m in memberships
    }
    rows = [(m, role_forms[m.pk]) for m in memberships]
    return render(
        request,
        "workspaces/members.html",
        {"form": form, "rows": rows, "invitations": invitations},
    )


@workspace_view(Role.MANAGER)
@require_POST
def member_role(request: WorkspaceRequest, member: int) -> HttpResponse:
    workspace = request.workspace
    membership = get_object_or_404(workspace.memberships, pk=member)
    form = RoleForm(request.POST, workspace=workspace, prefix=f"m{membership.pk}")
    if form.is_valid():
        try:
            member_change_role(
                actor=request.membership,
                membership=membership,
                role=form.cleaned_data["role"],
                client=form.cleaned_data["client"],
            )
        except KoersError as error:
            show_error(request, error)
        else:
            messages.success(request, _("Role of %(name)s changed.") % {"name": membership.user})
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(str(error) for error in errors))
    return redirect("workspaces:members", workspace=workspace.slug)


@workspace_view(Role.MANAGER)
@require_POST
def member_delete(request: WorkspaceRequest, member: int) -> HttpResponse:
    workspace = request.workspace
    membership = get_object_or_404(workspace.memberships.select_related("user"), pk=member)
    try:
        member_remove(actor=request.membership, membership=membership)
    except KoersError as error:
        show_error(request, error)
    else:
        messages.success(request, _("%(name)s was removed.") % {"name": membership.user})
        if membership.user_id == request.user.pk:
            return redirect("home")
    return redirect("workspaces:members", workspace=workspace.slug)


@workspace_view(Role.MANAGER)
@require_POST
def invitation_revoke(request: WorkspaceRequest, invitation: int) -> HttpResponse:
    workspace = request.workspace
    found = get_object_or_404(workspace.invitations, pk=invitation, accepted_at__isnull=True)
    found.delete()
    messages.success(
        request, _("The invitation to %(email)s was withdrawn.") % {"email": found.email}
    )
    return redirect("workspaces:members", workspace=workspace.slug)


@ratelimit.per_address("invitation")
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Show an invitation, and accept it for the logged-in user on POST."""
    try:
        found = invitation_for_token(token)
    except KoersError as error:
        return render(request, "workspaces/invitation.html", {"error": error.message}, status=410)
    if request.method == "POST" and request.user.is_authenticated:
        try:
            membership = invitation_accept(token=token, user=request.user)
        except KoersError as error:
            return render(
                request,
                "workspaces/invitation.html",
                {"invitation": found, "error": error.message},
                status=409,
            )
        messages.success(
            request, _("You joined %(workspace)s.") % {"workspace": membership.workspace}
        )
        return redirect("workspaces:dashboard", workspace=membership.workspace.slug)
    return render(request, "workspaces/invitation.html", {"invitation": found, "token": token})


# Clients and their contact persons.


@workspace_view()
@require_safe
def client_list(request: WorkspaceRequest) -> HttpResponse:
    clients = request.workspace.clients.annotate(project_count=Count("projects")).order_by(
        "name", "pk"
    )
    page = Paginator(clients, CLIENT_LIST_PAGE).get_page(request.GET.get("page"))
    return render(
        request, "workspaces/client_list.html", {"clients": page.object_list, "page": page}
    )


@workspace_view(Role.MEMBER)
def client_create(request: WorkspaceRequest) -> HttpResponse:
    workspace = request.workspace
    form = ClientForm(request.POST or None, workspace=workspace)
    if request.method == "POST" and form.is_valid():
        form.instance.workspace = workspace
        client = form.save()
        messages.success(request, _("Client %(name)s added.") % {"name": client.name})
        return redirect("workspaces:client", workspace=workspace.slug, client=client.slug)
    return render(request, "workspaces/client_form.html", {"form": form})


@workspace_view()
@require_safe
def client_detail(request: WorkspaceRequest, client: str) -> HttpResponse:
    workspace = request.workspace
    found = get_object_or_404(workspace.clients, slug=client)
    guests = found.guest_memberships.select_related("user")
    return render(
        request,
        "workspaces/client_detail.html",
        {
            "client": found,
            "contacts": found.contacts.all(),
            "projects": found.projects.select_related("manager"),
            "guests": guests,
        },
    )


@workspace_view(Role.MEMBER)
def client_edit(request: WorkspaceRequest, client: str) -> HttpResponse:
    workspace = request.workspace
    found = get_object_or_404(workspace.clients, slug=client)
    form = ClientForm(request.POST or None, instance=found, workspace=workspace)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Client %(name)s saved.") % {"name": found.name})
        return redirect("workspaces:client", workspace=workspace.slug, client=found.slug)
    return render(request, "workspaces/client_form.html", {"form": form, "client": found})


@workspace_view(Role.MEMBER)
def contact_form(
    request: WorkspaceRequest, client: str, contact: int | None = None
) -> HttpResponse:
    workspace = request.workspace
    found = get_object_or_404(workspace.clients, slug=client)
    instance = get_object_or_404(found.contacts, pk=contact) if contact else None
    form = ContactPersonForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        form.instance.client = found
        form.save()
        messages.success(request, _("Contact person saved."))
        return redirect("workspaces:client", workspace=workspace.slug, client=found.slug)
    return render(
        request,
        "workspaces/contact_form.html",
        {"form": form, "client": found, "contact": instance},
    )


@workspace_view(Role.MEMBER)
@require_POST
def contact_delete(request: WorkspaceRequest, client: str, contact: int) -> HttpResponse:
    workspace = request.workspace
    found = get_object_or_404(workspace.clients, slug=client)
    get_object_or_404(found.contacts, pk=contact).delete()
    messages.success(request, _("Contact person removed."))
    return redirect("workspaces:client", workspace=workspace.slug, client=found.slug)


@workspace_view(Role.MANAGER)
@require_POST
def contact_invite(request: WorkspaceRequest, client: str, contact: int) -> HttpResponse:
    """Invite a contact person as a read-only guest of this client's projects."""
    workspace = request.workspace
    found = get_object_or_404(workspace.clients, slug=client)
    person = get_object_or_404(found.contacts, pk=contact)
    if not person.email:
        messages.error(request, _("Add an e-mail address to %(name)s first.") % {"name": person})
    else:
        try:
            with transaction.atomic():
                invitation_create(
                    actor=request.membership,
                    email=person.email,
                    role=Role.GUEST,
                    client=found,
                    accept_url=_accept_url(request),
                )
        except KoersError as error:
            show_error(request, error)
        else:
            messages.success(
                request,
                _("%(name)s is invited as guest of %(client)s.")
                % {"name": person, "client": found},
            )
    return redirect("workspaces:client", workspace=workspace.slug, client=found.slug)
