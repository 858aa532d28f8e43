"""Reads on the first ring, pilot and waves that views, the API, the CLI and the services share."""

from collections import Counter
from collections.abc import Iterable
from contextlib import suppress
from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import DatabaseError, connection, transaction
from django.db.models import Count, F, Max, QuerySet, Sum, Window
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import RowNumber
from django.utils import timezone, translation

from koers.population.models import Person
from koers.population.queries import Headcount, active_people, department_names, headcount
from koers.projects.models import Project
from koers.workspaces.models import Client

from . import gates, measures
from . import pilot as pilot_rules
from . import ring as ring_rules
from . import waves as wave_rules
from .models import (
    SELECTION_FIELDS,
    FirstRing,
    FirstRingMember,
    Gate,
    GateDecision,
    Pilot,
    Rollout,
    SupportLoad,
    Wave,
)


def attribute_choices(client: Client) -> list[str]:
    """Return the attributes a pilot can be representative over, fields first."""
    names: set[str] = set()
    for attributes in (
        active_people(client).exclude(attributes={}).values_list("attributes", flat=True)[:200]
    ):
        names.update(attributes)
    return [*SELECTION_FIELDS, *sorted(names - set(SELECTION_FIELDS))]


def _raw(queryset: QuerySet[Any]) -> list[tuple[Any, ...]]:
    """Return the rows of a `values_list` queryset without the ORM's per-row converters.

    For reads of all of a client's people (100,000) whose text and numbers need none: only
    booleans would be converted, and they come as 0/1 (SQLite) or True/False, both truthy.
    """
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def selection_people(
    client: Client, attributes: list[str]
) -> tuple[list[pilot_rules.Candidate], dict[str, int]]:
    """Return the client's active people as the ring and pilot see them, and key -> id.

    Each candidate carries the `attributes` asked for, and department and job title (the
    first ring's). People with the same values share one mapping of them: for 100,000 people
    that is a few thousand mappings, not 100,000.
    """
    fields = [f for f in SELECTION_FIELDS if f in attributes or f in ("department", "job_title")]
    extra = [a for a in attributes if a not in SELECTION_FIELDS]
    queryset = (
        active_people(client)
        .order_by("key")
        .values_list(
            "key",
            "pk",
            "is_well_known",
            "is_constructive",
            "is_ambassador",
            *fields,
            *(["attributes"] if extra else []),
        )
    )
    # JSON attributes need the ORM's decoding; the fields alone are read raw.
    rows = list(queryset) if extra else _raw(queryset)
    result = []
    ids = {}
    end = 5 + len(fields)
    shared: dict[tuple[Any, ...], dict[str, str]] = {}
    marks_of: dict[tuple[Any, ...], frozenset[str]] = {}
    new = tuple.__new__  # a named tuple made without its Python-level __new__
    make = pilot_rules.Candidate
    for row in rows:
        found = row[5:end]
        values = shared.get(found)
        if values is None:
            values = shared[found] = dict(zip(fields, found, strict=True))
        if extra:
            attributes_of = row[-1] or {}
            values = {**values, **{a: str(attributes_of.get(a, "")) for a in extra}}
        flags = row[2:5]
        marks = marks_of.get(flags)
        if marks is None:
            marks = marks_of[flags] = frozenset(
                m for m, on in zip(pilot_rules.MARKS, flags, strict=True) if on
            )
        result.append(new(make, (row[0], values, marks)))
        ids[row[0]] = row[1]
    return result, ids


def ring_choice(project: Project) -> ring_rules.RingChoice:
    """Return what the user changed of the first ring Koers found (nothing by default)."""
    found = FirstRing.objects.filter(project=project).first()
    if found is None:
        return ring_rules.RingChoice()
    return ring_rules.RingChoice(
        add_departments=frozenset(found.add_departments),
        remove_departments=frozenset(found.remove_departments),
        add_people=frozenset(found.add_people),
        remove_people=frozenset(found.remove_people),
    )


def ring_people(candidates: Iterable[pilot_rules.Candidate]) -> Iterable[tuple[str, str, str]]:
    """Return (key, department, job title) of the candidates, as the first ring reads them."""
    return ((c.key, c.values["department"], c.values["job_title"]) for c in candidates)


def first_ring(project: Project) -> ring_rules.Ring:
    """Return the project's first ring now: of the people there, after the user's choice."""
    people = active_people(project.client).order_by("key")
    return ring_rules.first_ring(
        _raw(people.values_list("key", "department", "job_title")), ring_choice(project)
    )


def kept_first_ring(project: Project) -> FirstRing | None:
    """Return the first ring written with the pilot or the waves (None: none written yet)."""
    return (
        FirstRing.objects.filter(project=project, members__isnull=False)
        .select_related("confirmed_by")
        .first()
    )


def first_ring_members(project: Project) -> QuerySet[Person]:
    """Return the people written as the project's first ring."""
    return Person.objects.filter(first_ring_memberships__ring__project=project)


# People put back or left out by the user, listed by name on the pilot page (a handful).
LEFT_OUT_LISTED = 100


@dataclass(frozen=True)
class RingView:
    """The first ring as the pilot page shows it, in a fixed number of queries."""

    ring: FirstRing | None  # None: not found yet
    size: int
    departments: list[tuple[str, int, bool]]  # department, people in the ring, whole (by name)
    singles: QuerySet[FirstRingMember]  # found by job title or added one by one, for paging
    single_count: int
    left_out_departments: list[str]
    left_out_people: list[Person]
    department_choices: list[str]  # departments of the people there, for adding one
    leavers: int  # people of the client who have left: in no ring, pilot or wave


def ring_view(project: Project, *, counted: Headcount | None = None) -> RingView:
    """Return the first ring of a project as the pilot page shows it (`counted`: the client's
    headcount today, when the caller has it)."""
    found = FirstRing.objects.filter(project=project).select_related("confirmed_by").first()
    departments: list[tuple[str, int, bool]] = []
    singles = FirstRingMember.objects.none()
    left_out: list[Person] = []
    size = single_count = 0
    counted = counted or headcount(project.client)
    if found is not None:
        whole = {FirstRingMember.Reason.DEPARTMENT, FirstRingMember.Reason.ADDED_DEPARTMENT}
        rows = _ring_departments(found, counted)
        counts: Counter[str] = Counter()
        by_name: set[str] = set()
        for department, reason, n in rows:
            counts[department] += n
            if reason in whole:
                by_name.add(department)
            else:
                single_count += n
        size = sum(counts.values())
        departments = [
            (name, n, name in by_name)
            for name, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        ]
        singles = (
            FirstRingMember.objects.filter(ring=found)
            .exclude(reason__in=whole)
            .select_related("person")
        )
        left_out = list(
            Person.objects.filter(client=project.client, key__in=found.remove_people).order_by(
                "name", "key"
            )[:LEFT_OUT_LISTED]
        )
    return RingView(
        ring=found,
        size=size,
        departments=departments,
        singles=singles,
        single_count=single_count,
        left_out_departments=sorted(found.remove_departments) if found else [],
        left_out_people=left_out,
        department_choices=department_names(project.client),
        leavers=counted.left,
    )


def _ring_departments(ring: FirstRing, people: Headcount) -> list[tuple[str, str, int]]:
    """Return (department, reason, members) of the ring. Grouping 5,000 members by their
    department joins them to the people; the outcome is kept on the ring with a stamp of what
    it was counted on, as the pilot's measure is, and counted again when that changed."""
    members = FirstRingMember.objects.filter(ring=ring)
    found = members.aggregate(count=Count("pk"), newest=Max("pk"))
    changed = people.changed.isoformat() if people.changed else None
    stamp = [found["count"], found["newest"], people.everyone, changed]
    kept = ring.departments_kept
    if kept and kept.get("stamp") == stamp:
        return [(department, reason, n) for department, reason, n in kept["rows"]]
    rows = list(
        members.values_list("person__department", "reason").annotate(n=Count("pk")).order_by()
    )
    record = {"stamp": stamp, "rows": [list(row) for row in rows]}
    # As the pilot's measure: a database that takes no writes still shows the ring.
    with suppress(DatabaseError), transaction.atomic():
        FirstRing.objects.filter(pk=ring.pk).update(departments_kept=record)
    ring.departments_kept = record
    return rows


def _grouped(people: QuerySet[Any], attribute: str) -> Counter[str]:
    if attribute in SELECTION_FIELDS:
        rows = people.values_list(attribute).annotate(n=Count("pk")).order_by()
    else:
        rows = (
            people.annotate(v=KeyTextTransform(attribute, "attributes"))
            .values_list("v")
            .annotate(n=Count("pk"))
            .order_by()
        )
    return Counter({str(value or ""): n for value, n in rows})


def pilot_measure(pilot: Pilot, *, counted: Headcount | None = None) -> pilot_rules.Measure:
    """Return the pilot's shares against the rest's per attribute.

    Counting them takes half a second at 100,000 people, so the outcome is kept on the pilot
    with a stamp of what it was measured on, and counted again only when that changed.
    `counted`: the client's headcount today, when the caller has it.
    """
    stamp = _measure_stamp(pilot, counted or headcount(pilot.project.client))
    kept = pilot.measure
    if kept and kept.get("stamp") == stamp:
        return pilot_rules.measure_from_record(kept["measure"])
    measure = _count_pilot_measure(pilot)
    record = {"stamp": stamp, "measure": asdict(measure)}
    # A database that takes no writes still shows the figure; the savepoint keeps a caller's
    # transaction usable after a refused write (PostgreSQL).
    with suppress(DatabaseError), transaction.atomic():
        Pilot.objects.filter(pk=pilot.pk).update(measure=record)
    pilot.measure = record
    return measure


def keep_pilot_measure(pilot: Pilot, measure: pilot_rules.Measure) -> None:
    """Keep the measure the pilot was just chosen with (the same as counting it would give):
    the command, the page and the API then show it without counting 100,000 people again."""
    record = {
        "stamp": _measure_stamp(pilot, headcount(pilot.project.client)),
        "measure": asdict(measure),
    }
    Pilot.objects.filter(pk=pilot.pk).update(measure=record)
    pilot.measure = record


def _measure_stamp(pilot: Pilot, people: Headcount) -> list[Any]:
    """What the measure depends on: the client's people (how many, last change), the pilot's
    and the first ring's members (how many, newest), and the attributes it is taken over."""
    members = pilot.members.aggregate(count=Count("pk"), newest=Max("pk"))
    ring = FirstRingMember.objects.filter(ring__project_id=pilot.project_id).aggregate(
        count=Count("pk"), newest=Max("pk")
    )
    changed = people.changed.isoformat() if people.changed else None
    return [
        people.everyone,
        changed,
        members["count"],
        members["newest"],
        ring["count"],
        ring["newest"],
        list(pilot.attributes),
        timezone.localdate().isoformat(),  # someone's leaving date may pass overnight
    ]


def _count_pilot_measure(pilot: Pilot) -> pilot_rules.Measure:
    """Count the pilot's shares against the rest's per attribute in SQL.

    The rest: the client's active people less the first ring, whom the pilot stands for.
    """
    population = active_people(pilot.project.client).exclude(
        first_ring_memberships__ring__project_id=pilot.project_id
    )
    members = population.filter(pilot_memberships__pilot=pilot)
    measures = [
        pilot_rules.attribute_measure(a, _grouped(population, a), _grouped(members, a))
        for a in pilot.attributes
    ]
    return pilot_rules.combine(measures, size=members.count(), population=population.count())


def rollout_of(project: Project) -> Rollout:
    """Return the project's rollout settings, or unsaved defaults."""
    found = Rollout.objects.filter(project=project).first()
    return found or Rollout(project=project)


def calendar_for(project: Project, rollout: Rollout) -> wave_rules.WorkCalendar:
    language = (translation.get_language() or "nl")[:2]
    return wave_rules.WorkCalendar(
        country=project.client.country,
        blackout=frozenset(date.fromisoformat(d) for d in rollout.blackout_dates),
        language="nl" if language == "nl" else "en_US",
        liberation_day=project.client.has_liberation_day_off,
    )


def waves_of(project: Project) -> QuerySet[Wave]:
    return (
        Wave.objects.filter(project=project)
        .select_related("gate")
        .annotate(tickets=Sum("support_load__tickets"))
        .order_by("number")
    )


# A wave past its gate (a go closes it) or rolled back is behind us.
FINISHED_WAVES = (Wave.Status.DONE, Wave.Status.ROLLED_BACK)


@dataclass(frozen=True)
class WaveGlance:
    """What the portfolio reads of a rollout: the wave under way (else the next) and how
    many waves are late."""

    current: Wave | None
    late: int


def wave_glances(projects: list[Project]) -> dict[int, WaveGlance]:
    """Return each project's wave glance in one query, whatever the number of projects."""
    waves: dict[int, list[Wave]] = {p.pk: [] for p in projects}
    rows = Wave.objects.filter(project__in=projects).exclude(status__in=FINISHED_WAVES)
    # Without the per-day plan (`days`, long for a large wave): never read here.
    for wave in rows.only("project_id", "number", "label", "status", "start_on", "end_on"):
        waves[wave.project_id].append(wave)  # by project and number (the model's order)
    return {
        pk: WaveGlance(current=found[0] if found else None, late=sum(w.is_late for w in found))
        for pk, found in waves.items()
    }


@dataclass(frozen=True)
class GateState:
    """A wave's gate as every face shows it: the gate, its verdict now, its decisions."""

    gate: Gate
    verdict: gates.Verdict
    decisions: tuple[GateDecision, ...]  # newest first

    @property
    def last_decision(self) -> GateDecision | None:
        return self.decisions[0] if self.decisions else None


def gate_states(waves: Iterable[Wave]) -> dict[int, GateState]:
    """Return the gate of each wave that has one, judged by `gates.verdict`.

    A fixed number of queries for any number of waves: the gates with their recorded
    support load, the measures of the pulse (see `measures`) and the decisions.
    """
    ids = [wave.pk for wave in waves]
    if not ids:
        return {}
    found = list(
        Gate.objects.filter(wave_id__in=ids)
        .select_related("wave")
        .annotate(tickets=Sum("wave__support_load__tickets"))
    )
    if not found:
        return {}
    measured = measures.measured([gate.wave for gate in found])
    decisions: dict[int, list[GateDecision]] = {}
    for decision in GateDecision.objects.filter(gate__in=found).select_related("decided_by"):
        decisions.setdefault(decision.gate_id, []).append(decision)
    states = {}
    for gate in found:
        measure = measured[gate.wave_id]
        understanding = gate.understanding
        if measure.understanding is not None:
            understanding = measure.understanding
        facts = gates.Facts(
            # Blocking items entered by hand count on top of the wave's pulse feedback items.
            open_blocking=gate.open_blocking + measure.open_blocking,
            max_blocking=gate.max_blocking,
            # Sum over no rows is None (nothing recorded); recorded zeros sum to 0, a value.
            tickets=gate.tickets,
            size=gate.wave.size,
            max_tickets_per_100=gate.max_tickets_per_100,
            understanding=understanding,
            min_understanding=gate.min_understanding,
            barrier_measured=measure.barrier_measured,
            barrier=measure.barrier.value if measure.barrier else None,
            reached=measure.reached.value,
            barrier_passed=measure.barrier_passed,
        )
        states[gate.wave_id] = GateState(
            gate, gates.verdict(facts), tuple(decisions.get(gate.pk, ()))
        )
    return states


def gate_state(wave: Wave) -> GateState | None:
    """Return one wave's gate: `gate_states` for a single wave."""
    return gate_states([wave]).get(wave.pk)


AMBASSADORS_SHOWN = 5


@dataclass(frozen=True)
class Ambassadors:
    """The pilot users of one department, who stand by their colleagues in a later wave: the
    first few (people marked as ambassador first, then by name) and how many in all."""

    department: str
    shown: tuple[Person, ...]
    count: int

    @property
    def more(self) -> int:
        return self.count - len(self.shown)


def ambassadors(project: Project, departments: Iterable[str]) -> list[Ambassadors]:
    """Return the ambassadors of each of `departments` that has pilot users, in that order.

    One query, however large the pilot: a wave's page names a few per department rather
    than every pilot user, and each comes with the number of its department's pilot users
    (counted in the same pass over them)."""
    wanted = list(departments)
    members = Person.objects.filter(
        pilot_memberships__pilot__project=project, department__in=wanted
    )
    first = members.annotate(
        rank=Window(
            RowNumber(),
            partition_by=F("department"),
            order_by=[F("is_ambassador").desc(), F("name").asc(), F("key").asc()],
        ),
        in_department=Window(Count("*"), partition_by=F("department")),
    ).filter(rank__lte=AMBASSADORS_SHOWN)
    shown: dict[str, list[Person]] = {}
    counts: dict[str, int] = {}
    for person in first.order_by("department", "rank"):
        shown.setdefault(person.department, []).append(person)
        counts[person.department] = person.in_department
    return [
        Ambassadors(department, tuple(shown[department]), counts[department])
        for department in wanted
        if department in shown
    ]


def live_progress(project: Project) -> tuple[list[tuple[date, int]], list[tuple[date, int]]]:
    """Return (planned, actual) people live per day, cumulative.

    Planned counts every wave by its planned days. Actual counts the members of waves that
    went live (active, evaluating, done) on their planned day up to today, and leaves out
    rolled-back waves from the day they were rolled back.
    """
    planned: Counter[date] = Counter()
    actual: Counter[date] = Counter()
    today = date.today()
    for wave in Wave.objects.filter(project=project).only(
        "days", "status", "rolled_back_at", "started_at"
    ):
        for day_text, count in wave.days:
            day = date.fromisoformat(day_text)
            planned[day] += count
            went_live = wave.is_live or wave.status == Wave.Status.ROLLED_BACK
            if went_live and wave.started_at and day <= today:
                actual[day] += count
        if wave.status == Wave.Status.ROLLED_BACK and wave.rolled_back_at:
            live = sum(c for d, c in wave.days if date.fromisoformat(d) <= today)
            actual[wave.rolled_back_at.date()] -= live
    return _cumulative(planned), _cumulative(actual)


def kept_outline(project: Project) -> tuple[wave_rules.Outline, ...]:
    """The project's kept waves, in order, as outlines: who goes live which day (none when
    no waves are kept). One query, whatever the number of people in them."""
    return tuple(
        wave_rules.Outline(kind, tuple((date.fromisoformat(d), n) for d, n in days))
        for kind, days in Wave.objects.filter(project=project)
        .order_by("number")
        .values_list("kind", "days")
        if days
    )


def _cumulative(counts: Counter[date]) -> list[tuple[date, int]]:
    running, result = 0, []
    for day in sorted(counts):
        running += counts[day]
        result.append((day, running))
    return result


def support_per_day(project: Project) -> list[tuple[date, int]]:
    """Return the tickets recorded per day over all waves of the project."""
    rows = (
        SupportLoad.objects.filter(project=project)
        .values_list("day")
        .annotate(n=Sum("tickets"))
        .order_by("day")
    )
    return [(day, n) for day, n in rows]


def pilot_ticket_rate(project: Project) -> Decimal | None:
    """Return the pilot's measured support tickets per 100 pilot users, if recorded."""
    wave = (
        Wave.objects.filter(project=project, kind=Wave.Kind.PILOT)
        .annotate(tickets=Sum("support_load__tickets"))
        .first()
    )
    if wave is None or wave.tickets is None or not wave.size:
        return None
    return (Decimal(wave.tickets) * 100 / wave.size).quantize(Decimal("0.1"))


def gate_decisions_of(project: Project) -> QuerySet[GateDecision]:
    """Return the go/no-go decisions of the project's gates with their wave and who decided
    (the decision log reads them here instead of keeping copies)."""
    return GateDecision.objects.filter(gate__wave__project=project).select_related(
        "gate__wave", "decided_by"
    )
