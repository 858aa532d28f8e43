"""Think big: an Antwerp wholesaler with five small successes and no digital strategy.

Seed 003: over three years, five small IT projects (a new website here, a CRM pilot there, a
digital invoice module somewhere else), each a success on its own, and still five systems
that do not talk to each other: "digitale eilandjes die elk hun eigen waarheid hebben". The
case is the landscape audit before any project: five digital islands, people re-typing
orders and customers between them, and where modernising pays most. No project yet, so it
is not one of the project cases (`MODULES`): the demo builds it beside them.
"""

from datetime import date
from typing import Any

from koers.workspaces.models import Client, Country, Role, Workspace

from ..common import (
    ClientCase,
    Contact,
    IntegrationCase,
    SystemCase,
    make_client,
    make_landscape,
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


def build(workspace: Workspace, *, users: dict[Role, Any], today: date) -> Client:
    client = make_client(workspace, CLIENT)
    make_landscape(client, SYSTEMS, INTEGRATIONS)
    return client
