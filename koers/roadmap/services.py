"""Writes on the plan: phases, KPIs, milestones, deviations, revisions, limits, share links.

Every verb validates all of its input before it writes, and writes in one transaction: a
plan is never left half-saved. Views, the API, the CLI and the demo all come through here.
"""

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from koers.core.errors import KoersError
from koers.projects.models import Project, Vision
from koers.projects.services import project_move, scope_item_add
from koers.workspaces.models import Membership, Workspace

from . import guardrails, parts, planfiles
from . import snapshot as snap
from .models import (
    MAX_PHASE_WEEKS,
    Deviation,
    GuardrailLimits,
    Kpi,
    Milestone,
    Phase,
    PhaseConsultant,
    PlanRevision,
    ShareLink,
)
from .queries import current_snapshot

PHASE_FIELDS = (
    "title",
    "goal",
    "standalone_value",
    "vision_horizon",
    "vision_contribution",
    "start_month",
    "weeks",
    "budget",
    "status",
    "builds_on",
)
KPI_FIELDS = (
    "name",
    "unit",
    "direction",
    "baseline",
    "baseline_on",
    "target",
    "actual",
    "actual_on",
)
MILESTONE_FIELDS = ("kind", "title", "on", "decision_needed", "phase")


def _unknown(fields: Mapping[str, Any], allowed: Iterable[str]) -> None:
    extra = set(fields) - set(allowed)
    if extra:
        raise TypeError(f"unknown fields: {', '.join(sorted(extra))}")


# Validation: each returns every error, so a form can show them all next to their fields.


def phase_errors(
    fields: Mapping[str, Any], *, project: Project, phase: Phase | None = None
) -> list[KoersError]:
    errors: list[KoersError] = []
    if "title" in fields and not str(fields["title"] or "").strip():
        errors.append(KoersError(_("Give the phase a title."), field="title"))
    weeks = fields.get("weeks")
    if "weeks" in fields and (weeks is None or not 1 <= int(weeks) <= MAX_PHASE_WEEKS):
        errors.append(
            KoersError(
                _("A phase lasts at least 1 and at most %(max)d weeks.") % {"max": MAX_PHASE_WEEKS},
                field="weeks",
            )
        )
    budget = fields.get("budget")
    if "budget" in fields and (budget is None or Decimal(budget) < 0):
        errors.append(KoersError(_("The budget cannot be negative."), field="budget"))
    if "start_month" in fields and not isinstance(fields["start_month"], date):
        errors.append(KoersError(_("Choose the month the phase starts."), field="start_month"))
    if "status" in fields and fields["status"] not in Phase.Status.values:
        errors.append(KoersError(_("Choose a status."), field="status"))
    horizon = fields.get("vision_horizon")
    if horizon is not None and horizon not in Vision.Horizon.values:
        errors.append(
            KoersError(_("The vision horizon is 24 or 48 months."), field="vision_horizon")
        )
    builds_on = fields.get("builds_on")
    if builds_on is not None:
        if builds_on.project_id != project.pk:
            errors.append(KoersError(_("Choose a phase of this plan."), field="builds_on"))
        elif phase is not None and _builds_on_itself(phase, builds_on):
            errors.append(
                KoersError(
                    _("A phase cannot build on itself or on a phase after it."), field="builds_on"
                )
            )
        else:
            start = fields.get("start_month") or (phase.start_month if phase else None)
            if isinstance(start, date) and start.replace(day=1) < builds_on.start_month:
                errors.append(
                    KoersError(
                        _("This phase starts before the phase it builds on (%(title)s) starts.")
                        % {"title": builds_on.title},
                        field="start_month",
                    )
                )
    return errors


def _builds_on_itself(phase: Phase, builds_on: Phase) -> bool:
    seen: set[int] = set()
    current: Phase | None = builds_on
    while current is not None and current.pk not in seen:
        if current.pk == phase.pk:
            return True
        seen.add(current.pk)
        current = current.builds_on
    return False


def kpi_errors(fields: Mapping[str, Any]) -> list[KoersError]:
    errors: list[KoersError] = []
    if not str(fields.get("name") or "").strip():
        errors.append(KoersError(_("Name the KPI."), field="name"))
    baseline, target = fields.get("baseline"), fields.get("target")
    direction = fields.get("direction") or Kpi.Direction.LOWER
    if direction not in Kpi.Direction.values:
        errors.append(KoersError(_("Choose whether lower or higher is better."), field="direction"))
    elif baseline is not None and target is not None:
        if Decimal(target) == Decimal(baseline):
            errors.append(
                KoersError(
                    _("The target equals the baseline: the phase would change nothing."),
                    field="target",
                )
            )
        elif direction == Kpi.Direction.LOWER and Decimal(target) > Decimal(baseline):
            errors.append(
                KoersError(
                    _("Lower is better, so the target must be below the baseline."), field="target"
                )
            )
        elif direction == Kpi.Direction.HIGHER and Decimal(target) < Decimal(baseline):
            errors.append(
                KoersError(
                    _("Higher is better, so the target must be above the baseline."), field="target"
                )
            )
    baseline_on, actual_on = fields.get("baseline_on"), fields.get("actual_on")
    if baseline_on and actual_on and actual_on < baseline_on:
        errors.append(
            KoersError(
                _("The actual value cannot be measured before the baseline."), field="actual_on"
            )
        )
    if fields.get("actual") is not None and not actual_on:
        errors.append(
            KoersError(_("Give the date the actual value was measured."), field="actual_on")
        )
    return errors


def milestone_errors(fields: Mapping[str, Any], *, project: Project) -> list[KoersError]:
    errors: list[KoersError] = []
    if not str(fields.get("title") or "").strip():
        errors.append(KoersError(_("Give the milestone a title."), field="title"))
    if fields.get("kind") not in Milestone.Kind.values:
        errors.append(KoersError(_("Choose the kind of milestone."), field="kind"))
    if not isinstance(fields.get("on"), date):
        errors.append(KoersError(_("Give the date of the milestone."), field="on"))
    phase = fields.get("phase")
    if phase is not None and phase.project_id != project.pk:
        errors.append(KoersError(_("Choose a phase of this plan."), field="phase"))
    return errors


def _raise_first(errors: list[KoersError]) -> None:
    if errors:
        raise errors[0]


# Phases and their KPIs.


def _normalise_phase(fields: dict[str, Any]) -> dict[str, Any]:
    if isinstance(fields.get("start_month"), date):
        fields["start_month"] = fields["start_month"].replace(day=1)
    if fields.get("budget") is not None:
        fields["budget"] = Decimal(fields["budget"])
    for name in ("goal", "standalone_value", "vision_contribution"):
        if fields.get(name) is None and name in fields:
            fields[name] = ""
    return fields


def _check_kpis(kpis: Iterable[Mapping[str, Any]]) -> None:
    for data in kpis:
        fields = {k: v for k, v in data.items() if k != "kpi"}
        _unknown(fields, KPI_FIELDS)
        existing = data.get("kpi")
        merged = (
            {name: getattr(existing, name) for name in KPI_FIELDS} | fields if existing else fields
        )
        _raise_first(kpi_errors(merged))


def _save_kpis(phase: Phase, kpis: Iterable[Mapping[str, Any]]) -> None:
    for data in kpis:
        existing: Kpi | None = data.get("kpi")
        fields = {k: v for k, v in data.items() if k != "kpi"}
        if existing is not None:
            if existing.phase_id != phase.pk:
                raise KoersError(_("That KPI belongs to another phase."))
            for name, value in fields.items():
                setattr(existing, name, value)
            existing.save()
        else:
            Kpi.objects.create(phase=phase, **fields)


@transaction.atomic
def phase_create(
    *,
    project: Project,
    actor: Any,
    kpis: Iterable[Mapping[str, Any]] = (),
    no_kpi_justification: str = "",
    **fields: Any,
) -> Phase:
    """Add a phase, with its KPIs (or the reason it has none), to the project's plan.

    The first phase of a project still in intake moves it on to planning.
    """
    _unknown(fields, PHASE_FIELDS)
    fields = _normalise_phase({"status": Phase.Status.PLANNED} | fields)
    for required in ("title", "start_month", "weeks", "budget"):
        fields.setdefault(required, None)
    _raise_first(phase_errors(fields, project=project))
    kpis = list(kpis)
    _check_kpis(kpis)
    position = (project.phases.aggregate(top=Max("position"))["top"] or 0) + 1
    phase = Phase.objects.create(project=project, position=position, **fields)
    _save_kpis(phase, kpis)
    _accept_no_kpi(phase, actor, no_kpi_justification)
    if project.status == Project.Status.INTAKE:
        # A plan is being made: the intake is over, whether or not someone moved it on.
        project_move(project=project, to_status=Project.Status.PLANNING)
    return phase


def _accept_no_kpi(phase: Phase, actor: Any, justification: str) -> None:
    """Accept the phase's "no KPI" finding with the reason given, when it indeed has none."""
    if justification.strip() and not phase.kpis.exists():
        deviation_accept(
            project=phase.project,
            actor=actor,
            rule=guardrails.Rule.NO_KPI.value,
            subject=phase.key,
            justification=justification,
        )


@transaction.atomic
def phase_update(
    *,
    phase: Phase,
    actor: Any,
    kpis: Iterable[Mapping[str, Any]] = (),
    remove_kpis: Iterable[Kpi] = (),
    no_kpi_justification: str = "",
    **fields: Any,
) -> Phase:
    """Change a phase, add or change its KPIs and remove others, all or nothing."""
    _unknown(fields, PHASE_FIELDS)
    fields = _normalise_phase(dict(fields))
    _raise_first(phase_errors(fields, project=phase.project, phase=phase))
    kpis = list(kpis)
    _check_kpis(kpis)
    for name, value in fields.items():
        setattr(phase, name, value)
    phase.save()
    for kpi in remove_kpis:
        if kpi.phase_id != phase.pk:
            raise KoersError(_("That KPI belongs to another phase."))
        kpi.delete()
    _save_kpis(phase, kpis)
    _accept_no_kpi(phase, actor, no_kpi_justification)
    return phase


@transaction.atomic
def phase_delete(*, phase: Phase, actor: Any) -> None:
    phase.project.deviations.filter(subject=phase.key).delete()
    phase.delete()


@transaction.atomic
def kpi_create(*, phase: Phase, actor: Any, **fields: Any) -> Kpi:
    _check_kpis([fields])
    _unknown(fields, KPI_FIELDS)
    return Kpi.objects.create(phase=phase, **fields)


@transaction.atomic
def kpi_update(*, kpi: Kpi, actor: Any, **fields: Any) -> Kpi:
    _check_kpis([{"kpi": kpi, **fields}])
    for name, value in fields.items():
        setattr(kpi, name, value)
    kpi.save()
    return kpi


def kpi_delete(*, kpi: Kpi, actor: Any) -> None:
    kpi.delete()


# Milestones.


@transaction.atomic
def milestone_create(*, project: Project, actor: Any, **fields: Any) -> Milestone:
    _unknown(fields, MILESTONE_FIELDS)
    fields = {"decision_needed": "", "phase": None} | fields
    _raise_first(milestone_errors(fields, project=project))
    return Milestone.objects.create(project=project, **fields)


@transaction.atomic
def milestone_update(*, milestone: Milestone, actor: Any, **fields: Any) -> Milestone:
    _unknown(fields, MILESTONE_FIELDS)
    merged = {name: getattr(milestone, name) for name in MILESTONE_FIELDS} | fields
    _raise_first(milestone_errors(merged, project=milestone.project))
    for name, value in fields.items():
        setattr(milestone, name, value)
    milestone.save()
    return milestone


def milestone_delete(*, milestone: Milestone, actor: Any) -> None:
    milestone.delete()


# Guardrails: accepted deviations and the workspace's limits.


@transaction.atomic
def deviation_accept(
    *, project: Project, actor: Any, rule: str, subject: str, justification: str
) -> Deviation:
    """Accept a guardrail finding on purpose; the justification stays visible beside it."""
    if not justification.strip():
        raise KoersError(_("Write down why this deviation is acceptable."), field="justification")
    if rule not in {r.value for r in guardrails.Rule}:
        raise KoersError(_("There is no such guardrail."), field="rule")
    if subject and not project.phases.filter(key=subject).exists():
        raise KoersError(_("There is no such phase in this plan."), field="subject")
    deviation, _created = Deviation.objects.update_or_create(
        project=project,
        rule=rule,
        subject=subject,
        defaults={"justification": justification.strip(), "accepted_by": actor},
    )
    return deviation


def deviation_withdraw(*, deviation: Deviation, actor: Any) -> None:
    deviation.delete()


@transaction.atomic
def limits_update(*, workspace: Workspace, **fields: Any) -> GuardrailLimits:
    minimum, maximum = fields.get("min_phase_budget"), fields.get("max_phase_budget")
    if minimum is not None and maximum is not None and Decimal(minimum) > Decimal(maximum):
        raise KoersError(
            _("The smallest budget cannot be above the largest."), field="max_phase_budget"
        )
    limits, _created = GuardrailLimits.objects.update_or_create(
        workspace=workspace, defaults=fields
    )
    return limits


# Plan revisions.


@transaction.atomic
def revision_record(
    *, project: Project, actor: Any, reason: str, restored_from: int | None = None
) -> PlanRevision:
    """Keep the plan as it is now as the next revision, with the reason it changed."""
    reason = reason.strip()
    if not reason:
        raise KoersError(_("Say why the plan changed."), field="reason")
    # Lock the project row so two simultaneous revisions cannot take the same number.
    Project.objects.select_for_update().filter(pk=project.pk).first()
    data = current_snapshot(project)
    latest = project.plan_revisions.first()
    if latest is not None and snap.same_plan(latest.snapshot, data) and restored_from is None:
        raise KoersError(
            _("Nothing changed since revision %(number)d.") % {"number": latest.number},
            field="reason",
        )
    return PlanRevision.objects.create(
        project=project,
        number=(latest.number if latest else 0) + 1,
        reason=reason,
        snapshot=data,
        restored_from=restored_from,
        actor=actor,
    )


def _dec(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _day(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


@transaction.atomic
def revision_restore(
    *, project: Project, actor: Any, revision: PlanRevision, reason: str = ""
) -> PlanRevision:
    """Make the plan what it was at `revision` again, and record that as a new revision.

    Measured actual values are results, not plan: a KPI that still exists keeps them.
    """
    if revision.project_id != project.pk:
        raise KoersError(_("That revision belongs to another plan."))
    data = revision.snapshot
    phases = {p.key: p for p in project.phases.prefetch_related("kpis")}
    wanted = {row["key"] for row in data["phases"]}
    project.phases.exclude(key__in=wanted).delete()
    restored: dict[str, Phase] = {}
    for position, row in enumerate(data["phases"], 1):
        values = {
            "title": row["title"],
            "goal": row["goal"],
            "standalone_value": row["standalone_value"],
            "vision_horizon": row["vision_horizon"],
            "vision_contribution": row["vision_contribution"],
            "start_month": date.fromisoformat(row["start_month"]),
            "weeks": row["weeks"],
            "budget": Decimal(row["budget"]),
            "status": row["status"],
            "position": position,
        }
        phase = phases.get(row["key"])
        if phase is None:
            phase = Phase.objects.create(project=project, key=row["key"], **values)
            current_kpis: dict[str, Kpi] = {}
        else:
            for name, value in values.items():
                setattr(phase, name, value)
            phase.save()
            current_kpis = {k.key: k for k in phase.kpis.all()}
        restored[row["key"]] = phase
        phase.kpis.exclude(key__in=[k["key"] for k in row["kpis"]]).delete()
        for k in row["kpis"]:
            kpi = current_kpis.get(k["key"]) or Kpi(phase=phase, key=k["key"])
            kpi.name, kpi.unit, kpi.direction = k["name"], k["unit"], k["direction"]
            kpi.baseline, kpi.baseline_on = _dec(k["baseline"]), _day(k["baseline_on"])
            kpi.target = _dec(k["target"])
            if kpi.pk is None:
                kpi.actual, kpi.actual_on = _dec(k["actual"]), _day(k["actual_on"])
            kpi.save()
    for row in data["phases"]:
        phase = restored[row["key"]]
        builds_on = restored.get(row["builds_on"]) if row["builds_on"] else None
        if phase.builds_on_id != (builds_on.pk if builds_on else None):
            phase.builds_on = builds_on
            phase.save(update_fields=["builds_on"])
    milestones = {m.key: m for m in project.milestones.all()}
    project.milestones.exclude(key__in=[m["key"] for m in data["milestones"]]).delete()
    for m in data["milestones"]:
        milestone = milestones.get(m["key"]) or Milestone(project=project, key=m["key"])
        milestone.kind, milestone.title = m["kind"], m["title"]
        milestone.on = date.fromisoformat(m["on"])
        milestone.decision_needed = m["decision_needed"]
        milestone.phase = restored.get(m["phase"]) if m["phase"] else None
        milestone.save()
    project.deviations.all().delete()
    Deviation.objects.bulk_create(
        Deviation(
            project=project,
            rule=d["rule"],
            subject=d["subject"],
            justification=d["justification"],
            accepted_by=actor,
        )
        for d in data["deviations"]
    )
    reason = reason.strip() or _("Back to revision %(number)d.") % {"number": revision.number}
    problems = parts.restore(project, restored, data.get("parts", {}))
    if problems:
        # Said where everyone reads the revision: its history, the API and the CLI.
        said = _("%(reason)s Not brought back: %(problems)s.") % {
            "reason": reason,
            "problems": "; ".join(problems),
        }
        limit = PlanRevision._meta.get_field("reason").max_length or len(said)
        reason = said if len(said) <= limit else said[: limit - 1] + "…"
    return revision_record(
        project=project, actor=actor, reason=reason, restored_from=revision.number
    )


# Share links: the read-only roadmap for the client, and the calendar feed.


@transaction.atomic
def share_link_create(*, project: Project, actor: Any, kind: str) -> tuple[ShareLink, str]:
    """Make a link; return it and its token (its members can have it shown again).

    What a link shows is the latest revision, so sharing a plan that has none records one.
    """
    if kind not in ShareLink.Kind.values:
        raise KoersError(_("Choose what to share."), field="kind")
    if not project.plan_revisions.exists():
        revision_record(project=project, actor=actor, reason=_("First version shared."))
    link = ShareLink(project=project, kind=kind, actor=actor)
    token = link.new_token()
    link.save()
    return link, token


def share_link_revoke(*, link: ShareLink, actor: Any) -> ShareLink:
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])
    return link


# Plans from other tools.


@transaction.atomic
def plan_import(*, project: Project, actor: Any, draft: planfiles.DraftPlan) -> dict[str, int]:
    """Add what the user kept of an imported draft to the plan: its phases (with "builds on"),
    milestones and scope items, all or nothing. Returns how many of each were added."""
    kept = draft.included()
    made: dict[str, Phase] = {}
    for phase in kept.phases:
        try:
            made[phase.ref] = phase_create(
                project=project,
                actor=actor,
                title=phase.title,
                start_month=phase.start_month,
                weeks=phase.weeks,
                budget=phase.budget,
            )
        except KoersError as error:
            raise KoersError(
                _("Phase %(title)s: %(problem)s")
                % {"title": phase.title, "problem": error.message},
                field=error.field,
            ) from error
    for phase in kept.phases:
        if phase.builds_on:
            phase_update(phase=made[phase.ref], actor=actor, builds_on=made[phase.builds_on])
    for milestone in kept.milestones:
        milestone_create(
            project=project,
            actor=actor,
            kind=milestone.kind,
            title=milestone.title,
            on=milestone.on,
            phase=made.get(milestone.phase),
        )
    for item in kept.scope_items:
        scope_item_add(
            project=project,
            actor=actor,
            column=item.column,
            title=item.title,
            reason=item.reason,
        )
    return {
        "phases": len(kept.phases),
        "milestones": len(kept.milestones),
        "scope_items": len(kept.scope_items),
    }


# Plan files are small: ten megabytes is a plan of tens of thousands of tasks.
PLAN_FILE_LIMIT = 10 * 1024 * 1024


def plan_file_read(data: bytes, file_name: str) -> planfiles.DraftPlan:
    """The draft plan in an uploaded plan file; KoersError saying why and where if unreadable."""
    try:
        return planfiles.read_plan(data, file_name, limit_bytes=PLAN_FILE_LIMIT)
    except planfiles.PlanFileError as error:
        raise KoersError(error.text, field="file") from error


# Consultants of a phase.


@transaction.atomic
def phase_consultants_set(*, phase: Phase, members: Iterable[Membership]) -> list[Membership]:
    """Make `members` the consultants of the phase: members of its workspace, not guests."""
    members = list(members)
    workspace_id = phase.project.workspace_id
    if any(m.workspace_id != workspace_id or m.is_guest for m in members):
        raise KoersError(_("Choose members of this workspace."), field="members")
    phase.consultants.exclude(member__in=members).delete()
    have = set(phase.consultants.values_list("member_id", flat=True))
    PhaseConsultant.objects.bulk_create(
        PhaseConsultant(phase=phase, member=m) for m in members if m.pk not in have
    )
    return members
