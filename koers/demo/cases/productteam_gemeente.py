"""Government: a municipality's first product team, still at the intake.

METHOD.md §6: start small in one team or service and let success speak; avoid new silos;
agile procurement in short contracts aimed at delivered value; product teams need real
decision power. The case has an intake, visions and a scope canvas, and no plan yet.
"""

from datetime import date, timedelta
from typing import Any

from koers.products import services as product_services
from koers.products.models import Contract
from koers.projects.models import Project
from koers.stakeholders.models import Stakeholder
from koers.workspaces.models import Country, Role, Workspace

from ..common import (
    IN,
    LATER,
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
    make_landscape,
    make_project,
    make_stakeholders,
    month,
    paragraphs,
)

SLUG = "productteam-gemeente"
KPIS: tuple[KpiCase, ...] = ()  # no plan yet, so no KPI

CASE = Case(
    client=ClientCase(
        slug="gemeente-lindewaard",
        name="Gemeente Lindewaard",
        country=Country.NETHERLANDS,
        sector="Overheid (gemeente)",
        notes=(
            "Gemeente met ongeveer 52.000 inwoners. Het Klant Contact Centrum (KCC) en de afdeling "
            "Beheer openbare ruimte behandelen samen zo'n 9.000 meldingen per jaar. Opdrachtgever "
            "is de directeur Dienstverlening. Het MT wil productgericht werken eerst in één team "
            "beproeven voordat het breder wordt ingevoerd."
        ),
        contacts=(
            Contact(
                "Hanneke Smits",
                "hanneke.smits@example.com",
                "Directeur Dienstverlening",
                "+31 40 000 6620",
            ),
            Contact(
                "Jeroen Bakker",
                "jeroen.bakker@example.com",
                "Informatieadviseur, beoogd product owner",
                "+31 40 000 6634",
            ),
        ),
    ),
    slug=SLUG,
    name="Productteam Meldingen openbare ruimte",
    status=Project.Status.INTAKE,
    managed_by=Role.OWNER,
    request=(
        "We willen als gemeente meer productgericht en wendbaar werken, zoals de grote steden. "
        "Maar we weten niet goed waar we moeten beginnen, en de vorige aanbesteding heeft ons "
        "voorzichtig gemaakt."
    ),
    goals=(
        "Een melder weet binnen één werkdag dat de melding is ontvangen en wie ze oppakt",
        "Doorlooptijd van een eenvoudige melding (losse stoeptegel, kapotte lantaarnpaal) van "
        "gemiddeld 19 naar 7 werkdagen",
        "Geen nieuwe silo: meldingen komen in het bestaande zaaksysteem, niet in een nieuw pakket",
        "Aantonen dat een productteam met eigen beslisruimte sneller resultaat haalt, als basis "
        "voor een MT-besluit over meer teams",
        "Inkopen in korte opdrachten die worden afgerekend op opgeleverde waarde",
    ),
    current_situation=paragraphs(
        "Meldingen komen binnen via vier kanalen: telefoon naar het KCC, een webformulier dat een "
        "mail naar een algemene postbus stuurt, een meldingen-app van een externe leverancier en "
        "de balie. Het KCC typt de meldingen over in het zaaksysteem; de buitendienst krijgt een "
        "geprinte werkbon.",
        "Of een melding is afgehandeld, hoort de melder meestal niet. Een kwart van de "
        "telefoontjes naar het KCC over de openbare ruimte gaat over een eerdere melding: 'Is er "
        "al iets mee gedaan?'",
        "Vier systemen met vier waarheden: de app, de postbus, het zaaksysteem en de planning "
        "van de buitendienst in Excel.",
    ),
    tried_before=paragraphs(
        "Enkele jaren geleden is via een Europese aanbesteding een compleet digitaal loket "
        "ingekocht, met een contract van vier jaar en een programma van eisen dat twee jaar voor "
        "de livegang was vastgelegd. Bij de oplevering waren de eisen achterhaald en een deel van "
        "de functies is nooit gebruikt.",
        "Een agile proef binnen de afdeling ICT liep vast omdat het team geen mandaat had: elk "
        "besluit moest langs het MT, dat eens per zes weken vergaderde.",
    ),
    bottleneck=(
        "Contracten van drie jaar en een aanbesteding die alles vastlegt: er is niemand die "
        "tussendoor mag bijsturen."
    ),
    behaviour_change=(
        "Een productowner die zelf beslist wat eerst komt, en een team dat elke twee weken "
        "laat zien wat er werkt."
    ),
    smallest_version=(
        "Meldingen over losliggende stoeptegels in één wijk, van melding tot afgehandeld, met"
        " de buitendienst van die wijk."
    ),
    serves_vision="Wendbaar werken per product: meldingen openbare ruimte als eerste product.",
    vision_24=VisionCase(
        summary=(
            "Over twee jaar werkt Lindewaard met twee of drie productteams die elk "
            "verantwoordelijk zijn voor een dienst aan inwoners, te beginnen met meldingen "
            "openbare ruimte. Het team bepaalt zelf de volgorde van verbeteringen, meet de "
            "resultaten en laat elke maand zien wat het heeft opgeleverd."
        ),
        automated_processes=bullets(
            "Meldingen uit webformulier en app komen rechtstreeks als zaak in het zaaksysteem",
            "De melder krijgt automatisch bericht bij ontvangst, bij inplannen en bij afhandeling",
            "De buitendienst ontvangt werkorders digitaal op een tablet en meldt af op locatie",
        ),
        connected_systems=(
            "Het bestaande zaaksysteem is de bron voor elke melding. Webformulier, app en de "
            "planning van de buitendienst koppelen via de ZGW API's aan het zaaksysteem, in lijn "
            "met Common Ground. Er komt geen losse applicatie met een eigen database bij."
        ),
        biggest_gains=(
            "Een kwart minder herhaalde telefoontjes naar het KCC, geen overtypen van meldingen, "
            "en een veel kortere doorlooptijd voor eenvoudige meldingen."
        ),
    ),
    vision_48=VisionCase(
        summary=(
            "Over vier jaar is productgericht werken de gewone manier van werken in de "
            "dienstverlening aan inwoners. Productteams hebben een vast budget en mandaat, inkoop "
            "gebeurt in korte opdrachten op basis van resultaat, en besluiten worden genomen en "
            "vastgelegd waar het werk gebeurt."
        ),
        automated_processes=bullets(
            "Elk product uit de productencatalogus heeft een digitaal aanvraag- of meldproces "
            "met statusinformatie",
            "Sturingsinformatie over doorlooptijden en tevredenheid komt automatisch uit het "
            "zaaksysteem",
            "Inwoners zien de status van al hun zaken op één plek in de persoonlijke "
            "internetpagina",
        ),
        connected_systems=(
            "Een samenhangend landschap volgens Common Ground: gegevens blijven bij de bron en "
            "worden via API's gedeeld. Nieuwe toepassingen worden alleen ingekocht als ze "
            "aansluiten op het zaaksysteem en de open standaarden."
        ),
        biggest_gains=(
            "Minder dubbele systemen en licenties, kortere doorlooptijden in de hele "
            "dienstverlening, en inkoopbudget dat naar aantoonbare resultaten gaat in plaats van "
            "naar dikke bestekken."
        ),
    ),
    scope=(
        ScopeCard(
            IN,
            "Eén product: meldingen openbare ruimte",
            "Veel volume, zichtbaar voor inwoners, en overzichtelijk genoeg om klein te beginnen.",
        ),
        ScopeCard(
            IN,
            "Productteam met eigen beslisruimte",
            "Product owner, KCC, buitendienst en informatieadviseur; zonder mandaat loopt het "
            "vast, zoals bij de vorige proef.",
        ),
        ScopeCard(
            IN,
            "Webformulier en app koppelen aan het zaaksysteem",
            "Haalt het overtypen weg en voorkomt een nieuwe silo.",
        ),
        ScopeCard(
            IN,
            "Automatische statusberichten aan de melder",
            "Een kwart van de telefoontjes naar het KCC gaat over de status van een melding.",
        ),
        ScopeCard(
            IN,
            "Inkoop als opdracht van drie maanden met verlengingsoptie",
            "Afrekenen op opgeleverde waarde in plaats van op een vooraf vastgelegd programma "
            "van eisen.",
        ),
        ScopeCard(
            OUT,
            "Nieuw meldingen- of zaaksysteem aanschaffen",
            "Het bestaande zaaksysteem volstaat; een nieuw pakket wordt een nieuwe silo.",
        ),
        ScopeCard(
            OUT,
            "Alle gemeentelijke producten tegelijk",
            "Eerst laten zien dat het in één team werkt; dat is de les van het digitale loket.",
        ),
        ScopeCard(
            OUT,
            "Eigen gemeentelijke app bouwen",
            "Inwoners gebruiken het webformulier en de bestaande app; een extra kanaal lost niets "
            "op.",
        ),
        ScopeCard(
            LATER,
            "Tweede productteam voor vergunningen",
            "Besluit van het MT na de evaluatie van het eerste team.",
        ),
        ScopeCard(
            LATER,
            "Openbaar dashboard met meldingen per wijk",
            "Eerst moeten de gegevens in het zaaksysteem kloppen.",
        ),
    ),
)


# The people around the first product team: purchasing is careful after the last tender.
STAKEHOLDERS = (
    StakeholderCase(
        "Hanneke Smits",
        "Directeur Dienstverlening",
        "supporter",
        influence=5,
        interest=4,
        reason="Wil productgericht werken eerst in één team beproeven.",
        since=30,
        steering=True,
        decides=True,
        channel="meeting",
        every=14,
        email="hanneke.smits@example.com",
        phone="+31 40 000 6620",
    ),
    StakeholderCase(
        "Jeroen Bakker",
        "Informatieadviseur, beoogd product owner",
        "champion",
        influence=3,
        interest=5,
        reason="Wil product owner worden van de meldingen openbare ruimte.",
        since=30,
        steering=True,
        channel="call",
        every=7,
        email="jeroen.bakker@example.com",
        phone="+31 40 000 6634",
    ),
    StakeholderCase(
        "Mariska de Graaf",
        "Senior inkoopadviseur",
        "sceptic",
        influence=4,
        interest=3,
        reason="Na de vorige aanbesteding: wil eerst weten hoe korte contracten passen.",
        since=25,
        concerns="Een contract dat te vroeg vastligt, of juist een dat niet aanbesteed is.",
        channel="meeting",
        every=14,
    ),
    StakeholderCase(
        "Frank Postma",
        "Wethouder Dienstverlening",
        "neutral",
        influence=5,
        interest=2,
        reason="Volgt het op afstand; wil het resultaat voor inwoners zien.",
        since=30,
        channel="mail",
        every=30,
    ),
)
TALKS = (
    Talk(
        "steering",
        10,
        "Stuurgroep: aftrap, één productteam voor de meldingen",
        ("Hanneke Smits", "Jeroen Bakker"),
    ),
    Talk("call", 18, "Mariska gebeld over korte contracten", ("Mariska de Graaf",)),
    Talk(
        "demo",
        -14,
        "Demo van de eerste versie van het meldingenformulier",
        ("Hanneke Smits", "Jeroen Bakker", "Mariska de Graaf", "Frank Postma"),
    ),
)


# The landscape audit (seed 004: technical debt, duplicated systems, outdated workflows): the
# public-space team handles reports in an app of its own beside the central case system, the
# contact centre re-types reports into it, and its planning sheet only reaches that app.
SYSTEMS = (
    SystemCase(
        "Zaaksysteem", "Zaakafhandeling", "Informatievoorziening", 180, "hosted", "keep",
        3, 95000, "zaken, documenten, besluiten",
    ),
    SystemCase(
        "Meldingen-app BOR", "zaakafhandeling", "Beheer openbare ruimte", 40, "saas", "replace",
        4, 18000, "meldingen openbare ruimte, foto's, status",
    ),
    SystemCase(
        "Klantcontactsysteem KCC", "Klantcontact", "Klant Contact Centrum", 35, "hosted",
        "improve", 3, 32000, "contactmomenten, terugbelverzoeken",
    ),
    SystemCase(
        "Website en e-formulieren", "Digitale dienstverlening", "Communicatie", 6, "saas",
        "keep", 2, 24000, "ingediende formulieren",
    ),
    SystemCase(
        "Gegevensmagazijn", "Basisgegevens", "Informatievoorziening", 20, "on_premises", "keep",
        2, 41000, "personen, adressen, gebouwen (BRP, BAG)",
    ),
    SystemCase(
        "Planning buitendienst (Excel)", "Planning buitendienst", "Beheer openbare ruimte", 15,
        "desktop", "retire", 5, None, "werkorders, ploegen",
    ),
)  # fmt: skip
INTEGRATIONS = (
    IntegrationCase("Website en e-formulieren", "Zaaksysteem", "api", "realtime", "formulieren"),
    IntegrationCase("Gegevensmagazijn", "Zaaksysteem", "api", "daily", "personen en adressen"),
    IntegrationCase("Klantcontactsysteem KCC", "Zaaksysteem", "api", "realtime", "meldingen"),
    IntegrationCase("Zaaksysteem", "Meldingen-app BOR", "manual", "daily", "meldingen"),
    IntegrationCase(
        "Meldingen-app BOR", "Planning buitendienst (Excel)", "file", "weekly", "werkorders"
    ),
)


# Run as a product (METHOD.md §6): a product owner who decides the order of the work alone,
# a small team, one district's public-space reports first, and a first contract of twelve
# weeks, no longer than one phase.
TEAM = (
    ("Jeroen Bakker", "Product owner"),
    ("Sevda Yilmaz", "Klantcontactmedewerker KCC"),
    ("Ruud Hendriks", "Opzichter buitendienst wijk Noord"),
    ("Lotte Verbeek", "Informatieadviseur en koppelingen"),
)
OUTCOMES = (
    ("Een melder weet binnen één werkdag dat de melding is ontvangen", 24),
    ("Een eenvoudige melding is binnen 7 werkdagen afgehandeld", 24),
    ("Het MT besluit op basis van resultaten over een tweede productteam", 48),
)


def make_product(project: Project, today: date) -> None:
    owner = Stakeholder.objects.get(client=project.client, name="Jeroen Bakker")
    product = product_services.product_save(
        project=project,
        owner=owner,
        owner_decides_alone=True,
        owner_mandate=(
            "Bepaalt zelf de volgorde van het werk en wat het team elke twee weken oplevert, "
            "binnen het budget van het kwartaal; niet over contracten of personeel."
        ),
        starts_in="Meldingen openbare ruimte in wijk Noord, met de buitendienst van die wijk",
    )
    for name, role in TEAM:
        product_services.member_add(product=product, name=name, role=role)
    visions = {v.horizon: v for v in project.client.visions.all()}
    for text, horizon in OUTCOMES:
        product_services.outcome_add(product=product, text=text, vision=visions[horizon])
    start = month(today, 1)
    product_services.contract_add(
        product=product,
        kind=Contract.Kind.SUPPLIER,
        party="Leverancier koppelingen (nog te gunnen)",
        role="Webformulier en app koppelen aan het zaaksysteem",
        starts_on=start,
        ends_on=start + timedelta(weeks=12, days=-1),
    )


def build(workspace: Workspace, *, users: dict[Role, Any], today: date) -> Project:
    """Make the case: the intake, the landscape and the product team; planning starts after
    the MT's go."""
    project = make_project(workspace, CASE, users)
    make_stakeholders(project, STAKEHOLDERS, TALKS, today=today)
    make_landscape(project.client, SYSTEMS, INTEGRATIONS)
    make_product(project, today)
    return project
