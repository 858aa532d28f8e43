"""Plan the waves after the pilot: pure, no Django, dataclasses in and out.

First the first ring (IT and the service desk, so they can support the rest), then the
pilot; everyone in the first ring goes live in it, never in a later wave. Then two ways to
cut the population, both scheduled the same way:

- per department (the method's way): a large department is split into near-equal waves, small
  ones are combined up to the wave size;
- rings, as IT admins know them from staged updates: the pilot, then about 1%, 9% and 90% of
  the population (or percentages of one's own), each ring representative of the departments,
  with a minimum soak time before the gate to the next ring.

The schedule brings at most `capacity` people live per working day (what the service desk can
absorb), on working days only: no weekends, no public holidays of the client's country, no
blackout dates. A wave starts on a fresh day after the soak days of the wave before it.
"""

from __future__ import annotations

import functools
import math
import random
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

import holidays

from koers.core.dates import iso_weeks as iso_weeks  # the planned waves' weeks, as before

# Staged update rings: pilot, about 1%, about 9%, the rest.
RING_TEMPLATE: tuple[int, ...] = (1, 9, 90)
# Working days to soak after the pilot and after each ring before its gate.
PILOT_SOAK_DAYS = 3
RING_SOAK_DAYS: tuple[int, ...] = (2, 3, 0)
# A department wave holds at most this many working days of capacity.
DAYS_PER_WAVE = 3
# Tickets of one person going live arrive over their first working days.
TICKET_DAYS = 3
MAX_DAYS = 5 * 366  # a schedule longer than five years is a typo, not a plan
NO_DEPARTMENT = "-"
# Groups that go live before the waves, in this order: IT and the service desk, the pilot.
LEADING = ("first_ring", "pilot")
LIBERATION_DAY = (5, 5)
LIBERATION_DAY_NAME = {"nl": "Bevrijdingsdag", "en_US": "Liberation Day"}


class PlanError(ValueError):
    """The input cannot make a plan; the message says why."""


@functools.lru_cache(maxsize=64)
def _holidays(country: str, year: int, language: str) -> dict[date, str]:
    found = holidays.country_holidays(country, years=year, language=language)
    return {day: str(name) for day, name in found.items()}


@dataclass(frozen=True)
class WorkCalendar:
    """Working days of a client: Monday to Friday, less public holidays and blackout dates."""

    country: str = "NL"
    blackout: frozenset[date] = frozenset()
    language: str = "en_US"  # for the holidays' names: en_US, nl, fr...
    # Bevrijdingsdag (5 May) as a day off every year: `holidays` knows it in lustrum years
    # only, as the law does, but many employers give it every year.
    liberation_day: bool = False

    def closed_because(self, day: date) -> str | None:
        """Return why `day` is not a working day ("weekend", a holiday's name, "blackout")."""
        if day.weekday() >= 5:
            return "weekend"
        holiday = _holidays(self.country, day.year, self.language).get(day)
        if holiday:
            return holiday
        if self.liberation_day and (day.month, day.day) == LIBERATION_DAY:
            return LIBERATION_DAY_NAME.get(self.language, LIBERATION_DAY_NAME["en_US"])
        if day in self.blackout:
            return "blackout"
        return None

    def is_working_day(self, day: date) -> bool:
        return self.closed_because(day) is None

    def next_working_day(self, day: date) -> date:
        """Return `day` if it is a working day, else the first working day after it."""
        for offset in range(MAX_DAYS):
            candidate = day + timedelta(days=offset)
            if self.is_working_day(candidate):
                return candidate
        raise PlanError("no working day within five years")

    def add_working_days(self, day: date, count: int) -> date:
        """Return the working day `count` working days after `day` (itself a working day)."""
        current = self.next_working_day(day)
        for _step in range(count):
            current = self.next_working_day(current + timedelta(days=1))
        return current

    def closed_between(self, start: date, end: date) -> list[tuple[date, str]]:
        """Return the weekdays from `start` to `end` that are holidays or blackout dates."""
        closed = []
        day = start
        while day <= end:
            reason = self.closed_because(day)
            if reason and reason != "weekend":
                closed.append((day, reason))
            day += timedelta(days=1)
        return closed


@dataclass(frozen=True)
class Member:
    key: str
    department: str


@dataclass(frozen=True)
class Group:
    """People who go live together, before they get dates."""

    label: str
    departments: tuple[str, ...]
    keys: tuple[str, ...]
    kind: str = "department"  # pilot, department or ring
    soak_days: int = 0
    percentage: float | None = None


@dataclass(frozen=True)
class PlannedWave:
    number: int  # 0 is the pilot
    label: str
    kind: str
    departments: tuple[str, ...]
    keys: tuple[str, ...]
    days: tuple[tuple[date, int], ...]  # working day -> people going live that day
    soak_days: int
    percentage: float | None = None

    @property
    def size(self) -> int:
        return len(self.keys)

    @property
    def start(self) -> date:
        return self.days[0][0]

    @property
    def end(self) -> date:
        return self.days[-1][0]

    @property
    def weeks(self) -> str:
        return iso_weeks(self.start, self.end)


@dataclass(frozen=True)
class Outline:
    """A wave as the big bang comparison needs it: its kind and who goes live which day.

    Both a computed plan and the waves a project keeps give one, so the comparison of a
    planned rollout reads its kept waves instead of planning everyone again."""

    kind: str
    days: tuple[tuple[date, int], ...]

    @property
    def size(self) -> int:
        return sum(count for _day, count in self.days)

    @property
    def start(self) -> date:
        return self.days[0][0]


@dataclass(frozen=True)
class Plan:
    waves: tuple[PlannedWave, ...]
    capacity: int
    country: str
    closed: tuple[tuple[date, str], ...]  # holidays and blackout dates the plan skipped

    @property
    def start(self) -> date | None:
        return self.waves[0].start if self.waves else None

    @property
    def end(self) -> date | None:
        return self.waves[-1].end if self.waves else None

    @property
    def total(self) -> int:
        return sum(w.size for w in self.waves)

    def outline(self) -> tuple[Outline, ...]:
        return tuple(Outline(w.kind, w.days) for w in self.waves)

    def live_per_day(self) -> list[tuple[date, int]]:
        """Return the cumulative number of people live at the end of each planned day."""
        counts: Counter[date] = Counter()
        for wave in self.waves:
            for day, count in wave.days:
                counts[day] += count
        running, result = 0, []
        for day in sorted(counts):
            running += counts[day]
            result.append((day, running))
        return result


def _check(capacity: int) -> None:
    if capacity < 1:
        raise PlanError("the support capacity must be at least 1 person per working day")


def group_departments(
    members: Iterable[Member], *, max_size: int, min_size: int | None = None
) -> list[Group]:
    """Cut people into waves per department: large ones split, small ones combined.

    Departments go in name order; a department above `max_size` becomes near-equal parts,
    consecutive departments below `min_size` (half the maximum by default) are combined
    while the total stays within `max_size`.
    """
    if max_size < 1:
        raise PlanError("a wave holds at least one person")
    min_size = max_size // 2 if min_size is None else min_size
    per_department: dict[str, list[str]] = defaultdict(list)
    for member in members:
        per_department[member.department].append(member.key)
    groups: list[Group] = []
    pending: list[tuple[str, list[str]]] = []

    def flush() -> None:
        if pending:
            names = tuple(name for name, _keys in pending)
            keys = tuple(key for _name, people in pending for key in people)
            groups.append(Group(" + ".join(n or NO_DEPARTMENT for n in names), names, keys))
            pending.clear()

    for name in sorted(per_department):
        keys = per_department[name]
        if len(keys) > max_size:
            flush()
            parts = math.ceil(len(keys) / max_size)
            size, extra = divmod(len(keys), parts)
            at = 0
            for part in range(parts):
                length = size + (1 if part < extra else 0)
                label = f"{name or NO_DEPARTMENT} ({part + 1}/{parts})"
                groups.append(Group(label, (name,), tuple(keys[at : at + length])))
                at += length
        elif len(keys) >= min_size:
            flush()
            groups.append(Group(name or NO_DEPARTMENT, (name,), tuple(keys)))
        else:
            if pending and sum(len(k) for _n, k in pending) + len(keys) > max_size:
                flush()
            pending.append((name, keys))
    flush()
    return groups


def ring_groups(
    members: Sequence[Member],
    *,
    percentages: Sequence[float] = RING_TEMPLATE,
    soak_days: Sequence[int] = RING_SOAK_DAYS,
    seed: int = 0,
) -> list[Group]:
    """Cut people into rings of the given percentages, each a fair mix of the departments.

    Percentages must add up to 100; ring sizes follow largest remainder, so they add up to
    the whole population. People are dealt in an order that spreads every department evenly
    (seeded), so a 1% ring is a small cross-section, not one department.
    """
    if not percentages or any(p <= 0 for p in percentages):
        raise PlanError("every ring needs a percentage above 0")
    if abs(sum(percentages) - 100) > 1e-6:
        raise PlanError(f"the ring percentages add up to {sum(percentages):g}, not 100")
    if len(soak_days) < len(percentages):
        soak_days = [*soak_days, *([0] * (len(percentages) - len(soak_days)))]
    total = len(members)
    quotas = [total * p / 100 for p in percentages]
    sizes = [math.floor(q) for q in quotas]
    order = sorted(range(len(quotas)), key=lambda i: (-(quotas[i] - sizes[i]), i))
    for i in order[: total - sum(sizes)]:
        sizes[i] += 1
    rng = random.Random(f"rings:{seed}")
    per_department: dict[str, list[Member]] = defaultdict(list)
    for member in members:
        per_department[member.department].append(member)
    positioned: list[tuple[float, str]] = []
    for people in per_department.values():
        shuffled = list(people)
        rng.shuffle(shuffled)
        offset = rng.random()
        positioned.extend(((j + offset) / len(shuffled), m.key) for j, m in enumerate(shuffled))
    dealt = [key for _position, key in sorted(positioned)]
    department_of = {m.key: m.department for m in members}
    groups, at = [], 0
    for number, (size, percentage) in enumerate(zip(sizes, percentages, strict=True), 1):
        keys = tuple(dealt[at : at + size])
        at += size
        if not keys:
            continue
        departments = tuple(sorted({department_of[k] for k in keys}))
        groups.append(
            Group(
                f"Ring {number} ({percentage:g}%)",
                departments,
                keys,
                kind="ring",
                soak_days=soak_days[number - 1],
                percentage=float(percentage),
            )
        )
    return groups


def schedule(
    groups: Sequence[Group], *, start: date, capacity: int, calendar: WorkCalendar
) -> tuple[PlannedWave, ...]:
    """Give every group working days from `start` on, at most `capacity` people a day.

    The next group starts on a fresh working day after the soak days of the one before.
    """
    _check(capacity)
    waves: list[PlannedWave] = []
    day = calendar.next_working_day(start)
    number = 0
    for group in groups:
        if not group.keys:
            continue
        days = []
        left = len(group.keys)
        while left:
            count = min(capacity, left)
            days.append((day, count))
            left -= count
            if left:
                day = calendar.add_working_days(day, 1)
        if group.kind not in LEADING and number == 0:
            number = 1
        waves.append(
            PlannedWave(
                number=number,
                label=group.label,
                kind=group.kind,
                departments=group.departments,
                keys=group.keys,
                days=tuple(days),
                soak_days=group.soak_days,
                percentage=group.percentage,
            )
        )
        number += 1
        day = calendar.add_working_days(day, 1 + group.soak_days)
    return tuple(waves)


def _pin(
    groups: Sequence[Group], pinned: Sequence[Member], pins: Mapping[str, int], *, soak_days: int
) -> list[Group]:
    """Put the people of pinned departments in the wave at their pinned position.

    Position 1 is the first wave after the pilot. A department moved by hand stays where it
    was put when the rest is planned anew; a position past the last wave adds a wave at the end.
    """
    by_position: dict[int, list[Member]] = defaultdict(list)
    for member in pinned:
        by_position[max(1, pins[member.department])].append(member)
    result = list(groups)
    for position in sorted(by_position):
        people = by_position[position]
        departments = tuple(sorted({m.department for m in people}))
        keys = tuple(m.key for m in people)
        if position <= len(result):
            group = result[position - 1]
            merged = tuple(sorted({*group.departments, *departments}))
            result[position - 1] = replace(
                group,
                label=" + ".join(d or NO_DEPARTMENT for d in merged),
                departments=merged,
                keys=group.keys + keys,
            )
        else:
            kind = result[-1].kind if result else "department"
            label = " + ".join(d or NO_DEPARTMENT for d in departments)
            result.append(Group(label, departments, keys, kind=kind, soak_days=soak_days))
    return result


def _present(
    members: Sequence[Member], ring: Sequence[str], pilot: Sequence[str]
) -> tuple[list[str], list[str]]:
    """The first ring's and the pilot's keys of people being planned, once each: someone who
    left is not planned, and someone in the first ring is not in the pilot too."""
    keys = {m.key for m in members}
    inner = [key for key in dict.fromkeys(ring) if key in keys]
    taken = set(inner)
    return inner, [key for key in dict.fromkeys(pilot) if key in keys and key not in taken]


def _leading(
    members: Sequence[Member], ring: Sequence[str], pilot: Sequence[str], soak_days: int
) -> list[Group]:
    """The groups before the waves: the first ring (IT and service desk), then the pilot."""
    groups = []
    for keys, label, kind in ((ring, "First ring", "first_ring"), (pilot, "Pilot", "pilot")):
        if keys:
            chosen = set(keys)
            departments = tuple(sorted({m.department for m in members if m.key in chosen}))
            groups.append(Group(label, departments, tuple(keys), kind=kind, soak_days=soak_days))
    return groups


def plan_departments(
    members: Sequence[Member],
    *,
    start: date,
    capacity: int,
    calendar: WorkCalendar,
    pilot: Sequence[str] = (),
    ring: Sequence[str] = (),
    pilot_soak_days: int = PILOT_SOAK_DAYS,
    soak_days: int = 0,
    max_size: int | None = None,
    pins: Mapping[str, int] | None = None,
) -> Plan:
    """Plan the first ring, the pilot, then waves per department, within `capacity` people per
    working day.

    `pins` keeps departments moved by hand in their wave: department -> position (1 is the
    first wave after the pilot).
    """
    _check(capacity)
    pins = pins or {}
    ring, pilot = _present(members, ring, pilot)
    chosen = {*ring, *pilot}
    rest = [m for m in members if m.key not in chosen and m.department not in pins]
    groups = [
        Group(g.label, g.departments, g.keys, soak_days=soak_days)
        for g in group_departments(rest, max_size=max_size or capacity * DAYS_PER_WAVE)
    ]
    pinned = [m for m in members if m.key not in chosen and m.department in pins]
    groups = _pin(groups, pinned, pins, soak_days=soak_days)
    groups = [*_leading(members, ring, pilot, pilot_soak_days), *groups]
    return _plan(groups, start=start, capacity=capacity, calendar=calendar)


def plan_rings(
    members: Sequence[Member],
    *,
    start: date,
    capacity: int,
    calendar: WorkCalendar,
    pilot: Sequence[str] = (),
    ring: Sequence[str] = (),
    pilot_soak_days: int = PILOT_SOAK_DAYS,
    percentages: Sequence[float] = RING_TEMPLATE,
    soak_days: Sequence[int] = RING_SOAK_DAYS,
    seed: int = 0,
    pins: Mapping[str, int] | None = None,
) -> Plan:
    """Plan the first ring, the pilot, then rings of the given percentages of the people after.

    A pinned department (`pins`, as for departments) goes whole into the ring at its position.
    """
    _check(capacity)
    pins = pins or {}
    ring, pilot = _present(members, ring, pilot)
    chosen = {*ring, *pilot}
    rest = [m for m in members if m.key not in chosen and m.department not in pins]
    groups = ring_groups(rest, percentages=percentages, soak_days=soak_days, seed=seed)
    pinned = [m for m in members if m.key not in chosen and m.department in pins]
    groups = _pin(groups, pinned, pins, soak_days=0)
    groups = [*_leading(members, ring, pilot, pilot_soak_days), *groups]
    return _plan(groups, start=start, capacity=capacity, calendar=calendar)


def _plan(groups: list[Group], *, start: date, capacity: int, calendar: WorkCalendar) -> Plan:
    waves = schedule(groups, start=start, capacity=capacity, calendar=calendar)
    closed = calendar.closed_between(waves[0].start, waves[-1].end) if waves else []
    return Plan(waves, capacity, calendar.country, tuple(closed))


# Support load and the big-bang comparison.


def tickets_per_day(
    going_live: Iterable[tuple[date, int]], *, rate_per_100: float, calendar: WorkCalendar
) -> list[tuple[date, float]]:
    """Return the expected tickets per working day: `rate_per_100` tickets for every 100
    people going live, spread evenly over their first TICKET_DAYS working days."""
    tickets: defaultdict[date, float] = defaultdict(float)
    for day, count in going_live:
        share = count * rate_per_100 / 100 / TICKET_DAYS
        current = calendar.next_working_day(day)
        for _n in range(TICKET_DAYS):
            tickets[current] += share
            current = calendar.add_working_days(current, 1)
    return sorted(tickets.items())


@dataclass(frozen=True)
class Scenario:
    name: str  # big-bang or waves
    everyone_live: date
    first_feedback: date  # the first day real users work with it
    people_hit_at_once: int  # how many one late-found defect reaches before a gate stops it
    tickets: tuple[tuple[date, float], ...]
    peak_tickets: float
    days_over_capacity: int


@dataclass(frozen=True)
class Comparison:
    big_bang: Scenario
    waves: Scenario
    people: int
    desk_per_day: float
    rate_per_100: float


def compare_big_bang(
    waves: Sequence[Outline],
    *,
    big_bang_on: date,
    rate_per_100: float,
    desk_per_day: float,
    calendar: WorkCalendar,
) -> Comparison:
    """Set a big bang on one day beside the planned pilot and waves, for the same people."""
    if not waves:
        raise PlanError("there is no plan to compare with")
    day = calendar.next_working_day(big_bang_on)

    def scenario(name: str, days: list[tuple[date, int]], hit: int, first: date) -> Scenario:
        tickets = tickets_per_day(days, rate_per_100=rate_per_100, calendar=calendar)
        peak = max((t for _d, t in tickets), default=0.0)
        over = sum(1 for _d, t in tickets if t > desk_per_day)
        return Scenario(name, days[-1][0], first, hit, tuple(tickets), peak, over)

    planned: Counter[date] = Counter()
    for wave in waves:
        for when, count in wave.days:
            planned[when] += count
    total = sum(w.size for w in waves)
    largest = max((w.size for w in waves if w.kind not in LEADING), default=0)
    return Comparison(
        big_bang=scenario("big-bang", [(day, total)], total, day),
        waves=scenario("waves", sorted(planned.items()), largest, waves[0].start),
        people=total,
        desk_per_day=desk_per_day,
        rate_per_100=rate_per_100,
    )


def without_leavers(plan: Plan, leaving: Mapping[str, date]) -> tuple[Plan, tuple[str, ...]]:
    """Take out of each wave whoever leaves before their day in it; return the plan and them.

    `leaving` is key -> leaving date (the last day). Days keep their dates; a day without
    people goes, and a wave without people goes with the waves after it renumbered.
    """
    if not leaving:
        return plan, ()
    waves: list[PlannedWave] = []
    gone: list[str] = []
    emptied = 0
    for wave in plan.waves:
        keys: list[str] = []
        days: list[tuple[date, int]] = []
        at = 0
        for day, count in wave.days:
            kept = 0
            for key in wave.keys[at : at + count]:
                last = leaving.get(key)
                if last is not None and last < day:
                    gone.append(key)
                else:
                    keys.append(key)
                    kept += 1
            at += count
            if kept:
                days.append((day, kept))
        if not days:
            emptied += wave.number > 0
            continue
        number = wave.number - emptied if wave.number > 0 else wave.number
        waves.append(replace(wave, number=number, keys=tuple(keys), days=tuple(days)))
    return replace(plan, waves=tuple(waves)), tuple(gone)
