"""What the demo's case modules share: the shape of a case, dates, people and the gates.

Each case of METHOD.md lives in its own module under `cases/`; this module holds only what
more than one of them needs. Nothing here tells a case: no client, figure or finding.
"""

import math
import random
import unicodedata
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from koers.landscape import services as landscape_services
from koers.projects import services as project_services
from koers.projects.models import Project, ScopeItem, Vision
from koers.roadmap import services as roadmap_services
from koers.roadmap.models import Kpi, Phase, PlanRevision
from koers.rollout import queries as rollout_queries
from koers.rollout import steering
from koers.rollout.models import GateDecision, Wave, WaveEvent
from koers.stakeholders import services as stakeholder_services
from koers.workspaces.models import Client, ContactPerson, Country, Role, Workspace

IN = ScopeItem.Column.IN
OUT = ScopeItem.Column.OUT
LATER = ScopeItem.Column.LATER
LOWER = Kpi.Direction.LOWER
HIGHER = Kpi.Direction.HIGHER


# The shape of a case: the intake as a project manager would fill it in.


@dataclass(frozen=True)
class Contact:
    name: str
    email: str
    job_title: str
    phone: str


@dataclass(frozen=True)
class ClientCase:
    slug: str
    name: str
    country: Country
    sector: str
    notes: str
    contacts: tuple[Contact, ...]


@dataclass(frozen=True)
class VisionCase:
    summary: str
    automated_processes: str
    connected_systems: str
    biggest_gains: str


@dataclass(frozen=True)
class ScopeCard:
    column: ScopeItem.Column
    title: str
    reason: str


@dataclass(frozen=True)
class ScopeMove:
    """A card moved after a workshop; its reason is then updated to say why."""

    title: str
    column: ScopeItem.Column
    reason: str


@dataclass(frozen=True)
class Case:
    client: ClientCase
    slug: str
    name: str
    status: Project.Status
    managed_by: Role
    request: str
    goals: tuple[str, ...]
    current_situation: str
    tried_before: str
    vision_24: VisionCase
    vision_48: VisionCase
    scope: tuple[ScopeCard, ...]
    move: ScopeMove | None = None
    # The method's questions behind the request: the real bottleneck, the behaviour that must
    # change, and the smallest version that already delivers value.
    bottleneck: str = ""
    behaviour_change: str = ""
    smallest_version: str = ""
    # The case's vision is the client's, for its whole digital future; the project says which
    # part of it it serves.
    serves_vision: str = ""


def bullets(*items: str) -> str:
    """Join items as a list the project pages show line by line."""
    return "\n".join(f"- {item}" for item in items)


def paragraphs(*texts: str) -> str:
    return "\n\n".join(texts)


def intake_text(project: Project) -> str:
    """The intake as written: request, goals, current situation and what was tried."""
    goals = [goal.text for goal in project.goals.all()]
    return "\n".join([project.request, *goals, project.current_situation, project.tried_before])


# Figures: a number the intake states and a KPI measures, written once for both.


@dataclass(frozen=True)
class Figure:
    """A figure of the intake: its value in the KPI's unit and the words the intake uses."""

    value: Decimal
    text: str

    def __str__(self) -> str:
        return self.text


def figure(value: int | str, text: str) -> Figure:
    return Figure(Decimal(value), text)


@dataclass(frozen=True)
class KpiCase:
    """A phase's KPI. A baseline or target that is a Figure comes from the intake."""

    name: str
    unit: str
    direction: str
    baseline: Figure | Decimal
    target: Figure | Decimal

    def fields(self, *, baseline_on: date) -> dict[str, Any]:
        """The KPI as a phase is planned with it: measured at the start, nothing actual yet."""
        return {
            "name": self.name,
            "unit": self.unit,
            "direction": self.direction,
            "baseline": value_of(self.baseline),
            "baseline_on": baseline_on,
            "target": value_of(self.target),
        }


def value_of(number: Figure | Decimal) -> Decimal:
    return number.value if isinstance(number, Figure) else number


# Dates: everything is relative to the day the demo is made.


def month(day: date, offset: int = 0) -> date:
    """Return the first day of the month `offset` months from `day`'s."""
    index = day.year * 12 + day.month - 1 + offset
    return date(index // 12, index % 12 + 1, 1)


def monday(today: date, weeks_ago: int) -> date:
    return today - timedelta(days=today.weekday() + 7 * weeks_ago)


def weeks_to_cover(start: date, last_day: date) -> int:
    """Return the whole weeks from `start` that reach `last_day`."""
    return max(1, math.ceil(((last_day - start).days + 1) / 7))


def last_day(phase: Phase) -> date:
    return phase.end - timedelta(days=1)


def moment(day: date, hour: int) -> datetime:
    """Return `day` at `hour` o'clock in the local time zone."""
    return timezone.make_aware(datetime.combine(day, time(hour)))


def deliver(phase: Phase, actor: Any, *, actual: int | Decimal, actual_on: date) -> None:
    """Mark a phase done, with what its KPI measured at the end."""
    roadmap_services.phase_update(phase=phase, actor=actor, status=Phase.Status.DONE)
    roadmap_services.kpi_update(
        kpi=phase.kpis.get(), actor=actor, actual=Decimal(actual), actual_on=actual_on
    )


def backdate_revision(revision: PlanRevision, day: date) -> None:
    """Date a plan revision on the day it was made in the story, not the day of the build."""
    PlanRevision.objects.filter(pk=revision.pk).update(created_at=moment(day, 16))


MONTHS_NL = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)  # fmt: skip


def day_nl(day: date) -> str:
    return f"{day.day} {MONTHS_NL[day.month - 1]}"


def number_nl(value: Decimal | str | None) -> str:
    return str(value).replace(".", ",")


# Writing a case: its client and the project's intake, through the project services.


def make_client(workspace: Workspace, case: ClientCase) -> Client:
    client = Client.objects.create(
        workspace=workspace,
        slug=case.slug,
        name=case.name,
        country=case.country,
        sector=case.sector,
        notes=case.notes,
    )
    ContactPerson.objects.bulk_create(
        ContactPerson(client=client, **asdict(contact)) for contact in case.contacts
    )
    return client


def make_project(workspace: Workspace, case: Case, users: dict[Role, Any]) -> Project:
    """Make the case's client and project: intake, visions and scope canvas with its history."""
    manager = users[case.managed_by]
    client = make_client(workspace, case.client)
    project = project_services.project_create(
        workspace=workspace,
        client=client,
        slug=case.slug,
        name=case.name,
        request=case.request,
        goals=list(case.goals),
        current_situation=case.current_situation,
        tried_before=case.tried_before,
        bottleneck=case.bottleneck,
        behaviour_change=case.behaviour_change,
        smallest_version=case.smallest_version,
        manager=manager,
        language="nl",
    )
    for horizon, text in (
        (Vision.Horizon.MONTHS_24, case.vision_24),
        (Vision.Horizon.MONTHS_48, case.vision_48),
    ):
        project.visions.filter(horizon=horizon).update(**asdict(text))
        project_services.client_vision_save(client=client, horizon=horizon, **asdict(text))
    project.serves_vision = case.serves_vision
    project.save(update_fields=["serves_vision"])
    items = {
        card.title: project_services.scope_item_add(
            project=project, actor=manager, column=card.column, title=card.title, reason=card.reason
        )
        for card in case.scope
    }
    if case.move:
        item = items[case.move.title]
        project_services.scope_item_move(
            item=item,
            actor=manager,
            column=case.move.column,
            position=project.scope_items.filter(column=case.move.column).count(),
        )
        project_services.scope_item_edit(
            item=item, actor=manager, title=item.title, reason=case.move.reason
        )
    # Demo set-up: put the project straight at its stage instead of walking the lifecycle.
    project.status = case.status
    project.save(update_fields=["status", "updated_at"])
    return project


# Stakeholders and the communication with them (METHOD.md section 4).


@dataclass(frozen=True)
class StakeholderCase:
    """A stakeholder of the case's client with their role in the project.

    `earlier`: the stances before the current one, as (stance, days ago, reason), oldest first;
    the current one was noted `since` days ago for `reason`.
    """

    name: str
    job_title: str
    stance: str
    influence: int
    interest: int
    reason: str
    since: int
    steering: bool = False
    decides: bool = False
    cares_about: str = ""
    concerns: str = ""
    channel: str = "meeting"
    every: int = 14
    email: str = ""
    phone: str = ""
    earlier: tuple[tuple[str, int, str], ...] = ()


@dataclass(frozen=True)
class Talk:
    """A communication `days_ago` (negative: planned that many days ahead) to `audience`."""

    kind: str
    days_ago: int
    subject: str
    audience: tuple[str, ...]
    content: str = ""


def make_stakeholders(
    project: Project,
    people: tuple[StakeholderCase, ...],
    talks: tuple[Talk, ...],
    *,
    today: date,
) -> None:
    """Write the case's stakeholders, their stance histories and the communication log."""
    actor = project.manager
    made = {}
    for person in people:
        stakeholder = stakeholder_services.stakeholder_create(
            client=project.client,
            actor=actor,
            name=person.name,
            job_title=person.job_title,
            email=person.email,
            phone=person.phone,
            cares_about=person.cares_about,
            concerns=person.concerns,
            channel=person.channel,
            contact_every_days=person.every,
        )
        made[person.name] = stakeholder
        stances = [*person.earlier, (person.stance, person.since, person.reason)]
        for stance, days_ago, reason in stances:
            stakeholder_services.involvement_save(
                project=project,
                stakeholder=stakeholder,
                actor=actor,
                stance=stance,
                reason=reason,
                on=today - timedelta(days=days_ago),
                influence=person.influence,
                interest=person.interest,
                is_steering_member=person.steering,
                is_decision_maker=person.decides,
            )
    for talk in talks:
        stakeholder_services.communication_create(
            project=project,
            actor=actor,
            kind=talk.kind,
            status="planned" if talk.days_ago < 0 else "done",
            on=today - timedelta(days=talk.days_ago),
            subject=talk.subject,
            content=talk.content,
            audience=[made[name] for name in talk.audience],
        )


# People: fictional names from a fixed seed, the same every build.

FIRST_NAMES = (
    "Anna", "Bram", "Carlijn", "Daan", "Eva", "Fleur", "Gijs", "Hanna", "Ilse", "Jeroen",
    "Kim", "Lars", "Maaike", "Niels", "Olga", "Pieter", "Quinten", "Roos", "Sven", "Tessa",
    "Umut", "Vera", "Wouter", "Yara", "Zeynep", "Ahmed", "Bas", "Chantal", "Dewi", "Emre",
    "Femke", "Gerrit", "Hatice", "Iris", "Joost", "Karin", "Luuk", "Mila", "Noor", "Otto",
)  # fmt: skip
LAST_NAMES = (
    "de Vries", "Jansen", "van den Berg", "Bakker", "Visser", "Smit", "Meijer", "de Boer",
    "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker",
    "Brouwer", "de Wit", "Dijkstra", "Smits", "de Graaf", "van der Meer", "Kok", "Jacobs",
    "Yilmaz", "El Idrissi", "Verhoeven", "Willems", "Hoekstra", "Koster", "Prins", "Postma",
)  # fmt: skip


def ascii_name(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in plain.lower() if c.isalnum())


def person_name(rng: random.Random) -> tuple[str, str]:
    return rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)


# Waves: started, measured and decided as the story goes, with the dates of the story.


def start_wave(wave: Wave, actor: Any) -> None:
    steering.wave_start(wave=wave, actor=actor)
    when = moment(wave.start_on, 8)
    Wave.objects.filter(pk=wave.pk).update(started_at=when)
    WaveEvent.objects.filter(wave=wave, kind=WaveEvent.Kind.STARTED).update(at=when)


def record_support(wave: Wave, actor: Any, *, today: date, share: Decimal) -> None:
    """Record the tickets of the wave's days up to today: `share` of what the gate allows,
    so the ticket criterion is met by construction, never by luck."""
    limit = wave.gate.max_tickets_per_100
    total = math.floor(wave.size * limit * share / 100)
    days = [(date.fromisoformat(d), n) for d, n in wave.days]
    people = sum(n for _d, n in days) or 1
    given = 0
    for number, (day, count) in enumerate(days, 1):
        tickets = total - given if number == len(days) else total * count // people
        given += tickets
        if day <= today:
            steering.support_record(wave=wave, actor=actor, day=day, tickets=tickets)


def evaluate_wave(wave: Wave, actor: Any) -> None:
    steering.wave_evaluate(wave=wave, actor=actor)
    WaveEvent.objects.filter(wave=wave, kind=WaveEvent.Kind.EVALUATING).update(
        at=moment(wave.end_on, 17)
    )


def decide_go(wave: Wave, actor: Any, *, on: date, notes: str, unmeasured: str) -> GateDecision:
    """Record a go: over met criteria only, or over criteria not measured with `unmeasured`
    as the justification. The demo never records a go over a failed criterion."""
    state = rollout_queries.gate_state(wave)
    assert state is not None
    failed = [c.code for c in state.verdict.failed]
    if failed:
        raise ValueError(f"{wave}: the demo would record a go over failed criteria {failed}")
    decision = steering.gate_decide(
        gate=wave.gate,
        actor=actor,
        decision="go",
        notes=notes,
        justification="" if state.verdict.is_met else unmeasured,
    )
    stamp(decision, wave, on)
    return decision


def stamp(decision: GateDecision, wave: Wave, on: date) -> None:
    """Date a gate decision, and the wave's finish when it was a go, on day `on`."""
    when = moment(on, 18)
    GateDecision.objects.filter(pk=decision.pk).update(decided_at=when)
    if decision.decision == GateDecision.Decision.GO:
        Wave.objects.filter(pk=wave.pk).update(finished_at=when)
        WaveEvent.objects.filter(wave=wave, kind=WaveEvent.Kind.DONE).update(at=when)


# A client's landscape: its systems and how data goes between them.


@dataclass(frozen=True)
class SystemCase:
    name: str
    capability: str
    owner: str
    users: int
    hosting: str
    lifecycle: str
    debt: int
    yearly_cost: int | None
    data_held: str


@dataclass(frozen=True)
class IntegrationCase:
    source: str  # a SystemCase's name
    target: str
    kind: str
    frequency: str
    data: str


def make_landscape(
    client: Client, systems: tuple[SystemCase, ...], integrations: tuple[IntegrationCase, ...]
) -> dict[str, Any]:
    """Write the client's systems and integrations through the landscape services."""
    made = {
        case.name: landscape_services.system_create(client=client, **asdict(case))
        for case in systems
    }
    for link in integrations:
        landscape_services.integration_create(
            client=client,
            source=made[link.source],
            target=made[link.target],
            kind=link.kind,
            frequency=link.frequency,
            data=link.data,
        )
    return made
