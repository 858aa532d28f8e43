"""The landscape audit's rules, without Django: digital islands, duplicated capabilities,
manual integrations, where modernising pays most, and what a phase does to the landscape.

Definitions (METHOD.md §1, seeds 003 and 004):

- Two systems *talk* when an integration between them moves data without a person: an API or
  a file transfer, either direction. Manual re-typing is a person doing the talking, and
  "none" records that data should flow and does not; neither joins two systems.
- A *group* is a set of systems that talk, directly or through others (a connected component
  of the systems and their API and file links, direction ignored).
- The *mainland* is the one group that is larger than every other and has at least two
  systems. Every other group is a *digital island*: its systems share data automatically with
  nothing outside it, so it keeps its own truth. A landscape that is one group has no islands;
  five systems that do not talk are five islands (no mainland: none is larger); two groups of
  three are two islands (neither is the mainland).
- A capability is *duplicated* when two or more systems that are not being retired serve it
  (compared without case, accents kept, spaces folded): "five systems, five truths".
- The *modernisation score* of a system adds up points with a reason each (see `score`).

Everything is linear in systems plus integrations (a union-find over the links), so a
landscape of 1,000 systems and 5,000 integrations is analysed in milliseconds
(benchmarks/landscape_analysis.py).
"""

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum


class Kind(StrEnum):
    API = "api"
    FILE = "file"
    MANUAL = "manual"
    NONE = "none"


class Lifecycle(StrEnum):
    KEEP = "keep"
    IMPROVE = "improve"
    REPLACE = "replace"
    RETIRE = "retire"


TALKING = frozenset({Kind.API, Kind.FILE})

# Points of the modernisation score; the reasons name them, so the score explains itself.
DEBT_POINTS = 10  # per point of technical debt (1-5)
USER_POINTS = 10  # per factor ten of users: 10 users 10, 100 users 20, 1,000 users 30
MANUAL_POINTS = 15  # per manual integration the system is part of ...
MANUAL_COUNTED = 4  # ... counting at most this many
ISLAND_POINTS = 20  # the system is on a digital island
DUPLICATE_POINTS = 15  # another system serves the same capability


class Reason(StrEnum):
    DEBT = "debt"
    USERS = "users"
    MANUAL = "manual"
    ISLAND = "island"
    DUPLICATE = "duplicate"


@dataclass(frozen=True)
class System:
    key: int
    name: str
    capability: str
    users: int = 0
    debt: int = 1  # technical debt, 1 (little) to 5 (much)
    lifecycle: Lifecycle = Lifecycle.KEEP


@dataclass(frozen=True)
class Link:
    key: int
    source: int  # a System's key
    target: int
    kind: Kind


@dataclass(frozen=True)
class Group:
    """Systems that talk to each other (keys sorted), and whether they are an island."""

    systems: tuple[int, ...]
    is_island: bool


@dataclass(frozen=True)
class Duplicate:
    capability: str  # as the first system (by name) spells it
    systems: tuple[int, ...]  # by name


@dataclass(frozen=True)
class Part:
    reason: Reason
    points: int
    count: int  # what the points are for: debt, users, manual links, 1 or systems


@dataclass(frozen=True)
class Score:
    system: int
    points: int
    parts: tuple[Part, ...]


@dataclass(frozen=True)
class Audit:
    groups: tuple[Group, ...]  # largest first
    islands: tuple[Group, ...]
    duplicates: tuple[Duplicate, ...]
    manual: tuple[Link, ...]  # manual integrations, in the order given
    ranking: tuple[Score, ...]  # highest score first
    island_of: dict[int, int] = field(default_factory=dict)  # system -> index in `islands`

    def on_island(self, system: int) -> bool:
        return system in self.island_of


def capability_key(capability: str) -> str:
    return " ".join(capability.casefold().split())


def groups(systems: Sequence[System], links: Iterable[Link]) -> tuple[Group, ...]:
    """Return the systems' groups, largest first (then by lowest key), islands marked."""
    parent = {s.key: s.key for s in systems}

    def root(key: int) -> int:
        while parent[key] != key:
            parent[key] = parent[parent[key]]  # path halving
            key = parent[key]
        return key

    for link in links:
        if link.kind in TALKING and link.source in parent and link.target in parent:
            a, b = root(link.source), root(link.target)
            if a != b:
                parent[max(a, b)] = min(a, b)
    members: dict[int, list[int]] = defaultdict(list)
    for s in systems:
        members[root(s.key)].append(s.key)
    found = sorted((sorted(keys) for keys in members.values()), key=lambda k: (-len(k), k[0]))
    if len(found) < 2:
        return tuple(Group(tuple(keys), False) for keys in found)
    has_mainland = len(found[0]) >= 2 and len(found[0]) > len(found[1])
    return tuple(Group(tuple(keys), not (has_mainland and n == 0)) for n, keys in enumerate(found))


def duplicates(systems: Sequence[System]) -> tuple[Duplicate, ...]:
    """Return every capability served by two or more systems that are not being retired."""
    serving: dict[str, list[System]] = defaultdict(list)
    for s in systems:
        if s.lifecycle != Lifecycle.RETIRE and capability_key(s.capability):
            serving[capability_key(s.capability)].append(s)
    found = []
    for same in serving.values():
        if len(same) > 1:
            same.sort(key=lambda s: (s.name.casefold(), s.key))
            found.append(Duplicate(same[0].capability, tuple(s.key for s in same)))
    return tuple(sorted(found, key=lambda d: (-len(d.systems), capability_key(d.capability))))


def score(system: System, *, manual_links: int, on_island: bool, duplicated: bool) -> Score:
    """Where modernising pays most: technical debt weighs in per point, users per factor ten
    (a system of 1,000 users hurts more people than one of 10, but not a hundred times as
    much), manual integrations per link (people re-typing, up to four), and being on an
    island or serving a capability another system also serves add a fixed amount."""
    users_points = round(USER_POINTS * math.log10(1 + max(system.users, 0)))
    parts = [
        Part(Reason.DEBT, DEBT_POINTS * system.debt, system.debt),
        Part(Reason.USERS, users_points, system.users),
    ]
    if manual_links:
        counted = min(manual_links, MANUAL_COUNTED)
        parts.append(Part(Reason.MANUAL, MANUAL_POINTS * counted, manual_links))
    if on_island:
        parts.append(Part(Reason.ISLAND, ISLAND_POINTS, 1))
    if duplicated:
        parts.append(Part(Reason.DUPLICATE, DUPLICATE_POINTS, 1))
    return Score(system.key, sum(p.points for p in parts), tuple(parts))


def audit(systems: Sequence[System], links: Sequence[Link]) -> Audit:
    """The whole audit of one client's landscape. Links to a system not in `systems` are
    ignored, as are links of a system to itself."""
    keys = {s.key for s in systems}
    links = [k for k in links if k.source in keys and k.target in keys and k.source != k.target]
    found = groups(systems, links)
    islands = tuple(g for g in found if g.is_island)
    island_of = {key: n for n, g in enumerate(islands) for key in g.systems}
    doubles = duplicates(systems)
    doubled = {key for d in doubles for key in d.systems}
    manual = tuple(k for k in links if k.kind == Kind.MANUAL)
    manual_count: dict[int, int] = defaultdict(int)
    for link in manual:
        manual_count[link.source] += 1
        manual_count[link.target] += 1
    names = {s.key: s.name.casefold() for s in systems}
    ranking = sorted(
        (
            score(
                s,
                manual_links=manual_count[s.key],
                on_island=s.key in island_of,
                duplicated=s.key in doubled,
            )
            for s in systems
        ),
        key=lambda sc: (-sc.points, names[sc.system], sc.system),
    )
    return Audit(found, islands, doubles, manual, tuple(ranking), island_of)


# What a phase of the plan does to the landscape.


class Change(StrEnum):
    INTRODUCES = "introduces"
    CHANGES = "changes"
    RETIRES = "retires"


class Risk(StrEnum):
    NEW_ISLAND = "new_island"
    SECOND_SYSTEM = "second_system"


@dataclass(frozen=True)
class PhaseWarning:
    risk: Risk
    system: int  # the system the phase introduces
    others: tuple[int, ...] = ()  # for SECOND_SYSTEM: the systems already serving it


def phase_warnings(
    systems: Sequence[System],
    links: Sequence[Link],
    changes: Sequence[tuple[int, Change]],
) -> tuple[PhaseWarning, ...]:
    """Warn when a phase introduces a system that talks to no other system (a new island:
    nothing it holds reaches the rest), or one for a capability another system serves that
    is not being retired (by its lifecycle or by this phase): a second truth."""
    by_key = {s.key: s for s in systems}
    retired = {key for key, change in changes if change == Change.RETIRES}
    retired |= {s.key for s in systems if s.lifecycle == Lifecycle.RETIRE}
    talks_to: dict[int, set[int]] = defaultdict(set)
    for link in links:
        if link.kind in TALKING and link.source != link.target:
            talks_to[link.source].add(link.target)
            talks_to[link.target].add(link.source)
    found = []
    for key, change in changes:
        if change != Change.INTRODUCES or key not in by_key:
            continue
        if not talks_to[key] - retired:
            found.append(PhaseWarning(Risk.NEW_ISLAND, key))
        wanted = capability_key(by_key[key].capability)
        others = tuple(
            s.key
            for s in sorted(systems, key=lambda s: (s.name.casefold(), s.key))
            if s.key != key and s.key not in retired and capability_key(s.capability) == wanted
        )
        if wanted and others:
            found.append(PhaseWarning(Risk.SECOND_SYSTEM, key, others))
    return tuple(found)
