"""Reads on stakeholders that the pages, the API and the CLI share: the grid, who is overdue
for contact, and the project's communication rhythm. Each is a fixed number of queries."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Max, Min, Q, QuerySet

from koers.projects.models import Project

from . import rules
from .models import Communication, CommunicationKind, Involvement, Rhythm

DONE = Communication.Status.DONE


def involvements(project: Project) -> QuerySet[Involvement]:
    """The project's stakeholders with their role, each with `last_contact`: the day of the
    latest done communication they were in the audience of, in any project of the client."""
    return (
        Involvement.objects.filter(project=project)
        .select_related("stakeholder")
        .annotate(
            last_contact=Max(
                "stakeholder__communications__on",
                filter=Q(stakeholder__communications__status=DONE),
            )
        )
        .order_by("stakeholder__name", "id")
    )


@dataclass(frozen=True)
class Overdue:
    involvement: Involvement
    due: rules.Due


def overdue(rows: list[Involvement], today: date) -> list[Overdue]:
    """Return who of `rows` (from `involvements`) is overdue, opponents and sceptics first."""
    by_key = {row.pk: row for row in rows}
    contacts = [
        rules.Contact(
            key=row.pk,
            stance=rules.Stance(row.stance),
            every_days=row.stakeholder.contact_every_days,
            last_contact=row.last_contact,  # type: ignore[attr-defined]
        )
        for row in rows
    ]
    return [Overdue(by_key[d.contact.key], d) for d in rules.overdue_contacts(contacts, today)]


def overdue_counts(projects: list[Project], today: date) -> dict[int, int]:
    """How many stakeholders of each project are overdue for contact (`overdue`'s rule and
    `involvements`' last contact), in two narrow queries for any number of projects."""
    rows = list(
        Involvement.objects.filter(project__in=projects).values_list(
            "project_id", "stakeholder_id", "stance", "stakeholder__contact_every_days"
        )
    )
    audience = Communication.audience.through.objects.filter(
        stakeholder_id__in={row[1] for row in rows}, communication__status=DONE
    )
    last = {
        row["stakeholder_id"]: row["last"]
        for row in audience.order_by()
        .values("stakeholder_id")
        .annotate(last=Max("communication__on"))
    }
    contacts: dict[int, list[rules.Contact]] = {p.pk: [] for p in projects}
    for project_id, stakeholder_id, stance, every in rows:
        contacts[project_id].append(
            rules.Contact(stakeholder_id, rules.Stance(stance), every, last.get(stakeholder_id))
        )
    return {pk: len(rules.overdue_contacts(found, today)) for pk, found in contacts.items()}


def expected_rhythm(project: Project) -> dict[str, int | None]:
    """Return the project's rhythm per kind: its own where set, else the default."""
    own = dict(Rhythm.objects.filter(project=project).values_list("kind", "every_days"))
    return {kind: own.get(kind, rules.DEFAULT_RHYTHM[kind]) for kind in CommunicationKind.values}


def rhythm(project: Project, today: date) -> list[rules.Beat]:
    """Return the rhythm per kind with the last done and next planned one (two queries)."""
    rows = list(
        Communication.objects.filter(project=project)
        .values("kind")
        .annotate(
            last=Max("on", filter=Q(status=DONE)),
            next=Min("on", filter=Q(status=Communication.Status.PLANNED, on__gte=today)),
        )
        .order_by()
    )
    last = {row["kind"]: row["last"] for row in rows if row["last"]}
    following = {row["kind"]: row["next"] for row in rows if row["next"]}
    return rules.rhythm(expected_rhythm(project), last, following, today)
