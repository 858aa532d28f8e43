"""Choose a representative pilot group: pure, no Django, dataclasses in and out.

The method asks for a pilot that is representative of the people it stands for, made of
people who are well known and give constructive feedback, and often starts with the
service desk and the IT department. `select_pilot` does that in three steps:

1. Optionally the "first" people (IT and service desk) go in, at most a quarter of the seats.
2. The remaining seats are shared over the values of the first attribute (department by
   default) by largest-remainder (Hamilton) apportionment, so every department gets its
   fair whole number of seats.
3. Seat by seat, interleaved over the departments, the person whose other attribute values
   are furthest behind their share of the population is taken; among equals a person marked
   well known, constructive or ambassador goes first, then a seeded random order decides.

`measure` gives per attribute the pilot's share of each value against the population's and
the total variation distance (TVD): half the sum of the absolute share differences, 0 for a
perfect mirror, 1 for no overlap at all. `random_baseline` gives the median mean TVD that a
random pick of the same size reaches, so a user can see what the selection is worth.
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

# The method's example: a pilot of 20 for 800 employees.
DEFAULT_PROPORTION = Fraction(20, 800)
# The first group (IT, service desk) takes at most this share of the seats: enough to give
# input and support the others, not so many that the pilot stops looking like the company.
FIRST_SHARE = Fraction(1, 4)
# How much a preference mark weighs against one person more or less in a value's share.
PREFERENCE_WEIGHT = 0.3
# From this many seats on, the greedy may settle within half a person of the best choice.
LARGE_PILOT = 500
RANDOM_DRAWS = 1000
MISSING = ""


@dataclass(frozen=True)
class Candidate:
    """One person of the population as the selection sees them."""

    key: str
    values: Mapping[str, str]  # attribute -> value, e.g. {"department": "Finance"}
    preference: int = 0  # marks: well known, constructive, ambassador
    is_first: bool = False  # IT department or service desk

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
class Selection:
    keys: tuple[str, ...]  # in the order they were chosen
    first: tuple[str, ...]  # the keys that went in as IT or service desk
    quotas: tuple[tuple[str, int], ...]  # stratum value -> seats by Hamilton
    measure: Measure
    seed: int
    attributes: tuple[str, ...] = field(default=())


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
) -> float:
    """Return the median mean TVD of `draws` random picks of `size` people."""
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


def select_pilot(
    candidates: Sequence[Candidate],
    *,
    size: int,
    attributes: Sequence[str],
    seed: int = 0,
    first: bool = False,
    exclude: Iterable[str] = (),
) -> Selection:
    """Pick `size` people representative of `candidates` over `attributes`.

    The first attribute is the stratum shared out by Hamilton; with `first`, IT and service
    desk people go in before the rest (at most a quarter of the seats). People in `exclude` are
    never picked (they were swapped out), but they still count in the population.
    """
    if size < 0:
        raise ValueError("size must not be negative")
    if not attributes:
        raise ValueError("choose at least one attribute")
    attributes = tuple(attributes)
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

    first_people: list[int] = []
    if first:
        first_people = sorted((i for i in pool if candidates[i].is_first), key=order.__getitem__)
        first_people = first_people[: int(size * FIRST_SHARE)]
        for i in first_people:
            for slot_index in signatures[i]:
                deficit[slot_index] -= 1
    taken = set(first_people)

    # People grouped per stratum by their other values; each group's best person last.
    groups: dict[str, dict[tuple[int, ...], list[int]]] = {}
    for i in pool:
        if i not in taken:
            groups.setdefault(stratum_column[i], {}).setdefault(signatures[i], []).append(i)
    quotas = hamilton(
        size - len(first_people),
        {value: sum(map(len, found.values())) for value, found in groups.items()},
    )
    chosen = list(first_people)
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
    return Selection(
        keys=tuple(candidates[i].key for i in chosen),
        first=tuple(candidates[i].key for i in first_people),
        quotas=tuple(sorted(quotas.items(), key=lambda item: (-item[1], item[0]))),
        measure=_measure(in_pilot, columns),
        seed=seed,
        attributes=attributes,
    )


def best_swap(
    candidates: Sequence[Candidate],
    keys: Collection[str],
    *,
    out: str,
    attributes: Sequence[str],
    exclude: Collection[str] = (),
) -> str | None:
    """Return who best takes the place of `out`: same stratum value, lowest mean TVD after.

    Among equals a person with more preference marks goes first, then the lowest key, so
    the answer is the same every time. None when nobody of that stratum is left.
    """
    chosen = set(keys)
    by_key = {c.key: c for c in candidates}
    if out not in by_key or not attributes:
        return None
    stratum = attributes[0]
    leaving = by_key[out]
    options = [
        c
        for c in candidates
        if c.key not in chosen
        and c.key not in exclude
        and c.value(stratum) == leaving.value(stratum)
    ]
    if not options:
        return None
    size = len(chosen)
    population = {a: Counter(_column(candidates, a)) for a in attributes}
    pilot = {a: Counter(by_key[k].value(a) for k in chosen if k in by_key) for a in attributes}
    for a in attributes:
        pilot[a][leaving.value(a)] -= 1

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
