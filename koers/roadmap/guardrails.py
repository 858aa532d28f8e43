"""The method's guardrails on a plan: pure, no Django, dataclasses in and out.

A plan is a list of phases; each phase is checked against the limits of the method
(at most 12 weeks, EUR 15,000-50,000, standalone value, a measurable KPI, a link to the
vision), and the plan as a whole for an early live delivery and the "big bang" pattern of
the Ghent ERP counter-case. Findings name a rule by code; the words are the caller's.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from koers.core import dates


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


class Rule(StrEnum):
    """Every guardrail, by a code that stays stable in URLs, JSON and the database."""

    PHASE_TOO_LONG = "phase-too-long"
    BUDGET_OUTSIDE_RANGE = "budget-outside-range"
    NO_STANDALONE_VALUE = "no-standalone-value"
    NO_KPI = "no-kpi"
    KPI_INCOMPLETE = "kpi-incomplete"
    NO_VISION_LINK = "no-vision-link"
    NO_EARLY_DELIVERY = "no-early-delivery"
    BIG_BANG = "big-bang"
    EMPTY_PLAN = "empty-plan"
    BUILDS_ON_OVERLAP = "builds-on-overlap"
    NO_CLIENT_VISION_LINK = "no-client-vision-link"


SEVERITY: dict[Rule, Severity] = {
    Rule.PHASE_TOO_LONG: Severity.ERROR,
    Rule.BUDGET_OUTSIDE_RANGE: Severity.ERROR,
    Rule.NO_STANDALONE_VALUE: Severity.ERROR,
    Rule.NO_KPI: Severity.ERROR,
    Rule.KPI_INCOMPLETE: Severity.WARNING,
    Rule.NO_VISION_LINK: Severity.WARNING,
    Rule.NO_EARLY_DELIVERY: Severity.ERROR,
    Rule.BIG_BANG: Severity.ERROR,
    Rule.EMPTY_PLAN: Severity.ERROR,
    Rule.BUILDS_ON_OVERLAP: Severity.WARNING,
    Rule.NO_CLIENT_VISION_LINK: Severity.WARNING,
}

PHASE_RULES = frozenset(
    {
        Rule.PHASE_TOO_LONG,
        Rule.BUDGET_OUTSIDE_RANGE,
        Rule.NO_STANDALONE_VALUE,
        Rule.NO_KPI,
        Rule.KPI_INCOMPLETE,
        Rule.NO_VISION_LINK,
        Rule.BIG_BANG,
        Rule.BUILDS_ON_OVERLAP,
    }
)
PLAN_RULES = frozenset({Rule.NO_EARLY_DELIVERY, Rule.EMPTY_PLAN, Rule.NO_CLIENT_VISION_LINK})
# Stopped phases are no longer part of the plan; their findings would only be noise.
CHECKED_STATUSES = frozenset({"planned", "active", "done"})
# Phases still to be finished: past their end, they are late.
OPEN_STATUSES = frozenset({"planned", "active"})


@dataclass(frozen=True)
class Limits:
    """The method's numbers; a workspace may set its own."""

    max_phase_weeks: int = 12
    min_phase_budget: Decimal = Decimal(15_000)
    max_phase_budget: Decimal = Decimal(50_000)
    first_delivery_weeks: int = 12
    # A phase is a "big bang" when it breaks both the week and the budget limit and
    # carries at least this share of the whole plan's budget.
    big_bang_share: Decimal = Decimal("0.5")
    # A consultant on more phases than this in one month, across the workspace's projects, is
    # spread too thin (issue 18); checked by `staffing`, not with the plan's guardrails.
    max_phases_at_once: int = 3


@dataclass(frozen=True)
class Kpi:
    name: str
    baseline: Decimal | None
    target: Decimal | None
    actual: Decimal | None = None
    lower_is_better: bool = True


@dataclass(frozen=True)
class Phase:
    key: str
    title: str
    start: date
    weeks: int
    budget: Decimal
    status: str = "planned"
    has_standalone_value: bool = True
    has_vision_link: bool = True
    kpis: tuple[Kpi, ...] = ()
    builds_on: str | None = None  # the key of the phase whose result it needs

    @property
    def end(self) -> date:
        return self.start + timedelta(weeks=self.weeks)

    def is_late(self, today: date) -> bool:
        return is_late(status=self.status, end=self.end, today=today)


def is_late(*, status: str, end: date, today: date) -> bool:
    """Return whether a phase is past its end and not done: `end` is the day after its last."""
    return dates.is_late(
        last_day=end - timedelta(days=1), is_finished=status not in OPEN_STATUSES, today=today
    )


@dataclass(frozen=True)
class Plan:
    phases: tuple[Phase, ...]
    # Dates of milestones that put something live (done or planned).
    deliveries: tuple[date, ...] = ()
    # A project in delivery must have a plan: with no phase, nothing is being checked.
    needs_phases: bool = False
    # "Act small only" (seed 003): the project does not say which part of its client's vision
    # it serves. None when it does, or when the client has one project and no vision.
    vision_gap: VisionGap | None = None


@dataclass(frozen=True)
class VisionGap:
    client_has_vision: bool
    client_projects: int


@dataclass(frozen=True)
class Finding:
    rule: Rule
    subject: str  # a phase key, or "" for the plan as a whole
    values: tuple[tuple[str, str], ...] = ()
    accepted: bool = False
    justification: str = ""

    @property
    def severity(self) -> Severity:
        return SEVERITY[self.rule]

    @property
    def is_blocking(self) -> bool:
        """An error that nobody accepted with a justification."""
        return self.severity is Severity.ERROR and not self.accepted

    def value(self, name: str) -> str:
        return dict(self.values).get(name, "")


@dataclass(frozen=True)
class Acceptance:
    """A deviation accepted with a written justification."""

    rule: Rule
    subject: str
    justification: str


def kpi_is_complete(kpi: Kpi) -> bool:
    return kpi.baseline is not None and kpi.target is not None


def kpi_is_met(kpi: Kpi) -> bool | None:
    """Return whether the actual value reached the target; None when not measured."""
    if kpi.actual is None or kpi.target is None:
        return None
    return kpi.actual <= kpi.target if kpi.lower_is_better else kpi.actual >= kpi.target


def phase_kpis_met(phase: Phase) -> bool | None:
    """Return whether every measured KPI of a phase was met; None when none was measured."""
    results = [kpi_is_met(kpi) for kpi in phase.kpis]
    measured = [result for result in results if result is not None]
    if not measured:
        return None
    return all(measured)


def _money(amount: Decimal) -> str:
    return str(amount.quantize(Decimal(1)))


def check_phase(phase: Phase, limits: Limits, *, plan_budget: Decimal) -> list[Finding]:
    """Return the findings on one phase, in the order of the method."""
    if phase.status not in CHECKED_STATUSES:
        return []
    found: list[Finding] = []
    too_long = phase.weeks > limits.max_phase_weeks
    if too_long:
        found.append(
            Finding(
                Rule.PHASE_TOO_LONG,
                phase.key,
                (("weeks", str(phase.weeks)), ("limit", str(limits.max_phase_weeks))),
            )
        )
    outside = not limits.min_phase_budget <= phase.budget <= limits.max_phase_budget
    if outside:
        found.append(
            Finding(
                Rule.BUDGET_OUTSIDE_RANGE,
                phase.key,
                (
                    ("budget", _money(phase.budget)),
                    ("min", _money(limits.min_phase_budget)),
                    ("max", _money(limits.max_phase_budget)),
                ),
            )
        )
    if (
        too_long
        and phase.budget > limits.max_phase_budget
        and plan_budget > 0
        and phase.budget >= plan_budget * limits.big_bang_share
    ):
        found.append(
            Finding(
                Rule.BIG_BANG,
                phase.key,
                (("weeks", str(phase.weeks)), ("budget", _money(phase.budget))),
            )
        )
    if not phase.has_standalone_value:
        found.append(Finding(Rule.NO_STANDALONE_VALUE, phase.key))
    if not phase.kpis:
        found.append(Finding(Rule.NO_KPI, phase.key))
    else:
        incomplete = [kpi.name for kpi in phase.kpis if not kpi_is_complete(kpi)]
        if incomplete:
            found.append(
                Finding(Rule.KPI_INCOMPLETE, phase.key, (("kpis", ", ".join(incomplete)),))
            )
    if not phase.has_vision_link:
        found.append(Finding(Rule.NO_VISION_LINK, phase.key))
    return found


def plan_start(plan: Plan) -> date | None:
    starts = [p.start for p in plan.phases if p.status in CHECKED_STATUSES]
    return min(starts) if starts else None


def first_delivery(plan: Plan) -> date | None:
    """Return the earliest live moment: a delivery milestone or the end of a phase."""
    moments = list(plan.deliveries) + [
        p.end for p in plan.phases if p.status in CHECKED_STATUSES and p.has_standalone_value
    ]
    return min(moments) if moments else None


def is_empty_plan(plan: Plan) -> bool:
    """Return whether a plan that must have phases (in delivery) has none being checked."""
    return plan.needs_phases and not any(p.status in CHECKED_STATUSES for p in plan.phases)


def check_plan(plan: Plan, limits: Limits, acceptances: Iterable[Acceptance] = ()) -> list[Finding]:
    """Return every finding on the plan and its phases, marking the accepted deviations."""
    checked = [p for p in plan.phases if p.status in CHECKED_STATUSES]
    plan_budget = sum((p.budget for p in checked), Decimal(0))
    found: list[Finding] = []
    if is_empty_plan(plan):
        found.append(Finding(Rule.EMPTY_PLAN, ""))
    start = plan_start(plan)
    delivery = first_delivery(plan)
    if start is not None and delivery is not None:
        deadline = start + timedelta(weeks=limits.first_delivery_weeks)
        if delivery > deadline:
            weeks = (delivery - start).days // 7
            found.append(
                Finding(
                    Rule.NO_EARLY_DELIVERY,
                    "",
                    (("weeks", str(weeks)), ("limit", str(limits.first_delivery_weeks))),
                )
            )
    by_key = {p.key: p for p in checked}
    if plan.vision_gap is not None:
        gap = plan.vision_gap
        values = (
            ("client_has_vision", "1" if gap.client_has_vision else ""),
            ("projects", str(gap.client_projects)),
        )
        found.append(Finding(Rule.NO_CLIENT_VISION_LINK, "", values))
    for phase in plan.phases:
        found.extend(check_phase(phase, limits, plan_budget=plan_budget))
        if phase.status in CHECKED_STATUSES:
            found.extend(check_builds_on(phase, by_key.get(phase.builds_on or "")))
    return apply_acceptances(found, acceptances)


def check_builds_on(phase: Phase, builds_on: Phase | None) -> list[Finding]:
    """Warn when a phase starts before the phase whose result it needs has ended."""
    if builds_on is None or phase.start >= builds_on.end:
        return []
    last_day = builds_on.end - timedelta(days=1)
    values = (("other", builds_on.title), ("day", last_day.isoformat()))
    return [Finding(Rule.BUILDS_ON_OVERLAP, phase.key, values)]


def apply_acceptances(
    findings: Sequence[Finding], acceptances: Iterable[Acceptance]
) -> list[Finding]:
    """Mark each finding whose rule and subject have an accepted deviation."""
    accepted = {(a.rule, a.subject): a.justification for a in acceptances}
    return [
        Finding(
            f.rule,
            f.subject,
            f.values,
            accepted=(f.rule, f.subject) in accepted,
            justification=accepted.get((f.rule, f.subject), ""),
        )
        for f in findings
    ]


@dataclass(frozen=True)
class Summary:
    errors: int = 0
    warnings: int = 0
    accepted: int = 0
    by_subject: dict[str, list[Finding]] = field(default_factory=dict)

    @property
    def has_blocking(self) -> bool:
        return self.errors > 0


def summarise(findings: Iterable[Finding]) -> Summary:
    """Count blocking errors, open warnings and accepted deviations; group by subject."""
    errors = warnings = accepted = 0
    by_subject: dict[str, list[Finding]] = {}
    for finding in findings:
        by_subject.setdefault(finding.subject, []).append(finding)
        if finding.accepted:
            accepted += 1
        elif finding.severity is Severity.ERROR:
            errors += 1
        else:
            warnings += 1
    return Summary(errors, warnings, accepted, by_subject)
