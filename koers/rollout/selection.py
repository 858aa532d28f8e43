"""Writes on who goes live first: the first ring (IT and service desk), then the pilot.

Split from services.py by subject. The first ring is found by name (ring.py) and changed by
the user; the pilot is chosen from the rest and measured against the rest (pilot.py). Both
read only people who are there (queries.active_people), so leavers are never in either.
"""

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from koers.core.bulk import insert_rows
from koers.core.errors import KoersError
from koers.population.models import Person
from koers.population.queries import active_people
from koers.projects.models import Project

from . import pilot as pilot_rules
from . import queries
from . import ring as ring_rules
from .models import FirstRing, FirstRingMember, Pilot, PilotMember, Wave

# What a user can do to the first ring on the pilot page, one change at a time.
RING_ACTIONS = (
    "add_department",
    "remove_department",
    "add_person",
    "remove_person",
    "confirm",
    "find",
)
# The fewest random picks the pilot is compared with.
RANDOM_DRAWS_LEAST = 30
# How many names of the people who took a department's seats the marks report keeps.
SEATED_NAMES = 5


def _started(project: Project) -> bool:
    return project.waves.exclude(status=Wave.Status.PLANNED).exists()


def baseline_draws(size: int) -> int:
    """Random picks to compare with: 1,000 for pilots of up to 75 people, fewer for larger
    ones (30 for 2,500), whose median is steady with fewer picks: each pick of a large pilot
    already averages over many people. The work stays about 75,000 people counted, well
    within the one second a choice for 100,000 people may take."""
    return max(RANDOM_DRAWS_LEAST, min(pilot_rules.RANDOM_DRAWS, 75_000 // max(size, 1)))


# The first ring.


def write_first_ring(project: Project, ring: ring_rules.Ring, ids: dict[str, int]) -> FirstRing:
    """Write the members of the project's first ring anew (in the caller's transaction)."""
    first, _created = FirstRing.objects.get_or_create(project=project)
    FirstRingMember.objects.filter(ring=first).delete()
    insert_rows(
        FirstRingMember,
        ("ring", "person", "reason"),
        [(first.pk, ids[k], why) for k, why in ring.why],
    )
    return first


def first_ring_refresh(*, project: Project) -> ring_rules.Ring:
    """Write the project's first ring anew from the people there and the user's choice."""
    candidates, ids = queries.selection_people(project.client, ["department"])
    ring = ring_rules.first_ring(queries.ring_people(candidates), queries.ring_choice(project))
    with transaction.atomic():
        write_first_ring(project, ring, ids)
    return ring


@dataclass(frozen=True)
class RingChange:
    ring: ring_rules.Ring
    pilot: "PilotChoice | None"  # the pilot chosen anew from the new rest, if there was one


def first_ring_set(
    *,
    project: Project,
    actor: Any,
    add_departments: Collection[str] = (),
    remove_departments: Collection[str] = (),
    add_people: Collection[str] = (),
    remove_people: Collection[str] = (),
) -> RingChange:
    """Record what the user says of the first ring, as confirmed by them, and write it.

    Departments must have people, keys must be people who are there. A pilot chosen before is
    chosen anew with its settings, from the new rest, so no one is in both.
    """
    if _started(project):
        raise KoersError(_("The rollout has started; the first ring can no longer change."))
    add_departments, remove_departments = set(add_departments), set(remove_departments)
    add_people, remove_people = set(add_people), set(remove_people)
    for both in (add_departments & remove_departments, add_people & remove_people):
        if both:
            raise KoersError(
                _("%(name)s cannot be both in and out of the first ring.")
                % {"name": sorted(both)[0]}
            )
    people = active_people(project.client)
    departments = set(
        people.filter(department__in=add_departments | remove_departments)
        .values_list("department", flat=True)
        .distinct()
    )
    missing = sorted((add_departments | remove_departments) - departments)
    if missing:
        raise KoersError(
            _("Nobody who is there works in the department %(name)s.")
            % {"name": missing[0] or "-"},
            field="department",
        )
    asked = add_people | remove_people
    present = set(people.filter(key__in=asked).values_list("key", flat=True))
    for key in sorted(asked - present)[:1]:
        left = Person.objects.filter(client=project.client, key=key).exists()
        message = (
            _("%(key)s has left and is never planned in a ring, pilot or wave.")
            if left
            else _("Nobody of this client has the employee id %(key)s.")
        )
        raise KoersError(message % {"key": key}, field="person")
    with transaction.atomic():
        FirstRing.objects.update_or_create(
            project=project,
            defaults={
                "add_departments": sorted(add_departments),
                "remove_departments": sorted(remove_departments),
                "add_people": sorted(add_people),
                "remove_people": sorted(remove_people),
                "confirmed_by": actor,
                "confirmed_at": timezone.now(),
            },
        )
        pilot = Pilot.objects.filter(project=project).first()
        if pilot is None:
            return RingChange(first_ring_refresh(project=project), None)
        rest = people.count() - _ring_size_after(project)
        choice = pilot_select(
            project=project,
            actor=actor,
            size=max(1, min(pilot.size, rest)),
            attributes=pilot.attributes,
            seed=pilot.seed,
        )
        return RingChange(choice.ring, choice)


def _ring_size_after(project: Project) -> int:
    candidates, _ids = queries.selection_people(project.client, ["department"])
    ring = ring_rules.first_ring(queries.ring_people(candidates), queries.ring_choice(project))
    return ring.size


def first_ring_change(*, project: Project, actor: Any, action: str, value: str = "") -> RingChange:
    """Change one thing of the first ring: a department or a person in or out, or confirm it.

    `action` is add_department, remove_department, add_person, remove_person, confirm, or
    find (find them by name again without confirming anything).
    """
    if action not in RING_ACTIONS:
        raise KoersError(_("Unknown change of the first ring: %(action)s.") % {"action": action})
    if action == "find":
        if _started(project):
            raise KoersError(_("The rollout has started; the first ring can no longer change."))
        return RingChange(first_ring_refresh(project=project), None)
    choice = queries.ring_choice(project)
    departments_in, departments_out = set(choice.add_departments), set(choice.remove_departments)
    people_in, people_out = set(choice.add_people), set(choice.remove_people)
    value = value.strip()
    if action != "confirm" and not value:
        raise KoersError(_("Say which department or person."), field="value")
    if action == "add_department":
        departments_out.discard(value)
        if not ring_rules.is_it_or_service_desk(value):
            departments_in.add(value)
    elif action == "remove_department":
        departments_in.discard(value)
        departments_out.add(value)
    elif action == "add_person":
        people_out.discard(value)
        people_in.add(value)
    elif action == "remove_person":
        people_in.discard(value)
        people_out.add(value)
    return first_ring_set(
        project=project,
        actor=actor,
        add_departments=departments_in,
        remove_departments=departments_out,
        add_people=people_in,
        remove_people=people_out,
    )


# The pilot.


@dataclass(frozen=True)
class PilotChoice:
    pilot: Pilot
    selection: pilot_rules.Selection
    random_median: float
    ring: ring_rules.Ring


def marks_json(
    reports: Sequence[pilot_rules.MarkReport], names: dict[str, str]
) -> list[dict[str, Any]]:
    """Return the marks report as the pilot keeps it, with a few names of who took the seats."""
    return [
        {
            "mark": report.mark,
            "marked": report.marked,
            "honoured": report.honoured,
            "missed": [
                {
                    "value": missed.value,
                    "people": missed.people,
                    "seats": missed.seats,
                    "seated": [names.get(k) or k for k in missed.seated[:SEATED_NAMES]],
                    "reason": missed.reason,
                }
                for missed in report.missed
            ],
        }
        for report in reports
    ]


def _names(project: Project, keys: Collection[str]) -> dict[str, str]:
    return dict(
        Person.objects.filter(client=project.client, key__in=list(keys)).values_list("key", "name")
    )


def _seated(reports: Sequence[pilot_rules.MarkReport]) -> set[str]:
    return {k for r in reports for m in r.missed for k in m.seated[:SEATED_NAMES]}


def pilot_select(
    *,
    project: Project,
    actor: Any,
    size: int | None = None,
    attributes: Sequence[str] = ("department",),
    seed: int = 0,
) -> PilotChoice:
    """Choose the project's pilot group anew from the rest, after the first ring.

    The first ring is written anew too (who is there now, and the user's choice); the
    previous pilot and its swaps are replaced.
    """
    if _started(project):
        raise KoersError(_("The rollout has started; the pilot can no longer be chosen anew."))
    attributes = [a for a in dict.fromkeys(attributes) if a]
    if not attributes:
        raise KoersError(_("Choose at least one attribute."), field="attributes")
    allowed = set(queries.attribute_choices(project.client))
    unknown = [a for a in attributes if a not in allowed]
    if unknown:
        raise KoersError(
            _("The people have no attribute %(name)s.") % {"name": unknown[0]}, field="attributes"
        )
    people, ids = queries.selection_people(project.client, list(attributes))
    if not people:
        raise KoersError(_("Import the client's people first."))
    ring = ring_rules.first_ring(queries.ring_people(people), queries.ring_choice(project))
    rest = len(people) - ring.size
    if rest < 1:
        raise KoersError(_("Everyone is in the first ring; nobody is left for a pilot."))
    size = pilot_rules.default_size(rest) if size is None else size
    if not 1 <= size <= rest:
        raise KoersError(
            _(
                "The pilot has at least 1 and at most %(max)d people: everyone who is not in "
                "the first ring."
            )
            % {"max": rest},
            field="size",
        )
    selection = pilot_rules.select_pilot(
        people, size=size, attributes=attributes, seed=seed, ring=ring.keys
    )
    median = pilot_rules.random_baseline(
        people,
        size=size,
        attributes=attributes,
        seed=seed,
        draws=baseline_draws(size),
        ring=ring.keys,
    )
    with transaction.atomic():
        write_first_ring(project, ring, ids)
        pilot, _created = Pilot.objects.update_or_create(
            project=project,
            defaults={
                "size": size,
                "attributes": list(attributes),
                "seed": seed,
                "chosen_by": actor,
                "random_median": median,
                "marks": marks_json(selection.marks, _names(project, _seated(selection.marks))),
            },
        )
        PilotMember.objects.filter(pilot=pilot).delete()
        insert_rows(
            PilotMember,
            ("pilot", "person", "source"),
            [(pilot.pk, ids[key], PilotMember.Source.SELECTED.value) for key in selection.keys],
        )
        queries.keep_pilot_measure(pilot, selection.measure)
    return PilotChoice(pilot, selection, median, ring)


def pilot_swap(*, pilot: Pilot, actor: Any, out: Person, into: Person | None = None) -> Person:
    """Take `out` from the pilot and put `into` in (or the best stand-in); return who came in.

    Nobody of the first ring can come in. The marks report is made again for the new pilot.
    """
    project = pilot.project
    if _started(project):
        raise KoersError(_("The rollout has started; the pilot can no longer change."))
    members = dict(pilot.members.values_list("person__key", "person_id"))
    if out.key not in members:
        raise KoersError(_("%(name)s is not in the pilot.") % {"name": out})
    people, _ids = queries.selection_people(project.client, list(pilot.attributes))
    ring = set(queries.first_ring_members(project).values_list("key", flat=True))
    present = {c.key for c in people}
    if into is None:
        leaving: str | pilot_rules.Candidate = out.key
        if out.key not in present:  # who left is no longer among the people there
            leaving = pilot_rules.Candidate(
                out.key,
                {
                    a: str(getattr(out, a, "") or out.attributes.get(a, ""))
                    for a in pilot.attributes
                },
            )
        key = pilot_rules.best_swap(
            people, set(members), out=leaving, attributes=pilot.attributes, ring=ring
        )
        if key is None:
            raise KoersError(
                _("Nobody else of %(value)s can take this place; choose someone yourself.")
                % {
                    "value": getattr(out, pilot.attributes[0], "")
                    or out.attributes.get(pilot.attributes[0], "")
                }
            )
        into = active_people(project.client).get(key=key)
    if into.key in members:
        raise KoersError(_("%(name)s is in the pilot already.") % {"name": into})
    if into.key in ring:
        raise KoersError(
            _("%(name)s is in the first ring, which goes live before the pilot.") % {"name": into}
        )
    if into.client_id != project.client_id or into.key not in present:
        raise KoersError(_("%(name)s cannot join this pilot.") % {"name": into})
    keys = (set(members) - {out.key}) | {into.key}
    reports = pilot_rules.marks_report(
        pilot_rules.rest(people, ring), keys, stratum=pilot.attributes[0]
    )
    with transaction.atomic():
        pilot.members.filter(person=out).delete()
        PilotMember.objects.create(pilot=pilot, person=into, source=PilotMember.Source.SWAPPED_IN)
        pilot.chosen_by = actor
        pilot.marks = marks_json(reports, _names(project, _seated(reports)))
        pilot.save(update_fields=["chosen_by", "chosen_at", "marks"])
    return into
