"""The demo's content: the five cases of METHOD.md as clients and projects, in Dutch.

The cases are plain data (see CASES); `build_cases` writes them through the project services,
so the scope canvas history reads as if a project manager had filled it in.
Names, e-mail addresses and phone numbers are fictional. Phone numbers have a subscriber part
that starts with 0, which neither Belgium nor the Netherlands hands out.
"""

from dataclasses import asdict, dataclass
from typing import Any

from koers.projects import services
from koers.projects.models import Project, ScopeItem, Vision
from koers.workspaces.models import Client, ContactPerson, Country, Role, Workspace

# Stable project slugs: later features (phases, waves, stakeholders) attach to these.
ORDER_TO_CASH = "order-to-cash"
MODERNE_WERKPLEK = "moderne-werkplek"
ERP_GENT = "erp-gent"
ZORG_UITROL = "zorg-uitrol"
PRODUCTTEAM_GEMEENTE = "productteam-gemeente"

# The client guest (guest@example.com) reads the projects of this project's client.
GUEST_PROJECT = ORDER_TO_CASH

IN = ScopeItem.Column.IN
OUT = ScopeItem.Column.OUT
LATER = ScopeItem.Column.LATER


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


def bullets(*items: str) -> str:
    """Join items as a list the project pages show line by line."""
    return "\n".join(f"- {item}" for item in items)


def paragraphs(*texts: str) -> str:
    return "\n\n".join(texts)


ORDER_TO_CASH_CASE = Case(
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
    slug=ORDER_TO_CASH,
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
        "Sneller betaald worden: gemiddelde betaaltermijn van 54 naar 42 dagen",
        "Voldoen aan de Belgische verplichting tot e-facturatie via Peppol voor B2B-facturen",
        "Groeien zonder extra mensen op de binnendienst",
    ),
    current_situation=paragraphs(
        "Offertes worden gemaakt in een Word-sjabloon. De prijzen komen uit een Excel-lijst die "
        "Kristof elke maand met de hand bijwerkt uit de prijslijsten van zes leveranciers. Een "
        "offerte kost gemiddeld 45 minuten en ligt vaak vier werkdagen te wachten.",
        "Vaste klanten bestellen per telefoon, per mail en steeds vaker via WhatsApp naar de gsm "
        "van de binnendienst. Elke bestelling wordt overgetypt in Exact Online. De voorraad staat "
        "in een Access-databank uit 2009 die alleen de vorige IT-partner kon aanpassen.",
        "Facturen vertrekken één keer per week als pdf per mail. Herinneringen worden verstuurd "
        "als er tijd voor is; de gemiddelde betaaltermijn is 54 dagen bij een betalingsvoorwaarde "
        "van 30 dagen.",
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
        "Verschoven na de workshop met de binnendienst: zes leveranciers, vier "
        "bestandsformaten. Eerst één eigen prijslijst die klopt, daarna pas automatische import.",
    ),
)


MODERNE_WERKPLEK_CASE = Case(
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
    slug=MODERNE_WERKPLEK,
    name="Moderne werkplek voor 800 medewerkers",
    status=Project.Status.DELIVERY,
    managed_by=Role.OWNER,
    request=(
        "Onze werkplekken moeten veiliger en iedereen moet overal kunnen werken. En graag alles "
        "in één keer live: liever één spannend weekend dan maandenlang gefaseerd uitrollen."
    ),
    goals=(
        "MFA en beheerde apparaten voor alle 800 medewerkers: eis van de cyberverzekeraar bij "
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
        "Laptops worden met de hand ingespoeld vanaf een image uit 2019; een nieuwe laptop "
        "klaarzetten kost de servicedesk ongeveer drie uur. Bestanden staan op een fileserver "
        "met 40 afdelingsschijven. Buiten kantoor werkt alles via een VPN die op maandagochtend "
        "regelmatig vol zit.",
        "MFA staat alleen aan voor de directie en IT. De servicedesk verwerkt gemiddeld 350 "
        "tickets per maand; een derde daarvan gaat over wachtwoorden en de VPN.",
    ),
    tried_before=paragraphs(
        "Microsoft Teams is eerder in één weekend voor iedereen aangezet, zonder pilot en zonder "
        "instructies. Op maandag kwamen er 140 tickets binnen, afdelingen maakten hun eigen teams "
        "met dubbele namen en de buitendienst bleef in WhatsApp-groepen werken.",
        "Die ervaring maakt de IT-afdeling sceptisch over een nieuwe big bang, terwijl de directie "
        "juist snel klaar wil zijn. Een plan van de vorige IT-partner voor een volledige migratie "
        "in één weekend is daarom nooit uitgevoerd.",
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
            "Pas zinvol als de rechten in SharePoint na de migratie zijn opgeschoond.",
        ),
    ),
    move=ScopeMove(
        "Tablets van de buitendienst in Intune",
        LATER,
        "Verschoven na de workshop met de buitendienst: de leverancier van de planningsapp "
        "ondersteunt Intune-beheer pas in een volgende versie. Tot dan blijven de tablets in het "
        "huidige beheer.",
    ),
)


# Status "planning", not "closed": the cancelled EUR 180,000 ERP project is this client's
# history, told honestly in tried_before and answered by the out-of-scope cards. The demo
# project is the restart done right, so that the phases added later can show the method's
# guardrails (at most 12 weeks, EUR 15-50K, standalone value) holding where they were missing.
ERP_GENT_CASE = Case(
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
    slug=ERP_GENT,
    name="ERP-herstart in kleine stappen",
    status=Project.Status.PLANNING,
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
        "Uren worden op papieren werkbonnen geschreven en op vrijdag overgetypt. De voorraad "
        "grondstof (staf en plaat) wordt één keer per maand geteld; tussendoor gaat iemand even "
        "in de hal kijken.",
        "De boekhouding draait in WinBooks, via een extern boekhoudkantoor. Lonen en HR lopen "
        "via het sociaal secretariaat. Ordergegevens staan op vier plaatsen, en geen ervan is "
        "volledig.",
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
            "WinBooks en het boekhoudkantoor werken; vervangen geeft risico zonder winst.",
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
        "Verschoven na de workshop met werkvoorbereiding en productie: zonder betrouwbare uren "
        "en voorraad plant het systeem op verkeerde gegevens. Eerst de basis, dan plannen.",
    ),
)


ZORG_UITROL_CASE = Case(
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
    slug=ZORG_UITROL,
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
        "Zorgmedewerkers zijn binnen 10 seconden in het ECD, met hun personeelspas",
        "Elke handeling in het ECD is herleidbaar tot één persoon",
        "Minder wachtwoordresets: nu ongeveer 300 per maand bij de servicedesk",
    ),
    current_situation=paragraphs(
        "Op de zorgposten van de negen locaties staan 160 gedeelde pc's. Per afdeling is er één "
        "account (zoals 'afdeling-deweide') waarmee iedereen inlogt; het wachtwoord hangt op een "
        "briefje in de kast van de zorgpost. In het ECD logt iedere medewerker daarna nog eens "
        "apart in.",
        "Een dienst begint vaak met vier à vijf minuten inloggen, en de pc's blijven de hele "
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
            "Accounts worden aangemaakt en geblokkeerd vanuit het HR-systeem bij in- en uitdienst",
            "Wachtwoordresets via selfservice, met MFA",
        ),
        connected_systems=(
            "Het HR-systeem voedt de accounts; het ECD gebruikt single sign-on op het persoonlijke "
            "account. De passen voor de deuren en voor de pc's komen uit hetzelfde passysteem."
        ),
        biggest_gains=(
            "Vier à vijf minuten minder inloggen per dienst voor ongeveer 700 zorgmedewerkers, "
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


PRODUCTTEAM_GEMEENTE_CASE = Case(
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
    slug=PRODUCTTEAM_GEMEENTE,
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


CASES = (
    ORDER_TO_CASH_CASE,
    MODERNE_WERKPLEK_CASE,
    ERP_GENT_CASE,
    ZORG_UITROL_CASE,
    PRODUCTTEAM_GEMEENTE_CASE,
)


def _make_client(workspace: Workspace, case: ClientCase) -> Client:
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


def _make_project(workspace: Workspace, client: Client, case: Case, manager: Any) -> Project:
    project = services.project_create(
        workspace=workspace,
        client=client,
        slug=case.slug,
        name=case.name,
        request=case.request,
        goals=list(case.goals),
        current_situation=case.current_situation,
        tried_before=case.tried_before,
        manager=manager,
        language="nl",
    )
    for horizon, text in (
        (Vision.Horizon.MONTHS_24, case.vision_24),
        (Vision.Horizon.MONTHS_48, case.vision_48),
    ):
        project.visions.filter(horizon=horizon).update(**asdict(text))
    items = {
        card.title: services.scope_item_add(
            project=project, actor=manager, column=card.column, title=card.title, reason=card.reason
        )
        for card in case.scope
    }
    if case.move:
        item = items[case.move.title]
        services.scope_item_move(
            item=item,
            actor=manager,
            column=case.move.column,
            position=project.scope_items.filter(column=case.move.column).count(),
        )
        services.scope_item_edit(
            item=item, actor=manager, title=item.title, reason=case.move.reason
        )
    # Demo set-up: put the project straight at its stage instead of walking the lifecycle.
    project.status = case.status
    project.save(update_fields=["status", "updated_at"])
    return project


def build_cases(*, workspace: Workspace, owner: Any, manager: Any) -> Client:
    """Make the five clients and their projects; return the client the guest may read."""
    managers = {Role.OWNER: owner, Role.MANAGER: manager}
    clients = {}
    for case in CASES:
        client = _make_client(workspace, case.client)
        _make_project(workspace, client, case, managers[case.managed_by])
        clients[case.slug] = client
    return clients[GUEST_PROJECT]
