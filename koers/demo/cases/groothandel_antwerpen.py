"""Think big: an Antwerp wholesaler with five small successes and no digital strategy.

Seed 003: over three years, five small IT projects (a new website here, a CRM pilot there, a
digital invoice module somewhere else), each a success on its own, and still five systems
that do not talk to each other: "digitale eilandjes die elk hun eigen waarheid hebben". The
case is the landscape audit first: five digital islands, people re-typing orders and
customers between them, and where modernising pays most; then the client's vision, written
once, and the new project it proposes, whose phases each connect two of the islands. The
project is a proposal with no history yet, so it is not one of the told cases (`MODULES`):
the demo builds it beside them.
"""

from datetime import date
from decimal import Decimal
from typing import Any

from koers.landscape import services as landscape_services
from koers.projects import services as project_services
from koers.projects.models import Project
from koers.roadmap import services
from koers.workspaces.models import Client, Country, Role, Workspace

from ..common import (
    IN,
    LATER,
    LOWER,
    OUT,
    Case,
    ClientCase,
    Contact,
    IntegrationCase,
    KpiCase,
    ScopeCard,
    StakeholderCase,
    SystemCase,
    Talk,
    VisionCase,
    bullets,
    figure,
    make_landscape,
    make_project,
    make_stakeholders,
    month,
    paragraphs,
)

CLIENT = ClientCase(
    slug="groothandel-antwerpen",
    name="Groothandel Verhaegen",
    country=Country.BELGIUM,
    sector="Groothandel (sanitair en verwarming)",
    notes=(
        "Familiebedrijf in Antwerpen, 45 medewerkers, levert aan installateurs. Deed over drie "
        "jaar vijf kleine IT-projecten, elk op zich geslaagd. De operations manager: 'We hebben "
        "heel veel kleine oplossingen, maar eigenlijk nog steeds geen echte digitale strategie. "
        "We lossen symptomen op, niet het onderliggende probleem.'"
    ),
    contacts=(
        Contact(
            "Kristof Verhaegen",
            "kristof.verhaegen@example.com",
            "Operations manager",
            "+32 3 000 41 18",
        ),
    ),
)

SYSTEMS = (
    SystemCase(
        "Website met catalogus", "Webshop en catalogus", "Marketing", 3, "hosted", "improve",
        2, 2400, "productcatalogus, prijsaanvragen van installateurs",
    ),
    SystemCase(
        "CRM-pilot", "Klantbeheer", "Verkoop", 6, "saas", "improve",
        2, 3600, "klanten, contactpersonen, bezoekverslagen",
    ),
    SystemCase(
        "Digitale factuurmodule", "Facturatie", "Boekhouding", 2, "saas", "keep",
        1, 1200, "facturen, klantgegevens, betalingen",
    ),
    SystemCase(
        "Voorraaddatabase", "Voorraad en magazijn", "Logistiek", 8, "desktop", "replace",
        5, None, "artikelen, voorraad per locatie, leveringen",
    ),
    SystemCase(
        "Orderlijst in Excel", "Orderverwerking", "Binnendienst", 5, "desktop", "replace",
        4, None, "orders, klanten, leverdata",
    ),
)  # fmt: skip

# Every link is a person re-typing: not one system talks to another.
INTEGRATIONS = (
    IntegrationCase(
        "Website met catalogus", "Orderlijst in Excel", "manual", "daily", "prijsaanvragen"
    ),
    IntegrationCase("Orderlijst in Excel", "Digitale factuurmodule", "manual", "daily", "orders"),
    IntegrationCase("Orderlijst in Excel", "Voorraaddatabase", "manual", "daily", "leveringen"),
    IntegrationCase("Orderlijst in Excel", "CRM-pilot", "manual", "weekly", "nieuwe klanten"),
    IntegrationCase("CRM-pilot", "Digitale factuurmodule", "none", "ad_hoc", "klantgegevens"),
)


SLUG = "een-waarheid"

# The intake's figures, and the KPIs measured from them.
RETYPE_MINUTES = figure(12, "12 minuten")
INVOICE_ERRORS = figure(14, "14 foute facturen")
CUSTOMER_PLACES = figure(3, "drie plaatsen")
RETYPING = KpiCase("Overtypen per order", "min", LOWER, RETYPE_MINUTES, Decimal(4))
WRONG_INVOICES = KpiCase("Foute facturen per maand", "facturen", LOWER, INVOICE_ERRORS, Decimal(3))
CUSTOMER_ENTRY = KpiCase(
    "Plaatsen waar een klant wordt ingegeven", "plaatsen", LOWER, CUSTOMER_PLACES, Decimal(1)
)
KPIS = (RETYPING, WRONG_INVOICES, CUSTOMER_ENTRY)

CASE = Case(
    client=CLIENT,
    slug=SLUG,
    name="Eén waarheid voor orders en klanten",
    status=Project.Status.PLANNING,
    managed_by=Role.MANAGER,
    request=(
        "We willen niet nog een los project. Onze systemen moeten met elkaar praten, zodat een "
        "order of een klant maar één keer wordt ingegeven."
    ),
    goals=(
        "Een webaanvraag wordt een order zonder overtypen",
        "Facturen komen uit de orders, niet uit een tweede lijst",
        "Een klant wordt op één plaats ingegeven en is overal dezelfde",
    ),
    current_situation=paragraphs(
        "De binnendienst typt elke prijsaanvraag van de website over in de orderlijst in Excel: "
        f"gemiddeld {RETYPE_MINUTES} per order. Daarna gaat de order met de hand naar de "
        "factuurmodule en de voorraaddatabase.",
        f"Door het overtypen vertrekken er elke maand zo'n {INVOICE_ERRORS}. Een nieuwe klant "
        f"wordt op {CUSTOMER_PLACES} ingegeven: de orderlijst, de CRM-pilot en de factuurmodule.",
    ),
    tried_before=paragraphs(
        "Vijf kleine projecten in drie jaar: een website met catalogus, een CRM-pilot, een "
        "digitale factuurmodule, een voorraaddatabase en de orderlijst. Elk werkte op zich; "
        "samen zijn het vijf eilandjes met elk hun eigen waarheid.",
    ),
    bottleneck=(
        "Niemand kijkt naar het geheel: elk project loste één afdeling op en liet de gegevens "
        "tussen de afdelingen aan de binnendienst over."
    ),
    behaviour_change=(
        "Een order of klant alleen nog in het bronsysteem wijzigen, nooit meer in een kopie."
    ),
    smallest_version=(
        "Prijsaanvragen van de website komen vanzelf in de orderlijst: geen overtypen meer voor "
        "de binnendienst."
    ),
    serves_vision="De systemen praten met elkaar: één bron voor orders en één voor klanten.",
    vision_24=VisionCase(
        summary=(
            "Over twee jaar heeft elk gegeven één bron: orders in één systeem, klanten in het "
            "CRM, en de website, de facturatie en het magazijn lezen daaruit in plaats van zelf "
            "een kopie bij te houden."
        ),
        automated_processes=bullets(
            "Webaanvraag wordt order zonder overtypen",
            "Factuur vertrekt vanzelf na levering",
            "Een nieuwe klant staat meteen in alle systemen",
        ),
        connected_systems=(
            "Website, orderverwerking, CRM en facturatie koppelen via API's; de "
            "voorraaddatabase wordt vervangen door een systeem dat ook koppelt."
        ),
        biggest_gains=(
            "Geen overtypen meer op de binnendienst en geen discussie over wiens lijst klopt."
        ),
    ),
    vision_48=VisionCase(
        summary=(
            "Over vier jaar bestellen installateurs zelf online met hun eigen prijzen en "
            "voorraad, en ziet Verhaegen op één scherm hoe orders, leveringen en betalingen lopen."
        ),
        automated_processes=bullets(
            "Installateurs bestellen online met actuele voorraad",
            "Stuurcijfers komen vanzelf uit de systemen",
        ),
        connected_systems="Eén samenhangend landschap zonder eilandjes.",
        biggest_gains="Groei zonder extra mensen op de binnendienst.",
    ),
    scope=(
        ScopeCard(IN, "Website koppelen aan de orderlijst", "Het meeste overtypen zit hier."),
        ScopeCard(IN, "Facturen uit de orders", "Haalt de foute facturen weg."),
        ScopeCard(IN, "CRM als enige bron voor klanten", "Eén klant, één keer ingegeven."),
        ScopeCard(OUT, "Een nieuw ERP-pakket", "Eerst de bestaande systemen laten praten."),
        ScopeCard(OUT, "Een zesde losse tool", "Elke nieuwe tool zonder koppeling is een eiland."),
        ScopeCard(LATER, "Voorraaddatabase vervangen", "Na de koppelingen, als apart project."),
    ),
)


# Who decides, and the sales lead who fears losing the CRM pilot he set up himself.
STAKEHOLDERS = (
    StakeholderCase(
        "Kristof Verhaegen",
        "Operations manager",
        "champion",
        influence=5,
        interest=5,
        reason="Wil een strategie in plaats van nog een los project.",
        since=21,
        steering=True,
        decides=True,
        channel="meeting",
        every=14,
        email="kristof.verhaegen@example.com",
    ),
    StakeholderCase(
        "Els Peeters",
        "Hoofd binnendienst",
        "supporter",
        influence=3,
        interest=5,
        reason="Haar team typt elke order over.",
        since=21,
        steering=True,
        channel="meeting",
        every=14,
    ),
    StakeholderCase(
        "Wim De Smet",
        "Verkoopleider",
        "sceptic",
        influence=4,
        interest=3,
        reason="Zette de CRM-pilot zelf op en vreest dat die verdwijnt.",
        since=14,
        concerns="Dat zijn klantgegevens in de factuurmodule belanden.",
        channel="call",
        every=14,
    ),
)
TALKS = (
    Talk(
        "steering",
        14,
        "Stuurgroep: het landschap in kaart, vijf eilandjes",
        ("Kristof Verhaegen", "Els Peeters"),
    ),
    Talk("call", 7, "Wim gebeld: het CRM wordt de bron, niet vervangen", ("Wim De Smet",)),
    Talk(
        "meeting",
        -7,
        "Voorstel voor de eerste fase bespreken",
        ("Kristof Verhaegen", "Els Peeters", "Wim De Smet"),
    ),
)


def build(workspace: Workspace, *, users: dict[Role, Any], today: date) -> Client:
    """The five small projects of the last three years, each of which brought one of the
    islands; the audit of those islands, the client's vision, and the proposed project whose
    phases each connect two islands (changing them, so no phase makes a new island)."""
    project = make_project(workspace, CASE, users)
    make_stakeholders(project, STAKEHOLDERS, TALKS, today=today)
    systems = make_landscape(project.client, SYSTEMS, INTEGRATIONS)
    actor = project.manager
    for n, (slug, name, request, system) in enumerate(EARLIER):
        # One every seven months, the last ended half a year ago: three years of small steps.
        started = month(today, -7 * (len(EARLIER) - n) - 2)
        _earlier_project(project, slug, name, request, systems[system], started)
    for n, (title, value, kpi, changes) in enumerate(PHASES):
        phase = services.phase_create(
            project=project,
            actor=actor,
            title=title,
            goal=value,
            standalone_value=value,
            vision_horizon=24,
            vision_contribution=CASE.serves_vision,
            start_month=month(today, 1 + 2 * n),
            weeks=8,
            budget=Decimal(20_000 + 4_000 * n),
            kpis=[kpi.fields(baseline_on=month(today))],
        )
        for name in changes:
            landscape_services.phase_system_save(
                phase=phase, system=systems[name], change="changes"
            )
    return project.client


PHASES = (
    (
        "Webaanvragen rechtstreeks in de orderlijst",
        "De binnendienst typt geen prijsaanvraag meer over, ook als er niets volgt.",
        RETYPING,
        ("Website met catalogus", "Orderlijst in Excel"),
    ),
    (
        "Facturen uit de orders",
        "Facturen vertrekken uit de order zelf: minder fouten, sneller betaald.",
        WRONG_INVOICES,
        ("Orderlijst in Excel", "Digitale factuurmodule"),
    ),
    (
        "Klanten één keer ingeven: het CRM als bron",
        "Een klant is overal dezelfde; geen drie lijsten meer bijwerken.",
        CUSTOMER_ENTRY,
        ("CRM-pilot", "Digitale factuurmodule"),
    ),
)


# The five small projects, oldest first: each a success on its own, none part of a strategy.
EARLIER = (
    ("website", "Nieuwe website met catalogus", "Een website waar installateurs de "
     "catalogus zien en een prijs aanvragen.", "Website met catalogus"),
    ("orderlijst", "Gedeelde orderlijst", "Eén orderlijst voor de binnendienst in plaats "
     "van briefjes.", "Orderlijst in Excel"),
    ("crm-pilot", "CRM-pilot voor de verkoop", "De vertegenwoordigers houden hun klanten "
     "en bezoeken bij.", "CRM-pilot"),
    ("facturatie", "Digitale facturatie", "Facturen digitaal versturen in plaats van per "
     "post.", "Digitale factuurmodule"),
    ("voorraad", "Voorraaddatabase voor het magazijn", "Weten wat er per locatie in het "
     "magazijn ligt.", "Voorraaddatabase"),
)  # fmt: skip


def _earlier_project(
    current: Project, slug: str, name: str, request: str, system: Any, started: date
) -> None:
    """One small project of before, closed: one phase that brought its system, a success on
    its own, serving no vision (there was none: "we lossen symptomen op")."""
    actor = current.manager
    earlier = project_services.project_create(
        workspace=current.workspace,
        client=current.client,
        slug=slug,
        name=name,
        request=request,
        goals=[request],
        manager=actor,
        language="nl",
    )
    phase = services.phase_create(
        project=earlier,
        actor=actor,
        title=name,
        goal=request,
        standalone_value=request,
        start_month=started,
        weeks=8,
        budget=Decimal(15_000),
        status="done",
    )
    landscape_services.phase_system_save(phase=phase, system=system, change="introduces")
    for status in (Project.Status.DELIVERY, Project.Status.AFTERCARE, Project.Status.CLOSED):
        project_services.project_move(
            project=earlier, to_status=status, reason="Opgeleverd vóór Koers."
        )
