"""Early feedback changes the plan: a care institution's pilot finds the log-out far too short.

METHOD.md §3: at a care institution the pilot showed that the automatic log-out time was far
too short; it was fixed before the broad rollout. Here: personal accounts with tap-to-log-in
on the shared PCs of nine locations. The pilot on De Weide got a no-go for it, the log-out
policy was changed and tested again with the pilot users, and only then did the locations
get their dates. This finding belongs to this case alone.
"""

import random
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from koers.population import services as population_services
from koers.population.models import Person
from koers.population.reading import PersonRow
from koers.projects.models import Project
from koers.pulse import services as pulse_services
from koers.pulse.models import FeedbackItem
from koers.roadmap import services
from koers.roadmap.models import Milestone, Phase
from koers.rollout import queries as rollout_queries
from koers.rollout import steering
from koers.rollout.models import Pilot, PilotMember, WaveEvent
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
    paragraphs,
    person_name,
    record_support,
    stamp,
    start_wave,
    weeks_to_cover,
)

SLUG = "zorg-uitrol"

# The intake's figures, and the KPIs measured from them.
SHARED_PCS = figure(160, "160 gedeelde pc's")
LOGIN_TIME = figure(240, "vier minuten")
LOGIN_TARGET = figure(10, "10 seconden")
RESETS = figure(300, "ongeveer 300 per maand")
READERS = KpiCase(
    "Zorgpost-pc's met paslezer en persoonlijke aanmelding", "", HIGHER, Decimal(0), SHARED_PCS
)
LOGIN = KpiCase("Tijd tot ingelogd in het ECD", "seconden", LOWER, LOGIN_TIME, LOGIN_TARGET)
PASSWORD_RESETS = KpiCase("Wachtwoordresets per maand", "", LOWER, RESETS, Decimal(150))
KPIS = (READERS, LOGIN, PASSWORD_RESETS)

CASE = Case(
    client=ClientCase(
        slug="zorggroep-elzenhof",
        name="Zorggroep Elzenhof",
        country=Country.NETHERLANDS,
        sector="Ouderenzorg (verpleeghuiszorg en thuiszorg)",
        notes=(
            "Zorgorganisatie met ongeveer 1.100 medewerkers, veel van hen parttime, op negen "
            "locaties. Werkt met een webgebaseerd elektronisch cliëntdossier (ECD). De "
            "organisatie is NEN 7510-gecertificeerd; de laatste audit gaf een bevinding op "
            "gedeelde accounts. Teamleiders plannen de uitrol mee rond de roosters."
        ),
        contacts=(
            Contact(
                "Anouk Brouwer",
                "anouk.brouwer@example.com",
                "Manager ICT en informatiebeveiliging",
                "+31 30 000 8812",
            ),
            Contact(
                "Wilma Kuipers",
                "wilma.kuipers@example.com",
                "Teamleider verpleging, locatie De Weide",
                "+31 30 000 8840",
            ),
        ),
    ),
    slug=SLUG,
    name="Persoonlijk en snel inloggen op zorgwerkplekken",
    status=Project.Status.DELIVERY,
    managed_by=Role.OWNER,
    request=(
        "Onze werkplekken moeten veiliger. De auditor wil af van de gedeelde accounts op de "
        "afdelingen, maar het inloggen mag de zorg niet ophouden."
    ),
    goals=(
        "Geen gedeelde accounts meer op zorgwerkplekken: de bevinding uit de NEN 7510-audit "
        "sluiten",
        f"Zorgmedewerkers zijn binnen {LOGIN_TARGET} in het ECD, met hun personeelspas",
        "Elke handeling in het ECD is herleidbaar tot één persoon",
        f"Minder wachtwoordresets: nu {RESETS} bij de servicedesk",
    ),
    current_situation=paragraphs(
        f"Op de zorgposten van de negen locaties staan {SHARED_PCS}. Per afdeling is er één "
        "account (zoals 'afdeling-deweide') waarmee iedereen inlogt; het wachtwoord hangt op een "
        "briefje in de kast van de zorgpost. In het ECD logt iedere medewerker daarna nog eens "
        "apart in.",
        f"Een dienst begint gemiddeld met {LOGIN_TIME} inloggen, en de pc's blijven de hele "
        "dienst op het afdelingsaccount ingelogd. In de logging is daardoor niet te zien wie een "
        "dossier heeft geopend.",
        "Medewerkers hebben een personeelspas met RFID voor de deuren; die wordt nog niet voor "
        "de pc's gebruikt.",
    ),
    tried_before=paragraphs(
        "Na de vorige audit is het wachtwoordbeleid aangescherpt: 14 tekens en elke 90 dagen "
        "wijzigen. Het aantal wachtwoordresets verdubbelde en er verschenen meer briefjes met "
        "wachtwoorden. Na vier maanden is het beleid weer versoepeld.",
        "Een leverancier stelde voor om alle gedeelde pc's in één weekend om te zetten naar "
        "persoonlijke accounts met een korte automatische uitlogtijd. Dat is niet doorgegaan, "
        "omdat de teamleiders er niet bij betrokken waren.",
    ),
    bottleneck=(
        "Zorgmedewerkers delen accounts omdat inloggen te lang duurt tussen twee cliënten; "
        "het probleem is tijd aan het bed, niet beveiliging."
    ),
    behaviour_change=(
        "Elke medewerker logt zelf in met een pas, ook als het druk is op de afdeling."
    ),
    smallest_version=(
        "Eén afdeling met tikken-en-inloggen op de gedeelde werkplekken, gemeten aan de tijd "
        "tot de cliëntgegevens op het scherm staan."
    ),
    serves_vision="Veilig en snel inloggen: de basis voor persoonlijke toegang tot cliëntgegevens.",
    vision_24=VisionCase(
        summary=(
            "Over twee jaar logt elke zorgmedewerker op elke zorgpost in met een tik van de "
            "personeelspas, werkt onder een eigen account en is binnen seconden in het ECD. De "
            "auditor ziet per handeling wie het was, en de zorg merkt vooral dat inloggen sneller "
            "gaat dan vroeger."
        ),
        automated_processes=bullets(
            "Inloggen en van gebruiker wisselen met de personeelspas (tik-inloggen)",
            "Vergrendelen en uitloggen volgens een vast beleid per soort werkplek",
            "Een nieuwe zorgmedewerker heeft op de eerste dienst een account en pasrechten; bij "
            "uitdienst vervallen ze dezelfde dag",
            "Wachtwoordresets via selfservice, met MFA",
        ),
        connected_systems=(
            "Het HR-systeem voedt de accounts; het ECD gebruikt single sign-on op het persoonlijke "
            "account. De passen voor de deuren en voor de pc's komen uit hetzelfde passysteem."
        ),
        biggest_gains=(
            "Bijna vier minuten minder inloggen per dienst voor ongeveer 700 zorgmedewerkers, "
            "de helft minder wachtwoordresets, en een gesloten auditbevinding."
        ),
    ),
    vision_48=VisionCase(
        summary=(
            "Over vier jaar werken zorgmedewerkers ook mobiel, aan het bed en in de wijk, met "
            "dezelfde persoonlijke en veilige toegang. Alle zorgapplicaties hangen aan één "
            "identiteit, en rechten volgen automatisch de rol en de locatie van de medewerker."
        ),
        automated_processes=bullets(
            "Rechten in het ECD en andere zorgapplicaties volgen automatisch rol en locatie",
            "Mobiele apparaten van de wijkteams worden centraal ingericht en beheerd",
            "Teamleiders controleren periodiek de toegangsrechten, zonder Excel-lijsten",
        ),
        connected_systems=(
            "Eén identiteit voor ECD, roosterapplicatie, e-learning en Microsoft 365. De laptops "
            "op de medicatiekarren en de tablets gebruiken dezelfde tik-inlog als de vaste "
            "werkplekken."
        ),
        biggest_gains=(
            "Minder tijd achter de computer en meer tijd bij de cliënt, en invalkrachten die op "
            "hun eerste dienst meteen de juiste toegang hebben."
        ),
    ),
    scope=(
        ScopeCard(
            IN,
            "Persoonlijke accounts op alle 160 gedeelde pc's van de zorgposten",
            "Sluit de auditbevinding; elke handeling wordt herleidbaar tot een persoon.",
        ),
        ScopeCard(
            IN,
            "Tik-inloggen met de bestaande personeelspas",
            "Veiliger mag niet trager worden: de pas zit al in ieders zak.",
        ),
        ScopeCard(
            IN,
            "Vergrendel- en uitlogbeleid per soort werkplek",
            "De pilot op De Weide liet zien dat uitloggen na 2 minuten veel te kort was: "
            "medewerkers raakten hun rapportage kwijt terwijl ze bij een cliënt waren. Voor de "
            "brede uitrol aangepast: vergrendelen na 5 minuten en met de pas verder werken; "
            "uitloggen pas na 30 minuten of bij de dienstwissel.",
        ),
        ScopeCard(
            IN,
            "Pilot op locatie De Weide, daarna uitrol per locatie",
            "Twintig medewerkers uit dag-, avond- en nachtdienst; zij worden daarna de "
            "ambassadeurs op hun afdeling.",
        ),
        ScopeCard(
            IN,
            "Korte instructie per team door de pilotgebruikers",
            "Een collega op de afdeling helpt beter dan een handleiding.",
        ),
        ScopeCard(
            IN,
            "Tik-inloggen op de laptops van de medicatiekarren",
            "Ook op de kar wordt gerapporteerd en afgetekend.",
        ),
        ScopeCard(
            OUT,
            "ECD vervangen of aanpassen",
            "Het ECD blijft; wij regelen alleen hoe medewerkers erin komen.",
        ),
        ScopeCard(
            OUT,
            "Medische apparatuur en domotica",
            "Eigen beheer, eigen leveranciers en andere risico's.",
        ),
        ScopeCard(
            LATER,
            "Single sign-on voor rooster- en e-learningapplicatie",
            "Eerst het ECD, waar de tijdwinst het grootst is.",
        ),
        ScopeCard(
            LATER,
            "Mobiele apparaten van de wijkteams",
            "Andere werkwijze, onderweg en bij cliënten thuis; een apart traject na de zorgposten.",
        ),
    ),
    move=ScopeMove(
        "Tik-inloggen op de laptops van de medicatiekarren",
        LATER,
        "Verschoven na de pilotevaluatie: de laptops op de medicatiekar gaan van kamer naar kamer "
        "en vragen een eigen uitlogbeleid en kaartlezer. Eerst de vaste zorgposten stabiel.",
    ),
)


# The care staff of the nine locations, 80 each: about 700 people on the shared PCs.
SEED = 801
SITES = (
    "De Weide", "Het Anker", "De Linde", "Rivierzicht", "De Hoven", "Beukenhof",
    "De Brink", "Zonnehoek", "Het Veld",
)  # fmt: skip
PER_SITE = 80
SHIFTS = ("dag", "avond", "nacht")


def elzenhof_people() -> list[PersonRow]:
    """Care staff of the nine Elzenhof locations, the same every time."""
    rng = random.Random(SEED)
    rows = []
    for s, site in enumerate(SITES):
        for n in range(PER_SITE):
            number = s * PER_SITE + n + 1
            first, last = person_name(rng)
            rows.append(
                PersonRow(
                    row=number + 1,
                    key=f"EH{number:04d}",
                    name=f"{first} {last}",
                    email=f"{ascii_name(first)}.{ascii_name(last)}{number}@elzenhof.example",
                    department=site,
                    location=site,
                    job_title=rng.choice(
                        ("Verzorgende IG", "Verpleegkundige", "Helpende", "Teamleider")
                    ),
                    device="Gedeelde pc",
                    attributes={"Dienst": SHIFTS[n % 3]},
                )
            )
    return rows


FINDING = (
    "Uitloggen na 2 minuten is veel te kort: medewerkers raakten hun rapportage kwijt terwijl "
    "ze bij een cliënt waren."
)
FIX = (
    "Aangepast: vergrendelen na 5 minuten en met de pas verder werken; uitloggen pas na "
    "30 minuten of bij de dienstwissel. Opnieuw getest op De Weide: geen klachten meer."
)


# The people around the rollout in care: logging in may not hold up the care.
STAKEHOLDERS = (
    StakeholderCase(
        "Margreet van Dam",
        "Bestuurder",
        "supporter",
        influence=5,
        interest=3,
        reason="De auditbevinding moet weg voor de volgende NEN 7510-audit.",
        since=90,
        steering=True,
        decides=True,
        channel="meeting",
        every=28,
    ),
    StakeholderCase(
        "Anouk Brouwer",
        "Manager ICT en informatiebeveiliging",
        "champion",
        influence=4,
        interest=5,
        reason="Draagt de auditbevinding over de gedeelde accounts.",
        since=90,
        steering=True,
        channel="call",
        every=7,
        email="anouk.brouwer@example.com",
        phone="+31 30 000 8812",
    ),
    StakeholderCase(
        "Wilma Kuipers",
        "Teamleider verpleging, locatie De Weide",
        "sceptic",
        influence=2,
        interest=5,
        reason="Inloggen met een pas mag de zorg niet ophouden, zeker niet 's nachts.",
        since=45,
        concerns="Collega's die bij een cliënt staan te wachten op hun scherm.",
        channel="demo",
        every=14,
        email="wilma.kuipers@example.com",
        phone="+31 30 000 8840",
    ),
)
TALKS = (
    Talk(
        "steering",
        26,
        "Stuurgroep: uitrol per locatie rond de roosters",
        ("Margreet van Dam", "Anouk Brouwer"),
    ),
    Talk("demo", 15, "Demo inloggen met de pas op de afdeling", ("Wilma Kuipers",)),
    Talk(
        "update",
        8,
        "Korte update: de eerste locatie werkt zonder gedeelde accounts",
        ("Margreet van Dam", "Anouk Brouwer", "Wilma Kuipers"),
    ),
    Talk("call", 3, "Wilma gebeld over de nachtdienst", ("Wilma Kuipers",)),
    Talk("demo", -5, "Demo voor de teamleiders van de volgende golf", ("Wilma Kuipers",)),
)


def build(workspace: Workspace, *, users: dict[Role, Any], today: date) -> Project:
    """Make the case: intake, people, the pilot on De Weide with its no-go, then the plan."""
    project = make_project(workspace, CASE, users)
    actor = project.manager
    client = project.client
    population_services.people_import(client=client, actor=actor, rows=elzenhof_people())
    # The pilot was chosen by hand: twenty of De Weide, from the day, evening and night shifts.
    weide = Person.objects.filter(client=client, department="De Weide").order_by("key")[:20]
    pilot_group = Pilot.objects.create(
        project=project, size=20, attributes=["department"], chosen_by=actor
    )
    PilotMember.objects.bulk_create(
        PilotMember(pilot=pilot_group, person=p, source=PilotMember.Source.SELECTED) for p in weide
    )
    steering.rollout_update(
        project=project,
        actor=actor,
        start_on=monday(today, 1),
        capacity=PER_SITE,
        wave_days=1,
        pilot_soak_days=5,
        ticket_rate=Decimal(10),
        desk_capacity=Decimal(12),
    )
    waves = steering.waves_plan(project=project, actor=actor)
    pilot = waves[0]

    # The plan as shared before the pilot.
    rollout_month = month(pilot.start_on)
    readers = services.phase_create(
        project=project,
        actor=actor,
        title="Persoonlijke accounts en paslezers",
        goal="Een persoonlijk account voor elke zorgmedewerker en een paslezer op elke "
        "zorgpost-pc.",
        standalone_value="Elke aanmelding is herleidbaar tot een persoon, ook vóór de uitrol.",
        vision_horizon=24,
        vision_contribution="Eigen account en tik-inloggen op elke zorgpost.",
        start_month=month(rollout_month, -2),
        weeks=8,
        budget=Decimal(36_000),
        kpis=[READERS.fields(baseline_on=month(rollout_month, -2))],
    )
    rollout_phase = services.phase_create(
        project=project,
        actor=actor,
        title="Pilot op De Weide en uitrol per locatie",
        goal="Eerst twintig medewerkers van De Weide, dan locatie voor locatie, rond de roosters.",
        standalone_value="Elke locatie die over is, sluit haar deel van de auditbevinding.",
        vision_horizon=24,
        vision_contribution="Inloggen gaat sneller dan vroeger, en persoonlijk.",
        start_month=rollout_month,
        weeks=weeks_to_cover(rollout_month, waves[-1].end_on),
        budget=Decimal(38_000),
        builds_on=readers,
        kpis=[LOGIN.fields(baseline_on=month(rollout_month, -2))],
    )
    steering.rollout_update(project=project, actor=actor, phase=rollout_phase)
    aftercare = services.phase_create(
        project=project,
        actor=actor,
        title="Nazorg en overdracht aan beheer",
        goal="Schaduwperiode met beheer; uitlogbeleid en instructies per soort werkplek "
        "vastgelegd.",
        standalone_value="Beheer en de teamleiders dragen het zelf; de servicedesk wordt rustiger.",
        vision_horizon=48,
        vision_contribution="Eén identiteit voor alle zorgapplicaties.",
        start_month=month(last_day(rollout_phase), 1),
        weeks=4,
        budget=Decimal(15_000),
        builds_on=rollout_phase,
        kpis=[PASSWORD_RESETS.fields(baseline_on=month(rollout_month, -2))],
    )
    services.milestone_create(
        project=project,
        actor=actor,
        kind=Milestone.Kind.LIVE,
        title="Paslezers en persoonlijke accounts op alle zorgposten",
        on=last_day(readers),
        phase=readers,
    )
    services.milestone_create(
        project=project,
        actor=actor,
        kind=Milestone.Kind.FEEDBACK,
        title="Evaluatie van de pilot met de teamleiders",
        on=pilot.end_on,
        phase=rollout_phase,
        decision_needed="Is het uitlogbeleid werkbaar op de zorgpost?",
    )
    all_sites = services.milestone_create(
        project=project,
        actor=actor,
        kind=Milestone.Kind.COMING,
        title="Alle negen locaties over",
        on=waves[-1].end_on,
        phase=rollout_phase,
    )
    backdate_revision(
        services.revision_record(
            project=project,
            actor=actor,
            reason=(
                "Plan gedeeld met de manager ICT en de teamleiders: eerst De Weide, dan per "
                "locatie, rond de roosters."
            ),
        ),
        readers.start_month,
    )

    # The readers and accounts delivered; the rollout begins with the pilot.
    deliver(readers, actor, actual=SHARED_PCS.value, actual_on=last_day(readers))
    services.phase_update(phase=rollout_phase, actor=actor, status=Phase.Status.ACTIVE)

    # The pilot: live, a blocking finding, a no-go; the fix tested again, then a go.
    start_wave(pilot, actor)
    record_support(pilot, actor, today=today, share=Decimal("0.5"))
    item = pulse_services.feedback_create(
        project=project,
        actor=actor,
        source=FeedbackItem.Source.PILOT,
        text="Na twee minuten ben ik uitgelogd en is mijn rapportage weg; ik was even bij een "
        "cliënt.",
        is_blocking=True,
        wave=pilot,
    )
    evaluate_wave(pilot, actor)
    steering.gate_update(gate=pilot.gate, actor=actor, notes=FINDING)
    no_go = steering.gate_decide(
        gate=pilot.gate,
        actor=actor,
        decision="no_go",
        notes="Eerst het uitlogbeleid aanpassen; de pilotgebruikers testen het opnieuw.",
    )
    stamp(no_go, pilot, pilot.end_on)
    calendar = rollout_queries.calendar_for(project, rollout_queries.rollout_of(project))
    retest = min(calendar.add_working_days(pilot.end_on, 2), today - timedelta(days=1))
    pulse_services.feedback_update(
        item=item,
        status=FeedbackItem.Status.DONE,
        response=(
            "Vergrendelen na 5 minuten en met de pas verder werken; uitloggen pas na 30 minuten "
            "of bij de dienstwissel. Opnieuw getest met de pilotgebruikers."
        ),
    )
    steering.gate_update(gate=pilot.gate, actor=actor, notes=FIX)
    decide_go(
        pilot,
        actor,
        on=retest,
        notes="Uitlogbeleid aangepast en getest; door.",
        unmeasured=(
            "Begrip is in de pilot niet met een pulsmeting gemeten; het aangepaste uitlogbeleid "
            "is met de pilotgebruikers op De Weide getest, in alle drie de diensten."
        ),
    )
    Person.objects.filter(pk__in=[p.pk for p in weide]).update(is_ambassador=True)
    # The locations wait for the retest: the first one goes after today, the rest follow.
    first_site = waves[1]
    if first_site.start_on <= today:
        steering.wave_move(
            wave=first_site, actor=actor, start_on=calendar.next_working_day(today + timedelta(1))
        )
        WaveEvent.objects.filter(wave=first_site, kind=WaveEvent.Kind.MOVED).update(
            at=moment(retest, 17)
        )
    last = project.waves.order_by("-number").first()
    assert last is not None

    # The plan follows: a retest on the roadmap, and the dates of the locations.
    services.phase_update(
        phase=rollout_phase, actor=actor, weeks=weeks_to_cover(rollout_month, last.end_on)
    )
    services.phase_update(
        phase=aftercare, actor=actor, start_month=month(last_day(rollout_phase), 1)
    )
    services.milestone_update(milestone=all_sites, actor=actor, on=last.end_on)
    services.milestone_create(
        project=project,
        actor=actor,
        kind=Milestone.Kind.FEEDBACK,
        title="Hertest van het uitlogbeleid op De Weide",
        on=retest,
        phase=rollout_phase,
        decision_needed="Vergrendelen na 5 minuten, uitloggen na 30 minuten: voor alle locaties?",
    )
    services.kpi_update(
        kpi=rollout_phase.kpis.get(), actor=actor, actual=Decimal(8), actual_on=retest
    )
    revision = services.revision_record(
        project=project,
        actor=actor,
        reason=(
            "De pilot op De Weide toonde dat uitloggen na 2 minuten veel te kort was. Het "
            "uitlogbeleid is aangepast en opnieuw getest; de locaties volgen pas na die hertest."
        ),
    )
    backdate_revision(revision, retest)
    pulse_services.feedback_update(item=item, plan_revision=revision)
    make_stakeholders(project, STAKEHOLDERS, TALKS, today=today)
    return project
