from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from koers.core.errors import KoersError, show_error
from koers.core.formatting import number
from koers.core.forms import add_domain_error
from koers.population.models import Person
from koers.population.queries import active_people
from koers.projects.models import Project
from koers.projects.queries import project_for
from koers.workspaces.models import Role
from koers.workspaces.tenancy import WorkspaceRequest, workspace_view

from . import (
    blackout,
    exports,
    gates,
    pilot_words,
    planning,
    queries,
    selection,
    steering,
    svg,
    timeline,
)
from . import waves as wave_rules
from .forms import (
    BlackoutFileForm,
    CompareForm,
    DecisionForm,
    DepartmentMoveForm,
    GateForm,
    MoveForm,
    PilotForm,
    PlanForm,
    ReasonForm,
    RingForm,
    RolloutForm,
    SupportFileForm,
    SupportForm,
    SwapForm,
)
from .models import Gate, Pilot, Wave
from .pilot import default_size

PAGE = 50
NAMES_SHOWN = 8  # of the events an uploaded calendar added, in the message


# The rollout of a project.


def _suggested_phase(project: Project) -> int | None:
    """The phase the plan form offers before one is chosen: the active one, else the first."""
    phases = list(project.phases.exclude(status="stopped").values_list("pk", "status")[:50])
    active = [pk for pk, status in phases if status == "active"]
    if active:
        return active[0]
    return phases[0][0] if phases else None


def _pilot(project: Project) -> Pilot | None:
    return Pilot.objects.filter(project=project).first()


@workspace_view(guests=True)
@require_safe
def board(request: WorkspaceRequest, project: str) -> HttpResponse:
    """The wave board: every wave with its dates, people, status and gate."""
    found = project_for(request, project)
    rollout = queries.rollout_of(found)
    waves = list(queries.waves_of(found))
    states = queries.gate_states(waves)
    rows = [{"wave": wave, "gate": states.get(wave.pk)} for wave in waves]
    planned, actual = queries.live_progress(found)
    support = queries.support_per_day(found)
    today = timezone.localdate()
    progress_svg = (
        svg.chart(
            [
                svg.Series(_("Planned"), tuple(planned), svg.COLOURS["plan"], dashed=True),
                svg.Series(_("Live"), tuple(actual), svg.COLOURS["actual"]),
            ],
            key="progress",
            title=_("People live over time"),
            description=_("Planned against actual number of people live, per day."),
            today=today,
            today_label=_("today"),
        )
        if planned
        else ""
    )
    support_svg = (
        svg.chart(
            [
                svg.Series(
                    _("Tickets"),
                    tuple((d, float(n)) for d, n in support),
                    svg.COLOURS["plan"],
                    kind="bar",
                )
            ],
            key="support",
            title=_("Support load per day"),
            description=_("Tickets per day against what the service desk handles."),
            limit=float(rollout.desk_capacity),
            limit_label=_("Service desk capacity"),
        )
        if support
        else ""
    )
    people_count = active_people(found.client).count()
    return render(
        request,
        "rollout/board.html",
        {
            "project": found,
            "rollout": rollout,
            "rows": rows,
            "people_count": people_count,
            "pilot": _pilot(found),
            "progress_svg": progress_svg,
            "support_svg": support_svg,
            "support_file_form": SupportFileForm(),
            "plan_form": PlanForm(
                project=found, initial={"phase": rollout.phase_id or _suggested_phase(found)}
            ),
            "first_day": timeline.first_day(rollout),
        },
    )


@workspace_view(guests=True)
@require_safe
def pilot(request: WorkspaceRequest, project: str) -> HttpResponse:
    """The first ring (IT and service desk), then the pilot chosen from the rest: who is in
    it, how close it is to the rest, and which marked people it could take."""
    found = project_for(request, project)
    chosen = _pilot(found)
    attributes = queries.attribute_choices(found.client)
    population = active_people(found.client).count()
    ring = queries.ring_view(found)
    initial = {
        "size": chosen.size if chosen else max(default_size(population - ring.size), 1),
        "attributes": chosen.attributes if chosen else ["department", "location", "job_title"],
        "seed": chosen.seed if chosen else 0,
    }
    members = []
    measure = None
    if chosen:
        members = list(
            chosen.members.select_related("person").order_by("person__department", "person__name")
        )
        measure = queries.pilot_measure(chosen)
    return render(
        request,
        "rollout/pilot.html",
        {
            "project": found,
            "pilot": chosen,
            "members": members,
            "likeness": pilot_words.likeness(measure, chosen.random_median)
            if chosen and measure
            else None,
            "marks": pilot_words.marks(chosen.marks, chosen.attributes[0]) if chosen else [],
            "population": population,
            "ring": ring,
            "form": PilotForm(initial=initial, attributes=attributes),
            "swap_form": SwapForm(),
        },
    )


@workspace_view(Role.MEMBER)
@require_POST
def first_ring(request: WorkspaceRequest, project: str) -> HttpResponse:
    """Find the first ring again, or change it: a department or a person in or out, confirm."""
    found = project_for(request, project)
    form = RingForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(found.url("rollout:pilot"))
    try:
        change = selection.first_ring_change(project=found, actor=request.user, **form.cleaned_data)
    except KoersError as error:
        show_error(request, error)
    else:
        messages.success(
            request,
            ngettext(
                "The first ring holds %(count)s person.",
                "The first ring holds %(count)s people.",
                change.ring.size,
            )
            % {"count": number(change.ring.size)},
        )
        if change.pilot is not None:
            messages.info(request, _("The pilot is chosen anew from the rest, with its settings."))
    return redirect(found.url("rollout:pilot"))


@workspace_view(Role.MEMBER)
@require_POST
def pilot_select(request: WorkspaceRequest, project: str) -> HttpResponse:
    found = project_for(request, project)
    form = PilotForm(request.POST, attributes=queries.attribute_choices(found.client))
    if form.is_valid():
        try:
            choice = selection.pilot_select(project=found, actor=request.user, **form.cleaned_data)
        except KoersError as error:
            show_error(request, error)
        else:
            messages.success(
                request,
                _("Pilot of %(size)d people chosen.") % {"size": len(choice.selection.keys)},
            )
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect(found.url("rollout:pilot"))


@workspace_view(Role.MEMBER)
@require_POST
def pilot_swap(request: WorkspaceRequest, project: str) -> HttpResponse:
    found = project_for(request, project)
    chosen = get_object_or_404(Pilot.objects.filter(project=found))
    form = SwapForm(request.POST)
    if form.is_valid():
        people = active_people(found.client)
        # Someone who has left can be swapped out, never in.
        out = get_object_or_404(
            Person.objects.filter(client=found.client), pk=form.cleaned_data["out"]
        )
        into = None
        if form.cleaned_data["into"]:
            into = people.filter(key=form.cleaned_data["into"].strip()).first()
            if into is None:
                messages.error(request, _("Nobody of this client has that employee id."))
                return redirect(found.url("rollout:pilot"))
        try:
            came = selection.pilot_swap(pilot=chosen, actor=request.user, out=out, into=into)
        except KoersError as error:
            show_error(request, error)
        else:
            messages.success(request, _("%(out)s out, %(into)s in.") % {"out": out, "into": came})
    return redirect(found.url("rollout:pilot"))


@workspace_view(Role.MEMBER)
def rollout_settings(request: WorkspaceRequest, project: str) -> HttpResponse:
    """Capacity, start, template, blackout dates and support figures of the rollout."""
    found = project_for(request, project)
    rollout = queries.rollout_of(found)
    form = RolloutForm(request.POST or None, instance=rollout)
    if request.method == "POST" and form.is_valid():
        try:
            steering.rollout_update(project=found, actor=request.user, **form.service_fields())
        except KoersError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Rollout settings saved."))
            return redirect(found.url("rollout:board"))
    return render(
        request,
        "rollout/settings.html",
        {
            "project": found,
            "form": form,
            "blackout_form": BlackoutFileForm(),
            "first_day": timeline.first_day(rollout),
        },
    )


@workspace_view(Role.MEMBER)
@require_POST
def blackout_upload(request: WorkspaceRequest, project: str) -> HttpResponse:
    """Add the days off of an uploaded iCalendar file to the blackout dates."""
    found = project_for(request, project)
    form = BlackoutFileForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose an .ics file to upload."))
        return redirect(found.url("rollout:settings"))
    data = form.cleaned_data["file"].read(blackout.MAX_BYTES + 1)
    try:
        added = planning.blackout_import(project=found, actor=request.user, data=data)
    except KoersError as error:
        show_error(request, error)
    else:
        messages.success(
            request,
            ngettext(
                "%(days)d blackout day added from the calendar, %(first)s to %(last)s: "
                "%(names)s. Take any working days out of the blackout dates above.",
                "%(days)d blackout days added from the calendar, %(first)s to %(last)s: "
                "%(names)s. Take any working days out of the blackout dates above.",
                len(added.days),
            )
            % {
                "days": len(added.days),
                "first": added.days[0].isoformat(),
                "last": added.days[-1].isoformat(),
                "names": ", ".join(added.names[:NAMES_SHOWN])
                + (" …" if len(added.names) > NAMES_SHOWN else ""),
            },
        )
    return redirect(found.url("rollout:settings"))


@workspace_view(Role.MEMBER)
@require_POST
def plan_waves(request: WorkspaceRequest, project: str) -> HttpResponse:
    """Plan the waves anew, with the phase that delivers them when one is chosen."""
    found = project_for(request, project)
    form = PlanForm(request.POST, project=found)
    if not form.is_valid():
        messages.error(request, _("Choose a phase of this project."))
        return redirect(found.url("rollout:board"))
    try:
        if "phase" in request.POST:
            steering.rollout_update(
                project=found, actor=request.user, phase=form.cleaned_data["phase"]
            )
        made = steering.waves_plan(project=found, actor=request.user)
    except KoersError as error:
        show_error(request, error)
    else:
        messages.success(request, _("%(count)d waves planned.") % {"count": len(made)})
    return redirect(found.url("rollout:board"))


@workspace_view(Role.MEMBER)
@require_POST
def department_move(request: WorkspaceRequest, project: str) -> HttpResponse:
    """Move a department to another wave by hand; planning anew keeps it there."""
    found = project_for(request, project)
    form = DepartmentMoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the wave to move the department to."))
        return redirect(found.url("rollout:board"))
    department = form.cleaned_data["department"]
    try:
        wave = planning.wave_department_move(
            project=found,
            actor=request.user,
            department=department,
            position=form.cleaned_data["position"],
        )
    except KoersError as error:
        show_error(request, error)
        return redirect(found.url("rollout:board"))
    messages.success(
        request,
        _("%(department)s moved to %(wave)s; planning anew keeps it there.")
        % {"department": department or "-", "wave": wave.label},
    )
    return redirect(found.url("rollout:wave", wave=wave.pk))


def _wave(request: WorkspaceRequest, project: str, wave: int) -> tuple[Project, Wave]:
    found = project_for(request, project)
    return found, get_object_or_404(Wave.objects.filter(project=found), pk=wave)


@workspace_view(guests=True)
@require_safe
def wave_detail(request: WorkspaceRequest, project: str, wave: int) -> HttpResponse:
    """One wave: its people (paged), ambassadors, gate, decisions, history, support load."""
    found, existing = _wave(request, project, wave)
    members = existing.members.select_related("person").order_by("live_on", "person__name")
    page = Paginator(members, PAGE).get_page(request.GET.get("page"))
    state = queries.gate_state(existing)
    ambassadors = []
    if existing.kind != Wave.Kind.PILOT:
        by_department = queries.ambassadors(found)
        ambassadors = [p for d in existing.departments for p in by_department.get(d, [])]
    return render(
        request,
        "rollout/wave.html",
        {
            "project": found,
            "wave": existing,
            "page": page,
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


@workspace_view(Role.MEMBER)
@require_POST
def support_upload(request: WorkspaceRequest, project: str) -> HttpResponse:
    found = project_for(request, project)
    form = SupportFileForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, str(form.errors["file"][0]))
        return redirect(found.url("rollout:board"))
    try:
        count = steering.support_import(
            project=found, actor=request.user, data=form.cleaned_data["file"].read()
        )
    except KoersError as error:
        show_error(request, error)
    else:
        messages.success(request, _("%(count)d days of support load recorded.") % {"count": count})
    return redirect(found.url("rollout:board"))


def _export(request: WorkspaceRequest, project: str, wave: int, kind: str) -> HttpResponse:
    found, existing = _wave(request, project, wave)
    body, content_type = exports.wave_people(existing, kind)
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


@workspace_view(guests=True)
@require_safe
def calendar(request: WorkspaceRequest, project: str) -> HttpResponse:
    """The waves as an iCal file: one all-day event per wave."""
    found = project_for(request, project)
    body = exports.waves_calendar(found, host=request.get_host().split(":")[0])
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{found.slug}-waves.ics"'
    return response


@workspace_view(guests=True)
@require_safe
def big_bang(request: WorkspaceRequest, project: str) -> HttpResponse:
    """Why not everything at once: a big bang beside the pilot and waves, for the proposal."""
    found = project_for(request, project)
    rollout = queries.rollout_of(found)
    form = CompareForm(request.GET or None)
    context: dict[str, Any] = {"project": found, "form": form, "rollout": rollout}
    try:
        plan = steering.plan_for(found, rollout)
    except KoersError as error:
        context["problem"] = str(error.message)
        return render(request, "rollout/big_bang.html", context)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    rate = data.get("rate") or rollout.ticket_rate
    pilot_rate = queries.pilot_ticket_rate(found)
    if data.get("use_pilot_rate") and pilot_rate is not None:
        rate = pilot_rate
    day = data.get("big_bang_on") or plan.start or timezone.localdate()
    calendar_ = queries.calendar_for(found, rollout)
    comparison = wave_rules.compare_big_bang(
        plan,
        big_bang_on=day,
        rate_per_100=float(rate),
        desk_per_day=float(rollout.desk_capacity),
        calendar=calendar_,
    )
    chart = svg.chart(
        [
            svg.Series(_("Big bang"), comparison.big_bang.tickets, svg.COLOURS["bad"], kind="bar"),
            svg.Series(
                _("Pilot and waves"), comparison.waves.tickets, svg.COLOURS["plan"], kind="bar"
            ),
        ],
        key="big-bang",
        title=_("Expected support tickets per day"),
        description=_("A big bang against the planned pilot and waves, for the same people."),
        limit=float(rollout.desk_capacity),
        limit_label=_("Service desk capacity"),
    )
    context.update(
        {
            "plan": plan,
            "comparison": comparison,
            "chart": chart,
            "rate": Decimal(str(rate)).quantize(Decimal("0.1")),
            "pilot_rate": pilot_rate,
            "paragraph": exports.big_bang_paragraph(plan, comparison),
        }
    )
    return render(request, "rollout/big_bang.html", context)
