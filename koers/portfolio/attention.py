"""What needs attention first across many projects: pure rules, no Django.

Each project's facts (read by `queries` from the apps that own them: the pulse's watermelon
signal, the plan's guardrails, the rollout's waves and gates, the decision log, the
stakeholders) become causes, each with a weight; the weights add up to the project's score,
and the portfolio, its API and the weekly digest list projects by it, highest first. A cause
names its reason and the figures the reason is shown with ("gate due Thursday,
understanding 2.7"): the words are the faces' (see `describe`).

The weights say what the method puts first: a status reported green while the measure is
red (the watermelon) above all, then what is due within the week (a gate), then what is
already behind (late waves, late phases), then what blocks (guardrail errors, decisions
past their day), then what is slipping (stakeholders not contacted, decisions waiting).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

SOON_DAYS = 7  # a gate, a pulse round's close or a milestone this near is a cause
MAX_COUNTED = 5  # past this many late phases (or overdue people, ...) the weight stops growing


class Reason(StrEnum):
    WATERMELON = "watermelon"
    REPORTED_RED = "reported-red"
    MEASURED_RED = "measured-red"
    GATE_DUE = "gate-due"
    GATE_OVERDUE = "gate-overdue"
    LATE_WAVES = "late-waves"
    LATE_PHASES = "late-phases"
    GUARDRAIL_ERRORS = "guardrail-errors"
    DECISIONS_OVERDUE = "decisions-overdue"
    FEEDBACK_DUE = "feedback-due"
    MILESTONE_DUE = "milestone-due"
    STAKEHOLDERS_OVERDUE = "stakeholders-overdue"
    DECISIONS_WAITING = "decisions-waiting"


# A cause's weight: a fixed part, and a part per counted item (late phases, ...).
FIXED = {
    Reason.WATERMELON: 100,
    Reason.REPORTED_RED: 60,
    Reason.MEASURED_RED: 50,
    Reason.GATE_OVERDUE: 45,
    Reason.GATE_DUE: 30,
    Reason.FEEDBACK_DUE: 8,
    Reason.MILESTONE_DUE: 8,
}
PER_ITEM = {
    Reason.LATE_WAVES: 30,
    Reason.LATE_PHASES: 25,
    Reason.GUARDRAIL_ERRORS: 20,
    Reason.DECISIONS_OVERDUE: 15,
    Reason.STAKEHOLDERS_OVERDUE: 4,
    Reason.DECISIONS_WAITING: 2,
}
GATE_RED = 25  # on top of a gate due: its criteria fail now


class MomentKind(StrEnum):
    GATE = "gate"
    FEEDBACK = "feedback"  # a pulse round closes
    MILESTONE = "milestone"


@dataclass(frozen=True)
class Moment:
    kind: MomentKind
    on: date
    title: str = ""  # the wave's or milestone's name


@dataclass(frozen=True)
class Facts:
    """One project's facts. Counts a reader may not see (a guest) are zero."""

    key: int
    reported: str | None = None  # "red", "amber", "green": the latest status update
    measured: str | None = None  # the same colours, from the pulse and open risks
    is_watermelon: bool = False
    understanding: Decimal | None = None  # as measured, shown beside a gate or a red measure
    gate: Moment | None = None  # the current wave's gate: its wave's last day
    gate_failing: bool = False  # its criteria fail as measured now
    moments: tuple[Moment, ...] = ()  # pulse rounds closing, milestones
    late_phases: int = 0
    late_waves: int = 0
    guardrail_errors: int = 0
    decisions_waiting: int = 0  # including those overdue
    decisions_overdue: int = 0
    stakeholders_overdue: int = 0

    def __post_init__(self) -> None:
        counts = (
            self.late_phases,
            self.late_waves,
            self.guardrail_errors,
            self.decisions_waiting,
            self.decisions_overdue,
            self.stakeholders_overdue,
        )
        if min(counts) < 0:
            raise ValueError("counts cannot be negative")
        if self.decisions_overdue > self.decisions_waiting:
            raise ValueError("overdue decisions are among those waiting")


@dataclass(frozen=True)
class Cause:
    reason: Reason
    weight: int
    count: int = 0
    on: date | None = None
    title: str = ""
    understanding: Decimal | None = None


@dataclass(frozen=True)
class Attention:
    key: int
    score: int
    causes: tuple[Cause, ...]  # the weightiest first
    next_moment: Moment | None  # the first gate, round close or milestone from today

    @property
    def needs_attention(self) -> bool:
        return self.score > 0


def _counted(reason: Reason, count: int) -> Cause | None:
    if count <= 0:
        return None
    return Cause(reason, PER_ITEM[reason] * min(count, MAX_COUNTED), count=count)


def _gate(facts: Facts, today: date) -> Cause | None:
    gate = facts.gate
    if gate is None or (gate.on - today).days > SOON_DAYS:
        return None
    reason = Reason.GATE_OVERDUE if gate.on < today else Reason.GATE_DUE
    weight = FIXED[reason] + (GATE_RED if facts.gate_failing else 0)
    return Cause(reason, weight, on=gate.on, title=gate.title, understanding=facts.understanding)


def _moment(moment: Moment, today: date) -> Cause | None:
    if not 0 <= (moment.on - today).days <= SOON_DAYS:
        return None
    reason = Reason.FEEDBACK_DUE if moment.kind is MomentKind.FEEDBACK else Reason.MILESTONE_DUE
    return Cause(reason, FIXED[reason], on=moment.on, title=moment.title)


def assess(facts: Facts, today: date) -> Attention:
    """Return what in `facts` needs attention on `today`, and how much in all."""
    found: list[Cause | None] = []
    if facts.is_watermelon:
        found.append(Cause(Reason.WATERMELON, FIXED[Reason.WATERMELON]))
    elif facts.reported == "red":
        found.append(Cause(Reason.REPORTED_RED, FIXED[Reason.REPORTED_RED]))
    if facts.measured == "red" and not facts.is_watermelon:
        found.append(
            Cause(
                Reason.MEASURED_RED,
                FIXED[Reason.MEASURED_RED],
                understanding=facts.understanding,
            )
        )
    found.append(_gate(facts, today))
    found.append(_counted(Reason.LATE_WAVES, facts.late_waves))
    found.append(_counted(Reason.LATE_PHASES, facts.late_phases))
    found.append(_counted(Reason.GUARDRAIL_ERRORS, facts.guardrail_errors))
    found.append(_counted(Reason.DECISIONS_OVERDUE, facts.decisions_overdue))
    found.extend(_moment(moment, today) for moment in sorted(facts.moments, key=_when)[:1])
    found.append(_counted(Reason.STAKEHOLDERS_OVERDUE, facts.stakeholders_overdue))
    found.append(
        _counted(Reason.DECISIONS_WAITING, facts.decisions_waiting - facts.decisions_overdue)
    )
    causes = sorted(
        (cause for cause in found if cause is not None),
        key=lambda cause: -cause.weight,  # stable: equal weights keep the order above
    )
    return Attention(
        key=facts.key,
        score=sum(cause.weight for cause in causes),
        causes=tuple(causes),
        next_moment=next_moment(facts, today),
    )


def _when(moment: Moment) -> tuple[date, int]:
    return (moment.on, list(MomentKind).index(moment.kind))


def next_moment(facts: Facts, today: date) -> Moment | None:
    """The gate (even one overdue: it still has to be held), else the first moment ahead."""
    ahead = [m for m in facts.moments if m.on >= today]
    if facts.gate is not None:
        ahead.append(facts.gate)
    return min(ahead, key=_when, default=None)


def order_key(attention: Attention, *names: str) -> tuple[int | str, ...]:
    """The portfolio's order: the highest score first, then by `names` (client, project),
    then the key, so every project has one place (a cursor can point after it)."""
    return (-attention.score, *(name.casefold() for name in names), attention.key)
