"""The landscape audit end to end in Chromium: two systems that do not talk are two digital
islands on the map; joined by an API they are one group and the islands are gone; a phase
that brings a third system nothing talks to is warned about on the plan; a second link is
typed over by hand; the client's vision is written once and both its projects are under it."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django_scopes import scopes_disabled
from playwright.sync_api import BrowserContext, expect

from koers.roadmap.tests.conftest import make_phase
from tests.factories import make_project

pytestmark = pytest.mark.browser

NewContext = Callable[..., BrowserContext]
LogIn = Callable[[BrowserContext, Any], None]
SCREENS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screens"
LANDSCAPE = "/w/acme/c/bakkerij/landscape/"


def test_two_islands_joined_by_an_api_and_a_phase_that_makes_a_new_one(
    new_context: NewContext, log_in: LogIn, cast: Any
) -> None:
    context = new_context()  # Dutch
    log_in(context, cast.member)
    page = context.new_page()
    for name, capability in (("Kassa", "Verkoop"), ("Boekhouding", "Financiën")):
        page.goto(LANDSCAPE)
        page.get_by_role("link", name="Nieuw systeem").click()
        page.fill("#id_name", name)
        page.fill("#id_capability", capability)
        page.locator("form.form button[type=submit]").click()
        expect(page.locator("table[data-testid=systems]")).to_contain_text(name)

    page.goto(LANDSCAPE + "map/")
    expect(page.locator("main")).to_contain_text("2 digitale eilandjes")
    expect(
        page.get_by_role("link", name="Kassa: Verkoop, technische schuld 1, op digitaal eilandje 1")
    ).to_be_visible()

    page.goto(LANDSCAPE + "integrations/new/")
    page.select_option("#id_source", label="Kassa")
    page.select_option("#id_target", label="Boekhouding")
    page.select_option("#id_kind", "api")
    page.locator("form.form button[type=submit]").click()
    page.goto(LANDSCAPE + "map/")
    expect(page.locator("main")).to_contain_text("0 digitale eilandjes")
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENS / "landscape-map-1280.png", full_page=True)

    with scopes_disabled():
        make_phase(cast.project, title="Webshop")
    page.goto(LANDSCAPE + "new/")
    page.fill("#id_name", "Webshop")
    page.fill("#id_capability", "verkoop")
    page.locator("form.form button[type=submit]").click()
    page.goto("/w/acme/p/cloud/landscape/")
    page.select_option("#id_link-phase", label="Webshop")
    page.select_option("#id_link-system", label="Webshop")
    page.select_option("#id_link-change", "introduces")
    page.locator("form.form button[type=submit]").click()
    page.goto("/w/acme/p/cloud/plan/")
    panel = page.locator("[data-testid=plan-landscape]")
    expect(panel).to_contain_text("nieuw digitaal eilandje")
    expect(panel).to_contain_text("een tweede waarheid")

    # A second link, by hand this time: the webshop's orders are typed over into the till.
    page.goto(LANDSCAPE + "integrations/new/")
    page.select_option("#id_source", label="Webshop")
    page.select_option("#id_target", label="Kassa")
    page.select_option("#id_kind", "manual")
    page.locator("form.form button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("Webshop")

    # The client's vision, written once, with both its projects under it.
    with scopes_disabled():
        make_project(cast.client, slug="kassa", name="Nieuwe kassa")
    page.goto("/w/acme/c/bakkerij/vision/")
    page.fill("#id_v24-summary", "Bestellingen, kassa en boekhouding kennen één waarheid.")
    page.fill("#id_v48-summary", "Elke winkel draait op dezelfde gekoppelde systemen.")
    page.get_by_role("button", name="Visie van de klant opslaan").click()
    expect(page.locator("section[aria-labelledby=vision-24]")).to_contain_text(
        "Bestellingen, kassa en boekhouding kennen één waarheid."
    )
    under = page.locator("table", has_text="Nieuwe kassa")
    expect(under).to_contain_text(cast.project.name)
