"""A go over a failing gate, end to end in Chromium: the wave page refuses it without a
justification and names what failed; with one it is recorded, and the status report shows it."""

import re
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django_scopes import scopes_disabled
from playwright.sync_api import BrowserContext, expect

from koers.rollout.models import Gate, SupportLoad, Wave

pytestmark = pytest.mark.browser

NewContext = Callable[..., BrowserContext]
LogIn = Callable[[BrowserContext, Any], None]


def test_a_go_over_a_failing_gate_is_justified_and_on_the_report(
    new_context: NewContext, log_in: LogIn, cast: Any
) -> None:
    with scopes_disabled():
        wave = Wave.objects.create(
            project=cast.project,
            number=1,
            label="Golf 1",
            kind=Wave.Kind.DEPARTMENT,
            departments=["Verkoop"],
            status=Wave.Status.EVALUATING,
            start_on=date(2030, 3, 4),
            end_on=date(2030, 3, 4),
            days=[["2030-03-04", 40]],
            size=40,
        )
        Gate.objects.create(wave=wave)
        SupportLoad.objects.create(project=cast.project, wave=wave, day=date(2030, 3, 4), tickets=0)
    context = new_context(locale="en-GB")
    log_in(context, cast.member)
    page = context.new_page()
    page.goto(f"/w/acme/p/cloud/rollout/waves/{wave.pk}/")
    verdict = page.locator("section.gate [data-testid=gate-verdict]")
    expect(verdict).to_have_attribute("data-outcome", "not_measured")
    tickets = verdict.locator("[data-code=tickets]")
    expect(tickets).to_have_attribute("data-outcome", "met")  # 0 tickets recorded is a value
    expect(tickets).to_contain_text("0.0")

    # The evaluation finds one blocking item: the gate fails on it.
    page.locator("section.gate details summary").click()
    page.fill("#id_open_blocking", "1")
    page.locator("form[action$='/gate/'] button[type=submit]").click()
    expect(verdict).to_have_attribute("data-outcome", "failed")
    blocking = verdict.locator("[data-code=blocking]")
    expect(blocking).to_have_attribute("data-outcome", "failed")
    expect(blocking).to_contain_text("1 (max 0)")

    # A go without a justification is refused, naming what failed; the wave stays open.
    page.locator("form.decide input[value=go]").check()
    page.fill("form.decide #id_notes", "Door naar golf 2.")
    page.locator("form.decide button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("justification")
    expect(page.locator(".messages")).to_contain_text("blocking feedback 1 (max 0)")
    expect(page.locator("h2 .wave-status")).to_have_class(re.compile("status-evaluating"))

    # With a justification the go is recorded, closes the wave, and shows who and why.
    why = "De melding is een printerdriver; de servicedesk rolt de fix uit met golf 2."
    page.locator("form.decide input[value=go]").check()
    page.fill("form.decide #id_notes", "Door naar golf 2.")
    page.fill("form.decide #id_justification", why)
    page.locator("form.decide button[type=submit]").click()
    expect(page.locator("h2 .wave-status")).to_have_class(re.compile("status-done"))
    expect(page.locator("ul.decisions [data-testid=gate-justification]")).to_contain_text(why)

    # The wave board and the status report show the same verdict and the justification.
    page.goto("/w/acme/p/cloud/rollout/")
    expect(page.locator("table.waves [data-testid=gate-verdict]")).to_have_attribute(
        "data-outcome", "failed"
    )
    expect(page.locator("table.waves [data-testid=gate-justification]")).to_contain_text(why)
    page.goto("/w/acme/p/cloud/pulse/report/")
    report = page.locator("section.report-rollout")
    expect(report.locator("[data-testid=gate-verdict]")).to_have_attribute("data-outcome", "failed")
    expect(report.locator("[data-testid=gate-justification]")).to_contain_text(why)
