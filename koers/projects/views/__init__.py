from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from koers.core.errors import KoersError, show_error
from koers.core.forms import add_domain_error
from koers.roadmap.describe import projects_roadmap_svg
from koers.roadmap.queries import plan_alerts
from koers.workspaces.models import Role
from koers.workspaces.tenancy import WorkspaceRequest, may_edit, workspace_view

from .. import services
from ..forms import (
    ClientVisionForm,
    IntakeForm,
    ScopeItemEditForm,
    ScopeItemForm,
    ScopeMoveForm,
    StatusForm,
    VisionForm,
    VisionLinkForm,
)
from ..models import ClientVision, Project, ScopeItem, Vision
from ..queries import project_for, scope_columns
from .start import start_of_day


@workspace_view(Role.MEMBER)
def project_create(request: WorkspaceRequest) -> HttpResponse:
    """Start a project with the intake: request, goals, situation, what was tried."""
    workspace = request.workspace
    initial = {"manager": request.user.pk, "client": request.GET.get("client")}
    if initial["client"]:
        client = workspace.clients.filter(slug=initial["client"]).first()
        initial["client"] = client.pk if client else None
    form = IntakeForm(request.POST or None, workspace=workspace, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            project = services.project_create(workspace=workspace, **data)
        except KoersError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Project %(name)s started.") % {"name": project.name})
            return redirect(project.url("projects:vision"))
    return render(request, "projects/intake_form.html", {"form": form})


@workspace_view(guests=True)
@require_safe
def overview(request: WorkspaceRequest, project: str) -> HttpResponse:
    """Where the day starts: the current phase, milestone, wave and gate, the signal and what
    needs doing; below it the intake, vision and scope canvas."""
    found = project_for(request, project)
    back, forward = services.lifecycle_neighbours(found.status)
    today = timezone.localdate()
    return render(
        request,
        "projects/overview.html",
        {
            "project": found,
            "today": today,
            "start": start_of_day(found, today=today, guest=request.membership.is_guest),
            "plan": plan_alerts([found], today=today)[found.pk],
            "goals": found.goals.all(),
            "visions": found.visions.all(),
            "columns": scope_columns(found),
            "lifecycle": Project.Status,
            "status_back": back and Project.Status(back),
            "status_forward": forward and Project.Status(forward),
        },
    )


@workspace_view(Role.MEMBER)
def intake_edit(request: WorkspaceRequest, project: str) -> HttpResponse:
    found = project_for(request, project)
    form = IntakeForm(request.POST or None, instance=found, workspace=request.workspace)
    if request.method == "POST" and form.is_valid():
        # The form has set the model fields on the instance; the service saves it with the rest.
        services.intake_update(
            project=form.instance,
            goals=form.cleaned_data["goals"],
            client=form.cleaned_data["client"],
        )
        messages.success(request, _("The intake is saved."))
        return redirect(form.instance.url())
    return render(request, "projects/intake_form.html", {"form": form, "project": found})


@workspace_view(Role.MEMBER)
@require_POST
def status_move(request: WorkspaceRequest, project: str) -> HttpResponse:
    found = project_for(request, project)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            services.project_move(
                project=found,
                to_status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
            )
        except KoersError as error:
            show_error(request, error)
        else:
            messages.success(
                request,
                _("The project is now in %(status)s.")
                % {"status": Project.Status(found.status).label},
            )
    return redirect(found.url())


@workspace_view(Role.MEMBER)
def vision_edit(request: WorkspaceRequest, project: str) -> HttpResponse:
    """Think big: which part of the client's vision the project serves, and its own vision at
    24 and 48 months (sharpening the client's), on one page."""
    found = project_for(request, project)
    visions = {v.horizon: v for v in found.visions.all()}
    link = VisionLinkForm(request.POST or None, instance=found, prefix="link")
    forms = [
        (
            Vision.Horizon(horizon),
            VisionForm(
                request.POST or None,
                instance=visions.get(horizon) or Vision(project=found, horizon=horizon),
                prefix=f"v{horizon}",
            ),
        )
        for horizon in Vision.Horizon
    ]
    if request.method == "POST" and link.is_valid() and all(f.is_valid() for _h, f in forms):
        link.save()
        for _horizon, form in forms:
            form.save()
        messages.success(request, _("The vision is saved."))
        return redirect(found.url("projects:scope"))
    context = {
        "project": found,
        "link": link,
        "forms": forms,
        "client_visions": [v for v in found.client.visions.all() if not v.is_empty],
    }
    return render(request, "projects/vision_form.html", context)


@workspace_view(Role.VIEWER)
def client_vision(request: WorkspaceRequest, client: str) -> HttpResponse:
    """One vision for the client's whole digital future, and every project under it: what
    part each serves, and their phases on one month roadmap."""
    found = get_object_or_404(request.workspace.clients, slug=client)
    visions = {v.horizon: v for v in found.visions.all()}
    forms = [
        (
            ClientVision.Horizon(horizon),
            ClientVisionForm(
                request.POST or None,
                instance=visions.get(horizon) or ClientVision(client=found, horizon=horizon),
                prefix=f"v{horizon}",
            ),
        )
        for horizon in ClientVision.Horizon
    ]
    if request.method == "POST":
        if not may_edit(request.membership):
            raise PermissionDenied
        if all(form.is_valid() for _horizon, form in forms):
            for horizon, form in forms:
                services.client_vision_save(client=found, horizon=horizon, **form.cleaned_data)
            messages.success(request, _("The client's vision is saved."))
            return redirect("client_vision", workspace=request.workspace.slug, client=found.slug)
    projects = list(found.projects.prefetch_related("phases"))
    roadmap = projects_roadmap_svg(
        [(p.name, list(p.phases.all())) for p in projects], today=timezone.localdate()
    )
    context = {
        "client": found,
        "forms": forms,
        "visions": [visions[h] for h in sorted(visions) if not visions[h].is_empty],
        "projects": projects,
        "roadmap": roadmap,
        "may_edit": may_edit(request.membership),
    }
    return render(request, "projects/client_vision.html", context)


@workspace_view(guests=True)
def scope_canvas(request: WorkspaceRequest, project: str) -> HttpResponse:
    """The scope canvas: in / out / maybe later, and the form to add an item."""
    found = project_for(request, project)
    form = ScopeItemForm(request.POST or None, initial={"column": ScopeItem.Column.IN})
    if request.method == "POST":
        if not may_edit(request.membership):
            raise PermissionDenied
        if form.is_valid():
            services.scope_item_add(project=found, actor=request.user, **form.cleaned_data)
            messages.success(request, _("Scope item added."))
            return redirect(found.url("projects:scope"))
    return render(
        request,
        "projects/scope_canvas.html",
        {"project": found, "columns": scope_columns(found), "form": form},
    )


@workspace_view(Role.MEMBER)
def scope_item_edit(request: WorkspaceRequest, project: str, item: int) -> HttpResponse:
    found = project_for(request, project)
    scope_item = get_object_or_404(found.scope_items, pk=item)
    # Not bound to the item: validating would change it before the service compares.
    initial = {"title": scope_item.title, "reason": scope_item.reason}
    form = ScopeItemEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.scope_item_edit(item=scope_item, actor=request.user, **form.cleaned_data)
        messages.success(request, _("Scope item saved."))
        return redirect(found.url("projects:scope"))
    return render(
        request,
        "projects/scope_item_form.html",
        {"project": found, "item": scope_item, "form": form},
    )


@workspace_view(Role.MEMBER)
@require_POST
def scope_item_move(request: WorkspaceRequest, project: str, item: int) -> HttpResponse:
    """Move an item to a column and position; JS asks for a 204 instead of a redirect."""
    found = project_for(request, project)
    scope_item = get_object_or_404(found.scope_items.select_related("project"), pk=item)
    form = ScopeMoveForm(request.POST)
    if not form.is_valid():
        if request.headers.get("X-Requested-With") == "fetch":
            return HttpResponse(form.errors.as_text(), status=400)
        messages.error(request, _("That move is not possible."))
        return redirect(found.url("projects:scope"))
    services.scope_item_move(item=scope_item, actor=request.user, **form.cleaned_data)
    if request.headers.get("X-Requested-With") == "fetch":
        return HttpResponse(status=204)
    scope_item.refresh_from_db(fields=["column"])
    messages.success(
        request,
        _("%(title)s is now in %(column)s.")
        % {"title": scope_item.title, "column": scope_item.get_column_display()},
    )
    # Back at the card that moved, not at the top of the page.
    return redirect(found.url("projects:scope") + f"#item-{scope_item.pk}")


@workspace_view(Role.MEMBER)
@require_POST
def scope_item_remove(request: WorkspaceRequest, project: str, item: int) -> HttpResponse:
    found = project_for(request, project)
    scope_item = get_object_or_404(found.scope_items.select_related("project"), pk=item)
    services.scope_item_remove(item=scope_item, actor=request.user)
    messages.success(request, _("Scope item %(title)s removed.") % {"title": scope_item.title})
    return redirect(found.url("projects:scope"))


@workspace_view(guests=True)
@require_safe
def scope_history(request: WorkspaceRequest, project: str) -> HttpResponse:
    found = project_for(request, project)
    changes = found.scope_changes.select_related("actor")[:500]
    return render(request, "projects/scope_history.html", {"project": found, "changes": changes})
