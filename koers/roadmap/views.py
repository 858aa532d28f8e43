from datetime import date
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from django_scopes import scope

from koers.core import ratelimit
from koers.core.errors import KoersError, show_error
from koers.core.forms import add_domain_error
from koers.core.rasterise import png_of_svg
from koers.projects.models import Project
from koers.projects.queries import project_for
from koers.rollout.timeline import roadmap_steps
from koers.workspaces.models import Role
from koers.workspaces.tenancy import WorkspaceRequest, workspace_view

from . import planfiles, services
from . import snapshot as snap
from .describe import (
    change_text,
    finding_text,
    late_text,
    phase_views,
    projects_roadmap_svg,
    roadmap_svg,
    rule_title,
)
from .forms import (
    CompareForm,
    ConsultantsForm,
    DeviationForm,
    DraftReviewForm,
    KpiFormSet,
    LimitsForm,
    MilestoneForm,
    PhaseForm,
    PlanFileForm,
    RestoreForm,
    RevisionForm,
    ShareLinkForm,
    draft_forms,
    sign_draft,
    unsign_draft,
)
from .guardrails import Finding, summarise
from .models import Deviation, GuardrailLimits, Phase, PlanRevision, ShareLink
from .queries import (
    PlanState,
    draft_findings,
    link_for_token,
    plan_as_mspdi,
    plan_state,
    portfolio,
)


def _findings(state: PlanState) -> list[dict[str, Any]]:
    return [
        {
            "finding": f,
            "title": rule_title(f.rule),
            "text": finding_text(f),
        }
        for f in state.findings
    ]


@workspace_view(guests=True)
@require_safe
def plan(request: WorkspaceRequest, project: str) -> HttpResponse:
    """The plan: every phase with its KPIs and guardrail findings, the milestones, revisions."""
    found = project_for(request, project)
    state = plan_state(found)
    findings = _findings(state)
    views = phase_views(state.snapshot, state.findings, today=state.today)
    phases = [
        {
            "phase": phase,
            "view": view,
            "findings": [f for f in findings if f["finding"].subject == phase.key],
            "late_text": late_text(view.end) if view.is_late else "",
        }
        for phase, view in zip(state.phases, views, strict=True)
    ]
    return render(
        request,
        "roadmap/plan.html",
        {
            "project": found,
            "state": state,
            "phases": phases,
            "plan_findings": [f for f in findings if not f["finding"].subject],
            "summary": state.summary,
            "pending": [change_text(c) for c in state.pending_changes],
            "revision_form": RevisionForm(),
        },
    )


def _phase_form(
    request: WorkspaceRequest, found: Project, phase: Any = None
) -> tuple[PhaseForm, Any]:
    instance = phase
    if instance is None:
        instance = Phase(project=found, start_month=timezone.localdate().replace(day=1))
        if request.GET.get("suggested") and found.smallest_version:
            # The intake's smallest valuable version, as the first phase to work from.
            instance.goal = found.smallest_version[: Phase._meta.get_field("goal").max_length]
            instance.standalone_value = instance.goal
    data = request.POST if request.method == "POST" else None
    formset = KpiFormSet(data, instance=instance, prefix="kpi")
    form = PhaseForm(data, instance=instance, project=found, kpis=formset)
    return form, formset


@workspace_view(Role.MEMBER)
def phase_edit(request: WorkspaceRequest, project: str, phase: int | None = None) -> HttpResponse:
    """Add or change a phase and its KPIs in one form, saved all or nothing."""
    found = project_for(request, project)
    existing = get_object_or_404(found.phases, pk=phase) if phase else None
    form, formset = _phase_form(request, found, existing)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        kpis, remove = [], []
        for kpi_form in formset.forms:
            data = kpi_form.cleaned_data
            if not data:
                continue
            if data.get("DELETE"):
                if kpi_form.instance.pk:
                    remove.append(kpi_form.instance)
                continue
            row = kpi_form.service_fields()
            if kpi_form.instance.pk:
                row["kpi"] = kpi_form.instance
            kpis.append(row)
        was_intake = found.status == Project.Status.INTAKE
        try:
            if existing is None:
                saved = services.phase_create(
                    project=found, actor=request.user, kpis=kpis, **form.service_fields()
                )
            else:
                saved = services.phase_update(
                    phase=existing,
                    actor=request.user,
                    kpis=kpis,
                    remove_kpis=remove,
                    **form.service_fields(),
                )
        except KoersError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Phase %(title)s saved.") % {"title": saved.title})
            if was_intake and found.status == Project.Status.PLANNING:
                messages.info(
                    request, _("The plan is being made: the project moved on to planning.")
                )
            return redirect(
                reverse("roadmap:plan", args=[found.workspace.slug, found.slug])
                + f"#phase-{saved.pk}"
            )
    return render(
        request,
        "roadmap/phase_form.html",
        {"project": found, "form": form, "formset": formset, "phase": existing},
    )


@workspace_view(Role.MEMBER)
@require_POST
def phase_delete(request: WorkspaceRequest, project: str, phase: int) -> HttpResponse:
    found = project_for(request, project)
    existing = get_object_or_404(found.phases, pk=phase)
    services.phase_delete(phase=existing, actor=request.user)
    messages.success(request, _("Phase %(title)s removed.") % {"title": existing.title})
    return redirect(found.url("roadmap:plan"))


@workspace_view(Role.MEMBER)
def milestone_edit(
    request: WorkspaceRequest, project: str, milestone: int | None = None
) -> HttpResponse:
    found = project_for(request, project)
    existing = get_object_or_404(found.milestones, pk=milestone) if milestone else None
    form = MilestoneForm(request.POST or None, instance=existing, project=found)
    if request.method == "POST" and form.is_valid():
        try:
            if existing is None:
                services.milestone_create(
                    project=found, actor=request.user, **form.service_fields()
                )
            else:
                services.milestone_update(
                    milestone=existing, actor=request.user, **form.service_fields()
                )
        except KoersError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Milestone saved."))
            return redirect(found.url("roadmap:plan"))
    return render(
        request,
        "roadmap/milestone_form.html",
        {"project": found, "form": form, "milestone": existing},
    )


@workspace_view(Role.MEMBER)
@require_POST
def milestone_delete(request: WorkspaceRequest, project: str, milestone: int) -> HttpResponse:
    found = project_for(request, project)
    existing = get_object_or_404(found.milestones, pk=milestone)
    services.milestone_delete(milestone=existing, actor=request.user)
    messages.success(request, _("Milestone %(title)s removed.") % {"title": existing.title})
    return redirect(found.url("roadmap:plan"))


@workspace_view(Role.MEMBER)
@require_POST
def deviation_accept(request: WorkspaceRequest, project: str) -> HttpResponse:
    """Accept a guardrail finding with a written justification."""
    found = project_for(request, project)
    form = DeviationForm(request.POST)
    if form.is_valid():
        try:
            deviation = services.deviation_accept(
                project=found, actor=request.user, **form.cleaned_data
            )
        except KoersError as error:
            show_error(request, error)
        else:
            messages.success(request, _("Deviation accepted; the justification stays visible."))
            return _back_to_finding(found, deviation)
    else:
        messages.error(request, _("Write down why this deviation is acceptable."))
    return redirect(found.url("roadmap:plan"))


def _back_to_finding(project: Project, deviation: Deviation) -> HttpResponse:
    """Return to the finding on the plan, where the reader was, not to the top of the page."""
    anchor = f"finding-{deviation.rule}-{deviation.subject or 'plan'}"
    return redirect(f"{project.url('roadmap:plan')}#{anchor}")


@workspace_view(Role.MEMBER)
@require_POST
def deviation_withdraw(request: WorkspaceRequest, project: str, deviation: int) -> HttpResponse:
    found = project_for(request, project)
    existing = get_object_or_404(found.deviations, pk=deviation)
    services.deviation_withdraw(deviation=existing, actor=request.user)
    messages.success(request, _("Deviation withdrawn: the guardrail counts again."))
    return _back_to_finding(found, existing)


@workspace_view(guests=True)
@require_safe
def roadmap(request: WorkspaceRequest, project: str) -> HttpResponse:
    """The plan as a month roadmap, drawn on the server; prints on A4 landscape."""
    found = project_for(request, project)
    state = plan_state(found)
    # The rollout is asked for here, in the page, so the roadmap app never imports it.
    rollout = roadmap_steps(found)
    return render(
        request,
        "roadmap/roadmap.html",
        {
            "project": found,
            "state": state,
            "svg": roadmap_svg(state.snapshot, state.findings, today=state.today, rollout=rollout),
            "views": phase_views(state.snapshot, state.findings, today=state.today),
            "milestones": state.milestones,
            "rollout": rollout,
        },
    )


@workspace_view(guests=True)
@require_safe
def roadmap_image(request: WorkspaceRequest, project: str) -> HttpResponse:
    """The month roadmap as an SVG file for a slide: the plan as the client may see it, so
    without the team's guardrail marks."""
    return _roadmap_download(request, project, "svg")


@workspace_view(guests=True)
@require_safe
def roadmap_png(request: WorkspaceRequest, project: str) -> HttpResponse:
    """The same roadmap as a PNG image at twice its size, for slides that take no SVG."""
    return _roadmap_download(request, project, "png")


def _roadmap_download(request: WorkspaceRequest, project: str, kind: str) -> HttpResponse:
    found = project_for(request, project)
    state = plan_state(found)
    drawing = roadmap_svg(state.snapshot, [], today=state.today, rollout=roadmap_steps(found))
    if kind == "png":
        response = HttpResponse(png_of_svg(drawing), content_type="image/png")
    else:
        body = '<?xml version="1.0" encoding="UTF-8"?>\n' + drawing
        response = HttpResponse(body, content_type="image/svg+xml; charset=utf-8")
    stamp = state.today.isoformat()
    filename = f"{found.slug}-roadmap-{stamp}.{kind}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


REVISIONS_PAGE = 20


def _revision_rows(revisions: list[PlanRevision]) -> list[dict[str, Any]]:
    rows = []
    for i, revision in enumerate(revisions):
        previous = revisions[i + 1] if i + 1 < len(revisions) else None
        changes = snap.diff(previous.snapshot, revision.snapshot) if previous else []
        rows.append({"revision": revision, "changes": [change_text(c) for c in changes]})
    return rows


@workspace_view(guests=True)
@require_safe
def revisions(request: WorkspaceRequest, project: str) -> HttpResponse:
    """Every revision with its reason and what changed; any two compared."""
    found = project_for(request, project)
    state = plan_state(found)
    numbers = list(found.plan_revisions.values_list("number", flat=True))
    listed = found.plan_revisions.select_related("actor")
    paginator = Paginator(listed, REVISIONS_PAGE)
    paginator.count = len(numbers)  # counted already
    page = paginator.get_page(request.GET.get("page"))
    # The page's revisions and the one before its last, which that one's changes are against.
    start = (page.number - 1) * REVISIONS_PAGE
    window = list(listed[start : start + REVISIONS_PAGE + 1])
    shown = window[:REVISIONS_PAGE]
    compare = CompareForm(request.GET or None)
    comparison = None
    if compare.is_bound and compare.is_valid():
        wanted = [compare.cleaned_data["a"], compare.cleaned_data["b"]]
        by_number = {r.number: r for r in found.plan_revisions.filter(number__in=wanted)}
        a, b = by_number.get(wanted[0]), by_number.get(wanted[1])
        if a is None or b is None:
            compare.add_error(None, _("Choose two revisions of this plan."))
        else:
            comparison = {
                "a": a,
                "b": b,
                "changes": [change_text(c) for c in snap.diff(a.snapshot, b.snapshot)],
            }
    elif not compare.is_bound and len(numbers) >= 2:
        compare = CompareForm(initial={"a": numbers[1], "b": numbers[0]})
    return render(
        request,
        "roadmap/revisions.html",
        {
            "project": found,
            "state": state,
            "rows": _revision_rows(window)[: len(shown)],
            "page": page,
            "latest": numbers[0] if numbers else None,
            "numbers": numbers,
            "compare": compare,
            "comparison": comparison,
            "pending": [change_text(c) for c in state.pending_changes],
            "revision_form": RevisionForm(),
            "restore_form": RestoreForm(),
        },
    )


@workspace_view(Role.MEMBER)
@require_POST
def revision_record(request: WorkspaceRequest, project: str) -> HttpResponse:
    found = project_for(request, project)
    form = RevisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the plan changed."))
        return redirect(found.url("roadmap:revisions"))
    try:
        revision = services.revision_record(
            project=found, actor=request.user, reason=form.cleaned_data["reason"]
        )
    except KoersError as error:
        show_error(request, error)
    else:
        messages.success(request, _("Revision %(number)d recorded.") % {"number": revision.number})
    return redirect(found.url("roadmap:revisions"))


@workspace_view(Role.MEMBER)
@require_POST
def revision_restore(request: WorkspaceRequest, project: str, number: int) -> HttpResponse:
    """Make the plan what it was at an earlier revision; that is a new revision."""
    found = project_for(request, project)
    revision = get_object_or_404(found.plan_revisions, number=number)
    form = RestoreForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    with transaction.atomic():
        restored = services.revision_restore(
            project=found, actor=request.user, revision=revision, reason=reason
        )
    # The new revision's reason says what could not be brought back (a system deleted since).
    messages.success(
        request,
        _("Revision %(old)d restored as revision %(new)d: %(reason)s")
        % {"old": revision.number, "new": restored.number, "reason": restored.reason},
    )
    return redirect(found.url("roadmap:revisions"))


@workspace_view()
@require_safe
def portfolio_roadmap(request: WorkspaceRequest) -> HttpResponse:
    """Every active project's phases on one month roadmap, with who works on them, and where
    someone is on more phases at once than the workspace allows."""
    found = portfolio(request.workspace)
    people = found.people
    drawing = projects_roadmap_svg(
        [(f"{p.client.name} · {p.name}", phases) for p, phases in found.projects],
        today=timezone.localdate(),
        consultants={pk: found.names_of(pk) for pk in found.consultants},
        too_thin={phase for t in found.too_thin for phase in t.phases},
    )
    warnings: dict[int, list[Any]] = {}
    for t in found.too_thin:
        warnings.setdefault(t.person, []).append(t)
    return render(
        request,
        "roadmap/portfolio.html",
        {
            "svg": drawing,
            "portfolio": found,
            "rows": [
                (p, phase, found.names_of(phase.pk))
                for p, phases in found.projects
                for phase in phases
            ],
            "warnings": [(people[person], months) for person, months in warnings.items()],
        },
    )


@workspace_view(Role.MEMBER)
def phase_consultants(request: WorkspaceRequest, project: str, phase: int) -> HttpResponse:
    """Who of the workspace works on a phase."""
    found = project_for(request, project)
    chosen = get_object_or_404(found.phases, pk=phase)
    form = ConsultantsForm(
        request.POST or None,
        workspace=request.workspace,
        initial={"members": [c.member_id for c in chosen.consultants.all()]},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.phase_consultants_set(phase=chosen, members=form.cleaned_data["members"])
        except KoersError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The consultants of the phase are saved."))
            return redirect(found.url("roadmap:plan"))
    return render(
        request, "roadmap/phase_consultants.html", {"project": found, "phase": chosen, "form": form}
    )


@workspace_view(Role.MANAGER)
def limits(request: WorkspaceRequest) -> HttpResponse:
    """The workspace's guardrail limits: the method's numbers unless changed here."""
    current = GuardrailLimits.objects.filter(workspace=request.workspace).first()
    form = LimitsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.limits_update(workspace=request.workspace, **form.cleaned_data)
        except KoersError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Guardrail limits saved."))
            return redirect("roadmap_limits", workspace=request.workspace.slug)
    return render(request, "roadmap/limits.html", {"form": form})


@workspace_view(Role.MEMBER)
def sharing(request: WorkspaceRequest, project: str) -> HttpResponse:
    """Links for the client: the read-only roadmap and the calendar feed; revocable."""
    found = project_for(request, project)
    if request.method == "POST":
        form = ShareLinkForm(request.POST)
        if form.is_valid():
            link, _token = services.share_link_create(
                project=found, actor=request.user, kind=form.cleaned_data["kind"]
            )
            messages.success(request, _("Link made: copy it from the list below."))
            return redirect(f"{found.url('roadmap:sharing')}#link-{link.pk}")
    links = [
        (link, _share_url(request, link)) for link in found.share_links.select_related("actor")
    ]
    response = render(request, "roadmap/sharing.html", {"project": found, "links": links})
    response["Cache-Control"] = "private, no-store"  # the page shows working links
    return response


def _share_url(request: WorkspaceRequest, link: ShareLink) -> str | None:
    """Return the full address of a live link, or None when it cannot be shown again."""
    token = link.token
    if link.revoked_at is not None or token is None:
        return None
    return request.build_absolute_uri(reverse(FEEDS[ShareLink.Kind(link.kind)], args=[token]))


# The public page of each kind of share link.
FEEDS = {
    ShareLink.Kind.ROADMAP: "shared_roadmap",
    ShareLink.Kind.CALENDAR: "plan_feed",
    ShareLink.Kind.WAVES: "waves_feed",
}


@workspace_view(Role.MEMBER)
@require_POST
def share_link_revoke(request: WorkspaceRequest, project: str, link: int) -> HttpResponse:
    found = project_for(request, project)
    existing = get_object_or_404(found.share_links, pk=link)
    services.share_link_revoke(link=existing, actor=request.user)
    messages.success(request, _("The link no longer works."))
    return redirect(found.url("roadmap:sharing"))


def shared_link_or_404(token: str, kind: str) -> Any:
    """Return the live link for `token`, or raise 404."""
    link = link_for_token(token, kind)
    if link is None:
        raise Http404
    return link


@require_safe
@ratelimit.per_address("shared-link")
def shared_roadmap(request: Any, token: str) -> HttpResponse:
    """The roadmap the client was sent: its latest revision, read-only, nothing else."""
    link = shared_link_or_404(token, ShareLink.Kind.ROADMAP)
    project = link.project
    with scope(workspace=project.workspace), translation.override(project.language):
        revision = project.plan_revisions.first()
        if revision is None:
            raise Http404
        # The guardrails are the team's own checks: the client is shown the plan, not them.
        findings: list[Finding] = []
        rollout = roadmap_steps(project, shared=True)
        response = render(
            request,
            "roadmap/shared.html",
            {
                "project": project,
                "revision": revision,
                # A recorded revision's statuses may be out of date: it claims no lateness.
                "svg": roadmap_svg(
                    revision.snapshot,
                    findings,
                    today=timezone.localdate(),
                    mark_late=False,
                    rollout=rollout,
                ),
                "views": phase_views(revision.snapshot, findings),
                "rollout": rollout,
                "milestones": [
                    {"title": m["title"], "on": date.fromisoformat(m["on"])}
                    for m in revision.snapshot["milestones"]
                ],
            },
        )
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response


# Importing a plan from another tool, and exporting one to MS Project.


def _review(
    request: WorkspaceRequest,
    found: Project,
    draft: planfiles.DraftPlan,
    review: DraftReviewForm,
    phases: Any,
    adjusted: planfiles.DraftPlan,
) -> HttpResponse:
    found_findings = draft_findings(found, adjusted)
    findings = [
        {"finding": f, "title": rule_title(f.rule), "text": finding_text(f)} for f in found_findings
    ]
    rows = [
        {
            "form": form,
            "phase": phase,
            "findings": [
                item
                for item, f in zip(findings, found_findings, strict=True)
                if f.subject == phase.ref
            ],
            "builds_on": next((p.title for p in draft.phases if p.ref == phase.builds_on), ""),
        }
        for form, phase in zip(phases.forms, draft.phases, strict=False)
    ]
    return render(
        request,
        "roadmap/import_review.html",
        {
            "project": found,
            "draft": draft,
            "review": review,
            "phases": phases,
            "rows": rows,
            "plan_findings": [
                item for item, f in zip(findings, found_findings, strict=True) if not f.subject
            ],
            "summary": summarise(found_findings),
        },
    )


@workspace_view(Role.MEMBER)
def plan_import(request: WorkspaceRequest, project: str) -> HttpResponse:
    """Upload a plan file; a readable one is shown as a draft to adjust before it is saved."""
    found = project_for(request, project)
    form = PlanFileForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            draft = services.plan_file_read(upload.read(), upload.name)
        except KoersError as error:
            add_domain_error(form, error)
        else:
            token = sign_draft(draft, project=found, user_pk=request.user.pk)
            review, phases = draft_forms(draft, token)
            return _review(request, found, draft, review, phases, draft)
    return render(request, "roadmap/import.html", {"project": found, "form": form})


@workspace_view(Role.MEMBER)
@require_POST
def plan_import_review(request: WorkspaceRequest, project: str) -> HttpResponse:
    """Check the adjusted draft again, or save it to the plan (all or nothing)."""
    found = project_for(request, project)
    token = request.POST.get("draft", "")
    draft = unsign_draft(token, project=found, user_pk=request.user.pk)
    if draft is None:
        messages.error(request, _("This draft is no longer valid. Upload the plan file again."))
        return redirect(found.url("roadmap:plan_import"))
    review, phases = draft_forms(draft, token, request.POST)
    valid = review.is_valid() and phases.is_valid() and len(phases.forms) == len(draft.phases)
    if not valid:
        return _review(request, found, draft, review, phases, draft)
    adjusted = review.adjusted(phases)
    if "save" in request.POST:
        try:
            added = services.plan_import(project=found, actor=request.user, draft=adjusted)
        except KoersError as error:
            review.add_error(None, str(error.message))
        else:
            messages.success(
                request,
                _(
                    "Imported: %(phases)d phases, %(milestones)d milestones and %(scope)d "
                    "scope items. Give each phase its standalone value and KPI."
                )
                % {
                    "phases": added["phases"],
                    "milestones": added["milestones"],
                    "scope": added["scope_items"],
                },
            )
            return redirect(found.url("roadmap:plan"))
    return _review(request, found, draft, review, phases, adjusted)


@workspace_view(guests=True)
@require_safe
def plan_mspdi(request: WorkspaceRequest, project: str) -> HttpResponse:
    """The plan as MS Project XML, for the client who plans in MS Project."""
    found = project_for(request, project)
    response = HttpResponse(plan_as_mspdi(found), content_type="application/xml")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="{found.slug}-plan-{stamp}.xml"'
    return response
