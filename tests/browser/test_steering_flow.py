"""People and decisions end to end in Chromium: a decision logged as needed is on the agenda
of the steering group's meeting, taken there in the minutes, and Koers then proposes it as a
small win beside a KPI that was met; the KPI is celebrated in a demo."""

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import BrowserContext, expect

from koers.roadmap.tests.conftest import good_kpi, make_phase

pytestmark = pytest.mark.browser

NewContext = Callable[..., BrowserContext]
LogIn = Callable[[BrowserContext, Any], None]


def test_a_needed_decision_is_taken_in_the_steering_group_and_a_kpi_met_is_celebrated(
    new_context: NewContext, log_in: LogIn, cast: Any
) -> None:
    today = timezone.localdate()
    make_phase(
        cast.project,
        title="Offertetool",
        kpis=[good_kpi(name="Tijd per offerte", actual=Decimal(18), actual_on=today)],
    )
    context = new_context()  # Dutch
    log_in(context, cast.member)
    page = context.new_page()
    title = "Gaat de servicedesk mee in de pilot?"
    page.goto("/w/acme/p/cloud/decisions/new/")
    page.fill("#id_title", title)
    page.locator("form.form button[type=submit]").click()
    expect(page.locator("h2")).to_contain_text(title)

    page.goto("/w/acme/p/cloud/steering/")
    page.get_by_role("link", name="Vergadering plannen").click()
    page.fill("#id_on", today.isoformat())
    page.locator("form.form button[type=submit]").click()
    agenda = page.get_by_test_id("agenda")
    expect(agenda).to_contain_text(title)
    expect(agenda).to_contain_text("Offertetool")

    page.fill("#id_minutes", "De servicedesk gaat mee in de pilot.")
    page.get_by_label(title).check()
    page.locator("form[action$='/minutes/'] button[type=submit]").click()
    expect(page.get_by_test_id("taken")).to_contain_text(title)
    expect(page.get_by_test_id("agenda")).not_to_contain_text(title)

    page.goto("/w/acme/p/cloud/wins/")
    proposals = page.get_by_test_id("proposals")
    expect(proposals).to_contain_text(f"Besloten: {title}")
    kpi = proposals.locator("li", has_text="KPI gehaald: Tijd per offerte (Offertetool)")
    kpi.get_by_role("link", name="Vieren").click()
    page.fill("#id_message", "Offertes in 18 minuten in plaats van 50.")
    page.get_by_label("In een live demo (vastgelegd als gedaan)").check()
    page.locator("form.form button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("Offertes in 18 minuten in plaats van 50.")
    page.goto("/w/acme/p/cloud/wins/timeline/")
    timeline = page.get_by_test_id("timeline")
    expect(timeline).to_contain_text("KPI gehaald: Tijd per offerte")
    expect(timeline).to_contain_text(title)
