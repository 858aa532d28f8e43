"""Each demo case's decision log: why the scope canvas says in, out or later, what the gates
decided and why, one decision still needed, and one that a later decision replaced.

The gates' own go/no-go decisions and the accepted guardrail deviations are not typed here:
the log shows them from where they were made.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from koers.decisions import services
from koers.decisions.models import Decision, DecisionChange
from koers.projects.models import Project
from koers.rollout.models import GateDecision
from koers.workspaces.models import Workspace

from .cases import ERP_GENT, MODERNE_WERKPLEK, ORDER_TO_CASH, PRODUCTTEAM_GEMEENTE, ZORG_UITROL


@dataclass(frozen=True)
class Logged:
    title: str
    reasons: str
    alternatives: str = ""
    decided_by: str = ""
    # Decided this many days before today (one made with a gate decision: on the gate's day);
    # None: still needed.
    ago: int | None = None
    due_in: int | None = None  # a needed decision: needed within this many days
    scope: str = ""  # the title of the scope item it concerns
    revision: int | None = None  # the plan revision it concerns
    gate: tuple[str, str] | None = None  # (wave kind, go or no_go): made with that gate decision
    told: str = ""  # how it was communicated; empty: not yet
    replaced_by: str = ""  # the title of the later decision that supersedes it


LOGS: dict[str, tuple[Logged, ...]] = {
    ERP_GENT: (
        Logged(
            "Alle modules van het ERP gaan in één keer live",
            "De CEO wilde in één project van alles af: voorraad, werkbonnen, planning, HR en "
            "facturatie tegelijk.",
            "Per module live gaan; werd te traag gevonden.",
            decided_by="Lieve Vanacker (CEO)",
            ago=600,
            scope="Eén go-live voor alle processen",
            revision=1,
            told="Kick-off met alle afdelingshoofden",
            replaced_by="Het ERP komt er in fases van hoogstens 12 weken",
        ),
        Logged(
            "Het ERP komt er in fases van hoogstens 12 weken",
            "Na 18 maanden en €180.000 stond er niets live. Elke fase levert nu op zichzelf "
            "waarde op en de CEO ziet na elke fase resultaat.",
            "Het lopende project afmaken met meer budget; stoppen zonder ERP.",
            decided_by="Lieve Vanacker (CEO), op advies van het projectteam",
            ago=70,
            revision=2,
            told="Stuurgroep, daarna een rondgang op de werkvloer met Bart",
        ),
        Logged(
            "HR en loonadministratie blijven buiten het ERP",
            "Het sociaal secretariaat doet het goed, en het maakte het vorige project te groot.",
            "HR-module van het ERP; later opnieuw bekijken.",
            decided_by="Stuurgroep",
            ago=68,
            scope="HR en loonadministratie in het ERP",
            told="Mail aan HR en het sociaal secretariaat",
        ),
        Logged(
            "Capaciteitsplanning per machine schuift naar later",
            "Zonder betrouwbare uren en voorraad plant het systeem op verkeerde gegevens.",
            "Toch in fase 1, met het risico dat niemand de planning vertrouwt.",
            decided_by="Werkvoorbereiding en productie, workshop",
            ago=65,
            scope="Capaciteitsplanning per machine",
        ),
        Logged(
            "Kiezen we voor bestelvoorstellen uit het ERP na een kwartaal betrouwbare voorraad?",
            "Inkoop wil weten of het de bestelvoorstellen kan plannen voor volgend jaar.",
            due_in=45,
            scope="Bestelvoorstellen en inkoop in het ERP",
        ),
    ),
    ORDER_TO_CASH: (
        Logged(
            "Exact Online blijft het boekhoudpakket",
            "Het werkt en het boekhoudkantoor kent het; vervangen geeft risico zonder winst.",
            "Een ERP met eigen boekhouding.",
            decided_by="Griet Vanhoutte (zaakvoerder)",
            ago=220,
            scope="Boekhoudpakket vervangen",
            told="Intakegesprek met het boekhoudkantoor",
        ),
        Logged(
            "Eén prijslijst voor offerte, bestelling en factuur",
            "Zonder één waarheid over prijzen herhalen we de fout van de losse webshop.",
            decided_by="Griet Vanhoutte (zaakvoerder)",
            ago=215,
            scope="Eén centrale prijslijst voor offerte, bestelling en factuur",
            told="Teamoverleg verkoop en administratie",
        ),
        Logged(
            "Het bestelportaal komt er ook voor particulieren",
            "Eerste idee uit de intake: één portaal voor iedereen.",
            decided_by="Griet Vanhoutte (zaakvoerder)",
            ago=210,
            replaced_by="Geen webshop voor particulieren",
        ),
        Logged(
            "Geen webshop voor particulieren",
            "Mandelbeek verkoopt alleen aan installateurs en aannemers; particulieren vragen "
            "andere betaling, levering en service.",
            decided_by="Griet Vanhoutte (zaakvoerder)",
            ago=200,
            scope="Webshop voor particulieren",
            told="Toegelicht in de stuurgroep van fase 2",
        ),
        Logged(
            "Vervangen we de Access-voorraaddatabank na fase 3?",
            "Het bestelportaal toont nu welke voorraadinformatie echt nodig is.",
            due_in=30,
            scope="Access-voorraaddatabank vervangen door een voorraadmodule",
        ),
    ),
    MODERNE_WERKPLEK: (
        Logged(
            "Alle 800 werkplekken gaan in één weekend over",
            "Zo hoeft iedereen maar één keer te wennen, was het idee van de directie.",
            decided_by="Directie",
            ago=120,
            replaced_by="Eerst een pilot van 20, daarna per afdeling",
        ),
        Logged(
            "Eerst een pilot van 20, daarna per afdeling",
            "Problemen treffen een kleine groep en de servicedesk houdt het bij; de pilot "
            "maakt ambassadeurs.",
            "Big bang in één weekend.",
            decided_by="Marloes Verbeek (CFO) en Ruben Hoekstra (IT-manager)",
            ago=110,
            scope="Pilot met 20 medewerkers, daarna uitrol per afdeling",
            told="Personeelsbijeenkomst en intranet",
        ),
        Logged(
            "Alleen de toestellen die Windows 11 niet aankunnen worden vervangen",
            "Ongeveer 90 laptops; de rest gaat mee via Autopilot.",
            "Alle laptops vervangen.",
            decided_by="Marloes Verbeek (CFO)",
            ago=105,
            scope="Alle laptops vervangen",
            told="Mail aan de afdelingshoofden",
        ),
        Logged(
            "De pilot gaat door: de afdelingen krijgen hun datum",
            "De pilot haalde de criteria van de gate; de instructies zijn met de pilotgebruikers "
            "aangescherpt.",
            decided_by="Stuurgroep",
            ago=0,
            gate=("pilot", "go"),
        ),
        Logged(
            "Gaan we Teams-telefonie voorbereiden voor het einde van het centralecontract?",
            "Het contract van de telefooncentrale loopt nog twee jaar; opzeggen vraagt een "
            "besluit ruim vooraf.",
            due_in=60,
            scope="Teams-telefonie in plaats van de telefooncentrale",
        ),
    ),
    ZORG_UITROL: (
        Logged(
            "Uitloggen na 2 minuten op alle gedeelde pc's",
            "Streng beleid naar aanleiding van de auditbevinding.",
            decided_by="Anouk Brouwer (ICT en informatiebeveiliging)",
            ago=60,
            scope="Vergrendel- en uitlogbeleid per soort werkplek",
            replaced_by="Uitlogbeleid per soort werkplek, getest met de pilotgebruikers",
        ),
        Logged(
            "Geen uitrol naar de locaties voor het uitlogbeleid is aangepast",
            "In de pilot op De Weide raakten medewerkers hun rapportage kwijt na twee minuten.",
            decided_by="Stuurgroep",
            ago=0,
            gate=("pilot", "no_go"),
            told="Teamoverleg De Weide en de nieuwsbrief",
        ),
        Logged(
            "Uitlogbeleid per soort werkplek, getest met de pilotgebruikers",
            "Vergrendelen na korte tijd, uitloggen pas later; de pas brengt je terug in je sessie.",
            "Eén langere tijd voor alles; minder veilig op de gangen.",
            decided_by="Anouk Brouwer en Wilma Kuipers",
            ago=0,
            gate=("pilot", "go"),
            told="Instructie per team door de pilotgebruikers",
        ),
        Logged(
            "Het ECD blijft zoals het is",
            "Wij regelen alleen hoe medewerkers erin komen.",
            decided_by="Stuurgroep",
            ago=90,
            scope="ECD vervangen of aanpassen",
            told="Kick-off",
        ),
        Logged(
            "Nemen we de mobiele apparaten van de wijkteams mee in een tweede traject?",
            "De wijkteams vragen erom; het vraagt een andere aanpak dan de zorgposten.",
            due_in=40,
            scope="Mobiele apparaten van de wijkteams",
        ),
    ),
    PRODUCTTEAM_GEMEENTE: (
        Logged(
            "De gemeente begint met één product: meldingen openbare ruimte",
            "Veel volume, zichtbaar voor inwoners en overzichtelijk genoeg om klein te beginnen.",
            "Alle dienstverlening tegelijk digitaliseren.",
            decided_by="Hanneke Smits (directeur Dienstverlening)",
            ago=14,
            scope="Eén product: meldingen openbare ruimte",
            told="Directieoverleg",
        ),
        Logged(
            "Het productteam krijgt een jaarcontract met de leverancier",
            "Eerste gedachte van inkoop: zo gaat het altijd.",
            decided_by="Inkoop",
            ago=12,
            replaced_by="Inkoop als opdracht van drie maanden met verlengingsoptie",
        ),
        Logged(
            "Inkoop als opdracht van drie maanden met verlengingsoptie",
            "Betalen voor geleverde waarde; na elke drie maanden beslist de gemeente opnieuw.",
            "Een jaarcontract.",
            decided_by="Hanneke Smits en inkoop",
            ago=8,
            scope="Inkoop als opdracht van drie maanden met verlengingsoptie",
        ),
        Logged(
            "Geen nieuw meldingen- of zaaksysteem",
            "Het bestaande zaaksysteem volstaat; een nieuw pakket wordt een nieuwe silo.",
            decided_by="Hanneke Smits (directeur Dienstverlening)",
            ago=14,
            scope="Nieuw meldingen- of zaaksysteem aanschaffen",
            told="Directieoverleg",
        ),
        Logged(
            "Een tweede productteam voor vergunningen wacht op de evaluatie van het eerste",
            "Eerst laten zien dat het in één team werkt.",
            decided_by="MT",
            ago=10,
            scope="Tweede productteam voor vergunningen",
        ),
        Logged(
            "Wie wordt product owner met mandaat over de backlog?",
            "Zonder mandaat loopt het productteam vast op elke afstemming.",
            due_in=14,
            scope="Productteam met eigen beslisruimte",
        ),
    ),
}


def _moment(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(16)))


def build(workspace: Workspace, *, users: dict[Any, Any], today: date) -> None:
    """Write each case's decision log, dated relative to today."""
    from koers.workspaces.models import Role

    actor = users[Role.OWNER]
    for slug, entries in LOGS.items():
        project = workspace.projects.get(slug=slug)
        made: dict[str, Decision] = {}
        for entry in entries:
            made[entry.title] = _log(project, entry, actor, today)
        for entry in entries:
            if entry.replaced_by:
                old, new = made[entry.title], made[entry.replaced_by]
                services.decision_update(
                    decision=old,
                    actor=actor,
                    status=Decision.Status.SUPERSEDED,
                    superseded_by=new,
                    note="Vervangen door een later besluit.",
                )
                DecisionChange.objects.filter(decision=old, from_status="decided").update(
                    at=new.logged_at
                )


def _log(project: Project, entry: Logged, actor: Any, today: date) -> Decision:
    gate = _gate(project, entry.gate) if entry.gate else None
    decided_on = None if entry.ago is None else today - timedelta(days=entry.ago)
    if gate is not None:  # made with the gate's decision, on its day
        decided_on = timezone.localtime(gate.decided_at).date()
    logged = _moment(decided_on or today - timedelta(days=3))
    return services.decision_create(
        project=project,
        actor=actor,
        title=entry.title,
        reasons=entry.reasons,
        alternatives=entry.alternatives,
        decided_by=entry.decided_by,
        status=Decision.Status.PROPOSED if decided_on is None else Decision.Status.DECIDED,
        decided_on=decided_on,
        due_on=None if entry.due_in is None else today + timedelta(days=entry.due_in),
        scope_item=project.scope_items.get(title=entry.scope) if entry.scope else None,
        plan_revision=project.plan_revisions.get(number=entry.revision) if entry.revision else None,
        gate_decision=gate,
        communicated_on=decided_on if entry.told else None,
        communicated_how=entry.told,
        logged_at=logged,
    )


def _gate(project: Project, which: tuple[str, str]) -> GateDecision:
    kind, decision = which
    return GateDecision.objects.filter(
        gate__wave__project=project, gate__wave__kind=kind, decision=decision
    ).latest("decided_at")
