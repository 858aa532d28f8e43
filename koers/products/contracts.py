"""Contract lengths against the phases they staff (METHOD.md §6: agile procurement in short
contracts; short contracts fit small phases). Pure: no Django, dataclasses in and out.

Two warnings, defined simply:

- *Phase past its contract*: a phase that a contract staffs starts before the contract starts
  or ends after it ends: for part of the phase, nobody is contracted to do the work.
- *Contract much longer than its phases*: the contract runs on before the first or after the
  last phase it staffs by more than `slack_weeks` together (the method's longest phase, 12
  weeks by default: at most one more phase's worth). A contract that staffs no phase is too
  long when it lasts more than `slack_weeks`. A long contract binds the client beyond what it
  has decided to do, which is what the last tender taught (seed 004).
"""

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum


class Risk(StrEnum):
    PHASE_PAST_CONTRACT = "phase-past-contract"
    CONTRACT_TOO_LONG = "contract-too-long"


@dataclass(frozen=True)
class Phase:
    key: int
    start: date
    end: date  # the day after its last day, as the roadmap's phases


@dataclass(frozen=True)
class Contract:
    key: int
    start: date
    last_day: date  # the contract's last day
    phases: tuple[int, ...]  # the keys of the phases it staffs


@dataclass(frozen=True)
class Finding:
    risk: Risk
    contract: int
    phase: int | None = None  # for PHASE_PAST_CONTRACT
    weeks: int = 0  # for CONTRACT_TOO_LONG: how many weeks it runs beyond its phases


def check(
    contracts: list[Contract], phases: list[Phase], *, slack_weeks: int = 12
) -> list[Finding]:
    """Return the findings of every contract, in the order given."""
    by_key = {p.key: p for p in phases}
    found: list[Finding] = []
    for contract in contracts:
        end = contract.last_day + timedelta(days=1)
        staffed = [by_key[k] for k in contract.phases if k in by_key]
        for phase in sorted(staffed, key=lambda p: (p.start, p.key)):
            if phase.start < contract.start or phase.end > end:
                found.append(Finding(Risk.PHASE_PAST_CONTRACT, contract.key, phase.key))
        if staffed:
            first = min(p.start for p in staffed)
            last = max(p.end for p in staffed)
            beyond = max(0, (first - contract.start).days) + max(0, (end - last).days)
        else:
            beyond = (end - contract.start).days
        if beyond > slack_weeks * 7:
            found.append(Finding(Risk.CONTRACT_TOO_LONG, contract.key, weeks=beyond // 7))
    return found
