"""The landscape audit end to end in Chromium: two systems that do not talk are two digital
islands on the map; joined by an API they are one group and the islands are gone; a phase
that brings a third system nothing talks to is warned about on the plan."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django_scopes import scopes_disabled
from playwright.sync_api import BrowserContext, expect

from koers.roadmap.tests.conftest import make_phase

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
