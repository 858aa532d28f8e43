"""The method's worked case: a West-Flemish SME modernises order-to-cash in three phases.

METHOD.md §2: phase 1, 8 weeks, a quote tool linked to the existing bookkeeping (60% less
time on quotes); phase 2, 10 weeks, online ordering for regular customers (40% less
administrative hassle); phase 3, 12 weeks, automated invoicing and follow-up (payment term
12 days shorter). The first two are done and met; the third is under way today.
"""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from koers.landscape import services as landscape_services
from koers.projects.models import Project
from koers.roadmap import services
from koers.roadmap.models import Milestone, Phase
from koers.workspaces.models import Country, Role, Workspace

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
    ScopeMove,
    StakeholderCase,
    SystemCase,
    Talk,
    VisionCase,
    backdate_revision,
    bullets,
    deliver,
    figure,
    last_day,
    make_landscape,
    make_project,
    make_stakeholders,
    month,
    paragraphs,
)

SLUG = "order-to-cash"

# The intake's figures, and the KPIs measured from them (60% and 40% less, 12 days shorter).
QUOTE_MINUTES = figure(45, "45 minuten")
ORDER_MINUTES = figure(25, "25 minuten")
PAYMENT_DAYS = figure(54, "54 dagen")
PAYMENT_TARGET = figure(42, "42 dagen")
QUOTE_TIME = KpiCase("Tijd per offerte", "min", LOWER, QUOTE_MINUTES, Decimal(18))
ORDER_TIME = KpiCase("Administratie per bestelling", "min", LOWER, ORDER_MINUTES, Decimal(15))
PAYMENT_TERM = KpiCase("Gemiddelde betaaltermijn", "dagen", LOWER, PAYMENT_DAYS, PAYMENT_TARGET)
KPIS = (QUOTE_TIME, ORDER_TIME, PAYMENT_TERM)

CASE = Case(
    client=ClientCase(
        slug="mandelbeek",
        name="Mandelbeek Installatietechniek",
        country=Country.BELGIUM,
        sector="Groothandel en installatie (sanitair en verwarming)",
        notes=(
            "Familiebedrijf in Roeselare, tweede generatie, 35 medewerkers. Groothandel in "
            "sanitair en verwarming met eigen installatieploegen. Ongeveer 120 vaste klanten: "
            "installateurs en aannemers uit de regio Roeselare, Izegem en Tielt. De boekhouding "
            "zit in Exact Online en wordt gevoerd door een extern boekhoudkantoor. Beslissingen "
            "neemt de zaakvoerder; de binnendienst (4 personen) is de sleutelgroep."
        ),
        contacts=(
            Contact(
                "Griet Vanhoutte", "griet.vanhoutte@example.be", "Zaakvoerder", "+32 51 00 14 27"
            ),
            Contact(
                "Kristof Demeyere",
                "kristof.demeyere@example.be",
                "Verantwoordelijke binnendienst",
                "+32 51 00 14 31",
            ),
        ),
    ),
    slug=SLUG,
    name="Order-to-cash digitaliseren",
    status=Project.Status.DELIVERY,
    managed_by=Role.MANAGER,
    request=(
        "Onze offertes, bestellingen en facturen moeten digitaal. We verdrinken in Excel en "
        "papier, en de binnendienst kan het werk niet meer aan."
    ),
    goals=(
        "Offertes binnen één werkdag bij de klant, in plaats van na gemiddeld vier werkdagen",
        "Bestellingen van vaste klanten niet meer overtypen: minder fouten en minder "
        "rompslomp voor de binnendienst",
        f"Sneller betaald worden: gemiddelde betaaltermijn van {PAYMENT_DAYS} naar "
        f"{PAYMENT_TARGET}",
        "Voldoen aan de Belgische verplichting tot e-facturatie via Peppol voor B2B-facturen",
        "Groeien zonder extra mensen op de binnendienst",
    ),
    current_situation=paragraphs(
        "Offertes worden gemaakt in een Word-sjabloon. De prijzen komen uit een Excel-lijst die "
        "Kristof elke maand met de hand bijwerkt uit de prijslijsten van zes leveranciers. Een "
        f"offerte kost gemiddeld {QUOTE_MINUTES} werk en ligt vaak vier werkdagen te wachten.",
        "Vaste klanten bestellen per telefoon, per mail en steeds vaker via WhatsApp naar de gsm "
        f"van de binnendienst. Elke bestelling wordt overgetypt in Exact Online en nagekeken: "
        f"gemiddeld {ORDER_MINUTES} administratie per bestelling. De voorraad staat in een "
        "Access-databank uit 2009 die alleen de vorige IT-partner kon aanpassen.",
        "Facturen vertrekken één keer per week als pdf per mail. Herinneringen worden verstuurd "
        f"als er tijd voor is; de gemiddelde betaaltermijn is {PAYMENT_DAYS} bij een "
        "betalingsvoorwaarde van 30 dagen.",
        "Drie systemen (Word en Excel, Access, Exact Online) met elk hun eigen klant- en "
        "artikelgegevens: niemand weet zeker welke prijs de juiste is.",
    ),
    tried_before=paragraphs(
        "Enkele jaren geleden liet het bedrijf een webshop bouwen voor vaste klanten. Die was niet "
        "gekoppeld aan de prijslijst of de voorraad: klanten bestelden aan verouderde prijzen en "
        "artikelen die niet op stock waren, en de binnendienst typte elke webbestelling alsnog "
        "over. Na zes maanden is de webshop offline gehaald.",
        "Daarna volgde een CRM-pakket in proefabonnement. Dat werd na twee maanden niet meer "
        "bijgehouden: het was een vierde plek om klantgegevens in te vullen.",
        "De zaakvoerder vat het zelf samen: 'Elk los project werkte op zich, maar ons werk werd "
        "er niet lichter van.'",
    ),
    bottleneck=(
        "De binnendienst typt elke bestelling twee keer over: van de offerte in Excel naar de"
        " boekhouding. De tijd gaat zitten in het overtypen, niet in het systeem."
    ),
    behaviour_change=(
        "Offertes alleen nog uit het offertesjabloon maken, nooit meer een kopie van een oude"
        " offerte."
    ),
    smallest_version=(
        "Een offertetool met vaste prijzen voor de tien meest verkochte installaties: de tijd"
        " per offerte halveert."
    ),
    serves_vision="Van offerte tot factuur zonder overtypen: het hart van de automatisering.",
    vision_24=VisionCase(
        summary=(
            "Over twee jaar loopt een bestelling van offerte tot betaling door één keten, zonder "
            "overtypen. De binnendienst maakt een offerte in minuten, vaste klanten bestellen zelf "
            "online aan hun eigen prijzen, en facturen en herinneringen vertrekken automatisch via "
            "Peppol."
        ),
        automated_processes=bullets(
            "Offerte opmaken uit één centrale prijslijst, met klantspecifieke kortingen",
            "Een aanvaarde offerte wordt met één klik een order in Exact Online",
            "Vaste klanten bestellen via het bestelportaal; de order komt rechtstreeks in de "
            "boekhouding",
            "Facturen vertrekken dagelijks via Peppol; herinneringen na 7 en 21 dagen gaan "
            "automatisch",
        ),
        connected_systems=(
            "Exact Online is de bron voor klanten, artikelen en prijzen. De offertetool en het "
            "bestelportaal lezen en schrijven via de standaard-API van Exact; klant- en "
            "artikelgegevens worden nergens anders meer bijgehouden. De Access-databank is alleen "
            "nog raadpleegbaar."
        ),
        biggest_gains=(
            "60% minder tijd aan offertes, 40% minder administratieve rompslomp bij bestellingen, "
            "en een betaaltermijn die gemiddeld 12 dagen korter is. Samen maakt dat ongeveer één "
            "voltijdse kracht op de binnendienst vrij voor klantcontact."
        ),
    ),
    vision_48=VisionCase(
        summary=(
            "Over vier jaar werken klanten, binnendienst en installatieploegen met dezelfde "
            "gegevens. Voorraad, bestellingen bij leveranciers en de planning van installaties "
            "hangen aan dezelfde keten, en het bedrijf kan 30% groeien zonder extra "
            "administratieve functie."
        ),
        automated_processes=bullets(
            "Bestelvoorstellen aan leveranciers zodra een artikel onder de minimumvoorraad zakt",
            "Prijslijsten van leveranciers worden automatisch ingelezen in de centrale prijslijst",
            "Installatieploegen registreren materiaal en uren op de gsm; die gaan rechtstreeks "
            "naar de factuur",
            "Onderhoudscontracten worden automatisch ingepland en gefactureerd",
        ),
        connected_systems=(
            "Exact Online blijft de kern, met gekoppelde modules voor voorraad en planning. Het "
            "bestelportaal toont de actuele voorraad. De Access-databank is uitgefaseerd. "
            "Leveranciers sturen facturen elektronisch via Peppol."
        ),
        biggest_gains=(
            "Minder spoedbestellingen door voorraadbreuk, geen vergeten meerwerk op installaties, "
            "en een binnendienst die verkoopt in plaats van overtypt."
        ),
    ),
    scope=(
        ScopeCard(
            IN,
            "Digitale offertetool gekoppeld aan Exact Online",
            "Grootste tijdverlies vandaag; levert op zichzelf al waarde op (fase 1).",
        ),
        ScopeCard(
            IN,
            "Eén centrale prijslijst voor offerte, bestelling en factuur",
            "Zonder één waarheid over prijzen herhalen we de fout van de losse webshop.",
        ),
        ScopeCard(
            IN,
            "Online bestelportaal voor de 120 vaste klanten",
            "Haalt het overtypen van telefoon-, mail- en WhatsApp-bestellingen weg (fase 2).",
        ),
        ScopeCard(
            IN,
            "Automatische facturatie via Peppol, met herinneringen",
            "Kortere betaaltermijn en wettelijk verplicht voor B2B-facturen (fase 3).",
        ),
        ScopeCard(
            IN,
            "Prijslijsten van leveranciers automatisch inlezen",
            "Kristof verliest elke maand een werkdag aan het bijwerken van prijzen.",
        ),
        ScopeCard(
            OUT,
            "Boekhoudpakket vervangen",
            "Exact Online werkt en het boekhoudkantoor kent het; vervangen geeft risico zonder "
            "winst.",
        ),
        ScopeCard(
            OUT,
            "Webshop voor particulieren",
            "Mandelbeek verkoopt alleen aan installateurs en aannemers.",
        ),
        ScopeCard(
            OUT,
            "Nieuwe website",
            "Staat los van order-to-cash; de huidige site volstaat voorlopig.",
        ),
        ScopeCard(
            LATER,
            "Access-voorraaddatabank vervangen door een voorraadmodule",
            "Na fase 2: dan weten we welke voorraadinformatie het bestelportaal echt nodig heeft.",
        ),
        ScopeCard(
            LATER,
            "Planning van de installatieploegen",
            "Ander proces met andere gebruikers; eerst de administratieve keten op orde.",
        ),
    ),
    move=ScopeMove(
        "Prijslijsten van leveranciers automatisch inlezen",
        LATER,
        "De binnendienst wees het zelf aan: zes leveranciers, vier "
        "bestandsformaten. Eerst één eigen prijslijst die klopt, daarna pas automatische import.",
    ),
)


# The people around the order-to-cash steps: the accountant does not see why anything changes.
STAKEHOLDERS = (
    StakeholderCase(
        "Griet Vanhoutte",
        "Zaakvoerder",
        "champion",
        influence=5,
        interest=5,
        reason="Wil af van Excel en papier: de binnendienst kan het werk niet meer aan.",
        since=120,
        steering=True,
        decides=True,
        cares_about="Dat de binnendienst het werk weer aankan zonder extra mensen.",
        concerns="De kosten, en dat installateurs hun offerte later krijgen.",
        channel="meeting",
        email="griet.vanhoutte@example.be",
        phone="+32 51 00 14 27",
    ),
    StakeholderCase(
        "Kristof Demeyere",
        "Verantwoordelijke binnendienst",
        "supporter",
        influence=3,
        interest=5,
        reason="Zijn team typt elke bestelling twee keer over.",
        since=100,
        steering=True,
        channel="demo",
        email="kristof.demeyere@example.be",
        phone="+32 51 00 14 31",
    ),
    StakeholderCase(
        "Dirk Vandenbussche",
        "Boekhouder (extern kantoor)",
        "opponent",
        influence=3,
        interest=2,
        reason="Ziet geen reden om iets aan de koppeling met Exact Online te veranderen: "
        "'het werkt toch'.",
        since=70,
        concerns="Extra werk bij de maandafsluiting.",
        channel="call",
        every=30,
        email="dirk.vandenbussche@example.be",
    ),
    StakeholderCase(
        "Sofie Lambrecht",
        "Medewerker binnendienst",
        "sceptic",
        influence=1,
        interest=4,
        reason="Bang dat een offerte in het nieuwe pakket trager gaat dan in haar Excel.",
        since=40,
        channel="demo",
        every=21,
    ),
)
TALKS = (
    Talk("steering", 35, "Stuurgroep: offertes eerst", ("Griet Vanhoutte", "Kristof Demeyere")),
    Talk(
        "update",
        30,
        "Korte update: de eerste offertes gaan digitaal de deur uit",
        ("Griet Vanhoutte", "Kristof Demeyere", "Sofie Lambrecht"),
    ),
    Talk("call", 45, "Dirk gebeld over de koppeling met Exact Online", ("Dirk Vandenbussche",)),
    Talk(
        "demo",
        14,
        "Demo offertemodule met vragenronde voor de binnendienst",
        ("Kristof Demeyere", "Sofie Lambrecht"),
    ),
    Talk(
        "demo",
        -10,
        "Demo bestellingen, met de binnendienst en de zaakvoerder",
        ("Griet Vanhoutte", "Kristof Demeyere", "Sofie Lambrecht"),
    ),
)


def build(workspace: Workspace, *, users: dict[Role, Any], today: date) -> Project:
    """Make the case: intake, then the three phases, two done and met, the third under way."""
    project = make_project(workspace, CASE, users)
    actor = project.manager
    quotes = services.phase_create(
        project=project,
        actor=actor,
        title="Digitale offertetool",
        goal="Offertes maken in een tool die gekoppeld is aan de bestaande boekhouding.",
        standalone_value="Offertes gaan dezelfde dag de deur uit, ook als er niets volgt.",
        vision_horizon=24,
        vision_contribution="Order-to-cash loopt zonder overtypen van offerte tot betaling.",
        start_month=month(today, -6),
        weeks=8,
        budget=Decimal(22_000),
        kpis=[QUOTE_TIME.fields(baseline_on=month(today, -7))],
    )
    orders = services.phase_create(
        project=project,
        actor=actor,
        title="Online bestellen voor vaste klanten",
        goal="Vaste klanten bestellen zelf in het bestelportaal; de binnendienst typt niets over.",
        standalone_value="Minder administratieve rompslomp en minder fouten in bestellingen.",
        vision_horizon=24,
        vision_contribution="Klanten en systemen praten rechtstreeks met elkaar.",
        start_month=month(today, -4),
        weeks=10,
        budget=Decimal(28_000),
        builds_on=quotes,
        kpis=[ORDER_TIME.fields(baseline_on=month(today, -7))],
    )
    invoices = services.phase_create(
        project=project,
        actor=actor,
        title="Automatische facturatie en opvolging",
        goal="Facturen en herinneringen gaan automatisch via Peppol uit zodra er geleverd is.",
        standalone_value="Klanten betalen sneller; de cashflow verbetert meteen.",
        vision_horizon=48,
        vision_contribution="Het hele order-to-cash-proces is geautomatiseerd.",
        start_month=month(today, -1),
        weeks=12,
        budget=Decimal(35_000),
        builds_on=orders,
        kpis=[PAYMENT_TERM.fields(baseline_on=month(today, -7))],
    )
    for kind, title, on, phase, decision in [
        (Milestone.Kind.LIVE, "Offertetool live", last_day(quotes), quotes, ""),
        (
            Milestone.Kind.LIVE,
            "Bestelportaal voor vaste klanten live",
            last_day(orders),
            orders,
            "",
        ),
        (
            Milestone.Kind.FEEDBACK,
            "Binnendienst en boekhouder over de eerste facturen",
            invoices.start_month + timedelta(weeks=5),
            invoices,
            "Herinneringen na 7 of na 14 dagen?",
        ),
        (
            Milestone.Kind.COMING,
            "Automatische facturatie live",
            last_day(invoices),
            invoices,
            "Go voor automatische aanmaningen",
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
    first = services.revision_record(
        project=project,
        actor=actor,
        reason="Voorstel op één A4 gedeeld met de zaakvoerder en de boekhouder.",
    )
    backdate_revision(first, month(today, -7))
    # Phases 1 and 2 delivered and measured; phase 3 under way.
    for phase, actual in ((quotes, 17), (orders, 14)):
        deliver(phase, actor, actual=actual, actual_on=last_day(phase) + timedelta(weeks=1))
    services.phase_update(phase=invoices, actor=actor, status=Phase.Status.ACTIVE)
    second = services.revision_record(
        project=project,
        actor=actor,
        reason=(
            "Offertetool en bestelportaal opgeleverd: 60% minder tijd per offerte en 40% "
            "minder administratie per bestelling. De facturatie via Peppol is gestart."
        ),
    )
    backdate_revision(second, invoices.start_month)
    make_stakeholders(project, STAKEHOLDERS, TALKS, today=today)
    systems = make_landscape(project.client, SYSTEMS, INTEGRATIONS)
    # Think big: each phase adds a system that talks to the bookkeeping, so none is an island.
    for phase, name, change in (
        (quotes, "Offertetool", "introduces"),
        (orders, "Bestelportaal", "introduces"),
        (invoices, "Peppol-facturatie", "introduces"),
        (invoices, "Boekhouding", "changes"),
    ):
        landscape_services.phase_system_save(phase=phase, system=systems[name], change=change)
    return project


SYSTEMS = (
    SystemCase(
        "Boekhouding", "Boekhouding", "Boekhouder", 3, "saas", "keep",
        2, 1900, "klanten, facturen, betalingen",
    ),
    SystemCase(
        "Offertetool", "offertes", "Binnendienst", 4, "saas", "keep",
        1, 2400, "offertes, prijzen, klanten",
    ),
    SystemCase(
        "Bestelportaal", "Bestellen", "Verkoop", 2, "saas", "keep",
        1, 3000, "bestellingen van vaste klanten",
    ),
    SystemCase(
        "Peppol-facturatie", "Facturatie", "Boekhouder", 2, "saas", "keep",
        1, 900, "facturen, herinneringen",
    ),
)  # fmt: skip
INTEGRATIONS = (
    IntegrationCase("Offertetool", "Boekhouding", "api", "realtime", "klanten en offertes"),
    IntegrationCase("Bestelportaal", "Offertetool", "api", "realtime", "prijzen"),
    IntegrationCase("Bestelportaal", "Boekhouding", "api", "daily", "bestellingen"),
    IntegrationCase("Boekhouding", "Peppol-facturatie", "api", "daily", "facturen"),
)
