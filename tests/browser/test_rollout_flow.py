"""The rollout, end to end in Chromium: import people (four of whom have left, and a birth
date column) through the mapping step, see the first ring, choose a pilot, swap one person,
plan the waves and pass the first gate."""

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, expect

from koers.population.tests.factories import HEADER, csv_bytes, people_rows

pytestmark = pytest.mark.browser

NewContext = Callable[..., BrowserContext]
LogIn = Callable[[BrowserContext, Any], None]


def test_import_choose_a_pilot_swap_plan_and_pass_a_gate(
    new_context: NewContext, log_in: LogIn, cast: Any
) -> None:
    context = new_context()
    log_in(context, cast.member)
    page = context.new_page()

    # Import: upload a semicolon CSV with a BOM, check the suggested columns, import.
    page.goto("/w/acme/c/bakkerij/people/import/")
    rows = [
        [*row, "Uit dienst" if n < 4 else "In dienst", f"19{70 + n}-05-01"]
        for n, row in enumerate(people_rows(44))
    ]
    header = [*HEADER, "Status", "Geboortedatum"]
    data = b"\xef\xbb\xbf" + csv_bytes(rows, header, delimiter=";")
    page.set_input_files(
        "#id_file", files=[{"name": "hr.csv", "mimeType": "text/csv", "buffer": data}]
    )
    page.locator("main form.form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/people/import/\d+/$"))
    expect(page.locator("table.preview tbody tr")).to_have_count(5)
    expect(page.locator("#id_map_key")).to_have_value("Personeelsnummer")
    expect(page.locator("#id_map_department")).to_have_value("Afdeling")
    expect(page.locator("#id_map_status")).to_have_value("Status")
    # The birth dates are named as sensitive and not kept unless ticked: left unticked.
    expect(page.locator("[data-testid=sensitive-warning]")).to_contain_text("Geboortedatum")
    expect(page.locator("input[name=keep][value=Geboortedatum]")).not_to_be_checked()
    page.locator("main form.mapping button[type=submit]").click()
    expect(page.locator("[data-testid=created]")).to_have_text("44")
    expect(page.locator("[data-testid=leavers-note]")).to_contain_text("4")
    page.goto("/w/acme/c/bakkerij/people/")
    expect(page.locator("[data-testid=leavers-tab]")).to_contain_text("4")
    expect(page.locator("main")).not_to_contain_text("1970-05-01")  # the birth dates are gone

    # Pilot: choose five, representative over department and location, after the first ring
    # (the IT department of the file).
    page.goto("/w/acme/p/cloud/rollout/pilot/")
    page.fill("#id_size", "5")
    page.locator("form.pilot-form button[type=submit]").click()
    rows = page.locator("table.pilot-members tbody tr")
    expect(rows).to_have_count(5)
    expect(page.locator("[data-testid=likeness]")).to_be_visible()
    expect(page.locator("[data-testid=ring-size]")).not_to_have_text("0")
    expect(page.locator("table.ring-departments")).to_contain_text("IT")

    # Swap one person out: the best stand-in comes in, the pilot stays five.
    leaving = rows.nth(0).locator("td").nth(0).inner_text().split("\n")[0].strip()
    rows.nth(0).locator("form.swap button").click()
    expect(rows).to_have_count(5)
    expect(page.locator("table.pilot-members")).not_to_contain_text(leaving)

    # Settings and the plan: 20 people a working day from a Monday in 2030.
    page.goto("/w/acme/p/cloud/rollout/settings/")
    page.fill("#id_start_on", "2030-03-04")
    page.fill("#id_capacity", "20")
    page.locator("main form.form button.primary[type=submit]").first.click()
    expect(page).to_have_url(re.compile(r"/rollout/$"))
    page.locator("form[action$='/rollout/plan/'] button").click()
    waves = page.locator("table.waves tbody tr")
    expect(waves.first).to_contain_text("2030-W10")
    assert waves.count() >= 2

    # The first wave is the first ring (IT), before the pilot's: start it, evaluate it, and
    # pass its gate with a recorded go.
    waves.first.locator("a").click()
    page.locator("form[action$='/start/'] button").click()
    expect(page.locator("h2 .wave-status")).to_have_class(re.compile("status-active"))
    page.locator("form[action$='/evaluate/'] button").click()
    page.locator("form.decide input[value=go]").check()
    page.fill("form.decide #id_notes", "Geen blokkerende feedback; door naar golf 1.")
    # Understanding was not measured in the pilot: a go says why it goes anyway.
    page.fill("form.decide #id_justification", "Begrip niet gemeten; pilot belt servicedesk.")
    page.locator("form.decide button[type=submit]").click()
    expect(page.locator("h2 .wave-status")).to_have_class(re.compile("status-done"))
    expect(page.locator("ul.decisions")).to_contain_text("Geen blokkerende feedback")
    expect(page.locator("ul.decisions [data-testid=gate-justification]")).to_contain_text(
        "Begrip niet gemeten"
    )
