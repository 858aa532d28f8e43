"""The method's counter-case, and its restart: a Ghent manufacturer after a failed big bang.

METHOD.md §2: a EUR 180,000 ERP project, cancelled after 18 months, "we wanted to solve
everything at once". That project stays in the plan as history: one phase of 78 weeks and
EUR 180,000, stopped, as the first plan revision shows it (where the guardrails light up).
The restart replaces it with small phases of at most 12 weeks and EUR 15-50K, each with a
result of its own; the first one is under way today.
"""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from koers.projects.models import Project
from koers.roadmap import services
from koers.roadmap.models import Milestone, Phase
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
    backdate_revision,
    bullets,
    figure,
    last_day,
    make_project,
    make_stakeholders,
    month,
    paragraphs,
)

SLUG = "erp-gent"

# The old project: 18 months (78 weeks) and EUR 180,000, as METHOD.md tells it.
BIG_BANG_WEEKS = 78
BIG_BANG_BUDGET = Decimal(180_000)

# The intake's figures, and the KPIs of the restart's phases measured from them.
COUNT_HOURS = figure(8, "twee mensen een halve dag")
RETYPE_HOURS = figure(6, "zo'n zes uur")
COSTED_ORDERS = figure(10, "één op de tien orders")
TYPED_INVOICES = figure(180, "zo'n 180 verkoopfacturen per maand")
STOCK_COUNT = KpiCase("Uren voorraadtelling per maand", "uur", LOWER, COUNT_HOURS, Decimal(1))
RETYPING = KpiCase("Uren overtypen van werkbonnen per week", "uur", LOWER, RETYPE_HOURS, Decimal(1))
COSTED = KpiCase("Orders met nacalculatie", "%", HIGHER, COSTED_ORDERS, Decimal(90))
INVOICES = KpiCase(
    "Verkoopfacturen met de hand ingegeven in WinBooks",
    "per maand",
    LOWER,
    TYPED_INVOICES,
    Decimal(0),
)
KPIS = (STOCK_COUNT, RETYPING, COSTED, INVOICES)

CASE = Case(
    client=ClientCase(
        slug="tolhuis-precisie",
        name="Tolhuis Precisie",
        country=Country.BELGIUM,
        sector="Maakindustrie (CNC-draai- en freeswerk)",
        notes=(
            "Toeleverancier van precisieonderdelen voor de machinebouw, 40 medewerkers, in de "
            "Gentse haven. Een eerder ERP-project van €180.000 is na 18 maanden stopgezet; het "
            "team is daardoor voorzichtig en wil eerst resultaat zien voor het verder investeert. "
            "Productieverantwoordelijke Bart is sceptisch over 'weer een ERP': hem vroeg "
            "betrekken."
        ),
        contacts=(
            Contact("Lieve Vanacker", "lieve.vanacker@example.be", "CEO", "+32 9 000 27 14"),
            Contact(
                "Bart Goethals",
                "bart.goethals@example.be",
                "Productieverantwoordelijke",
                "+32 9 000 27 20",
            ),
        ),
    ),
    slug=SLUG,
    name="ERP-herstart in kleine stappen",
    status=Project.Status.DELIVERY,
    managed_by=Role.MANAGER,
    request=(
        "We hebben nog altijd een ERP nodig, maar we willen niet opnieuw anderhalf jaar en "
        "€180.000 verliezen. Kunnen jullie ons helpen het deze keer anders aan te pakken?"
    ),
    goals=(
        "Eén betrouwbaar beeld van de voorraad, in plaats van een maandelijkse telling met de hand",
        "Per order weten of er winst op gemaakt is (nacalculatie van uren en materiaal)",
        "Leverbetrouwbaarheid van 71% naar 90% van de orders op tijd",
        "Geen dubbele invoer meer tussen werkvoorbereiding, productie en boekhouding",
    ),
    current_situation=paragraphs(
        "Orders komen binnen per mail, met een pdf-tekening, en worden ingepland op een "
        "Excel-planbord dat de werkvoorbereider elke ochtend bijwerkt. Calculaties gebeuren in "
        "een Access-toepassing die een vroegere medewerker heeft gebouwd; niemand kan ze nog "
        "aanpassen.",
        f"Uren worden op papieren werkbonnen geschreven; de werkvoorbereider typt ze elke "
        f"vrijdag over, {RETYPE_HOURS} werk. Een nacalculatie wordt alleen voor grote orders "
        f"gemaakt, voor {COSTED_ORDERS}.",
        f"De voorraad grondstof (staf en plaat) wordt één keer per maand geteld, door "
        f"{COUNT_HOURS}; tussendoor gaat iemand even in de hal kijken.",
        f"De boekhouding draait in WinBooks, via een extern boekhoudkantoor. De "
        f"{TYPED_INVOICES} worden in Word gemaakt en met de hand in WinBooks ingegeven. Lonen "
        "en HR lopen via het sociaal secretariaat. Ordergegevens staan op vier plaatsen, en "
        "geen ervan is volledig.",
    ),
    tried_before=paragraphs(
        "Het vorige ERP-project liep 18 maanden en kostte €180.000 voor het werd stopgezet. Het "
        "doel was alles in één keer te vervangen: inkoop, voorraad, productieplanning, facturatie "
        "en HR, met één grote go-live.",
        "Wat misging: de wensenlijst groeide bij elke workshop, bijna elke uitzondering werd "
        "maatwerk, en de key users zaten naast hun gewone werk een dag per week in workshops. De "
        "migratie van 6.000 artikelen raakte nooit af. Na 18 maanden was er niets in gebruik, en "
        "dus ook niets dat al waarde opleverde.",
        "De CEO zegt het zelf: 'We wilden alles in één keer oplossen. Van inkoop tot facturatie, "
        "van voorraad tot HR. Het werd te complex, te duur, te risicovol.'",
        "Wat we meenemen: stappen van hoogstens 12 weken en €15.000 tot €50.000, elk met een "
        "meetbaar resultaat; standaard gaat voor maatwerk; HR en boekhouding blijven waar ze zijn.",
    ),
    bottleneck=(
        "De directie wilde alles in één keer; niemand kon nee zeggen tegen een plan van "
        "achttien maanden, en de werkvloer werd pas aan het eind gevraagd."
    ),
    behaviour_change=(
        "Beslissen in kleine stappen: elke fase krijgt een go/no-go van de stuurgroep, en de "
        "CEO laat een fase los als de KPI niet gehaald wordt."
    ),
    smallest_version=(
        "Alleen de voorraadadministratie van het magazijn in het nieuwe ERP, zodat de inkoop "
        "stopt met dubbel bestellen."
    ),
    serves_vision=(
        "Eén bron voor voorraad en orders: de eerste stap naar een ERP dat de werkvloer gebruikt."
    ),
    vision_24=VisionCase(
        summary=(
            "Over twee jaar draait Tolhuis op een standaard ERP voor artikelen, voorraad, orders "
            "en nacalculatie, stap voor stap ingevoerd. Werkvoorbereiding, productie en "
            "boekhouding kijken naar dezelfde order, en de CEO ziet elke week welke orders winst "
            "opleveren."
        ),
        automated_processes=bullets(
            "De voorraad wordt bijgewerkt bij ontvangst en bij uitgifte aan de machine, niet meer "
            "geteld",
            "Uren worden per order geregistreerd op een terminal in de hal",
            "De nacalculatie wordt automatisch opgemaakt wanneer een order wordt afgemeld",
            "Verkoopfacturen gaan vanuit het ERP naar WinBooks",
        ),
        connected_systems=(
            "Het ERP is de bron voor artikelen en orders. WinBooks blijft het boekhoudpakket en "
            "krijgt facturen en boekingen via een standaardkoppeling. Het Excel-planbord en de "
            "Access-calculatie zijn uitgefaseerd."
        ),
        biggest_gains=(
            "Geen maandelijkse voorraadtelling meer (twee mensen, een halve dag), geen overtypen "
            "van werkbonnen, en inzicht in welke soorten orders verlies maken."
        ),
    ),
    vision_48=VisionCase(
        summary=(
            "Over vier jaar plant Tolhuis zijn machines op basis van echte capaciteit en "
            "doorlooptijden, bestelt het grondstof op tijd zonder spoedleveringen, en volgen "
            "klanten zelf de status van hun order op."
        ),
        automated_processes=bullets(
            "Capaciteitsplanning per machine op basis van werkelijke bewerkingstijden",
            "Bestelvoorstellen voor grondstof bij minimumvoorraad",
            "Machinetijden komen rechtstreeks van de CNC-machines",
            "Klanten krijgen automatisch bericht als een leverdatum verschuift",
        ),
        connected_systems=(
            "Het ERP is gekoppeld aan de machinedata en aan een klantportaal dat dezelfde "
            "gegevens toont. Tekeningen hangen aan het artikel in plaats van in mailboxen."
        ),
        biggest_gains=(
            "Leverbetrouwbaarheid boven 90%, minder spoedkosten bij leveranciers, en offertes die "
            "rekenen met werkelijke in plaats van geschatte bewerkingstijden."
        ),
    ),
    scope=(
        ScopeCard(
            IN,
            "Artikelen en voorraad grondstof in een standaard ERP",
            "Eerste stap met zelfstandige waarde: geen maandelijkse telling meer.",
        ),
        ScopeCard(
            IN,
            "Digitale werkbonnen met urenregistratie per order",
            "Basis voor de nacalculatie; vervangt het overtypen op vrijdag.",
        ),
        ScopeCard(
            IN,
            "Nacalculatie per order",
            "Het antwoord op de vraag waar de CEO wakker van ligt: welke orders verdienen geld?",
        ),
        ScopeCard(
            IN,
            "Verkoopfacturen van het ERP naar WinBooks",
            "De boekhouding blijft waar ze is; alleen de dubbele invoer verdwijnt.",
        ),
        ScopeCard(
            IN,
            "Capaciteitsplanning per machine",
            "Het Excel-planbord is het meest zichtbare probleem op de werkvloer.",
        ),
        ScopeCard(
            OUT,
            "HR en loonadministratie in het ERP",
            "Loopt goed via het sociaal secretariaat, en maakte het vorige project mee te groot.",
        ),
        ScopeCard(
            OUT,
            "Boekhoudpakket vervangen",
            "WinBooks doet wat het moet doen; het boekhoudkantoor wil er niet van af.",
        ),
        ScopeCard(
            OUT,
            "Maatwerk voor uitzonderingen",
            "Eerst werken met de standaard; maatwerk alleen met een onderbouwing per aanpassing.",
        ),
        ScopeCard(
            OUT,
            "Eén go-live voor alle processen",
            "Precies wat het vorige project deed mislukken; elke stap gaat apart live.",
        ),
        ScopeCard(
            LATER,
            "Bestelvoorstellen en inkoop in het ERP",
            "Pas zinvol als de voorraad een kwartaal lang betrouwbaar is.",
        ),
        ScopeCard(
            LATER,
            "Klantportaal met orderstatus",
            "Eerst moeten de leverdata intern kloppen.",
        ),
    ),
    move=ScopeMove(
        "Capaciteitsplanning per machine",
        LATER,
        "Werkvoorbereiding en productie waren het in hun workshop eens: zonder betrouwbare uren "
        "en voorraad plant het systeem op verkeerde gegevens. Eerst de basis, dan plannen.",
    ),
)


# The people around the restart: the CEO who wanted everything at once, now sceptical.
STAKEHOLDERS = (
    StakeholderCase(
        "Lieve Vanacker",
        "CEO",
        "sceptic",
        influence=5,
        interest=5,
        reason="Zag de demo van de artikelen; wil eerst de maandelijkse telling weg zien voor "
        "ze verder investeert.",
        since=20,
        earlier=(
            (
                "opponent",
                90,
                "Wil nog altijd alles in één keer: 'anders blijven we half in Excel hangen'.",
            ),
        ),
        steering=True,
        decides=True,
        cares_about="Elke week zien welke orders winst opleveren.",
        concerns="Niet opnieuw anderhalf jaar en €180.000 verliezen.",
        channel="call",
        every=7,
        email="lieve.vanacker@example.be",
        phone="+32 9 000 27 14",
    ),
    StakeholderCase(
        "Bart Goethals",
        "Productieverantwoordelijke",
        "sceptic",
        influence=4,
        interest=5,
        reason="'Weer een ERP': vroeg betrekken, daarom key user van fase 1.",
        since=60,
        steering=True,
        cares_about="Dat de werkvoorbereiding niets meer dubbel typt.",
        concerns="Een terminal in de hal die niemand gebruikt.",
        channel="demo",
        every=14,
        email="bart.goethals@example.be",
        phone="+32 9 000 27 20",
    ),
    StakeholderCase(
        "Koen De Smet",
        "Werkvoorbereider",
        "supporter",
        influence=2,
        interest=4,
        reason="Ziet de maandelijkse telling graag verdwijnen.",
        since=45,
        channel="demo",
        every=21,
        email="koen.desmet@example.be",
    ),
    StakeholderCase(
        "Els Martens",
        "Boekhouder (extern kantoor)",
        "neutral",
        influence=2,
        interest=2,
        reason="WinBooks blijft; wil alleen geen dubbele invoer.",
        since=60,
        channel="mail",
        every=30,
        email="els.martens@example.be",
    ),
)
TALKS = (
    Talk(
        "steering",
        28,
        "Stuurgroep: herstart in kleine fases",
        ("Lieve Vanacker", "Bart Goethals"),
        "Besloten: het vorige project blijft stopgezet; vier fases van hoogstens 12 weken, "
        "HR en de boekhouding blijven buiten het ERP.",
    ),
    Talk(
        "demo",
        20,
        "Demo artikelen en voorraad, met vragenronde",
        ("Lieve Vanacker", "Bart Goethals", "Koen De Smet"),
    ),
    Talk(
        "update",
        9,
        "Korte update fase 1: de artikelen staan in het ERP",
        ("Lieve Vanacker", "Bart Goethals", "Koen De Smet", "Els Martens"),
    ),
    Talk("call", 5, "Bart gebeld over de eerste weken voorraad", ("Bart Goethals",)),
    Talk(
        "steering",
        -6,
        "Stuurgroep: eerste resultaten voorraad",
        ("Lieve Vanacker", "Bart Goethals"),
    ),
)


def build(workspace: Workspace, *, users: dict[Role, Any], today: date) -> Project:
    """Make the case: intake, the old big bang as history, then the restart in small phases."""
    project = make_project(workspace, CASE, users)
    actor = project.manager
    intake = month(today, -3)
    # The old project as it ran, taken over at the intake: everything at once.
    big_bang = services.phase_create(
        project=project,
        actor=actor,
        title="Vorig ERP-project: alles in één keer",
        goal="Eén ERP voor inkoop, voorraad, productieplanning, facturatie en HR, in één go-live.",
        standalone_value="",
        vision_horizon=48,
        vision_contribution="Eén systeem voor de hele fabriek.",
        start_month=month(today, -22),
        weeks=BIG_BANG_WEEKS,
        budget=BIG_BANG_BUDGET,
        status=Phase.Status.ACTIVE,
        kpis=[{"name": "Processen in het ERP", "unit": "%", "direction": HIGHER}],
    )
    go_live = services.milestone_create(
        project=project,
        actor=actor,
        kind=Milestone.Kind.COMING,
        title="Go-live van alle modules tegelijk",
        on=last_day(big_bang),
        phase=big_bang,
    )
    backdate_revision(
        services.revision_record(
            project=project,
            actor=actor,
            reason=(
                "Het vorige plan zoals het liep, overgenomen bij de intake: één fase van 18 "
                "maanden en €180.000, alles in één keer."
            ),
        ),
        intake,
    )
    # Stopped: it stays in the plan as history, and the restart goes in small phases.
    services.phase_update(phase=big_bang, actor=actor, status=Phase.Status.STOPPED)
    services.milestone_update(
        milestone=go_live,
        actor=actor,
        kind=Milestone.Kind.FEEDBACK,
        title="Vorig ERP-project stopgezet",
        decision_needed="Stoppen, of opknippen in fases van hoogstens 12 weken?",
    )
    stock = services.phase_create(
        project=project,
        actor=actor,
        title="Artikelen en voorraad grondstof",
        goal="Artikelen en de voorraad staf en plaat in een standaard ERP, bijgewerkt bij "
        "ontvangst en uitgifte.",
        standalone_value="Geen maandelijkse telling meer, ook als er niets volgt.",
        vision_horizon=24,
        vision_contribution="Het ERP is de bron voor artikelen en voorraad.",
        start_month=month(today, -1),
        weeks=10,
        budget=Decimal(38_000),
        kpis=[STOCK_COUNT.fields(baseline_on=intake)],
    )
    work_orders = services.phase_create(
        project=project,
        actor=actor,
        title="Digitale werkbonnen en uren per order",
        goal="Uren en materiaal per order registreren op een terminal in de hal.",
        standalone_value="Niemand typt nog werkbonnen over op vrijdag.",
        vision_horizon=24,
        vision_contribution="Productie en werkvoorbereiding kijken naar dezelfde order.",
        start_month=month(today, 2),
        weeks=8,
        budget=Decimal(32_000),
        builds_on=stock,
        kpis=[RETYPING.fields(baseline_on=intake)],
    )
    costing = services.phase_create(
        project=project,
        actor=actor,
        title="Nacalculatie per order",
        goal="De nacalculatie wordt opgemaakt zodra een order wordt afgemeld.",
        standalone_value="De CEO ziet elke week welke orders winst opleveren.",
        vision_horizon=24,
        vision_contribution="Inzicht in welke soorten orders verlies maken.",
        start_month=month(today, 4),
        weeks=6,
        budget=Decimal(24_000),
        builds_on=work_orders,
        kpis=[COSTED.fields(baseline_on=intake)],
    )
    services.phase_create(
        project=project,
        actor=actor,
        title="Verkoopfacturen van het ERP naar WinBooks",
        goal="Facturen ontstaan uit de afgemelde order en gaan via een standaardkoppeling naar "
        "WinBooks.",
        standalone_value="Geen dubbele invoer meer tussen orders en boekhouding.",
        vision_horizon=24,
        vision_contribution="WinBooks blijft, de dubbele invoer verdwijnt.",
        start_month=month(today, 6),
        weeks=6,
        budget=Decimal(18_000),
        builds_on=costing,
        kpis=[INVOICES.fields(baseline_on=intake)],
    )
    for kind, title, on, phase in [
        (
            Milestone.Kind.FEEDBACK,
            "Bart en de werkvoorbereiding over de eerste weken voorraad",
            stock.start_month + timedelta(weeks=4),
            stock,
        ),
        (Milestone.Kind.COMING, "Voorraad live in het ERP", last_day(stock), stock),
        (Milestone.Kind.COMING, "Werkbonnen op de terminal", last_day(work_orders), work_orders),
        (Milestone.Kind.COMING, "Eerste nacalculaties", last_day(costing), costing),
    ]:
        services.milestone_create(
            project=project, actor=actor, kind=kind, title=title, on=on, phase=phase
        )
    backdate_revision(
        services.revision_record(
            project=project,
            actor=actor,
            reason=(
                "Herstart in kleine stappen: het vorige project blijft als geschiedenis in het "
                "plan. Vier fases van hoogstens 12 weken en €15.000 tot €50.000, elk met een "
                "eigen resultaat; HR en de boekhouding blijven buiten het ERP."
            ),
        ),
        month(today, -2),
    )
    services.phase_update(phase=stock, actor=actor, status=Phase.Status.ACTIVE)
    backdate_revision(
        services.revision_record(
            project=project,
            actor=actor,
            reason="Fase 1 gestart, met Bart en de werkvoorbereiding als key users.",
        ),
        stock.start_month,
    )
    make_stakeholders(project, STAKEHOLDERS, TALKS, today=today)
    return project
