"""Keeping in touch, without Django: who is overdue for contact, and the project's rhythm.

"Over-communication does not exist" (METHOD.md, section 4): every stakeholder has a contact
frequency and every kind of communication an expected interval; what went past it is overdue.
Opponents and sceptics are asked for first: they matter just as much as the decision makers.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum


class Stance(StrEnum):
    CHAMPION = "champion"
    SUPPORTER = "supporter"
    NEUTRAL = "neutral"
    SCEPTIC = "sceptic"
    OPPONENT = "opponent"


# The order in which the overdue list asks for attention.
ATTENTION = (Stance.OPPONENT, Stance.SCEPTIC, Stance.NEUTRAL, Stance.SUPPORTER, Stance.CHAMPION)


@dataclass(frozen=True)
class Contact:
    key: int  # the stakeholder's id
    stance: Stance
    every_days: int
    last_contact: date | None


@dataclass(frozen=True)
class Due:
    contact: Contact
    due_on: date | None  # None: never contacted, so due since the start
    days_overdue: int | None  # None: never contacted


def due_on(last: date | None, every_days: int) -> date | None:
    """Return the day contact is due again; None when there was none yet (due now)."""
    return None if last is None else last + timedelta(days=every_days)


def is_overdue(last: date | None, every_days: int, today: date) -> bool:
    """Overdue: never contacted, or the contact frequency passed without contact."""
    due = due_on(last, every_days)
    return due is None or today > due


def overdue_contacts(contacts: Iterable[Contact], today: date) -> list[Due]:
    """Return who is overdue: opponents and sceptics first, then the never contacted, then
    the longest overdue."""
    found = []
    for contact in contacts:
        if not is_overdue(contact.last_contact, contact.every_days, today):
            continue
        due = due_on(contact.last_contact, contact.every_days)
        found.append(Due(contact, due, None if due is None else (today - due).days))
    return sorted(
        found,
        key=lambda d: (
            ATTENTION.index(d.contact.stance),
            d.days_overdue is not None,
            -(d.days_overdue or 0),
            d.contact.key,
        ),
    )


@dataclass(frozen=True)
class Beat:
    """One kind of communication in the project's rhythm."""

    kind: str
    every_days: int | None  # None: no rhythm expected for this kind
    last_done: date | None
    next_planned: date | None
    due_on: date | None  # None: no rhythm, or never done (then due now)
    is_overdue: bool


def rhythm(
    expected: Mapping[str, int | None],
    last_done: Mapping[str, date],
    next_planned: Mapping[str, date],
    today: date,
) -> list[Beat]:
    """Return every kind of `expected` in its order, with when it is due and whether it is
    overdue (a kind with a rhythm that was never done is overdue)."""
    beats = []
    for kind, every in expected.items():
        last = last_done.get(kind)
        due = None if every is None else due_on(last, every)
        beats.append(
            Beat(
                kind=kind,
                every_days=every,
                last_done=last,
                next_planned=next_planned.get(kind),
                due_on=due,
                is_overdue=every is not None and is_overdue(last, every, today),
            )
        )
    return beats


# The rhythm a new project starts with (METHOD.md: short updates, live demos, a steering
# group): a status update every two weeks, a steering meeting every four. Editable per project.
DEFAULT_RHYTHM: dict[str, int | None] = {
    "update": 14,
    "demo": None,
    "call": None,
    "meeting": None,
    "steering": 28,
}
