"""A stakeholder in Chromium: add an opponent to the client and the project, log a call with
them, and see the last contact on the grid's table, the grid's point reachable by keyboard."""

from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import BrowserContext, expect

pytestmark = pytest.mark.browser

NewContext = Callable[..., BrowserContext]
LogIn = Callable[[BrowserContext, Any], None]


def test_add_an_opponent_log_a_call_and_see_the_last_contact(
    new_context: NewContext, log_in: LogIn, cast: Any
) -> None:
    context = new_context(locale="en-GB")
    log_in(context, cast.member)
    page = context.new_page()
    page.goto("/w/acme/c/bakkerij/stakeholders/new/")
    page.fill("#id_name", "Lieve Vanacker")
    page.fill("#id_job_title", "CEO")
    page.fill("#id_email", "lieve@example.be")
    page.fill("#id_phone", "bel me")  # refused: not a phone number
    page.locator("form.form button[type=submit]").click()
    expect(page.locator("#id_phone")).to_have_value("bel me")
    page.fill("#id_phone", "+32 9 000 27 14")
    page.locator("form.form button[type=submit]").click()
    expect(page.get_by_test_id("stakeholders")).to_contain_text("Lieve Vanacker")

    page.goto("/w/acme/p/cloud/stakeholders/add/")
    page.select_option("#id_stakeholder", label="Lieve Vanacker")
    page.select_option("#id_stance", "opponent")
    page.fill("#id_influence", "5")
    page.fill("#id_reason", "Wil alles in één keer")
    page.locator("form.form button[type=submit]").click()
    expect(page.get_by_test_id("overdue")).to_contain_text("never contacted")
    row = page.get_by_test_id("stakeholder-table").get_by_role("row", name="Lieve Vanacker")
    expect(row).to_contain_text("never")

    page.get_by_test_id("overdue").get_by_role("link", name="Log contact").click()
    expect(page.locator("#id_kind")).to_have_value("call")
    page.fill("#id_subject", "Gebeld over fase 1")
    page.get_by_label("Lieve Vanacker").check()
    page.locator("form.form button[type=submit]").click()
    expect(page.get_by_test_id("communications")).to_contain_text("Gebeld over fase 1")

    page.goto("/w/acme/p/cloud/stakeholders/")
    expect(page.locator("text=Nobody is overdue for contact.")).to_be_visible()
    today = timezone.localdate()
    expect(row).to_contain_text(f"{today.day} {today:%b} {today.year}")
    point = page.locator("svg.stakeholder-grid a")
    expect(point).to_have_attribute(
        "aria-label", "Lieve Vanacker: Opponent, influence 5, interest 3"
    )
    point.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("stance-history")).to_contain_text("Wil alles in één keer")
