"""The landscape pages: a client's systems, their integrations, the map with the audit, the
system list as a workbook, and per project the systems its phases change.

The landscape names owners and what data each system holds: no page here lets a client guest
in (no `guests=True`).
"""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from koers.core import paging
from koers.core.errors import KoersError
from koers.core.forms import add_domain_error
from koers.population.reading import ReadError, RowErrors
from koers.projects.queries import project_for
from koers.roadmap.models import Phase
from koers.workspaces.models import Client, Role
from koers.workspaces.tenancy import WorkspaceRequest, workspace_view

from . import queries, services, spreadsheet, svg
from .analysis import Kind
from .forms import ImportForm, IntegrationForm, PhaseSystemForm, SystemForm
from .models import Integration, IntegrationKind, PhaseSystem, System
from .records import explained, warning_text

PAGE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _client(request: WorkspaceRequest, slug: str) -> Client:
    return get_object_or_404(request.workspace.clients, slug=slug)


@workspace_view()
@require_safe
def systems(request: WorkspaceRequest, client: str) -> HttpResponse:
    found = _client(request, client)
    rows = System.objects.filter(client=found)
    page, cursor = paging.page_of_request(
        request, rows, name="systems", ordering=["name"], limit=PAGE
    )
    return render(
        request,
        "landscape/systems.html",
        {"client": found, "page": page, "cursor": cursor},
    )


def _system_form(request: WorkspaceRequest, found: Client, system: System | None) -> HttpResponse:
    form = SystemForm(request.POST or None, instance=system or System(client=found))
    if request.method == "POST" and form.is_valid():
        try:
            if system is None:
                services.system_create(client=found, **form.cleaned_data)
            else:
                services.system_update(system=system, **form.cleaned_data)
        except KoersError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The system is saved."))
            return redirect(found.url("landscape:systems"))
    return render(
        request,
        "landscape/system_form.html",
        {"client": found, "form": form, "system": system},
    )


@workspace_view(Role.MEMBER)
def system_create(request: WorkspaceRequest, client: str) -> HttpResponse:
    return _system_form(request, _client(request, client), None)


@workspace_view(Role.MEMBER)
def system_edit(request: WorkspaceRequest, client: str, system: int) -> HttpResponse:
    found = _client(request, client)
    return _system_form(request, found, get_object_or_404(found.systems, pk=system))


@workspace_view(Role.MEMBER)
@require_POST
def system_delete(request: WorkspaceRequest, client: str, system: int) -> HttpResponse:
    found = _client(request, client)
    gone = get_object_or_404(found.systems, pk=system)
    services.system_delete(system=gone)
    messages.success(request, _("%(name)s and its integrations are removed.") % {"name": gone.name})
    return redirect(found.url("landscape:systems"))


@workspace_view()
@require_safe
def integrations(request: WorkspaceRequest, client: str) -> HttpResponse:
    found = _client(request, client)
    rows = Integration.objects.filter(client=found).select_related("source", "target")
    page, cursor = paging.page_of_request(
        request, rows, name="integrations", ordering=["id"], limit=PAGE
    )
    return render(
        request,
        "landscape/integrations.html",
        {"client": found, "page": page, "cursor": cursor},
    )


def _integration_form(
    request: WorkspaceRequest, found: Client, integration: Integration | None
) -> HttpResponse:
    form = IntegrationForm(
        request.POST or None,
        instance=integration or Integration(client=found),
        client=found,
    )
    if request.method == "POST" and form.is_valid():
        try:
            if integration is None:
                services.integration_create(client=found, **form.cleaned_data)
            else:
                services.integration_update(integration=integration, **form.cleaned_data)
        except KoersError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The integration is saved."))
            return redirect(found.url("landscape:integrations"))
    return render(
        request,
        "landscape/integration_form.html",
        {"client": found, "form": form, "integration": integration},
    )


@workspace_view(Role.MEMBER)
def integration_create(request: WorkspaceRequest, client: str) -> HttpResponse:
    return _integration_form(request, _client(request, client), None)


@workspace_view(Role.MEMBER)
def integration_edit(request: WorkspaceRequest, client: str, integration: int) -> HttpResponse:
    found = _client(request, client)
    return _integration_form(request, found, get_object_or_404(found.integrations, pk=integration))


@workspace_view(Role.MEMBER)
@require_POST
def integration_delete(request: WorkspaceRequest, client: str, integration: int) -> HttpResponse:
    found = _client(request, client)
    services.integration_delete(integration=get_object_or_404(found.integrations, pk=integration))
    messages.success(request, _("The integration is removed."))
    return redirect(found.url("landscape:integrations"))


def kind_words() -> dict[Kind, str]:
    return {Kind(value): str(label) for value, label in IntegrationKind.choices}


@workspace_view()
@require_safe
def landscape_map(request: WorkspaceRequest, client: str) -> HttpResponse:
    """The map of the client's systems with the audit beside it: islands, duplicated
    capabilities, manual integrations and where modernising pays most."""
    found = _client(request, client)
    state = queries.landscape(found)
    audit = state.audit
    by_key = state.by_key
    serving = {k: len(d.systems) for d in audit.duplicates for k in d.systems}
    island_number = {k: n + 1 for k, n in audit.island_of.items()}
    tiles = []
    for system in state.systems:
        where = (
            _("on digital island %(n)s") % {"n": island_number[system.pk]}
            if system.pk in island_number
            else _("connected")
        )
        tiles.append(
            svg.Tile(
                key=system.pk,
                name=system.name,
                capability=system.capability,
                label=_("%(name)s: %(capability)s, technical debt %(debt)s, %(where)s")
                % {
                    "name": system.name,
                    "capability": system.capability,
                    "debt": system.debt,
                    "where": where,
                },
                href=f"#system-{system.pk}",  # its row in the table, for every role
                serving=serving.get(system.pk, 1),
            )
        )
    headings = []
    for group in audit.groups:
        if group.is_island:
            n = island_number[group.systems[0]]
            headings.append(_("Digital island %(n)s") % {"n": n})
        else:
            count = len(group.systems)
            headings.append(
                ngettext("Connected: %(count)s system", "Connected: %(count)s systems", count)
                % {"count": count}
            )
    drawing = svg.landscape_map(
        tiles,
        [svg.Line(i.source_id, i.target_id, Kind(i.kind)) for i in state.integrations],
        audit.groups,
        key="landscape",
        title=_("Landscape of %(client)s") % {"client": found.name},
        description=ngettext(
            "%(systems)s systems, of which %(islands)s digital island.",
            "%(systems)s systems, of which %(islands)s digital islands.",
            len(audit.islands),
        )
        % {"systems": len(state.systems), "islands": len(audit.islands)},
        headings=headings,
        kinds=kind_words(),
        island_word=_("digital island"),
        retyped_word=_("re-typed to or from other groups"),
    )
    ranking = [
        {"system": by_key[s.system], "score": s.points, "explained": explained(s)}
        for s in audit.ranking[:10]
    ]
    return render(
        request,
        "landscape/map.html",
        {
            "client": found,
            "state": state,
            "map_svg": mark_safe(drawing),  # noqa: S308 (svg.py escapes every text)
            "rows": [{"system": s, "island": island_number.get(s.pk)} for s in state.systems],
            "islands": [[by_key[k] for k in g.systems] for g in audit.islands],
            "duplicates": [
                {"capability": d.capability, "systems": [by_key[k] for k in d.systems]}
                for d in audit.duplicates
            ],
            "manual": [i for i in state.integrations if i.kind == IntegrationKind.MANUAL],
            "ranking": ranking,
        },
    )


@workspace_view()
@require_safe
def export(request: WorkspaceRequest, client: str) -> HttpResponse:
    found = _client(request, client)
    response = HttpResponse(spreadsheet.export(found), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{found.slug}-systems.xlsx"'
    return response


@workspace_view(Role.MEMBER)
def import_systems(request: WorkspaceRequest, client: str) -> HttpResponse:
    found = _client(request, client)
    form = ImportForm(request.POST or None, request.FILES or None)
    problems = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            outcome = spreadsheet.import_systems(
                client=found, data=upload.read(), file_name=upload.name
            )
        except ReadError as error:
            form.add_error("file", error.message)
        except RowErrors as errors:
            problems = errors
        else:
            messages.success(
                request,
                _("%(added)s system(s) added, %(updated)s updated.")
                % {"added": outcome.added, "updated": outcome.updated},
            )
            return redirect(found.url("landscape:systems"))
    return render(
        request,
        "landscape/import.html",
        {"client": found, "form": form, "problems": problems},
    )


# A project's phases and the systems they change.


@workspace_view()
@require_safe
def phase_systems(request: WorkspaceRequest, project: str) -> HttpResponse:
    found = project_for(request, project)
    state = queries.landscape(found.client)
    phases = list(Phase.objects.filter(project=found).order_by("start_month", "position", "id"))
    risks = queries.phase_risks(phases, state)
    names = {s.pk: s.name for s in state.systems}
    rows = [
        {
            "phase": r.phase,
            "links": r.links,
            "warnings": [warning_text(w, names) for w in r.warnings],
        }
        for r in risks
    ]
    form = PhaseSystemForm(
        phases=Phase.objects.filter(project=found), client=found.client, prefix="link"
    )
    return render(
        request,
        "landscape/phase_systems.html",
        {"project": found, "rows": rows, "form": form, "has_systems": bool(state.systems)},
    )


@workspace_view(Role.MEMBER)
@require_POST
def phase_system_add(request: WorkspaceRequest, project: str) -> HttpResponse:
    found = project_for(request, project)
    form = PhaseSystemForm(
        request.POST,
        phases=Phase.objects.filter(project=found),
        client=found.client,
        prefix="link",
    )
    if form.is_valid():
        try:
            services.phase_system_save(**form.cleaned_data)
        except KoersError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("The phase's system is saved."))
    else:
        messages.error(request, _("Choose a phase, a system and what the phase does to it."))
    return redirect(found.url("landscape_plan:phases"))


@workspace_view(Role.MEMBER)
@require_POST
def phase_system_remove(
    request: WorkspaceRequest, project: str, system_change: int
) -> HttpResponse:
    found = project_for(request, project)
    gone = get_object_or_404(PhaseSystem.objects.filter(phase__project=found), pk=system_change)
    services.phase_system_remove(link=gone)
    messages.success(request, _("The phase no longer changes %(name)s.") % {"name": gone.system})
    return redirect(found.url("landscape_plan:phases"))
