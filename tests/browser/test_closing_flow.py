"""Closing the loop in Chromium: hand over with a shadow period, record a lesson, see it at the
intake of a new project, send the client's evaluation, answer it on a phone without logging
in, and see the score."""

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, expect

pytestmark = pytest.mark.browser

NewContext = Callable[..., BrowserContext]
LogIn = Callable[[BrowserContext, Any], None]
PHONE = {"width": 375, "height": 740}


def test_hand_over_learn_take_along_and_hear_the_client(
    new_context: NewContext, log_in: LogIn, cast: Any
) -> None:
    context = new_context()  # Dutch
    log_in(context, cast.member)
    page = context.new_page()

    # The handover with a shadow period.
    page.goto("/w/acme/p/cloud/aftercare/handover/edit/")
    page.fill("#id_runbook-owner", "Servicedesk")
    page.select_option("#id_runbook-state", "done")
    page.fill("#id_shadow-shadow_start", "2030-03-01")
    page.fill("#id_shadow-shadow_end", "2030-03-14")
    page.fill("#id_shadow-backup", "Sam (project) vangt de servicedesk op")
    page.locator("main form.form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/aftercare/handover/$"))
    expect(page.locator("main")).to_contain_text("1 maart 2030")
    expect(page.locator("main")).to_contain_text("Sam (project) vangt de servicedesk op")

    # A lesson learned.
    page.goto("/w/acme/p/cloud/aftercare/lessons/new/")
    lesson = "Meet de wachttijd aan de kassa al voor de start"
    page.fill("#id_title", lesson)
    page.fill("#id_try_next", "Een nulmeting in de eerste week.")
    page.fill("#id_tags", "kassa, meten")
    page.locator("main form.form button[type=submit]").click()
    expect(page.locator("main")).to_contain_text(lesson)

    # A new project of the same client: its intake points to the lesson.
    page.goto(f"/w/acme/p/new/?client={cast.client.slug}")
    page.fill("#id_name", "Nieuwe kassa's")
    page.fill("#id_slug", "kassa")
    page.fill("#id_request", "Nieuwe kassa's in alle winkels.")
    page.fill("#id_goals", "Kortere wachttijd aan de kassa")
    page.locator("main form.form button[type=submit]").click()
    page.goto("/w/acme/p/kassa/intake/")
    page.locator("main a[href='/w/acme/p/kassa/aftercare/lessons/']").first.click()
    matches = page.locator("section[aria-labelledby=matches-h]")
    expect(matches).to_contain_text(lesson)
    matches.get_by_role("button", name=re.compile("Meenemen|Take along", re.I)).first.click()
    expect(page.locator("section[aria-labelledby=taken-h]")).to_contain_text(lesson)

    # The client's evaluation: a link, answered on a phone without logging in.
    page.goto("/w/acme/p/cloud/aftercare/evaluations/")
    page.locator("main form[action$='/evaluations/send/'] button").click()
    link = page.locator("#evaluation-link").inner_text()
    phone = new_context(viewport=PHONE, locale="nl-BE").new_page()
    phone.goto(link)
    expect(phone.locator("h1")).to_contain_text("Naar de cloud")
    expect(phone.locator("link[rel=stylesheet][href^='http']")).to_have_count(0)
    phone.get_by_role("button").click()  # nothing chosen: the score is asked for
    expect(phone.locator(".error-summary")).to_be_visible()
    phone.locator("input[name=score][value='8']").check()
    phone.fill("#id_what_next", "De webshop koppelen")
    phone.get_by_role("button").click()
    expect(phone.locator("h1")).to_contain_text(re.compile("Dank", re.I))
    phone.reload()  # the same link again: answered, not a second form
    expect(phone.locator("form")).to_have_count(0)

    page.goto("/w/acme/p/cloud/aftercare/evaluations/")
    expect(page.locator("main")).to_contain_text("8/10")
    expect(page.locator("main")).to_contain_text("De webshop koppelen")
    page.goto(f"/w/acme/c/{cast.client.slug}/evaluations/")
    expect(page.locator("table")).to_contain_text("Naar de cloud")
