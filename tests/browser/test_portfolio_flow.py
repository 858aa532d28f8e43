"""The portfolio in Chromium: open the workspace home, filter by client, read the reason a
project needs attention, and open the project."""

import re
from collections.abc import Callable
from typing import Any

import pytest
from django_scopes import scopes_disabled
from playwright.sync_api import BrowserContext, expect

from koers.portfolio.tests.test_portfolio import months_ago, watermelon
from koers.roadmap.tests.conftest import make_phase
from tests.factories import make_project

pytestmark = pytest.mark.browser

NewContext = Callable[..., BrowserContext]
LogIn = Callable[[BrowserContext, Any], None]


def test_filter_the_portfolio_by_client_see_the_reason_and_open_the_project(
    new_context: NewContext, log_in: LogIn, cast: Any
) -> None:
    with scopes_disabled():
        hall = make_project(cast.other_client, slug="raadhuis", name="Raadhuis")
    make_phase(hall, title="Offertetool", start_month=months_ago(8), status="active")
    watermelon(cast.project)
    context = new_context(locale="en-GB")
    log_in(context, cast.member)
    page = context.new_page()
    page.goto("/w/acme/")
    rows = page.get_by_test_id("portfolio-row")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Naar de cloud")  # the watermelon first
    expect(rows.first.get_by_test_id("portfolio-reason")).to_contain_text(
        "Reported green, measured red"
    )

    page.get_by_label("Client").select_option(label="Gemeente Aa")
    page.get_by_role("button", name="Show").click()
    expect(rows).to_have_count(1)
    expect(rows.first.get_by_test_id("portfolio-reason")).to_have_text("1 phase late")
    expect(page.get_by_label("Client")).to_have_value("gemeente")

    rows.first.get_by_role("link", name="Raadhuis").click()
    expect(page).to_have_url(re.compile(r"/w/acme/p/raadhuis/$"))
    expect(page.locator("h1")).to_contain_text("Raadhuis")
