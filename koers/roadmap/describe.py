"""The words for what the pure modules compute: findings, changes, the roadmap's labels."""

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from koers.core import formatting
from koers.core.formatting import money, number

from . import guardrails, svg
from . import snapshot as snap
from .guardrails import Rule
from .models import Milestone, Phase


def unlabelled_text(count: int) -> str:
    return ngettext(
        "%(count)s milestone without a label here: all are in the list",
        "%(count)s milestones without a label here: all are in the list",
        count,
    ) % {"count": count}


def rule_title(rule: Rule) -> str:
    return {
        Rule.PHASE_TOO_LONG: _("Phase longer than the limit"),
        Rule.BUDGET_OUTSIDE_RANGE: _("Budget outside the range"),
        Rule.NO_STANDALONE_VALUE: _("No standalone value"),
        Rule.NO_KPI: _("No KPI"),
        Rule.KPI_INCOMPLETE: _("KPI without baseline or target"),
        Rule.NO_VISION_LINK: _("No link to the vision"),
        Rule.NO_EARLY_DELIVERY: _("No live delivery early on"),
        Rule.BIG_BANG: _("Big bang"),
        Rule.EMPTY_PLAN: _("No phases while delivering"),
        Rule.BUILDS_ON_OVERLAP: _("Starts before what it builds on ends"),
        Rule.NO_CLIENT_VISION_LINK: _("Not linked to the client's vision"),
    }[rule]


def finding_text(finding: guardrails.Finding) -> str:
    """Return what the finding means, with its figures, in the active language."""
    v = finding.value
    match finding.rule:
        case Rule.PHASE_TOO_LONG:
            return _("This phase lasts %(weeks)s weeks; the method allows at most %(limit)s.") % {
                "weeks": v("weeks"),
                "limit": v("limit"),
            }
        case Rule.BUDGET_OUTSIDE_RANGE:
            return _("The budget of %(budget)s is outside %(min)s to %(max)s.") % {
                "budget": money(Decimal(v("budget"))),
                "min": money(Decimal(v("min"))),
                "max": money(Decimal(v("max"))),
            }
        case Rule.NO_STANDALONE_VALUE:
            return _("Say why this phase is worth it even if nothing follows.")
        case Rule.NO_KPI:
            return _(
                "Give the phase a KPI with a baseline and a target: how will we know it worked?"
            )
        case Rule.KPI_INCOMPLETE:
            return _("These KPIs lack a baseline or a target: %(kpis)s.") % {"kpis": v("kpis")}
        case Rule.NO_VISION_LINK:
            return _("Say which part of the 24/48-month vision this phase brings closer.")
        case Rule.NO_EARLY_DELIVERY:
            return _(
                "Nothing goes live in the first %(limit)s weeks; the first delivery comes "
                "after %(weeks)s weeks."
            ) % {"limit": v("limit"), "weeks": v("weeks")}
        case Rule.BIG_BANG:
            return _(
                "One phase of %(weeks)s weeks and %(budget)s tries to solve everything at once, "
                "like the ERP project in Ghent that was stopped after 18 months."
            ) % {"weeks": v("weeks"), "budget": money(Decimal(v("budget")))}
        case Rule.EMPTY_PLAN:
            return _(
                "The project is being delivered but its plan has no phases: nothing is being "
                "checked against the method."
            )
        case Rule.BUILDS_ON_OVERLAP:
            return _(
                "This phase builds on %(other)s, but starts before it ends (its last day is "
                "%(day)s)."
            ) % {"other": v("other"), "day": formatting.day(date.fromisoformat(v("day")))}
        case Rule.NO_CLIENT_VISION_LINK if v("client_has_vision"):
            return _(
                "The client has a vision for its whole digital future: say which part of it "
                "this project serves."
            )
        case Rule.NO_CLIENT_VISION_LINK:
            return _(
                "The client has %(count)s projects but no vision for its whole digital future: "
                "small steps without one end as digital islands that each keep their own truth."
            ) % {"count": v("projects")}
    return finding.rule.value  # pragma: no cover - every rule is handled above


@dataclass(frozen=True)
class GuardrailLines:
    """The findings as documents print them: open errors per rule with the phases they hit."""

    open_errors: list[tuple[str, list[str]]]  # rule title, keys of the phases
    plan_errors: list[str]  # what each open error on the plan as a whole says
    warnings: int
    accepted: list[guardrails.Finding]


def guardrail_lines(findings: list[guardrails.Finding]) -> GuardrailLines:
    """Group the open errors by rule and keep the accepted deviations, in the method's order."""
    by_rule: dict[Rule, list[str]] = {}
    plan_errors: list[str] = []
    accepted: list[guardrails.Finding] = []
    warnings = 0
    for finding in findings:
        if finding.accepted:
            accepted.append(finding)
        elif finding.severity is not guardrails.Severity.ERROR:
            warnings += 1
        elif finding.subject:
            by_rule.setdefault(finding.rule, []).append(finding.subject)
        else:
            plan_errors.append(finding_text(finding))
    return GuardrailLines(
        [(rule_title(rule), keys) for rule, keys in by_rule.items()],
        plan_errors,
        warnings,
        accepted,
    )


def status_label(status: str) -> str:
    return str(Phase.Status(status).label) if status in Phase.Status.values else status


def late_text(end: date) -> str:
    """Return what "late" means for a phase whose end (the day after its last) has passed."""
    return _("Late: its last day was %(day)s and it is not done.") % {
        "day": date_format(end - timedelta(days=1), "SHORT_DATE_FORMAT")
    }


def change_text(change: snap.Change) -> str:
    """Return one line of a revision's diff."""
    kind = snap.ChangeKind
    values = {
        "title": change.title,
        "before": change.before,
        "after": change.after,
        "phase": change.phase,
    }
    match change.kind:
        case kind.PHASE_ADDED:
            return _("Phase added: %(title)s") % values
        case kind.PHASE_REMOVED:
            return _("Phase removed: %(title)s") % values
        case kind.PHASE_MOVED:
            return _("%(title)s moved: starts in %(after)s instead of %(before)s") % values
        case kind.PHASE_RESIZED:
            return _("%(title)s now lasts %(after)s weeks instead of %(before)s") % values
        case kind.PHASE_REBUDGETED:
            return _("%(title)s re-budgeted: %(before)s → %(after)s") % {
                **values,
                "before": money(Decimal(change.before)),
                "after": money(Decimal(change.after)),
            }
        case kind.PHASE_RENAMED:
            return _("Phase renamed: %(before)s → %(after)s") % values
        case kind.PHASE_STATUS:
            return _("%(title)s: %(before)s → %(after)s") % {
                **values,
                "before": status_label(change.before),
                "after": status_label(change.after),
            }
        case kind.PHASE_REWORDED:
            return _("%(title)s: goal, value or vision link reworded") % values
        case kind.KPI_ADDED:
            return _("KPI added to %(phase)s: %(title)s") % values
        case kind.KPI_REMOVED:
            return _("KPI removed from %(phase)s: %(title)s") % values
        case kind.KPI_TARGET:
            return _("KPI target of %(title)s (%(phase)s): %(before)s → %(after)s") % {
                **values,
                "before": _figure(change.before),
                "after": _figure(change.after),
            }
        case kind.KPI_BASELINE:
            return _("KPI baseline of %(title)s (%(phase)s): %(before)s → %(after)s") % {
                **values,
                "before": _figure(change.before),
                "after": _figure(change.after),
            }
        case kind.KPI_REWORDED:
            return _("KPI %(title)s (%(phase)s) reworded") % values
        case kind.MILESTONE_ADDED:
            return _("Milestone added: %(title)s on %(after)s") % values
        case kind.MILESTONE_REMOVED:
            return _("Milestone removed: %(title)s") % values
        case kind.MILESTONE_MOVED:
            return _("Milestone %(title)s moved: %(before)s → %(after)s") % values
        case kind.MILESTONE_CHANGED:
            return _("Milestone %(title)s changed") % values
        case kind.DEVIATION_ACCEPTED:
            return _("Deviation accepted: %(rule)s %(where)s") % {
                "rule": rule_title(Rule(change.title)),
                "where": f"({change.phase})" if change.phase else "",
            }
        case kind.DEVIATION_WITHDRAWN:
            return _("Deviation withdrawn: %(rule)s %(where)s") % {
                "rule": rule_title(Rule(change.title)),
                "where": f"({change.phase})" if change.phase else "",
            }
    return change.kind.value  # pragma: no cover


def _figure(value: str) -> str:
    return number(Decimal(value)) if value else "–"  # noqa: RUF001


def kpi_line(kpi: dict[str, str | None]) -> str:
    """Return `Quote time: 100 → 40 %` (baseline → target, unit), as the proposal shows it."""
    unit = f" {kpi['unit']}" if kpi.get("unit") else ""
    raw_baseline, raw_target = kpi.get("baseline"), kpi.get("target")
    baseline = number(Decimal(raw_baseline)) if raw_baseline else "?"
    target = number(Decimal(raw_target)) if raw_target else "?"
    return f"{kpi['name']}: {baseline} → {target}{unit}"


@dataclass(frozen=True)
class PhaseView:
    """One phase of a snapshot with what the pages and documents show beside it."""

    number: int
    row: dict[str, object]
    start: date
    end: date
    budget: Decimal
    findings: list[guardrails.Finding]
    kpi_met: bool | None
    is_late: bool = False

    @property
    def last_day(self) -> date:
        """The phase's last day: `end` is the day after it."""
        return self.end - timedelta(days=1)

    @property
    def status_display(self) -> str:
        if self.is_late:
            return _("%(status)s, late") % {"status": status_label(str(self.row["status"]))}
        return status_label(str(self.row["status"]))

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.is_blocking)

    @property
    def warnings(self) -> int:
        return sum(
            1 for f in self.findings if not f.accepted and f.severity is guardrails.Severity.WARNING
        )

    @property
    def accepted(self) -> int:
        return sum(1 for f in self.findings if f.accepted)


def phase_views(
    snapshot: snap.Snapshot, findings: list[guardrails.Finding], *, today: date | None = None
) -> list[PhaseView]:
    """Return each phase with its findings; late ones marked when `today` is given."""
    plan = snap.to_plan(snapshot)
    views = []
    for number_, (row, phase) in enumerate(zip(snapshot["phases"], plan.phases, strict=True), 1):
        views.append(
            PhaseView(
                number=number_,
                row=row,
                start=phase.start,
                end=phase.end,
                budget=phase.budget,
                findings=[f for f in findings if f.subject == phase.key],
                kpi_met=guardrails.phase_kpis_met(phase) if phase.status == "done" else None,
                is_late=today is not None and phase.is_late(today),
            )
        )
    return views


def roadmap_svg(
    snapshot: snap.Snapshot,
    findings: list[guardrails.Finding],
    *,
    today: date,
    mark_late: bool = True,
    rollout: svg.Rollout | None = None,
) -> str:
    """Draw the plan in the active language, late phases marked unless told not to.

    `rollout`: its rings, pilot and waves, drawn under the phase that delivers them.
    """
    views = phase_views(snapshot, findings, today=today if mark_late else None)
    bars = [
        svg.Bar(
            label=f"{v.number}. {v.row['title']}",
            start=v.start,
            end=v.end,
            status=str(v.row["status"]),
            caption=_("%(weeks)s wk · %(budget)s")
            % {"weeks": v.row["weeks"], "budget": money(v.budget)},
            kpi_met=v.kpi_met,
            errors=v.errors,
            warnings=v.warnings,
            accepted=v.accepted,
            note=_bar_note(v),
            is_late=v.is_late,
            key=str(v.row["key"]),
        )
        for v in views
    ]
    moments = [
        svg.Moment(on=date.fromisoformat(m["on"]), kind=m["kind"], title=m["title"])
        for m in snapshot["milestones"]
    ]
    plan_findings = [f for f in findings if not f.subject and not f.accepted]
    late = [v for v in views if v.is_late]
    description = ngettext(
        "%(count)d phase from %(start)s to %(end)s.",
        "%(count)d phases from %(start)s to %(end)s.",
        len(views),
    ) % {
        "count": len(views),
        "start": formatting.day(min((v.start for v in views), default=today)),
        "end": formatting.day(max((v.end for v in views), default=today) - timedelta(days=1)),
    }
    if late:
        description += " " + ngettext(
            "%(count)d phase is late.", "%(count)d phases are late.", len(late)
        ) % {"count": len(late)}
    if rollout is not None:
        description += " " + rollout_text(rollout)
    if plan_findings:
        description += " " + " ".join(finding_text(f) for f in plan_findings)
    return svg.draw(bars, moments, today, _labels(description), rollout)


def _labels(description: str) -> svg.Labels:
    """The roadmap's words in the active language."""
    return svg.Labels(
        title=_("Roadmap by month"),
        description=description,
        months=tuple(formatting.short_month(i) for i in range(1, 13)),
        day=formatting.day,
        today=_("today"),
        kinds={k.value: str(k.label) for k in Milestone.Kind},
        statuses={s.value: str(s.label) for s in Phase.Status},
        kpi_met=_("KPI met"),
        kpi_missed=_("KPI not met"),
        finding=_("guardrail finding"),
        accepted=_("deviation accepted"),
        late=_("late"),
        rollout=_("Rollout"),
        unlabelled=unlabelled_text,
        states={
            "go": _("Go"),
            "no_go": _("No go"),
            "paused": _("Paused"),
            "rolled_back": _("Rolled back"),
            "pilot": _("Pilot"),
            "ring": _("Ring"),
            "department": _("Wave"),
        },
    )


def projects_roadmap_svg(
    projects: list[tuple[str, list[Phase]]],
    *,
    today: date,
    consultants: Mapping[int, Sequence[str]] | None = None,
    too_thin: Collection[int] = (),
) -> str:
    """Draw the phases of several projects on one month roadmap, each named by its project:
    `projects` is (project name, its phases in order). `consultants`: the names of who works
    on each phase (by phase id), written in its bar; `too_thin`: the phases with someone on
    more phases at once than the workspace allows, marked with a warning."""
    people = consultants or {}
    bars = [
        svg.Bar(
            label=f"{name}: {number}. {phase.title}",
            start=phase.start_month,
            end=phase.end,
            status=phase.status,
            caption=", ".join(people[phase.pk])
            if people.get(phase.pk)
            else _("%(weeks)s wk · %(budget)s")
            % {"weeks": phase.weeks, "budget": money(phase.budget)},
            is_late=phase.is_late_on(today),
            warnings=1 if phase.pk in too_thin else 0,
            note="\n".join([f"{name}: {phase.title}", *people.get(phase.pk, [])]),
        )
        for name, phases in projects
        for number, phase in enumerate(phases, 1)
    ]
    description = ngettext(
        "%(count)d phase of %(projects)d projects.",
        "%(count)d phases of %(projects)d projects.",
        len(bars),
    ) % {"count": len(bars), "projects": len(projects)}
    return bars_svg(bars, description, today=today)


def bars_svg(bars: list[svg.Bar], description: str, *, today: date) -> str:
    """Draw bars on the month roadmap in the active language: the phases of several projects,
    or a product's phases with its contracts under them."""
    return svg.draw(bars, [], today, _labels(description))


def rollout_text(rollout: svg.Rollout) -> str:
    """Say in words what the rollout row draws: for a screen reader and the page's text."""
    steps = rollout.steps
    decided = [s for s in steps if s.state == "go"]
    late = [s for s in steps if s.is_late]
    text = ngettext(
        "Rollout: %(count)d step from %(start)s to %(end)s, %(go)d passed its gate.",
        "Rollout: %(count)d steps from %(start)s to %(end)s, %(go)d passed their gate.",
        len(steps),
    ) % {
        "count": len(steps),
        "start": formatting.day(steps[0].start),
        "end": formatting.day(steps[-1].end),
        "go": len(decided),
    }
    if late:
        text += " " + ngettext("%(count)d is late.", "%(count)d are late.", len(late)) % {
            "count": len(late)
        }
    return text


def _bar_note(view: PhaseView) -> str:
    end = view.end - timedelta(days=1)
    lines = [
        f"{view.number}. {view.row['title']}: {formatting.day(view.start)} \u2013 "
        f"{formatting.day(end)}, {view.status_display}"
    ]
    if view.is_late:
        lines.append(late_text(view.end))
    lines += [(_("Accepted: ") if f.accepted else "") + finding_text(f) for f in view.findings]
    return "\n".join(lines)
