"""The rollout's plan: the wave board, the settings and blackout days, planning the
waves, moving a department, the support-load file, the calendar and the big-bang comparison."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from koers.aftercare import queries as aftercare_queries
from koers.core import paging
from koers.core.errors import KoersError, show_error
from koers.core.forms import add_domain_error
from koers.population.queries import active_people
from koers.projects.models import Project
from koers.projects.queries import project_for
from koers.workspaces.models import Role
from koers.workspaces.tenancy import WorkspaceRequest, workspace_view

from .. import (
    blackout,
    exports,
    planning,
    queries,
    steering,
    svg,
    timeline,
)
from .. import waves as wave_rules
from ..forms import (
    BlackoutFileForm,
    CompareForm,
    DepartmentMoveForm,
    PlanForm,
    RolloutForm,
    SupportFileForm,
)
from ..models import Pilot

NAMES_SHOWN = 8  # of the events an uploaded calendar added, in the message
WAVES_PAGE = 50  # waves a page of the board


def _suggested_phase(project: Project) -> int | None:
    """The phase the plan form offers before one is chosen: the active one, else the first."""
    phases = list(project.phases.exclude(status="stopped").values_list("pk", "status")[:50])
    active = [pk for pk, status in phases if status == "active"]
    if active:
        return active[0]
    return phases[0][0] if phases else None


def _day_month(day: date) -> str:
    """A day under a chart's axis: 2 Mar, 2 mrt (not 2/3, which reads as 3 Feb to some)."""
    return str(date_format(day, "MONTH_DAY_FORMAT"))


@workspace_view(guests=True)
@require_safe
def board(request: WorkspaceRequest, project: str) -> HttpResponse:
    """The wave board: every wave with its dates, people, status and gate."""
    found = project_for(request, project)
    rollout = queries.rollout_of(found)
    shown, cursor = paging.page_of_request(
        request, queries.waves_of(found), name="waves", ordering=["number"], limit=WAVES_PAGE
    )
    states = queries.gate_states(shown.items)
    rows = [{"wave": wave, "gate": states.get(wave.pk)} for wave in shown.items]
    planned, actual = queries.live_progress(found)
    support = queries.support_per_day(found)
    today = timezone.localdate()
    progress = [
        svg.Series(_("Planned"), tuple(planned), svg.COLOURS["plan"], dashed=True),
        svg.Series(_("Live"), tuple(actual), svg.COLOURS["actual"]),
    ]
    progress_svg = (
        svg.chart(
            progress,
            key="progress",
            title=_("People live over time"),
            description=_("Planned against actual number of people live, per day."),
            today=today,
            today_label=_("today"),
            day_label=_day_month,
        )
        if planned
        else ""
    )
    tickets = [
        svg.Series(
            _("Tickets"), tuple((d, float(n)) for d, n in support), svg.COLOURS["plan"], kind="bar"
        )
    ]
    support_svg = (
        svg.chart(
            tickets,
            key="support",
            title=_("Support load per day"),
            description=_("Tickets per day against what the service desk handles."),
            limit=float(rollout.desk_capacity),
            limit_label=_("Service desk capacity"),
            day_label=_day_month,
        )
        if support
        else ""
    )
    # The same figures as tables, and the key ones in words (a chart alone tells a screen
    # reader nothing of them).
    planned_by_today = [value for day, value in planned if day <= today]
    key_figures = {
        "planned": planned[-1][1] if planned else 0,
        "planned_end": planned[-1][0] if planned else None,
        "planned_today": planned_by_today[-1] if planned_by_today else 0,
        "live": actual[-1][1] if actual else 0,
    }
    people_count = active_people(found.client).count()
    return render(
        request,
        "rollout/board.html",
        {
            "project": found,
            "rollout": rollout,
            "rows": rows,
            "page": shown,
            "cursor": cursor,
            "people_count": people_count,
            "pilot": Pilot.objects.filter(project=found).first(),
            "progress_svg": progress_svg,
            "progress_table": svg.table(progress) if planned else [],
            "progress_names": [series.name for series in progress],
            "key_figures": key_figures,
            "support_svg": support_svg,
            "support_table": svg.table(tickets) if support else [],
            "support_names": [series.name for series in tickets],
            "support_file_form": SupportFileForm(),
            "plan_form": PlanForm(
                project=found, initial={"phase": rollout.phase_id or _suggested_phase(found)}
            ),
            "first_day": timeline.first_day(rollout),
        },
    )


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
    """Why not everything at once: a big bang beside the pilot and waves, for the proposal.

    The waves are the kept ones once they are planned, as the board shows them; before that,
    the plan Koers would make now."""
    found = project_for(request, project)
    rollout = queries.rollout_of(found)
    form = CompareForm(request.GET or None)
    # Examples of other projects, as this client may see them: for a client who doubts.
    context: dict[str, Any] = {
        "project": found,
        "form": form,
        "rollout": rollout,
        "references": aftercare_queries.citations(found),
    }
    planned = queries.kept_outline(found)
    if not planned:
        try:
            planned = steering.plan_for(found, rollout).outline()
        except KoersError as error:
            context["problem"] = str(error.message)
            return render(request, "rollout/big_bang.html", context)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    rate = data.get("rate") or rollout.ticket_rate
    pilot_rate = queries.pilot_ticket_rate(found)
    if data.get("use_pilot_rate") and pilot_rate is not None:
        rate = pilot_rate
    day = data.get("big_bang_on") or planned[0].start
    calendar_ = queries.calendar_for(found, rollout)
    comparison = wave_rules.compare_big_bang(
        planned,
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
        day_label=_day_month,
    )
    context.update(
        {
            "comparison": comparison,
            "chart": chart,
            "rate": Decimal(str(rate)).quantize(Decimal("0.1")),
            "pilot_rate": pilot_rate,
            "paragraph": exports.big_bang_paragraph(planned, comparison),
        }
    )
    return render(request, "rollout/big_bang.html", context)
