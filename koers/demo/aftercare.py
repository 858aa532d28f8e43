"""Aftercare in the demo: the order-to-cash case handed its first two phases over to operations
(a checklist nearly done, a shadow period running) and kept its lessons learned. The intake of
the municipality's product team shows one of them: a goal "within one working day" is measured
from the first week. The client evaluated each delivered phase (a 7, then an 8), and the case
is a reference case, anonymised for other clients: the ERP restart's big bang page cites it.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from koers.aftercare import services
from koers.aftercare.models import Evaluation, Lesson
from koers.workspaces.models import Workspace

from .cases import ORDER_TO_CASH


@dataclass(frozen=True)
class Learned:
    title: str
    went_well: str
    could_be_better: str
    try_next: str
    tags: str
    phase: str = ""  # the title of its phase; empty: of the whole project
    ago: int = 0  # recorded this many days before today


LESSONS = (
    Learned(
        title="Prijslijsten van leveranciers automatisch inlezen, niet met de hand",
        phase="Digitale offertetool",
        went_well="De offertetool rekende vanaf dag één met de juiste prijzen.",
        could_be_better="Het bijwerken van de Excel-lijst kostte in de eerste weken nog dagen.",
        try_next="Vraag in de intake welke leveranciers een digitale prijslijst leveren.",
        tags="data, leveranciers, prijzen",
        ago=110,
    ),
    Learned(
        title="Een doel als 'binnen één werkdag' meten vanaf de eerste week",
        phase="Digitale offertetool",
        went_well="De doorlooptijd van offertes was zichtbaar en motiveerde de binnendienst.",
        could_be_better="De nulmeting kwam pas na twee weken: de eerste winst is niet gemeten.",
        try_next="Meet de doorlooptijd al voor de start, en elke week daarna.",
        tags="meten, werkdag, doorlooptijd",
        ago=108,
    ),
    Learned(
        title="De binnendienst vanaf de eerste demo als sleutelgebruikers betrekken",
        phase="Online bestellen voor vaste klanten",
        went_well="Kristof en zijn team legden het bestelportaal zelf uit aan de installateurs.",
        could_be_better="Twee vaste klanten hoorden pas bij de livegang van het portaal.",
        try_next="Laat de sleutelgebruikers de vaste klanten zelf uitnodigen, twee weken vooraf.",
        tags="sleutelgebruikers, adoptie, communicatie",
        ago=30,
    ),
    Learned(
        title="Beheer tekent pas af na twee weken schaduw",
        went_well="Vragen in de schaduwperiode gingen eerst naar beheer, het projectteam viel bij.",
        could_be_better="Het runbook was nog niet af toen de schaduwperiode begon.",
        try_next="Maak het runbook af in de laatste week van de fase, niet erna.",
        tags="overdracht, beheer",
        ago=10,
    ),
)

CHECKLIST = {
    "documentation": (
        "Handleiding offertetool en bestelportaal op de SharePoint van Mandelbeek, map IT.",
        "Kristof Demeyere",
        "done",
    ),
    "access": (
        "Beheeraccounts in de wachtwoordkluis van Van Dijk IT, collectie Mandelbeek; "
        "Kristof heeft een eigen beheeraccount.",
        "Van Dijk IT servicedesk",
        "done",
    ),
    "monitoring": (
        "Beschikbaarheid van het portaal in de monitoring van Van Dijk IT; melding naar de "
        "servicedesk.",
        "Van Dijk IT servicedesk",
        "done",
    ),
    "support": (
        "Eerste lijn: Kristof (binnendienst). Tweede lijn: servicedesk Van Dijk IT, "
        "werkdagen 8 tot 17 uur.",
        "Kristof Demeyere",
        "done",
    ),
    "known_issues": (
        "De Peppol-koppeling komt met fase 3; tot dan gaan facturen nog per mail.",
        "Projectteam",
        "open",
    ),
    "runbook": (
        "Concept in de wiki: herstart van de koppeling met Exact Online ontbreekt nog.",
        "Van Dijk IT servicedesk",
        "open",
    ),
}


@dataclass(frozen=True)
class Evaluated:
    score: int
    went_well: str
    could_be_better: str
    what_next: str
    ago: int


EVALUATIONS = (
    Evaluated(
        score=7,
        went_well="De offertetool was er na acht weken en werkt met onze eigen prijzen.",
        could_be_better="Het inlezen van de prijslijsten kostte de binnendienst veel tijd.",
        what_next="De vaste klanten zelf laten bestellen.",
        ago=100,
    ),
    Evaluated(
        score=8,
        went_well="Kristof en zijn team legden het portaal zelf uit; klanten bestellen 's avonds.",
        could_be_better="Twee vaste klanten hoorden te laat van het portaal.",
        what_next="Facturen automatisch via Peppol, en daarna de planning van de monteurs.",
        ago=12,
    ),
)
REFERENCE: dict[str, Any] = {
    "summary": (
        "Een installatiebedrijf van 35 medewerkers digitaliseerde order-to-cash in drie fasen "
        "van acht tot twaalf weken, gekoppeld aan de bestaande boekhouding in plaats van één "
        "groot ERP: eerst offertes, dan online bestellen, dan facturatie."
    ),
    "rollout_story": (
        "Elke fase ging eerst live bij de binnendienst, twee weken later bij alle vaste "
        "klanten. Geen dag met meer vragen dan de servicedesk aankon."
    ),
    "tags": "erp, order-to-cash, boekhouding, kleine stappen",
    "show_client": False,
    "show_figures": True,
    "show_rollout": True,
    "show_score": True,
}


def build(workspace: Workspace, *, users: dict[Any, Any], today: date) -> None:
    """Write the order-to-cash case's lessons and handover, dated relative to today."""
    from koers.workspaces.models import Role

    project = workspace.projects.get(slug=ORDER_TO_CASH)
    phases = {phase.title: phase for phase in project.phases.all()}
    for learned in LESSONS:
        lesson = services.lesson_create(
            project=project,
            actor=users[Role.MANAGER],
            title=learned.title,
            phase=phases[learned.phase] if learned.phase else None,
            went_well=learned.went_well,
            could_be_better=learned.could_be_better,
            try_next=learned.try_next,
            tags=learned.tags,
        )
        moment = datetime.combine(today - timedelta(days=learned.ago), time(16, 0))
        Lesson.objects.filter(pk=lesson.pk).update(recorded_at=timezone.make_aware(moment))
    for kind, (notes, owner, state) in CHECKLIST.items():
        services.handover_item_save(
            project=project, kind=kind, notes=notes, owner=owner, state=state
        )
    services.shadow_save(
        project=project,
        shadow_start=today - timedelta(days=14),
        shadow_end=today + timedelta(days=14),
        backup=(
            "Het projectteam (Pieter) vangt de servicedesk van Van Dijk IT op voor het "
            "bestelportaal; Kristof vangt de binnendienst op voor de offertetool."
        ),
    )
    for evaluated in EVALUATIONS:
        evaluation, _token = services.evaluation_send(project=project, actor=users[Role.MANAGER])
        services.evaluation_answer(
            evaluation=evaluation,
            score=evaluated.score,
            went_well=evaluated.went_well,
            could_be_better=evaluated.could_be_better,
            what_next=evaluated.what_next,
            language="nl",
        )
        sent = timezone.make_aware(
            datetime.combine(today - timedelta(days=evaluated.ago + 3), time(9, 0))
        )
        answered = timezone.make_aware(
            datetime.combine(today - timedelta(days=evaluated.ago), time(20, 30))
        )
        Evaluation.objects.filter(pk=evaluation.pk).update(created_at=sent, answered_at=answered)
    services.reference_save(project=project, **REFERENCE)
