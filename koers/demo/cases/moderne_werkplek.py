"""Small releases: a modern workplace for 800 employees, without a big-bang weekend.

METHOD.md §3: not one weekend but first a pilot of 20, then a rollout per department, each
step evaluated and adjusted; three weeks later all 800 are live. The pilot surfaced the
technical issues, the instructions were sharpened with the users' input, and the pilot users
became ambassadors. IT and the service desk go first, as the first ring, before the pilot.

The waves are dated so that today falls in a department wave: the first ring, the pilot and
the first department wave are behind us, measured and decided, one wave is going on, the rest
is planned. The wave going on is the watermelon: reported green, its pulse round shows that
people do not yet understand why the change is made, and a blocking item holds its gate.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from koers.population import services as population_services
from koers.population.models import Person
from koers.population.reading import PersonRow
from koers.projects.models import Project
from koers.pulse import services as pulse_services
from koers.pulse.models import Answer, FeedbackItem, Round
from koers.pulse.signals import STEPS
from koers.roadmap import services
from koers.roadmap.models import Milestone, Phase
from koers.rollout import queries as rollout_queries
from koers.rollout import selection, steering
from koers.rollout.models import Wave
from koers.workspaces.models import Country, Role, Workspace

from ..common import (
    HIGHER,
    IN,
    LATER,
    LOWER,
    OUT,
    Case,
    ClientCase,
    Contact,
    KpiCase,
    ScopeCard,
    ScopeMove,
    StakeholderCase,
    Talk,
    VisionCase,
    ascii_name,
    backdate_revision,
    bullets,
    day_nl,
    decide_go,
    deliver,
    evaluate_wave,
    figure,
    last_day,
    make_project,
    make_stakeholders,
    moment,
    monday,
    month,
    number_nl,
    paragraphs,
    person_name,
    record_support,
    start_wave,
    weeks_to_cover,
)

SLUG = "moderne-werkplek"

# The intake's figures, and the KPIs measured from them.
EMPLOYEES = figure(800, "800 medewerkers")
SETUP_MINUTES = figure(180, "ongeveer drie uur")
ACCESS_TICKETS = figure(120, "waarvan 120 over wachtwoorden en de VPN")
SETUP = KpiCase(
    "Tijd om een nieuwe laptop klaar te zetten", "min", LOWER, SETUP_MINUTES, Decimal(15)
)
LIVE = KpiCase("Medewerkers op de nieuwe werkplek", "", HIGHER, Decimal(0), EMPLOYEES)
ACCESS = KpiCase(
    "Tickets over wachtwoorden en de VPN per maand", "", LOWER, ACCESS_TICKETS, Decimal(60)
)
KPIS = (SETUP, LIVE, ACCESS)

CASE = Case(
    client=ClientCase(
        slug="waalborg",
        name="Waalborg Groep",
        country=Country.NETHERLANDS,
        sector="Technische installaties en onderhoud",
        notes=(
            "Installatie- en onderhoudsbedrijf met ongeveer 800 medewerkers in 14 afdelingen, op "
            "drie vestigingen (Nijmegen, Arnhem, Tiel), van wie 180 monteurs in de buitendienst. "
            "Eigen IT-afdeling van 6 personen en een servicedesk van 4; wij leveren "
            "projectcapaciteit en de kennis van Microsoft 365. Opdrachtgever is de CFO; de "
            "IT-manager is het dagelijkse aanspreekpunt."
        ),
        contacts=(
            Contact("Marloes Verbeek", "marloes.verbeek@example.com", "CFO", "+31 24 000 3120"),
            Contact(
                "Ruben Hoekstra", "ruben.hoekstra@example.com", "IT-manager", "+31 24 000 3145"
            ),
        ),
    ),
    slug=SLUG,
    name="Moderne werkplek voor 800 medewerkers",
    status=Project.Status.DELIVERY,
    managed_by=Role.OWNER,
    request=(
        "Onze werkplekken moeten veiliger en iedereen moet overal kunnen werken. En graag alles "
        "in één keer live: liever één spannend weekend dan maandenlang gefaseerd uitrollen."
    ),
    goals=(
        f"MFA en beheerde apparaten voor alle {EMPLOYEES}: eis van de cyberverzekeraar bij "
        "de verlenging van de polis",
        "Veilig werken op kantoor, thuis en bij de klant, zonder VPN",
        "Af van de eigen Exchange 2016-server, waarvoor geen beveiligingsupdates meer verschijnen",
        "Een nieuwe medewerker heeft op de eerste werkdag een werkende laptop, zonder handwerk "
        "van IT",
        "Geen piek op de servicedesk: de uitrol mag de dagelijkse dienstverlening niet stilleggen",
    ),
    current_situation=paragraphs(
        "Ongeveer 800 medewerkers in 14 afdelingen op drie vestigingen, van wie 180 monteurs die "
        "vooral op een tablet werken. Alle accounts staan in een on-premises Active Directory; de "
        "mail draait op Exchange 2016 in de eigen serverruimte in Nijmegen.",
        f"Laptops worden met de hand ingespoeld vanaf een image uit 2019; een nieuwe laptop "
        f"klaarzetten kost de servicedesk {SETUP_MINUTES}. Bestanden staan op een fileserver "
        "met 40 afdelingsschijven. Buiten kantoor werkt alles via een VPN die op maandagochtend "
        "regelmatig vol zit.",
        f"MFA staat alleen aan voor de directie en IT. De servicedesk verwerkt gemiddeld 360 "
        f"tickets per maand, {ACCESS_TICKETS}.",
    ),
    tried_before=paragraphs(
        "Microsoft Teams is eerder in één weekend voor iedereen aangezet, zonder pilot en zonder "
        "instructies. Op maandag kwamen er 140 tickets binnen, afdelingen maakten hun eigen teams "
        "met dubbele namen en de buitendienst bleef in WhatsApp-groepen werken.",
        "Die ervaring maakt de IT-afdeling sceptisch over een nieuwe big bang, terwijl de directie "
        "juist snel klaar wil zijn. Een plan van de vorige IT-partner voor een volledige migratie "
        "in één weekend is daarom nooit uitgevoerd.",
    ),
    bottleneck=(
        "Niet de techniek maar de werkdruk: leidinggevenden hebben geen tijd om hun mensen "
        "mee te nemen in een nieuwe manier van werken."
    ),
    behaviour_change=(
        "Bestanden niet meer op de eigen laptop of een USB-stick bewaren, maar in de gedeelde"
        " teamomgeving."
    ),
    smallest_version=(
        "De IT-afdeling en de servicedesk werken drie weken op de nieuwe werkplek, met "
        "aanmelden zonder wachtwoord."
    ),
    serves_vision=(
        "Veilig en overal werken: de werkplek als basis voor alle latere digitale stappen."
    ),
    vision_24=VisionCase(
        summary=(
            "Over twee jaar werkt iedereen bij Waalborg op een beheerde werkplek die op elke "
            "locatie hetzelfde werkt: inloggen met MFA, bestanden in Teams en SharePoint, en een "
            "laptop die zichzelf inricht bij de eerste keer opstarten. De servicedesk besteedt "
            "zijn tijd aan vragen van gebruikers, niet aan wachtwoorden en de VPN."
        ),
        automated_processes=bullets(
            "Nieuwe laptops richten zichzelf in via Windows Autopilot en Intune",
            "Accounts worden aangemaakt en geblokkeerd vanuit het HR-systeem bij in- en uitdienst",
            "Updates van Windows en Office lopen automatisch in ringen: IT, pilotgroep, iedereen",
            "Toegang wordt per apparaat en locatie beoordeeld met Conditional Access",
        ),
        connected_systems=(
            "Entra ID is de centrale identiteit voor Microsoft 365, de planningsapplicatie en het "
            "HR-systeem (single sign-on). Het HR-systeem voedt Entra ID. De fileserver is "
            "uitgefaseerd: afdelingsschijven staan in SharePoint, persoonlijke mappen in OneDrive."
        ),
        biggest_gains=(
            "Een nieuwe laptop kost de servicedesk 15 minuten in plaats van drie uur. Tickets over "
            "wachtwoorden en de VPN halveren. De serverruimte in Nijmegen hoeft niet vervangen te "
            "worden."
        ),
    ),
    vision_48=VisionCase(
        summary=(
            "Over vier jaar heeft Waalborg geen eigen servers meer voor kantoorwerk. Monteurs, "
            "kantoor en management werken met dezelfde gegevens, en nieuwe toepassingen worden "
            "alleen nog gekozen als ze aansluiten op Entra ID en Microsoft 365."
        ),
        automated_processes=bullets(
            "Werkbonnen van monteurs gaan rechtstreeks van tablet naar planning en facturatie",
            "Teams-telefonie vervangt de telefooncentrale, met doorschakeling naar de "
            "dienstdoende planner",
            "Toegangsrechten worden elk kwartaal automatisch ter controle aan de leidinggevende "
            "voorgelegd",
        ),
        connected_systems=(
            "Eén identiteit voor alle applicaties. De tablets van de buitendienst worden beheerd "
            "in Intune. Nieuwe applicaties worden alleen aangeschaft als ze single sign-on en een "
            "gedocumenteerde koppeling ondersteunen: geen nieuwe digitale eilandjes."
        ),
        biggest_gains=(
            "Geen vervangingsinvestering in servers en telefooncentrale, snellere verwerking van "
            "werkbonnen, en een aantoonbaar beveiligingsniveau richting verzekeraar en klanten."
        ),
    ),
    scope=(
        ScopeCard(
            IN,
            "Alle laptops beheren met Intune en Windows Autopilot",
            "Basis voor veilig werken op elke locatie en voor de eis van de verzekeraar.",
        ),
        ScopeCard(
            IN,
            "MFA en Conditional Access voor alle 800 accounts",
            "Eis van de cyberverzekeraar; de grootste risicoverlaging per euro.",
        ),
        ScopeCard(
            IN,
            "Mail van Exchange 2016 naar Exchange Online",
            "De server krijgt geen beveiligingsupdates meer.",
        ),
        ScopeCard(
            IN,
            "Afdelingsschijven naar SharePoint en Teams, persoonlijke mappen naar OneDrive",
            "Nodig om de fileserver en de VPN te kunnen uitzetten.",
        ),
        ScopeCard(
            IN,
            "Pilot met 20 medewerkers, daarna uitrol per afdeling",
            "Geen big bang: problemen treffen een kleine groep en de servicedesk houdt het bij.",
        ),
        ScopeCard(
            IN,
            "Tablets van de buitendienst in Intune",
            "Monteurs werken vooral op tablets; zonder beheer blijft er een gat in de beveiliging.",
        ),
        ScopeCard(
            OUT,
            "Alle laptops vervangen",
            "Alleen de circa 90 toestellen die Windows 11 niet aankunnen worden vervangen, via "
            "het gewone hardwarebudget.",
        ),
        ScopeCard(
            OUT,
            "Planningsapplicatie van de buitendienst vervangen",
            "Eigen project van de afdeling Planning; wij regelen alleen de single sign-on.",
        ),
        ScopeCard(
            LATER,
            "Teams-telefonie in plaats van de telefooncentrale",
            "Het contract van de huidige centrale loopt nog twee jaar; daarna opnieuw bekijken.",
        ),
        ScopeCard(
            LATER,
            "Microsoft 365 Copilot",
            "Heeft pas zin als de rechten in SharePoint na de migratie zijn opgeschoond.",
        ),
    ),
    move=ScopeMove(
        "Tablets van de buitendienst in Intune",
        LATER,
        "Uitgesteld na overleg met de buitendienst: de leverancier van de planningsapp "
        "ondersteunt Intune-beheer pas in een volgende versie. Tot dan blijven de tablets in het "
        "huidige beheer.",
    ),
)


# The people: 14 departments over three sites; 180 fitters on tablets; IT of 6, service desk
# of 4. Generated from a fixed seed: fictional names, no real personal data.
SEED = 800
DEPARTMENTS = (
    # department, people, sites (weights Nijmegen, Arnhem, Tiel), functions, device
    ("Buitendienst", 180, (3, 2, 1), ("Monteur", "Monteur", "Eerste monteur", "Teamleider"), "Tablet"),  # noqa: E501
    ("Installatie", 120, (3, 2, 1), ("Installateur", "Werkvoorbereider", "Teamleider"), "Laptop"),
    ("Onderhoud", 90, (2, 2, 1), ("Onderhoudsmonteur", "Planner", "Teamleider"), "Tablet"),
    ("Projecten", 70, (3, 1, 0), ("Projectleider", "Werkvoorbereider", "Calculator"), "Laptop"),
    ("Engineering", 55, (1, 0, 0), ("Engineer", "Tekenaar", "Teamleider"), "Desktop"),
    ("Planning", 45, (2, 1, 1), ("Planner", "Teamleider"), "Laptop"),
    ("Verkoop", 45, (2, 1, 0), ("Accountmanager", "Binnendienst verkoop"), "Laptop"),
    ("Magazijn", 40, (1, 0, 1), ("Magazijnmedewerker", "Chauffeur"), "Desktop"),
    ("Inkoop", 30, (1, 0, 0), ("Inkoper", "Medewerker inkoop"), "Laptop"),
    ("Financiën", 45, (1, 0, 0), ("Controller", "Medewerker crediteuren", "Medewerker debiteuren"), "Laptop"),  # noqa: E501
    ("HR", 25, (1, 0, 0), ("HR-adviseur", "Salarisadministrateur"), "Laptop"),
    ("Kwaliteit en veiligheid", 45, (1, 1, 1), ("KAM-coördinator", "Adviseur"), "Laptop"),
    ("IT", 6, (1, 0, 0), ("Systeembeheerder", "IT-manager"), "Laptop"),
    ("Servicedesk", 4, (1, 0, 0), ("Servicedeskmedewerker",), "Laptop"),
)  # fmt: skip
SITES = ("Nijmegen", "Arnhem", "Tiel")


def waalborg_people() -> list[PersonRow]:
    """The 800 people of Waalborg, the same every time."""
    rng = random.Random(SEED)
    rows, managers = [], {}
    number = 0
    for department, count, site_weights, functions, device in DEPARTMENTS:
        for n in range(count):
            number += 1
            first, last = person_name(rng)
            site = rng.choices(SITES, site_weights)[0]
            function = functions[-1] if n == 0 and len(functions) > 1 else rng.choice(functions)
            name = f"{first} {last}"
            if n == 0:
                managers[department] = name
            rows.append(
                PersonRow(
                    row=number + 1,
                    key=f"WB{number:04d}",
                    name=name,
                    email=f"{ascii_name(first)}.{ascii_name(last)}{number}@waalborg.example",
                    department=department,
                    location=site,
                    job_title=function,
                    manager=managers[department] if n else "",
                    device=device if rng.random() < 0.9 else "Laptop",
                    attributes={"Thuiswerker": "ja" if rng.random() < 0.3 else "nee"},
                )
            )
    return rows


# The pulse: the pilot, the first department wave, and the wave going on (the watermelon).


@dataclass(frozen=True)
class RoundCase:
    title: str  # "{wave}" is replaced by the wave's name
    answers: int
    means: tuple[float, float, float, float, float]  # per ADKAR step


PILOT_ROUND = RoundCase(
    "Pilot: 20 collega's, ambassadeurs van hun afdeling", 18, (4.3, 4.2, 3.9, 3.6, 3.8)
)
FIRST_WAVE_ROUND = RoundCase("Na {wave}", 46, (4.0, 3.8, 3.6, 3.4, 3.5))
WATERMELON_ROUND = RoundCase("Tijdens {wave}", 64, (2.6, 3.1, 2.5, 3.0, 3.2))

OPEN_ANSWERS = {
    "unsure": [
        "Of mijn bestanden op de oude schijf meegaan naar OneDrive.",
        "Hoe ik op de bus inlog als ik geen bereik heb.",
        "Wie bel ik als de aanmelding op mijn tablet niet lukt?",
        "Waarom dit nu moet, midden in de drukke maanden.",
    ],
    "unclear": [
        "Wat er met de planningstool gebeurt.",
        "Waarom we ineens twee keer moeten inloggen (MFA).",
        "Wanneer mijn afdeling aan de beurt is.",
    ],
    "risky": [
        "Monteurs zonder uitleg over MFA de weg op sturen.",
        "Geen terugvaloptie als de app op de telefoon niet werkt.",
        "Alle afdelingen van één vestiging in dezelfde week.",
    ],
}


def _score(rng: random.Random, mean: float) -> int:
    return max(1, min(5, round(rng.gauss(mean, 0.8))))


def _round(
    project: Project,
    actor: Any,
    wave: Wave,
    case: RoundCase,
    rng: random.Random,
    *,
    closed: date | None,
) -> Round:
    """Make, open and answer the wave's round; close it on `closed` (None: still open)."""
    departments = [str(d) for d in wave.departments]
    round = pulse_services.round_create(
        project=project,
        actor=actor,
        title=case.title.format(wave=wave.label),
        closes_at=timezone.now() + timedelta(days=7),
        wave=wave,
        ask_department=True,
        departments="\n".join(departments),
        questions=[
            pulse_services.QuestionSpec(
                "scale",
                "Ik weet bij wie ik terecht kan met vragen.",
                "I know whom to ask for help.",
            ),
        ],
    )
    pulse_services.round_open(round=round, actor=actor)
    # Most answers from the first department, a few from the others: small groups show how
    # results are merged.
    weights = [20] + [2 if i % 2 else 1 for i in range(len(departments) - 1)]
    for number in range(case.answers):
        values: dict[str, Any] = {
            step.value: _score(rng, mean) for step, mean in zip(STEPS, case.means, strict=True)
        }
        for field, texts in OPEN_ANSWERS.items():
            if rng.random() < 0.25:
                values[field] = rng.choice(texts)
        values["department"] = rng.choices(departments, weights=weights)[0]
        pulse_services.answer_submit(
            round=round,
            form_key=f"demo-{round.pk}-{number}",
            values=values,
            language="nl" if rng.random() < 0.9 else "en",
        )
    opened = moment(wave.start_on, 9)
    Round.objects.filter(pk=round.pk).update(opened_at=opened)
    if closed is None:
        return round
    pulse_services.round_close(round=round)
    Round.objects.filter(pk=round.pk).update(
        closes_at=moment(closed, 16), closed_at=moment(closed, 16)
    )
    Answer.objects.filter(round=round).update(submitted_on=closed)
    round.refresh_from_db()
    return round


# The waves as they went: measured before each gate, decided on what was measured.


def facts_note(wave: Wave) -> str:
    """Say what the gate measured, from its verdict: a note can only repeat the facts."""
    state = rollout_queries.gate_state(wave)
    assert state is not None
    parts = []
    for criterion in state.verdict.criteria:
        if criterion.code == "tickets" and criterion.value is not None:
            parts.append(
                f"{number_nl(criterion.value)} tickets per 100 mensen "
                f"(norm {number_nl(Decimal(criterion.limit or 0).normalize())})"
            )
        elif criterion.code == "blocking" and criterion.is_met:
            parts.append("geen open blokkerende feedback")
        elif criterion.code == "barrier" and criterion.is_met:
            parts.append("de pulsmeting toont geen drempel in bewustzijn of kennis")
    return "; ".join(parts).capitalize() + "."


def walk_waves(
    project: Project,
    actor: Any,
    *,
    today: date,
    share: Callable[[Wave], Decimal],
    before_gate: Callable[[Wave], None],
    unmeasured: Callable[[Wave], str],
) -> Wave | None:
    """Walk the waves whose first day has come: start them, record their support load and,
    for those that ended before today, measure (`before_gate`) and decide the gate.

    Return the wave still going today, if one is.
    """
    for wave in project.waves.select_related("gate").order_by("number"):
        if wave.start_on > today:
            return None
        start_wave(wave, actor)
        record_support(wave, actor, today=today, share=share(wave))
        if wave.end_on >= today:
            return wave
        before_gate(wave)
        evaluate_wave(wave, actor)
        decide_go(wave, actor, on=wave.end_on, notes=facts_note(wave), unmeasured=unmeasured(wave))
    return None


def _start_on(project: Project, today: date) -> date:
    """Return the first ring's day that puts today in a department wave after the first one,
    with the pilot and the first department wave decided before it."""
    rollout = rollout_queries.rollout_of(project)
    first = monday(today, 2)
    for back in range(0, 22):
        start = first - timedelta(days=back)
        plan = steering.plan_for(project, rollout, start=start)
        departments = [w for w in plan.waves if w.kind == "department"]
        if len(departments) > 2 and any(w.start <= today <= w.end for w in departments[1:]):
            return start
    return first


def _status_updates(project: Project, actor: Any, waves: list[Wave], today: date) -> None:
    """A weekly status, green every week: what went live, what is going on, what comes next."""
    week = monday(waves[0].start_on, 1)
    while week <= today:
        until = min(week + timedelta(days=6), today)
        live = [w for w in waves if week <= w.start_on <= until]
        going = [w for w in waves if w.start_on < week and w.end_on >= week]
        coming = [w for w in waves if w.start_on > until]
        news = [f"{w.label} live op {day_nl(w.start_on)} ({w.size} mensen)." for w in live]
        news += [f"{w.label} loopt nog, tot {day_nl(w.end_on)}." for w in going]
        if not news:
            news = [
                "Pilotgroep van 20 gekozen, representatief over afdeling, vestiging en "
                "apparaat. IT en de servicedesk gaan als voorhoede eerst."
            ]
        pulse_services.status_update_save(
            project=project,
            actor=actor,
            week=week,
            status="green",
            highlights=" ".join(news),
            decisions="Uitrol per afdeling, niet in één weekend.",
            risks="Monteurs zijn weinig op kantoor voor uitleg.",
            next_steps=(
                f"{coming[0].label} vanaf {day_nl(coming[0].start_on)}."
                if coming
                else "Nazorg en overdracht aan beheer."
            ),
        )
        week += timedelta(weeks=1)


# The people around the rollout: the CFO asked for one exciting weekend.
STAKEHOLDERS = (
    StakeholderCase(
        "Marloes Verbeek",
        "CFO",
        "sceptic",
        influence=5,
        interest=4,
        reason="Gaat mee met golven per afdeling, maar twijfelt of het niet te lang duurt.",
        since=50,
        earlier=(("opponent", 110, "Wilde alles in één weekend live: 'liever één keer pijn'."),),
        steering=True,
        decides=True,
        cares_about="Veilig werken zonder dat de buitendienst stilvalt.",
        concerns="De doorlooptijd en de kosten van maanden uitrollen.",
        channel="meeting",
        every=14,
        email="marloes.verbeek@example.com",
        phone="+31 24 000 3120",
    ),
    StakeholderCase(
        "Ruben Hoekstra",
        "IT-manager",
        "champion",
        influence=4,
        interest=5,
        reason="Wil de servicedesk niet in één weekend laten overlopen.",
        since=110,
        steering=True,
        channel="call",
        every=7,
        email="ruben.hoekstra@example.com",
        phone="+31 24 000 3145",
    ),
    StakeholderCase(
        "Sandra Willems",
        "Teamleider servicedesk",
        "supporter",
        influence=3,
        interest=5,
        reason="Haar team is de voorhoede en ondersteunt de pilot.",
        since=60,
        channel="meeting",
        every=14,
    ),
    StakeholderCase(
        "Henk Jacobs",
        "Coördinator buitendienst",
        "opponent",
        influence=3,
        interest=3,
        reason="De monteurs willen geen extra inlogstap op de tablet.",
        since=40,
        concerns="Monteurs die bij een klant niet kunnen inloggen.",
        channel="call",
        every=14,
    ),
)
TALKS = (
    Talk(
        "steering",
        21,
        "Stuurgroep: go voor de pilot",
        ("Marloes Verbeek", "Ruben Hoekstra"),
        "Besloten: uitrol in golven per afdeling, de servicedesk als voorhoede.",
    ),
    Talk(
        "demo",
        12,
        "Live demo inloggen met MFA op de tablet, met vragenronde",
        ("Ruben Hoekstra", "Sandra Willems", "Henk Jacobs"),
    ),
    Talk("call", 25, "Henk gebeld over de monteurs", ("Henk Jacobs",)),
    Talk(
        "update",
        4,
        "Korte update: de pilot is live",
        ("Marloes Verbeek", "Ruben Hoekstra", "Sandra Willems"),
    ),
    Talk("steering", -7, "Stuurgroep: evaluatie pilot", ("Marloes Verbeek", "Ruben Hoekstra")),
)


def build(workspace: Workspace, *, users: dict[Role, Any], today: date) -> Project:
    """Make the case: intake, people, first ring, pilot, waves, plan, pulse and status."""
    project = make_project(workspace, CASE, users)
    actor = project.manager
    client = project.client
    population_services.people_import(client=client, actor=actor, rows=waalborg_people())
    # A few people the project manager knows to be well known or constructive.
    Person.objects.filter(client=client, key__in=[f"WB{n:04d}" for n in range(1, 800, 37)]).update(
        is_well_known=True
    )
    Person.objects.filter(client=client, key__in=[f"WB{n:04d}" for n in range(5, 800, 41)]).update(
        is_constructive=True
    )
    # IT and the service desk as Koers finds them, confirmed by the project manager.
    selection.first_ring_set(project=project, actor=actor)
    selection.pilot_select(
        project=project,
        actor=actor,
        size=20,
        attributes=["department", "location", "device"],
        seed=7,
    )
    steering.rollout_update(
        project=project,
        actor=actor,
        capacity=90,
        wave_days=3,
        pilot_soak_days=2,
        ticket_rate=Decimal(12),
        desk_capacity=Decimal(25),
    )
    steering.rollout_update(project=project, actor=actor, start_on=_start_on(project, today))
    waves = steering.waves_plan(project=project, actor=actor)
    ring, pilot, first_wave = waves[0], waves[1], waves[2]

    # The plan: the basis, then the rollout that holds the first ring, pilot and waves.
    rollout_month = month(ring.start_on)
    basis = services.phase_create(
        project=project,
        actor=actor,
        title="Basis: Intune, Autopilot en MFA",
        goal="Intune, Windows Autopilot, MFA en Conditional Access ingericht en getest.",
        standalone_value="Nieuwe laptops richten zichzelf in, ook als de uitrol nog wacht.",
        vision_horizon=24,
        vision_contribution="Een beheerde werkplek die op elke locatie hetzelfde werkt.",
        start_month=month(rollout_month, -3),
        weeks=10,
        budget=Decimal(38_000),
        kpis=[SETUP.fields(baseline_on=month(rollout_month, -3))],
    )
    rollout_phase = services.phase_create(
        project=project,
        actor=actor,
        title="Voorhoede, pilot en uitrol per afdeling",
        goal="IT en de servicedesk eerst, dan een pilot van 20, dan afdeling voor afdeling over.",
        standalone_value="Elke afdeling die over is, werkt meteen veiliger.",
        vision_horizon=24,
        vision_contribution="Eén beheerde werkplek voor alle 800 medewerkers.",
        start_month=rollout_month,
        weeks=weeks_to_cover(rollout_month, waves[-1].end_on),
        budget=Decimal(42_000),
        builds_on=basis,
        kpis=[LIVE.fields(baseline_on=month(rollout_month, -3))],
    )
    steering.rollout_update(project=project, actor=actor, phase=rollout_phase)
    aftercare = services.phase_create(
        project=project,
        actor=actor,
        title="Nazorg en overdracht aan beheer",
        goal="Schaduwperiode met beheer; instructies aangescherpt met input van gebruikers.",
        standalone_value="Beheer draagt de werkplek zelf; de servicedesk blijft rustig.",
        vision_horizon=48,
        vision_contribution="Medewerkers gebruiken de werkplek ten volle.",
        start_month=month(last_day(rollout_phase), 1),
        weeks=4,
        budget=Decimal(16_000),
        builds_on=rollout_phase,
        kpis=[ACCESS.fields(baseline_on=month(rollout_month, -3))],
    )
    for kind, title, on, phase, decision in [
        (Milestone.Kind.LIVE, "Eerste laptops via Autopilot ingericht", last_day(basis), basis, ""),
        (
            Milestone.Kind.FEEDBACK,
            "Evaluatie pilot met de pilotgebruikers en de servicedesk",
            pilot.end_on,
            rollout_phase,
            "Go voor de uitrol per afdeling?",
        ),
        (
            Milestone.Kind.COMING,
            "Alle 800 medewerkers op de nieuwe werkplek",
            waves[-1].end_on,
            rollout_phase,
            "",
        ),
    ]:
        services.milestone_create(
            project=project,
            actor=actor,
            kind=kind,
            title=title,
            on=on,
            phase=phase,
            decision_needed=decision,
        )
    lessons = services.milestone_create(
        project=project,
        actor=actor,
        kind=Milestone.Kind.FEEDBACK,
        title="Lessons learned en overdracht aan beheer",
        on=last_day(aftercare),
        phase=aftercare,
    )
    backdate_revision(
        services.revision_record(
            project=project,
            actor=actor,
            reason=(
                "Voorstel gedeeld met de CFO: geen big bang in één weekend, maar eerst IT en de "
                "servicedesk, dan een pilot van 20 en daarna per afdeling."
            ),
        ),
        basis.start_month,
    )

    # The basis delivered and met; the rollout under way.
    deliver(basis, actor, actual=15, actual_on=last_day(basis) + timedelta(weeks=1))
    services.phase_update(phase=rollout_phase, actor=actor, status=Phase.Status.ACTIVE)

    # The waves as they went: measured before each gate, decided on what was measured.
    rng = random.Random(SEED)
    found: dict[str, Any] = {}

    def before_gate(wave: Wave) -> None:
        if wave.pk == pilot.pk:
            found["pilot_round"] = _round(
                project, actor, wave, PILOT_ROUND, rng, closed=wave.end_on
            )
            found["pilot_item"] = pulse_services.feedback_create(
                project=project,
                actor=actor,
                source=FeedbackItem.Source.PILOT,
                text=(
                    "Na de overstap wijzen mijn snelkoppelingen nog naar de oude afdelingsschijf; "
                    "ik vond mijn bestanden niet terug."
                ),
                status=FeedbackItem.Status.DONE,
                response=(
                    "Het migratiescript zet de snelkoppelingen nu om naar SharePoint, en de "
                    "instructie is met twee pilotgebruikers herschreven, vóór de eerste "
                    "afdelingsgolf."
                ),
                pulse_round=found["pilot_round"],
                wave=wave,
            )
            # The pilot users become the ambassadors of their departments.
            Person.objects.filter(pilot_memberships__pilot__project=project).update(
                is_ambassador=True
            )
        elif wave.pk == first_wave.pk:
            found["first_round"] = _round(
                project, actor, wave, FIRST_WAVE_ROUND, rng, closed=wave.end_on
            )
            pulse_services.feedback_create(
                project=project,
                actor=actor,
                source=FeedbackItem.Source.PULSE,
                text="Wie bel ik als de aanmelding op mijn tablet niet lukt?",
                status=FeedbackItem.Status.PLANNED,
                response=(
                    "Elke ploeg krijgt een ambassadeur uit de pilot; het nummer van de "
                    "servicedesk staat in de MFA-app."
                ),
                pulse_round=found["first_round"],
                wave=wave,
            )
            pulse_services.feedback_create(
                project=project,
                actor=actor,
                source=FeedbackItem.Source.SUPPORT,
                text="Monteurs kunnen de planningsapp niet openen zonder MFA op de telefoon.",
                is_blocking=True,
                status=FeedbackItem.Status.DONE,
                response=(
                    "De MFA-app staat op de telefoons van alle ploegen; de servicedesk heeft de "
                    "monteurs per vestiging geholpen, vóór de gate."
                ),
                wave=wave,
            )

    def unmeasured(wave: Wave) -> str:
        if wave.kind == Wave.Kind.FIRST_RING:
            return (
                "De voorhoede is IT en de servicedesk zelf, tien mensen: te weinig voor een "
                "pulsmeting. Wat zij tegenkwamen, hebben ze in het projectoverleg gemeld."
            )
        return (
            "Voor deze golf is geen pulsmeting gedaan; de ambassadeurs uit de pilot hebben de "
            "vragen op de afdelingen de eerste dagen zelf opgehaald."
        )

    shares = {0: Decimal("0.9"), 1: Decimal("0.5"), 2: Decimal("0.7")}
    going = walk_waves(
        project,
        actor,
        today=today,
        share=lambda wave: shares.get(wave.number, Decimal("0.6")),
        before_gate=before_gate,
        unmeasured=unmeasured,
    )
    # The wave going on: reported green, but its round and a blocking item say otherwise.
    if going is not None:
        _round(project, actor, going, WATERMELON_ROUND, rng, closed=None)
        pulse_services.feedback_create(
            project=project,
            actor=actor,
            source=FeedbackItem.Source.SUPPORT,
            text="Gedeelde mailboxen van de afdeling verschijnen na de overstap niet in Outlook.",
            is_blocking=True,
            wave=going,
        )
    pulse_services.feedback_create(
        project=project,
        actor=actor,
        source=FeedbackItem.Source.MEETING,
        text="Zet alle monteurs in één weekend over, dan zijn we er in één keer vanaf.",
        status=FeedbackItem.Status.DECLINED,
        decline_reason=(
            "Geen big bang: de buitendienst gaat in een eigen golf, zodat er elke dag ploegen "
            "inzetbaar blijven."
        ),
    )

    # What the pilot taught changes the plan: the aftercare runs two weeks longer.
    services.phase_update(phase=aftercare, actor=actor, weeks=6)
    services.milestone_update(milestone=lessons, actor=actor, on=last_day(aftercare))
    revision = services.revision_record(
        project=project,
        actor=actor,
        reason=(
            "De pilot bracht technische problemen boven: snelkoppelingen naar de oude "
            "fileserver gingen niet mee. Migratiescript en instructies zijn met de "
            "pilotgebruikers aangescherpt; de nazorg duurt twee weken langer, zodat beheer "
            "langer schaduw kan draaien."
        ),
    )
    backdate_revision(revision, pilot.end_on)
    if "pilot_item" in found:
        pulse_services.feedback_update(item=found["pilot_item"], plan_revision=revision)
    _status_updates(project, actor, list(project.waves.order_by("number")), today)
    make_stakeholders(project, STAKEHOLDERS, TALKS, today=today)
    return project
