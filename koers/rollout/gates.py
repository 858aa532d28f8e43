"""The go/no-go gate after a wave: its criteria, their verdict, and what a wave allows when.

Pure, no Django: plain values in, dataclasses out. Every face (wave board, wave page, the
recorded decision, API, CLI, status report) gets its verdict from `verdict` through one
batched query, so no two of them can disagree. The words live apart, in `describe.py`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any


class Outcome(StrEnum):
    """How one criterion, or the gate as a whole, stands."""

    MET = "met"
    FAILED = "failed"
    NOT_MEASURED = "not_measured"


class Code(StrEnum):
    BLOCKING = "blocking"  # open blocking feedback items, at most a limit
    TICKETS = "tickets"  # support tickets per 100 people of the wave, at most a limit
    UNDERSTANDING = "understanding"  # understanding score 1-5, at least a minimum
    BARRIER = "barrier"  # no barrier point at or before the step the wave must have reached


@dataclass(frozen=True)
class Facts:
    """What is known about one wave at its gate.

    `tickets` is None when no support load was recorded at all; a recorded 0 is a value.
    `barrier_measured` is False without a pulse round of enough answers; `barrier` is then
    None, and otherwise the ADKAR step where people get stuck (None: nowhere).
    """

    open_blocking: int
    max_blocking: int
    tickets: int | None
    size: int
    max_tickets_per_100: Decimal
    understanding: Decimal | None
    min_understanding: Decimal | None
    barrier_measured: bool
    barrier: str | None
    reached: str
    barrier_passed: bool


@dataclass(frozen=True)
class Criterion:
    code: Code
    outcome: Outcome
    value: str | None  # a count, a rate, a score, a step or NO_BARRIER; None: not measured
    limit: str | None

    @property
    def is_met(self) -> bool | None:
        """True when met, False when failed, None when not measured."""
        if self.outcome is Outcome.NOT_MEASURED:
            return None
        return self.outcome is Outcome.MET

    def as_record(self) -> dict[str, Any]:
        return {
            "code": self.code.value,
            "outcome": self.outcome.value,
            "value": self.value,
            "limit": self.limit,
            "is_met": self.is_met,
        }

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> Criterion:
        """Read a criterion as a decision stored it (older records have only `is_met`)."""
        outcome = record.get("outcome")
        if outcome is None:
            is_met = record.get("is_met")
            outcome = (
                Outcome.NOT_MEASURED if is_met is None else Outcome("met" if is_met else "failed")
            )
        value, limit = record.get("value"), record.get("limit")
        return cls(
            code=Code(record["code"]),
            outcome=Outcome(outcome),
            value=None if value is None else str(value),
            limit=None if limit is None else str(limit),
        )


@dataclass(frozen=True)
class Verdict:
    criteria: tuple[Criterion, ...]

    @property
    def outcome(self) -> Outcome:
        """Failed when any criterion failed, else not measured when any was not, else met."""
        outcomes = {c.outcome for c in self.criteria}
        if Outcome.FAILED in outcomes:
            return Outcome.FAILED
        if Outcome.NOT_MEASURED in outcomes:
            return Outcome.NOT_MEASURED
        return Outcome.MET

    @property
    def is_met(self) -> bool:
        return self.outcome is Outcome.MET

    @property
    def failed(self) -> tuple[Criterion, ...]:
        return tuple(c for c in self.criteria if c.outcome is Outcome.FAILED)

    @property
    def not_measured(self) -> tuple[Criterion, ...]:
        return tuple(c for c in self.criteria if c.outcome is Outcome.NOT_MEASURED)

    @property
    def unmet(self) -> tuple[Criterion, ...]:
        """The criteria a go would pass over: failed or not measured."""
        return tuple(c for c in self.criteria if c.outcome is not Outcome.MET)

    def as_records(self) -> list[dict[str, Any]]:
        return [c.as_record() for c in self.criteria]

    @classmethod
    def from_records(cls, records: Sequence[Mapping[str, Any]]) -> Verdict:
        return cls(tuple(Criterion.from_record(r) for r in records))


TENTH = Decimal("0.1")
NO_BARRIER = "none"  # the barrier criterion's value when measured and nobody gets stuck


def ticket_rate(tickets: int | None, size: int) -> Decimal | None:
    """Return tickets per 100 people of the wave to one decimal; None when not computable."""
    if tickets is None or size <= 0:
        return None
    return (Decimal(tickets) * 100 / size).quantize(TENTH)


def _judged(is_met: bool) -> Outcome:
    return Outcome.MET if is_met else Outcome.FAILED


def verdict(facts: Facts) -> Verdict:
    """Judge every criterion of the gate; a criterion without a value is not measured."""
    criteria = [
        Criterion(
            Code.BLOCKING,
            _judged(facts.open_blocking <= facts.max_blocking),
            str(facts.open_blocking),
            str(facts.max_blocking),
        )
    ]
    rate = ticket_rate(facts.tickets, facts.size)
    criteria.append(
        Criterion(
            Code.TICKETS,
            Outcome.NOT_MEASURED if rate is None else _judged(rate <= facts.max_tickets_per_100),
            None if rate is None else str(rate),
            str(facts.max_tickets_per_100),
        )
    )
    # Without a minimum the team set no understanding criterion; the barrier point still
    # holds understanding to a measurement.
    if facts.min_understanding is not None:
        score = None if facts.understanding is None else facts.understanding.quantize(TENTH)
        criteria.append(
            Criterion(
                Code.UNDERSTANDING,
                Outcome.NOT_MEASURED
                if score is None
                else _judged(score >= facts.min_understanding),
                None if score is None else str(score),
                str(facts.min_understanding),
            )
        )
    criteria.append(
        Criterion(
            Code.BARRIER,
            _judged(facts.barrier_passed) if facts.barrier_measured else Outcome.NOT_MEASURED,
            (facts.barrier or NO_BARRIER) if facts.barrier_measured else None,
            facts.reached,
        )
    )
    return Verdict(tuple(criteria))


# What a wave allows in which state: the one table the services enforce and the pages read.


class Action(StrEnum):
    START = "start"
    MOVE = "move"
    EVALUATE = "evaluate"
    DECIDE = "decide"  # go or no go at the gate
    PAUSE = "pause"
    RESUME = "resume"
    ROLL_BACK = "roll_back"


ACTIONS: Mapping[str, frozenset[Action]] = {
    "planned": frozenset({Action.START, Action.MOVE, Action.PAUSE}),
    "active": frozenset({Action.EVALUATE, Action.DECIDE, Action.PAUSE, Action.ROLL_BACK}),
    "evaluating": frozenset({Action.DECIDE, Action.PAUSE, Action.ROLL_BACK}),
    "done": frozenset({Action.ROLL_BACK}),
    "paused": frozenset({Action.RESUME, Action.ROLL_BACK}),
    "rolled_back": frozenset(),
}


def allowed(status: str) -> frozenset[Action]:
    """Return the actions a wave in `status` allows."""
    return ACTIONS.get(status, frozenset())
