"""A decision end to end in Chromium: logged as proposed on the decision log, shown there as
needed, and on the status report beside the update's own text; made later, it leaves both
and is marked as not yet communicated."""

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, expect

pytestmark = pytest.mark.browser

NewContext = Callable[..., BrowserContext]
LogIn = Callable[[BrowserContext, Any], None]
SCREENS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screens"


def test_a_decision_is_needed_on_the_log_and_the_report_until_it_is_made(
    new_context: NewContext, log_in: LogIn, cast: Any
) -> None:
    context = new_context()  # Dutch
    log_in(context, cast.member)
    page = context.new_page()
    page.goto("/w/acme/p/cloud/decisions/")
    page.get_by_role("link", name="Besluit vastleggen").click()
    title = "Gaat de servicedesk mee in de pilot?"
    page.fill("#id_title", title)
    page.fill("#id_due_on", "2030-05-01")
    page.fill("#id_reasons", "De servicedesk krijgt straks de vragen.")
    page.locator("form.form button[type=submit]").click()
    expect(page.locator("h2")).to_contain_text(title)

    page.goto("/w/acme/p/cloud/decisions/")
    needed = page.locator("section[aria-labelledby=needed-h]")
    expect(needed).to_contain_text(title)
    expect(needed).to_contain_text(re.compile("nodig uiterlijk 1 mei 2030", re.IGNORECASE))
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENS / "decision-log-1280.png", full_page=True)

    page.goto("/w/acme/p/cloud/pulse/report/")
    expect(page.locator(".decisions-needed")).to_contain_text(title)

    # Made: no longer needed anywhere, and marked as not yet told.
    page.goto("/w/acme/p/cloud/decisions/")
    page.get_by_role("link", name=title).first.click()
    page.get_by_role("link", name="Wijzigen").click()
    page.select_option("#id_status", "decided")
    page.fill("#id_decided_on", "2030-04-20")
    page.fill("#id_decided_by", "Stuurgroep")
    page.fill("#id_note", "Besproken in de stuurgroep")
    page.locator("form.form button[type=submit]").click()
    expect(page.locator("ol.cards")).to_contain_text("Besproken in de stuurgroep")
    expect(page.locator("main")).to_contain_text("Nog niet gecommuniceerd")
    page.goto("/w/acme/p/cloud/pulse/report/")
    expect(page.locator(".report")).not_to_contain_text(title)
