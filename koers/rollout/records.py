"""One record per first ring, pilot, wave, leavers list and gate: the API and the CLI's --json
share them. The API pages long lists (the ring's and the pilot's people) apart, through the
member records here; the CLI prints its one document whole."""

from datetime import date, datetime
from typing import Any

from django.db.models import Count, QuerySet

from koers.population.models import Person
from koers.population.queries import leavers
from koers.projects.models import Project
from koers.workspaces.models import Client

from . import describe, gates, queries, timeline
from . import ring as ring_rules
from . import waves as wave_rules
from .models import FirstRing, FirstRingMember, Pilot, PilotMember, Wave


def ring_members(project: Project, ring: ring_rules.Ring) -> QuerySet[Person]:
    """Return the people of the ring, to page or list by key (the ring's own order)."""
    return Person.objects.filter(client=project.client, key__in=list(ring.keys)).only(
        "key", "name", "department", "job_title"
    )


def ring_member_record(person: Person, why: str) -> dict[str, Any]:
    """Return one person of the first ring and why they are in it (`Ring.why`)."""
    return {
        "key": person.key,
        "name": person.name,
        "department": person.department,
        "job_title": person.job_title,
        "why": why,
    }


def ring_record(
    project: Project, ring: ring_rules.Ring, *, with_people: bool = True
) -> dict[str, Any]:
    """Return the first ring: its departments, what the user changed or confirmed, and who is
    in it and why (the list left out without `with_people`: the API pages it apart)."""
    found = FirstRing.objects.filter(project=project).select_related("confirmed_by").first()
    people = ring_members(project, ring).order_by("key") if with_people else []
    reasons = dict(ring.why)
    return _ring_fields(found) | {
        "size": ring.size,
        "departments": [{"department": d, "people": n} for d, n in ring.departments],
        "people": [ring_member_record(person, reasons[person.key]) for person in people],
    }


def kept_ring_record(kept: FirstRing) -> dict[str, Any]:
    """Return the first ring as kept with the pilot and the waves (the pilot page shows it),
    its people left out: the API pages them (`kept_ring_members`)."""
    counts = (
        FirstRingMember.objects.filter(ring=kept)
        .values_list("person__department")
        .annotate(n=Count("pk"))
        .order_by("-n", "person__department")
    )
    departments = [{"department": d, "people": n} for d, n in counts]
    return _ring_fields(kept) | {
        "size": sum(d["people"] for d in departments),
        "departments": departments,
        "people": [],
    }


def kept_ring_members(kept: FirstRing) -> QuerySet[FirstRingMember]:
    """Return the kept ring's members with their person, to page by key."""
    return FirstRingMember.objects.filter(ring=kept).select_related("person")


def _ring_fields(found: FirstRing | None) -> dict[str, Any]:
    return {
        "confirmed_by": found.confirmed_by.email if found and found.confirmed_by else None,
        "confirmed_at": found.confirmed_at.isoformat() if found and found.confirmed_at else None,
        "add_departments": found.add_departments if found else [],
        "remove_departments": found.remove_departments if found else [],
        "add_people": found.add_people if found else [],
        "remove_people": found.remove_people if found else [],
    }


def leavers_record(client: Client) -> list[dict[str, Any]]:
    """Return the client's people who have left, by key: none of them is planned anywhere."""
    rows = (
        leavers(client)
        .order_by("key")
        .values_list("key", "name", "department", "leaving_on", "left_at")
    )
    return [
        {"key": key, "name": name, "department": department, "left_on": _left_on(on, at)}
        for key, name, department, on, at in rows
    ]


def _left_on(leaving_on: date | None, left_at: datetime | None) -> str | None:
    """The leaving date the HR system gave, else the day Koers marked them as left."""
    day = leaving_on or (left_at.date() if left_at else None)
    return day.isoformat() if day else None


def pilot_members(pilot: Pilot) -> QuerySet[PilotMember]:
    """Return the pilot's members with their person, to page or list by key."""
    # The related manager hands each member its pilot by `pilot_id`: keep it, or every
    # member reads it in a query of its own.
    return pilot.members.select_related("person").only(
        "pilot", "person", "person__key", "person__name", "person__department"
    )


def pilot_member_record(member: PilotMember) -> dict[str, Any]:
    """Return one person of the pilot."""
    person = member.person
    return {"key": person.key, "name": person.name, "department": person.department}


def pilot_record(pilot: Pilot, *, with_people: bool = True) -> dict[str, Any]:
    """Return the pilot: its settings, how close it is to the rest, its marks and its people
    by key (the list left out without `with_people`: the API pages it apart)."""
    measure = queries.pilot_measure(pilot)
    people = pilot_members(pilot).order_by("person__key") if with_people else []
    return {
        "size": pilot.size,
        "attributes": pilot.attributes,
        "seed": pilot.seed,
        "population": measure.population,
        "mean_tvd": measure.mean_tvd,
        "random_median_tvd": pilot.random_median,
        "per_attribute": [
            {"attribute": m.attribute, "tvd": m.tvd, "shares": [vars(s) for s in m.shares]}
            for m in measure.attributes
        ],
        "marks": pilot.marks,
        "people": [pilot_member_record(member) for member in people],
    }


def gate_record(state: queries.GateState, *, with_decisions: bool = True) -> dict[str, Any]:
    """Return a wave's gate: its thresholds, the verdict with each criterion, and the decisions
    (the list left empty without `with_decisions`, as in lists of waves)."""
    gate, verdict = state.gate, state.verdict
    return {
        "open_blocking": gate.open_blocking,
        "max_blocking": gate.max_blocking,
        "max_tickets_per_100": float(gate.max_tickets_per_100),
        "understanding": None if gate.understanding is None else float(gate.understanding),
        "min_understanding": None
        if gate.min_understanding is None
        else float(gate.min_understanding),
        "notes": gate.notes,
        "outcome": verdict.outcome.value,
        "verdict": describe.verdict_text(verdict),
        "criteria": describe.criteria_records(verdict),
        "last_decision": describe.decision_record(state.last_decision)
        if state.last_decision
        else None,
        "decisions": [describe.decision_record(d) for d in state.decisions]
        if with_decisions
        else [],
    }


def wave_record(
    wave: Wave, state: queries.GateState | None, *, with_decisions: bool = False
) -> dict[str, Any]:
    """Return a saved wave: its plan, its status and what that allows, and its gate."""
    return {
        "id": wave.pk,
        "number": wave.number,
        "label": wave.label,
        "kind": wave.kind,
        "status": wave.status,
        "departments": wave.departments,
        "start_on": wave.start_on,
        "end_on": wave.end_on,
        "iso_weeks": wave.weeks,
        "is_late": wave.is_late,
        "size": wave.size,
        "soak_days": wave.soak_days,
        "paused_reason": wave.paused_reason,
        "days": [(date.fromisoformat(d), n) for d, n in wave.days],
        "actions": sorted(action.value for action in gates.allowed(wave.status)),
        "gate": gate_record(state, with_decisions=with_decisions) if state else None,
    }


def planned_wave_record(wave: wave_rules.PlannedWave) -> dict[str, Any]:
    """Return a wave as planned, saved or not, with the name it gets in the active language."""
    return {
        "number": wave.number,
        "label": timeline.planned_label(wave),
        "kind": wave.kind,
        "people": wave.size,
        "departments": list(wave.departments),
        "start": wave.start.isoformat(),
        "end": wave.end.isoformat(),
        "iso_weeks": wave.weeks,
        "soak_days": wave.soak_days,
        "days": [{"day": d.isoformat(), "people": n} for d, n in wave.days],
    }
