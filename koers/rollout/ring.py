"""Find the first ring, IT and the service desk: pure, no Django, dataclasses in and out.

The method: "a good first group is often the service desk and the IT department: they give
input and then support others". So they go live first, before the pilot, as a ring of their
own. Koers finds them by department and job title (Dutch and English names), and the user
confirms or changes that: whole departments in or out, one person in or out. A choice about
one person weighs more than one about their department, and either weighs more than what
the names suggest. All of them are in unless the user says otherwise.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

# Case matters for the short English name only: "IT" is the department, "it" a pronoun.
_IT = re.compile(r"(?<![A-Za-z])(IT|ICT|I&A|I&I)(?![A-Za-z])")
_WORDS = re.compile(
    r"(?<![a-z])("
    r"ict|it-?afdeling|afdeling it|it[ -]support|it[ -]beheer|it[ -]services?|"
    r"informatievoorziening|informatisering|automatisering|i-?voorziening|"
    r"information technology|informatietechnologie|"
    r"service ?-?desk|help ?-?desk|support ?desk|desktop support|"
    r"functioneel beheer(der)?|applicatiebeheer(der)?|technisch beheer(der)?|"
    r"systeembeheer(der)?|netwerkbeheer(der)?|werkplekbeheer(der)?|"
    r"systems? administrator|network administrator|sysadmin"
    r")(?![a-z])",
    re.IGNORECASE,
)


def is_it_or_service_desk(text: str) -> bool:
    """Return whether a department or job title names IT or the service desk."""
    return bool(_IT.search(text) or _WORDS.search(text))


class RingPerson(NamedTuple):
    key: str
    department: str
    job_title: str = ""


@dataclass(frozen=True)
class RingChoice:
    """What the user said: departments and people (keys) in or out of the first ring."""

    add_departments: frozenset[str] = frozenset()
    remove_departments: frozenset[str] = frozenset()
    add_people: frozenset[str] = frozenset()
    remove_people: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Ring:
    keys: tuple[str, ...]  # in the order of the people given
    why: tuple[tuple[str, str], ...]  # key -> department, job_title, added_department, added
    departments: tuple[tuple[str, int], ...]  # department -> people of it in the ring
    found_departments: tuple[str, ...]  # departments whose name says IT or service desk
    left_out: tuple[str, ...]  # keys the names suggest and the user left out

    @property
    def size(self) -> int:
        return len(self.keys)


def first_ring(people: Iterable[tuple[str, str, str]], choice: RingChoice = RingChoice()) -> Ring:
    """Return the first ring of `people` (who have not left) after the user's `choice`.

    `people` are (key, department, job title): RingPerson, or plain tuples read from a query.
    """
    keys: list[str] = []
    why: list[tuple[str, str]] = []
    left_out: list[str] = []
    departments: Counter[str] = Counter()
    found: set[str] = set()
    named: dict[str, bool] = {}  # the same department or title again: one search

    def names(text: str) -> bool:
        if text not in named:
            named[text] = is_it_or_service_desk(text)
        return named[text]

    for key, department, job_title in people:
        by_department = names(department)
        if by_department:
            found.add(department)
        suggested = "department" if by_department else "job_title" if names(job_title) else ""
        if key in choice.add_people:
            reason = suggested or "added"
        elif key in choice.remove_people or department in choice.remove_departments:
            reason = ""
        elif department in choice.add_departments:
            reason = suggested or "added_department"
        else:
            reason = suggested
        if reason:
            keys.append(key)
            why.append((key, reason))
            departments[department] += 1
        elif suggested:
            left_out.append(key)
    return Ring(
        keys=tuple(keys),
        why=tuple(why),
        departments=tuple(sorted(departments.items(), key=lambda item: (-item[1], item[0]))),
        found_departments=tuple(sorted(found)),
        left_out=tuple(left_out),
    )
