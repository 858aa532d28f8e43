"""One record per first ring, pilot, leavers list and gate: the API and the CLI's --json share
them."""

from datetime import date, datetime
from typing import Any

from koers.population.models import Person
from koers.population.queries import leavers
from koers.projects.models import Project
from koers.workspaces.models import Client

from . import describe, queries
from . import ring as ring_rules
from .models import FirstRing, Pilot


def ring_record(project: Project, ring: ring_rules.Ring) -> dict[str, Any]:
    """Return the first ring: who is in it and why, and what the user changed or confirmed."""
    found = FirstRing.objects.filter(project=project).select_related("confirmed_by").first()
    people = {
        key: (name, department, job_title)
        for key, name, department, job_title in Person.objects.filter(
            client=project.client, key__in=list(ring.keys)
        ).values_list("key", "name", "department", "job_title")
    }
    return {
        "size": ring.size,
        "confirmed_by": found.confirmed_by.email if found and found.confirmed_by else None,
        "confirmed_at": found.confirmed_at.isoformat() if found and found.confirmed_at else None,
        "add_departments": found.add_departments if found else [],
        "remove_departments": found.remove_departments if found else [],
        "add_people": found.add_people if found else [],
        "remove_people": found.remove_people if found else [],
        "departments": [{"department": d, "people": n} for d, n in ring.departments],
        "people": [
            {
                "key": key,
                "name": people[key][0],
                "department": people[key][1],
                "job_title": people[key][2],
                "why": why,
            }
            for key, why in ring.why
            if key in people
        ],
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


def pilot_record(pilot: Pilot) -> dict[str, Any]:
    """Return the pilot: its settings, how close it is to the rest, its marks and its people."""
    measure = queries.pilot_measure(pilot)
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
        "people": list(pilot.members.order_by("person__key").values_list("person__key", flat=True)),
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
