"""One wave: its page and people, what it allows (start, evaluate, pause, resume, move,
roll back), its gate and decisions, its support load and its people as CSV or XLSX."""

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from koers.core import paging
from koers.core.errors import KoersError, show_error
from koers.core.spreadsheets import csv_separator
from koers.projects.models import Project
from koers.projects.queries import project_for
from koers.workspaces.models import Role
from koers.workspaces.tenancy import WorkspaceRequest, workspace_view

from .. import (
    exports,
    gates,
    queries,
    steering,
    timeline,
)
from ..forms import (
    DecisionForm,
    GateForm,
    MoveForm,
    ReasonForm,
    SupportForm,
)
from ..models import Gate, Wave

PAGE = 50


def _wave(request: WorkspaceRequest, project: str, wave: int) -> tuple[Project, Wave]:
    found = project_for(request, project)
    return found, get_object_or_404(Wave.objects.filter(project=found), pk=wave)


@workspace_view(guests=True)
@require_safe
def wave_detail(request: WorkspaceRequest, project: str, wave: int) -> HttpResponse:
    """One wave: its people (paged), ambassadors, gate, decisions, history, support load."""
    found, existing = _wave(request, project, wave)
    page, cursor = paging.page_of_request(
        request,
        existing.members.select_related("person"),
        name=f"wave-{existing.pk}",
        ordering=["live_on", "person__name", "person__key"],
        limit=PAGE,
    )
    state = queries.gate_state(existing)
    ambassadors = []
    if existing.kind != Wave.Kind.PILOT:
        ambassadors = queries.ambassadors(found, existing.departments)
    return render(
        request,
        "rollout/wave.html",
        {
            "project": found,
            "wave": existing,
            "page": page,
            "cursor": cursor,
            "gate": state,
            "actions": gates.allowed(existing.status),
            "events": existing.events.select_related("actor"),
            "support": existing.support_load.all(),
            "ambassadors": ambassadors,
            "is_last": not Wave.objects.filter(project=found, number__gt=existing.number).exists(),
            "move_targets": _move_targets(found, existing),
            "gate_form": GateForm(instance=state.gate) if state else None,
            "decision_form": DecisionForm(),
            "reason_form": ReasonForm(),
            "move_form": MoveForm(initial={"start_on": existing.start_on}),
            "support_form": SupportForm(initial={"day": timezone.localdate()}),
        },
    )


def _move_targets(project: Project, wave: Wave) -> list[tuple[int, str]]:
    """The waves a department of `wave` can be moved to: (position after the pilot, name)."""
    if wave.kind not in timeline.MOVABLE_KINDS or wave.status != Wave.Status.PLANNED:
        return []
    movable = Wave.objects.filter(project=project, kind__in=timeline.MOVABLE_KINDS)
    names = movable.order_by("number").values_list("pk", "label")
    return [(n, label) for n, (pk, label) in enumerate(names, 1) if pk != wave.pk]


def _wave_action(request: WorkspaceRequest, project: str, wave: int, action: Any) -> HttpResponse:
    found, existing = _wave(request, project, wave)
    try:
        action(existing)
    except KoersError as error:
        show_error(request, error)
    return redirect(found.url("rollout:wave", wave=existing.pk))


@workspace_view(Role.MEMBER)
@require_POST
def wave_start(request: WorkspaceRequest, project: str, wave: int) -> HttpResponse:
    return _wave_action(
        request, project, wave, lambda w: steering.wave_start(wave=w, actor=request.user)
    )


@workspace_view(Role.MEMBER)
@require_POST
def wave_evaluate(request: WorkspaceRequest, project: str, wave: int) -> HttpResponse:
    return _wave_action(
        request, project, wave, lambda w: steering.wave_evaluate(wave=w, actor=request.user)
    )


@workspace_view(Role.MEMBER)
@require_POST
def wave_resume(request: WorkspaceRequest, project: str, wave: int) -> HttpResponse:
    return _wave_action(
        request, project, wave, lambda w: steering.wave_resume(wave=w, actor=request.user)
    )


@workspace_view(Role.MEMBER)
@require_POST
def wave_pause(request: WorkspaceRequest, project: str, wave: int) -> HttpResponse:
    reason = request.POST.get("reason", "")
    return _wave_action(
        request,
        project,
        wave,
        lambda w: steering.wave_pause(wave=w, actor=request.user, reason=reason),
    )


@workspace_view(Role.MEMBER)
@require_POST
def wave_roll_back(request: WorkspaceRequest, project: str, wave: int) -> HttpResponse:
    reason = request.POST.get("reason", "")
    return _wave_action(
        request,
        project,
        wave,
        lambda w: steering.wave_roll_back(wave=w, actor=request.user, reason=reason),
    )


@workspace_view(Role.MEMBER)
@require_POST
def wave_move(request: WorkspaceRequest, project: str, wave: int) -> HttpResponse:
    form = MoveForm(request.POST)

    def move(w: Wave) -> None:
        if not form.is_valid():
            raise KoersError(_("Give the new first day as a date."))
        steering.wave_move(wave=w, actor=request.user, start_on=form.cleaned_data["start_on"])

    return _wave_action(request, project, wave, move)


@workspace_view(Role.MEMBER)
@require_POST
def gate_edit(request: WorkspaceRequest, project: str, wave: int) -> HttpResponse:
    found, existing = _wave(request, project, wave)
    gate = get_object_or_404(Gate.objects.filter(wave=existing))
    form = GateForm(request.POST, instance=gate)
    if form.is_valid():
        steering.gate_update(
            gate=gate, actor=request.user, **{f: form.cleaned_data[f] for f in GateForm.Meta.fields}
        )
        messages.success(request, _("Gate saved."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect(found.url("rollout:wave", wave=existing.pk))


@workspace_view(Role.MEMBER)
@require_POST
def gate_decide(request: WorkspaceRequest, project: str, wave: int) -> HttpResponse:
    found, existing = _wave(request, project, wave)
    gate = get_object_or_404(Gate.objects.filter(wave=existing))
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            steering.gate_decide(gate=gate, actor=request.user, **form.cleaned_data)
        except KoersError as error:
            show_error(request, error)
        else:
            messages.success(request, _("Decision recorded."))
    else:
        messages.error(request, _("Decide go or no go."))
    return redirect(found.url("rollout:wave", wave=existing.pk))


@workspace_view(Role.MEMBER)
@require_POST
def support_add(request: WorkspaceRequest, project: str, wave: int) -> HttpResponse:
    found, existing = _wave(request, project, wave)
    form = SupportForm(request.POST)
    if form.is_valid():
        steering.support_record(wave=existing, actor=request.user, **form.cleaned_data)
        messages.success(request, _("Support load recorded."))
    else:
        messages.error(request, _("Give a day and a number of tickets."))
    return redirect(found.url("rollout:wave", wave=existing.pk))


def _export(request: WorkspaceRequest, project: str, wave: int, kind: str) -> HttpResponse:
    found, existing = _wave(request, project, wave)
    separator = csv_separator(request.GET.get("sep"), get_language())
    body, content_type = exports.wave_people(existing, kind, separator=separator)
    response = HttpResponse(body, content_type=content_type)
    name = f"{found.slug}-wave-{existing.number}.{kind}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@workspace_view(guests=True)
@require_safe
def wave_csv(request: WorkspaceRequest, project: str, wave: int) -> HttpResponse:
    """A wave's people for a mail merge as CSV, formula cells made harmless."""
    return _export(request, project, wave, "csv")


@workspace_view(guests=True)
@require_safe
def wave_xlsx(request: WorkspaceRequest, project: str, wave: int) -> HttpResponse:
    """A wave's people for a mail merge as XLSX, formula cells made harmless."""
    return _export(request, project, wave, "xlsx")
