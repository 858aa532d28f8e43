"""Pulse rounds for the 800-employee modern-workplace case: the pilot and two waves.

Answers are generated from a fixed seed, so every demo build shows the same figures. The
second wave is the watermelon: the project manager reports green, but the people of that
wave do not yet understand why the change is made or what changes for them.
"""

import random
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.utils import timezone

from koers.pulse import services
from koers.pulse.models import FeedbackItem, Round
from koers.pulse.signals import STEPS
from koers.workspaces.models import Workspace

from .cases import MODERNE_WERKPLEK

SEED = 800
DEPARTMENTS = ["Montage", "Service", "Planning", "Verkoop", "Finance", "HR"]


@dataclass(frozen=True)
class RoundCase:
    title: str  # "{wave}" is replaced by the wave's name
    answers: int
    means: tuple[float, float, float, float, float]  # per ADKAR step
    days_ago: int
    is_open: bool


ROUNDS = [
    RoundCase(
        "Pilot: 20 collega's, ambassadeurs van hun afdeling",
        18,
        (4.3, 4.2, 3.9, 3.6, 3.8),
        35,
        False,
    ),
    RoundCase("Golf 1: {wave}", 46, (4.0, 3.8, 3.6, 3.4, 3.5), 14, False),
    RoundCase("Golf 2: {wave}", 64, (2.6, 3.1, 2.5, 3.0, 3.2), 2, True),
]

OPEN_ANSWERS = {
    "unsure": [
        "Of mijn bestanden op de oude schijf meegaan naar OneDrive.",
        "Hoe ik op de bus inlog als ik geen bereik heb.",
        "Wie ik bel als de nieuwe laptop het niet doet.",
        "Waarom dit nu moet, midden in de drukke maanden.",
    ],
    "unclear": [
        "Wat er met de planningstool gebeurt.",
        "Waarom we ineens twee keer moeten inloggen (MFA).",
        "Wanneer mijn afdeling aan de beurt is.",
    ],
    "risky": [
        "De uitrol in de week van de jaarafsluiting.",
        "Monteurs zonder laptop-training de weg op sturen.",
        "Geen terugvaloptie als de app op de telefoon niet werkt.",
    ],
}


def _score(rng: random.Random, mean: float) -> int:
    return max(1, min(5, round(rng.gauss(mean, 0.8))))


def _answers(round: Round, case: RoundCase, rng: random.Random) -> None:
    departments = round.department_list
    # Most answers from the largest department, a few from the others: small groups show
    # how results are merged.
    weights = [20] + [2 if i % 2 else 1 for i in range(len(departments) - 1)]
    for number in range(case.answers):
        values: dict[str, Any] = {
            step.value: _score(rng, mean) for step, mean in zip(STEPS, case.means, strict=True)
        }
        for field, texts in OPEN_ANSWERS.items():
            if rng.random() < 0.25:
                values[field] = rng.choice(texts)
        values["department"] = rng.choices(departments, weights=weights)[0]
        services.answer_submit(
            round=round,
            form_key=f"demo-{round.pk}-{number}",
            values=values,
            language="nl" if rng.random() < 0.9 else "en",
        )


def build_pulse(workspace: Workspace) -> None:
    """Make the rounds, answers, feedback items and status updates of the case."""
    project = workspace.projects.filter(slug=MODERNE_WERKPLEK).first()
    if project is None:
        return
    rng = random.Random(SEED)
    actor = project.manager
    # The pilot and the first two waves of the rollout, when the demo has them.
    waves: list[Any] = list(project.waves.order_by("number"))  # type: ignore[attr-defined]
    now = timezone.now()
    made = []
    for index, case in enumerate(ROUNDS):
        wave = waves[index] if index < len(waves) else None
        departments = [str(d) for d in wave.departments] if wave and wave.departments else []
        round = services.round_create(
            project=project,
            actor=actor,
            title=case.title.format(wave=wave.label if wave else index),
            closes_at=now + timedelta(days=7),
            wave=wave,
            ask_department=True,
            departments="\n".join(departments or DEPARTMENTS),
            questions=[
                services.QuestionSpec(
                    "scale",
                    "Ik weet bij wie ik terecht kan met vragen.",
                    "I know whom to ask for help.",
                ),
            ],
        )
        services.round_open(round=round, actor=actor)
        _answers(round, case, rng)
        if not case.is_open:
            services.round_close(round=round)
            closed = now - timedelta(days=case.days_ago)
            Round.objects.filter(pk=round.pk).update(
                opened_at=closed - timedelta(days=7), closes_at=closed, closed_at=closed
            )
        made.append(round)
    pilot, first, second = made
    logout = services.feedback_create(
        project=project,
        actor=actor,
        source=FeedbackItem.Source.PILOT,
        text="De laptop vergrendelt na 2 minuten; bij een klant moet ik steeds opnieuw inloggen.",
        status=FeedbackItem.Status.DONE,
        response="De vergrendeltijd is 10 minuten geworden, voor iedereen, vóór golf 1.",
        pulse_round=pilot,
    )
    services.feedback_create(
        project=project,
        actor=actor,
        source=FeedbackItem.Source.PULSE,
        text="Wie ik bel als de nieuwe laptop het niet doet.",
        status=FeedbackItem.Status.PLANNED,
        response="Elke afdeling krijgt een ambassadeur uit de pilot; het nummer van de "
        "servicedesk staat op de laptop.",
        pulse_round=first,
    )
    services.feedback_create(
        project=project,
        actor=actor,
        source=FeedbackItem.Source.SUPPORT,
        text="Monteurs kunnen de planningsapp niet openen zonder MFA op de telefoon.",
        is_blocking=True,
        pulse_round=second,
        wave=second.wave,
    )
    services.feedback_create(
        project=project,
        actor=actor,
        source=FeedbackItem.Source.MEETING,
        text="Niet uitrollen in de week van de jaarafsluiting.",
        status=FeedbackItem.Status.DECLINED,
        decline_reason="Finance zit pas in de laatste golf, na de jaarafsluiting.",
    )
    assert logout.pk
    today = timezone.localdate()
    for weeks_ago, highlights in [
        (3, "Pilot gestart met 20 collega's van IT en de servicedesk."),
        (2, "Pilot geëvalueerd; vergrendeltijd aangepast. Golf 1 live."),
        (1, "Golf 1 zonder grote storingen live; servicedesk binnen capaciteit."),
        (0, "Golf 2 (Montage) gestart volgens planning."),
    ]:
        services.status_update_save(
            project=project,
            actor=actor,
            week=today - timedelta(weeks=weeks_ago),
            status="green",
            highlights=highlights,
            decisions="Uitrol per afdeling, niet in één weekend.",
            risks="Monteurs zijn weinig op kantoor voor uitleg.",
            next_steps="Golf 3 voorbereiden; ambassadeurs per afdeling.",
        )
