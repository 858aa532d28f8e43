"""Understanding, measured: barrier point, watermelon signal and small-group suppression.

Pure: no database, plain values and dataclasses in and out. The words shown to people are the
caller's; this module names things by stable codes.

- The **barrier point** (knelpunt) is the first ADKAR step whose average is at or below 3:
  that is where people need help first.
- The **watermelon** is a project reported green while what was measured is red:
  understanding, readiness or open risks, by thresholds a workspace may set.
- **Small groups** are never shown: which figures may be published at all is decided in one
  place, `disclosure.publish`; averages are given to one decimal.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from koers.core.adkar import STEPS as STEPS  # the steps, as the pulse's modules know them
from koers.core.adkar import Step as Step

from .disclosure import MIN_GROUP

BARRIER_AT = Decimal(3)
SCALE = range(1, 6)


# Understanding: why the change is made and what changes for me. Readiness: wanting to take
# part and being able to work the new way.
UNDERSTANDING_STEPS = (Step.AWARENESS, Step.KNOWLEDGE)
READINESS_STEPS = (Step.DESIRE, Step.ABILITY)


class Rag(StrEnum):
    """A red / amber / green status, reported or measured."""

    RED = "red"
    AMBER = "amber"
    GREEN = "green"

    @property
    def severity(self) -> int:
        return {Rag.GREEN: 0, Rag.AMBER: 1, Rag.RED: 2}[self]


def _quantize(value: Decimal) -> Decimal:
    # One decimal everywhere: a second one would tell apart sums that differ by one answer.
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def average(total: int, count: int) -> Decimal:
    """Return the average of `count` scores adding up to `total`, to one decimal."""
    if count <= 0:
        raise ValueError(f"an average needs at least one score, not {count}")
    return _quantize(Decimal(total) / Decimal(count))


@dataclass(frozen=True)
class StepScore:
    """The answers to one step's statement: how many, and their average (None without any)."""

    step: Step
    count: int
    total: int

    @property
    def average(self) -> Decimal | None:
        if self.count == 0:
            return None
        return average(self.total, self.count)


@dataclass(frozen=True)
class Scores:
    """The five steps' scores of one group of answers."""

    answers: int
    steps: tuple[StepScore, ...]

    def average(self, step: Step) -> Decimal | None:
        return self.steps[step.position].average

    def averages(self) -> dict[Step, Decimal | None]:
        return {score.step: score.average for score in self.steps}

    def mean_of(self, steps: Iterable[Step]) -> Decimal | None:
        """Return the mean of the given steps' averages, or None when one of them is missing.

        From the exact averages, rounded once: the mean of averages already rounded can be
        a tenth off (3.25 and 3.15 are shown as 3.3 and 3.2, their mean is 3.2, not 3.3).
        """
        chosen = [self.steps[step.position] for step in steps]
        if not chosen or any(score.count == 0 for score in chosen):
            return None
        exact = [Decimal(score.total) / Decimal(score.count) for score in chosen]
        return _quantize(sum(exact, Decimal(0)) / len(exact))

    @property
    def barrier_point(self) -> Step | None:
        return barrier_point(self.averages())

    @property
    def understanding(self) -> Decimal | None:
        return self.mean_of(UNDERSTANDING_STEPS)

    @property
    def readiness(self) -> Decimal | None:
        return self.mean_of(READINESS_STEPS)


def scores(answers: Iterable[Mapping[Step, int | None]]) -> Scores:
    """Return the scores of a group of answers; a step left out of an answer is not counted."""
    counts = dict.fromkeys(STEPS, 0)
    totals = dict.fromkeys(STEPS, 0)
    number = 0
    for answer in answers:
        number += 1
        for step in STEPS:
            value = answer.get(step)
            if value is None:
                continue
            if value not in SCALE:
                raise ValueError(f"{step.value} must be 1 to 5, not {value!r}")
            counts[step] += 1
            totals[step] += value
    return Scores(
        answers=number,
        steps=tuple(StepScore(step, counts[step], totals[step]) for step in STEPS),
    )


def combine(groups: Iterable[Scores]) -> Scores:
    """Return the scores of several groups taken together."""
    counts = dict.fromkeys(STEPS, 0)
    totals = dict.fromkeys(STEPS, 0)
    number = 0
    for group in groups:
        number += group.answers
        for score in group.steps:
            counts[score.step] += score.count
            totals[score.step] += score.total
    return Scores(
        answers=number,
        steps=tuple(StepScore(step, counts[step], totals[step]) for step in STEPS),
    )


def barrier_point(
    averages: Mapping[Step, Decimal | None], *, at: Decimal = BARRIER_AT
) -> Step | None:
    """Return the first step whose average is `at` or lower; steps without answers are skipped."""
    for step in STEPS:
        value = averages.get(step)
        if value is not None and value <= at:
            return step
    return None


# Go/no-go gates.


@dataclass(frozen=True)
class GateCheck:
    """Whether the understanding measure lets a wave through its gate, and why not."""

    passed: bool
    barrier: Step | None
    reached: Step
    measured: bool


def understanding_gate(
    scores: Scores | None, *, reached: Step, min_group: int = MIN_GROUP
) -> GateCheck:
    """Check that no barrier point lies at or before `reached`, the step a wave must have reached.

    Without a measurement of at least `min_group` answers the gate does not pass: the
    criterion is to measure understanding, not to assume it.
    """
    if scores is None or scores.answers < min_group:
        return GateCheck(passed=False, barrier=None, reached=reached, measured=False)
    barrier = scores.barrier_point
    passed = barrier is None or barrier.position > reached.position
    return GateCheck(passed=passed, barrier=barrier, reached=reached, measured=True)


# The watermelon signal.


@dataclass(frozen=True)
class Thresholds:
    """When a measure counts as red or amber; a workspace may set its own."""

    understanding_red: Decimal = Decimal(3)
    understanding_amber: Decimal = Decimal("3.5")
    readiness_red: Decimal = Decimal(3)
    readiness_amber: Decimal = Decimal("3.5")
    open_risks_red: int = 3
    open_risks_amber: int = 1

    def __post_init__(self) -> None:
        if self.understanding_amber < self.understanding_red:
            raise ValueError("understanding: amber must be at or above red")
        if self.readiness_amber < self.readiness_red:
            raise ValueError("readiness: amber must be at or above red")
        if not 0 < self.open_risks_amber <= self.open_risks_red:
            raise ValueError("open risks: amber must be at least 1 and at most red")


class Measure(StrEnum):
    UNDERSTANDING = "understanding"
    READINESS = "readiness"
    OPEN_RISKS = "open-risks"


@dataclass(frozen=True)
class Reading:
    """One measure's value and its colour; `rag` is None when nothing was measured."""

    measure: Measure
    value: Decimal | int | None
    rag: Rag | None


@dataclass(frozen=True)
class Signal:
    """The reported status beside the measured one; a watermelon when they disagree badly."""

    reported: Rag | None
    measured: Rag | None
    readings: tuple[Reading, ...]
    is_watermelon: bool
    red: tuple[Measure, ...] = field(default=())

    @property
    def red_readings(self) -> tuple[Reading, ...]:
        return tuple(reading for reading in self.readings if reading.measure in self.red)


def _score_rag(value: Decimal | None, red: Decimal, amber: Decimal) -> Rag | None:
    if value is None:
        return None
    if value <= red:
        return Rag.RED
    if value <= amber:
        return Rag.AMBER
    return Rag.GREEN


def _count_rag(value: int, red: int, amber: int) -> Rag:
    if value >= red:
        return Rag.RED
    if value >= amber:
        return Rag.AMBER
    return Rag.GREEN


def watermelon(
    *,
    reported: Rag | None,
    scores: Scores | None,
    open_risks: int,
    thresholds: Thresholds = Thresholds(),  # frozen: one shared default is safe
    min_group: int = MIN_GROUP,
) -> Signal:
    """Compare the reported status with what was measured.

    Scores from fewer than `min_group` answers are not a measurement (and may not be shown).
    """
    if open_risks < 0:
        raise ValueError("open risks cannot be negative")
    measured_scores = scores if scores is not None and scores.answers >= min_group else None
    understanding = measured_scores.understanding if measured_scores else None
    readiness = measured_scores.readiness if measured_scores else None
    readings = (
        Reading(
            Measure.UNDERSTANDING,
            understanding,
            _score_rag(understanding, thresholds.understanding_red, thresholds.understanding_amber),
        ),
        Reading(
            Measure.READINESS,
            readiness,
            _score_rag(readiness, thresholds.readiness_red, thresholds.readiness_amber),
        ),
        Reading(
            Measure.OPEN_RISKS,
            open_risks,
            _count_rag(open_risks, thresholds.open_risks_red, thresholds.open_risks_amber),
        ),
    )
    colours = [reading.rag for reading in readings if reading.rag is not None]
    measured = max(colours, key=lambda rag: rag.severity) if colours else None
    if measured_scores is None and measured == Rag.GREEN:
        measured = None  # without a pulse measurement, zero open risks alone is not "green"
    red = tuple(reading.measure for reading in readings if reading.rag == Rag.RED)
    return Signal(
        reported=reported,
        measured=measured,
        readings=readings,
        is_watermelon=reported == Rag.GREEN and bool(red),
        red=red,
    )


# Result tables.

OTHER = "__other__"  # the row of the hidden groups together


@dataclass(frozen=True)
class Row:
    """One row of a results table: a group (or OTHER, the hidden ones) and its scores."""

    key: str
    scores: Scores


# Trend over rounds.


@dataclass(frozen=True)
class TrendPoint:
    """One round in the trend: its scores and the change per step since the previous shown round."""

    label: str
    scores: Scores | None
    change: dict[Step, Decimal | None]
    barrier: Step | None


def trend(rounds: Sequence[tuple[str, Scores]], *, min_size: int = MIN_GROUP) -> list[TrendPoint]:
    """Return the rounds in order; a round of fewer than `min_size` answers shows no scores."""
    points: list[TrendPoint] = []
    previous: Scores | None = None
    for label, round_scores in rounds:
        if round_scores.answers < min_size:
            points.append(TrendPoint(label, None, dict.fromkeys(STEPS), None))
            continue
        change: dict[Step, Decimal | None] = {}
        for step in STEPS:
            now = round_scores.average(step)
            before = previous.average(step) if previous else None
            change[step] = None if now is None or before is None else now - before
        points.append(TrendPoint(label, round_scores, change, round_scores.barrier_point))
        previous = round_scores
    return points
