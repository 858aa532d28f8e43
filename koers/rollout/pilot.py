"""Choose a representative pilot group: pure, no Django, dataclasses in and out.

The method asks for a pilot that is representative of the people it stands for, made of
people who are well known and give constructive feedback. IT and the service desk are not in
it: they form the first ring (ring.py), live before the pilot, so they can support it. The
pilot is chosen from the rest and measured against the rest, in two steps:

1. The seats are shared over the values of the first attribute (department by default) by
   largest-remainder (Hamilton) apportionment, so every department gets its fair whole
   number of seats.
2. Seat by seat, interleaved over the departments, the person whose other attribute values
   are furthest behind their share of the population is taken; among equals a person marked
   well known, constructive or ambassador goes first, then a seeded random order decides.
   A mark never moves a seat to another department: marks are honoured within the seats.

`measure` gives per attribute the pilot's share of each value against the population's and
the total variation distance (TVD): half the sum of the absolute share differences, 0 for a
perfect mirror, 1 for no overlap at all. `random_baseline` gives the median mean TVD that a
random pick of the same size reaches, so a user can see what the selection is worth.
`marks_report` says per mark how many marked people are in the pilot, and why not the others.
"""

from __future__ import annotations

import heapq
import itertools
import math
import random
import statistics
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, NamedTuple

# The method's example: a pilot of 20 for 800 employees.
DEFAULT_PROPORTION = Fraction(20, 800)
# How much a preference mark weighs against one person more or less in a value's share.
PREFERENCE_WEIGHT = 0.3
# From this many seats on, the greedy may settle within half a person of the best choice.
LARGE_PILOT = 500
RANDOM_DRAWS = 1000
MISSING = ""
# The marks a person can have, in the order the page names them.
MARKS = ("well_known", "constructive", "ambassador")


class Candidate(NamedTuple):
    """One person of the population as the selection sees them.

    A named tuple, not a frozen dataclass: 100,000 of them are made per choice, and a tuple
    is made several times faster.
    """

    key: str
    values: Mapping[str, str]  # attribute -> value, e.g. {"department": "Finance"}
    marks: frozenset[str] = frozenset()  # of MARKS

    @property
    def preference(self) -> int:
        return len(self.marks)

    def value(self, attribute: str) -> str:
        return self.values.get(attribute, MISSING) or MISSING


@dataclass(frozen=True)
class Share:
    value: str
    population: int
    pilot: int
    population_share: float
    pilot_share: float


@dataclass(frozen=True)
class AttributeMeasure:
    attribute: str
    shares: tuple[Share, ...]  # most common value in the population first
    tvd: float


@dataclass(frozen=True)
class Measure:
    attributes: tuple[AttributeMeasure, ...]
    mean_tvd: float
    size: int
    population: int


@dataclass(frozen=True)
class Missed:
    """Marked people of one stratum value (a department) who are not in the pilot."""

    value: str
    people: int
    seats: int  # the value's seats in the pilot
    seated: tuple[str, ...]  # the keys that have those seats
    reason: str  # no_seat, seats_marked (all seats went to marked people), representative


@dataclass(frozen=True)
class MarkReport:
    mark: str
    marked: int  # people with the mark who could be chosen (not in the first ring)
    honoured: int  # of them, in the pilot
    missed: tuple[Missed, ...]  # the others, per stratum value, most first


@dataclass(frozen=True)
class Selection:
    keys: tuple[str, ...]  # in the order they were chosen
    quotas: tuple[tuple[str, int], ...]  # stratum value -> seats by Hamilton
    measure: Measure  # against the rest: the population less the first ring
    seed: int
    attributes: tuple[str, ...] = field(default=())
    ring: tuple[str, ...] = ()  # keys left out of the population as the first ring
    marks: tuple[MarkReport, ...] = ()


def measure_from_record(record: dict[str, Any]) -> Measure:
    """Return the Measure that `dataclasses.asdict` made `record` of (kept as JSON)."""
    return Measure(
        attributes=tuple(
            AttributeMeasure(
                attribute=item["attribute"],
                shares=tuple(Share(**share) for share in item["shares"]),
                tvd=item["tvd"],
            )
            for item in record["attributes"]
        ),
        mean_tvd=record["mean_tvd"],
        size=record["size"],
        population=record["population"],
    )


def default_size(population: int) -> int:
    """Return the method's pilot size for a population: 20 of 800, at least one person."""
    if population <= 0:
        return 0
    return max(1, min(population, round(population * DEFAULT_PROPORTION)))


def hamilton(total: int, weights: Mapping[str, int]) -> dict[str, int]:
    """Share `total` seats over `weights` by largest remainder (Hamilton).

    Ties in the remainder go to the larger weight, then to the value that sorts first, so
    the result never depends on dictionary order.
    """
    if total < 0:
        raise ValueError("total must not be negative")
    whole = sum(weights.values())
    if whole <= 0 or total == 0:
        return dict.fromkeys(weights, 0)
    quotas = {name: Fraction(total * weight, whole) for name, weight in weights.items()}
    seats = {name: int(quota) for name, quota in quotas.items()}
    left = total - sum(seats.values())
    order = sorted(weights, key=lambda n: (-(quotas[n] - seats[n]), -weights[n], n))
    for name in order[:left]:
        seats[name] += 1
    return seats


def _column(candidates: Sequence[Candidate], attribute: str) -> list[str]:
    return [c.values.get(attribute) or MISSING for c in candidates]


def measure(
    candidates: Sequence[Candidate], keys: Collection[str], attributes: Sequence[str]
) -> Measure:
    """Return the pilot's shares against the population's, and the TVD per attribute."""
    chosen = set(keys)
    return _measure(
        [c.key in chosen for c in candidates],
        {attribute: _column(candidates, attribute) for attribute in attributes},
    )


def combine(measures: Sequence[AttributeMeasure], *, size: int, population: int) -> Measure:
    """Return the measure of several attributes: their mean TVD."""
    mean = statistics.fmean(m.tvd for m in measures) if measures else 0.0
    return Measure(tuple(measures), mean, size, population)


def _measure(in_pilot: list[bool], columns: Mapping[str, list[str]]) -> Measure:
    measures = []
    for attribute, column in columns.items():
        population_counts = Counter(column)
        pilot_counts = Counter(itertools.compress(column, in_pilot))
        measures.append(attribute_measure(attribute, population_counts, pilot_counts))
    return combine(measures, size=sum(in_pilot), population=len(in_pilot))


def attribute_measure(
    attribute: str, population: Mapping[str, int], pilot: Mapping[str, int]
) -> AttributeMeasure:
    """Return the shares of one attribute's values in the population and the pilot."""
    total = sum(population.values())
    size = sum(pilot.values())
    shares = []
    for value in sorted(set(population) | set(pilot), key=lambda v: (-population.get(v, 0), v)):
        p, q = population.get(value, 0), pilot.get(value, 0)
        shares.append(Share(value, p, q, p / total if total else 0.0, q / size if size else 0.0))
    tvd = 0.5 * sum(abs(s.population_share - s.pilot_share) for s in shares) if size else 0.0
    return AttributeMeasure(attribute, tuple(shares), tvd)


def random_baseline(
    candidates: Sequence[Candidate],
    *,
    size: int,
    attributes: Sequence[str],
    draws: int = RANDOM_DRAWS,
    seed: int = 0,
    ring: Collection[str] = (),
) -> float:
    """Return the median mean TVD of `draws` random picks of `size` people of the rest."""
    candidates = rest(candidates, ring)
    size = min(size, len(candidates))
    if size <= 0 or not attributes or draws <= 0:
        return 0.0
    rng = random.Random(f"baseline:{seed}")
    codes: list[list[int]] = []
    shares: list[list[float]] = []
    for attribute in attributes:
        index: dict[str, int] = {}
        column = [index.setdefault(v, len(index)) for v in _column(candidates, attribute)]
        counts = Counter(column)
        codes.append(column)
        shares.append([counts[i] / len(candidates) for i in range(len(index))])
    population = range(len(candidates))
    results = []
    for _draw in range(draws):
        picked = rng.sample(population, size)
        total = 0.0
        for column, share in zip(codes, shares, strict=True):
            counts = Counter(map(column.__getitem__, picked))
            total += 0.5 * sum(abs(p - counts[i] / size) for i, p in enumerate(share))
        results.append(total / len(attributes))
    return statistics.median(results)


def rest(candidates: Sequence[Candidate], ring: Collection[str]) -> Sequence[Candidate]:
    """Return the candidates who are not in the first ring: the pilot's population."""
    if not ring:
        return candidates
    inner = set(ring)
    return [c for c in candidates if c.key not in inner]


def select_pilot(
    candidates: Sequence[Candidate],
    *,
    size: int,
    attributes: Sequence[str],
    seed: int = 0,
    ring: Collection[str] = (),
    exclude: Iterable[str] = (),
) -> Selection:
    """Pick `size` people of the rest representative of the rest over `attributes`.

    The rest is `candidates` less the first `ring`: those are never picked and do not count
    in the population. The first attribute is the stratum shared out by Hamilton. People in
    `exclude` are never picked (they were swapped out), but they still count in the population.
    """
    if size < 0:
        raise ValueError("size must not be negative")
    if not attributes:
        raise ValueError("choose at least one attribute")
    attributes = tuple(attributes)
    everyone = {c.key for c in candidates}
    ring_keys = tuple(k for k in dict.fromkeys(ring) if k in everyone)
    candidates = rest(candidates, ring_keys)
    excluded = set(exclude)
    rng = random.Random(f"pilot:{seed}")
    stratum_column = _column(candidates, attributes[0])
    other_columns = [_column(candidates, a) for a in attributes[1:]]

    # Every (attribute, value) of the other attributes gets a slot in one flat list of
    # deficits: the population's share times the pilot size, less the people chosen so far.
    pool = [i for i, c in enumerate(candidates) if c.key not in excluded]
    size = min(size, len(pool))
    deficit: list[float] = []
    coded: list[list[int]] = []
    for column in other_columns:
        slot: dict[str, int] = {}
        for value, count in sorted(Counter(column).items()):
            slot[value] = len(deficit)
            deficit.append(count * size / len(candidates))
        coded.append(list(map(slot.__getitem__, column)))
    target = list(deficit)
    signatures: list[tuple[int, ...]] = (
        list(zip(*coded, strict=True)) if coded else [()] * len(candidates)
    )
    # One number orders people: more preference marks first, then a seeded random order.
    order = [rng.random() - c.preference for c in candidates]

    # People grouped per stratum by their other values; each group's best person last.
    groups: dict[str, dict[tuple[int, ...], list[int]]] = {}
    for i in pool:
        groups.setdefault(stratum_column[i], {}).setdefault(signatures[i], []).append(i)
    quotas = hamilton(
        size, {value: sum(map(len, found.values())) for value, found in groups.items()}
    )
    chosen: list[int] = []
    # What one more person with a value does to that attribute's distance, in people: +1
    # while the value is a whole person or more behind its share, -1 once it has its share,
    # in between for the last fraction; a hair more for values furthest behind in proportion.
    gain = [_gain(d, t) for d, t in zip(deficit, target, strict=True)]
    take = gain.__getitem__

    def bonus(head: int) -> float:
        # A preference mark is worth PREFERENCE_WEIGHT people of deficit; the random part
        # of `order` (below 1) only breaks ties, scaled down so it cannot outweigh a deficit.
        marks = -math.floor(order[head])
        return PREFERENCE_WEIGHT * marks - 1e-6 * (order[head] + marks)

    # Lazy greedy: deficits only go down, so gains and a group's score only go down too; a
    # score kept in the heap is an upper bound. The top is recomputed until it stays on top (within
    # `slack` people for large pilots, where a person more or less in a value is noise).
    slack = 0.0 if size < LARGE_PILOT else 0.5
    tiebreak = itertools.count()
    heaps: dict[str, list[tuple[float, int, _Group]]] = {}
    for value, found in groups.items():
        heap = heaps[value] = []
        for signature, members in found.items():
            members.sort(key=order.__getitem__, reverse=True)
            group = _Group(signature, members, bonus(members[-1]))
            heap.append((-(sum(map(take, signature)) + group.bonus), next(tiebreak), group))
        heapq.heapify(heap)

    pop, push = heapq.heappop, heapq.heappush
    for value in _interleave(quotas):
        heap = heaps[value]
        while True:
            _stale, _n, group = pop(heap)
            current = sum(map(take, group.signature)) + group.bonus
            if not heap or current >= -heap[0][0] - slack:
                break
            push(heap, (-current, next(tiebreak), group))
        chosen.append(group.members.pop())
        for slot_index in group.signature:
            deficit[slot_index] -= 1
            gain[slot_index] = _gain(deficit[slot_index], target[slot_index])
        if group.members:
            group.bonus = bonus(group.members[-1])
            push(heap, (-(sum(map(take, group.signature)) + group.bonus), next(tiebreak), group))

    in_pilot = [False] * len(candidates)
    for i in chosen:
        in_pilot[i] = True
    columns = dict(zip(attributes, [stratum_column, *other_columns], strict=True))
    keys = tuple(candidates[i].key for i in chosen)
    return Selection(
        keys=keys,
        quotas=tuple(sorted(quotas.items(), key=lambda item: (-item[1], item[0]))),
        measure=_measure(in_pilot, columns),
        seed=seed,
        attributes=attributes,
        ring=ring_keys,
        marks=marks_report(candidates, keys, stratum=attributes[0], exclude=excluded),
    )


def marks_report(
    candidates: Sequence[Candidate],
    keys: Collection[str],
    *,
    stratum: str,
    exclude: Collection[str] = (),
) -> tuple[MarkReport, ...]:
    """Return per mark how many marked people are in the pilot `keys`, and why not the others.

    `candidates` are the pilot's population (the rest, after the first ring). A stratum value
    (a department) whose marked people are left out either had no seat, gave all its seats
    to people with a mark too, or gave some to unmarked people who keep the pilot closer to
    the rest on the other attributes.
    """
    chosen = set(keys)
    seated: dict[str, list[Candidate]] = {}
    marked: dict[str, list[Candidate]] = {mark: [] for mark in MARKS}
    for c in candidates:
        if c.key in chosen:
            seated.setdefault(c.value(stratum), []).append(c)
        if c.marks and c.key not in exclude:
            for mark in c.marks:
                marked[mark].append(c)
    reports = []
    for mark in MARKS:
        missed = Counter(c.value(stratum) for c in marked[mark] if c.key not in chosen)
        rows = []
        for value, people in sorted(missed.items(), key=lambda item: (-item[1], item[0])):
            holders = seated.get(value, [])
            if not holders:
                reason = "no_seat"
            elif all(h.marks for h in holders):
                reason = "seats_marked"
            else:
                reason = "representative"
            rows.append(Missed(value, people, len(holders), tuple(h.key for h in holders), reason))
        honoured = sum(1 for c in marked[mark] if c.key in chosen)
        reports.append(MarkReport(mark, len(marked[mark]), honoured, tuple(rows)))
    return tuple(reports)


def best_swap(
    candidates: Sequence[Candidate],
    keys: Collection[str],
    *,
    out: str | Candidate,
    attributes: Sequence[str],
    exclude: Collection[str] = (),
    ring: Collection[str] = (),
) -> str | None:
    """Return who best takes the place of `out`: same stratum value, lowest mean TVD after.

    `out` is a key of `candidates`, or a Candidate of someone no longer among them (who has
    left). Only the rest (not the first `ring`) can come in, and the TVD is against the rest.
    Among equals a person with more preference marks goes first, then the lowest key, so the
    answer is the same every time. None when nobody of that stratum is left.
    """
    candidates = rest(candidates, ring)
    chosen = set(keys)
    by_key = {c.key: c for c in candidates}
    leaving = out if isinstance(out, Candidate) else by_key.get(out)
    if leaving is None or not attributes:
        return None
    chosen.discard(leaving.key)
    stratum = attributes[0]
    options = [
        c
        for c in candidates
        if c.key not in chosen
        and c.key != leaving.key
        and c.key not in exclude
        and c.value(stratum) == leaving.value(stratum)
    ]
    if not options:
        return None
    size = len(chosen) + 1
    population = {a: Counter(_column(candidates, a)) for a in attributes}
    pilot = {a: Counter(by_key[k].value(a) for k in chosen if k in by_key) for a in attributes}

    def after(c: Candidate) -> tuple[float, int, str]:
        total = 0.0
        for a in attributes:
            counts = pilot[a]
            value = c.value(a)
            counts[value] += 1
            total += 0.5 * sum(
                abs(n / len(candidates) - counts.get(v, 0) / size) for v, n in population[a].items()
            )
            counts[value] -= 1
        return (total, -c.preference, c.key)

    return min(options, key=after).key


def _gain(deficit: float, target: float) -> float:
    return max(-1.0, min(1.0, 2 * deficit - 1)) + (0.001 * deficit / target if target else 0.0)


@dataclass
class _Group:
    signature: tuple[int, ...]
    members: list[int]  # best last
    bonus: float  # of the best, for being preferred


def _interleave(quotas: Mapping[str, int]) -> list[str]:
    """Return the strata seat by seat, spread evenly: A B A C A B ... for 3, 2, 1 seats."""
    seats = [
        ((j + 0.5) / count, name, j) for name, count in sorted(quotas.items()) for j in range(count)
    ]
    return [name for _position, name, _j in sorted(seats)]
