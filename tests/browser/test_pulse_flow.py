"""A pulse round end to end in Chromium: answered on a phone, read by the project manager."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from django_scopes import scopes_disabled
from playwright.sync_api import BrowserContext, expect

from koers.pulse import services
from koers.pulse.models import Answer
from koers.pulse.signals import STEPS

pytestmark = pytest.mark.browser

NewContext = Callable[..., BrowserContext]
LogIn = Callable[[BrowserContext, Any], None]
PHONE = {"width": 390, "height": 844}
BLOCKING = {"serious", "critical"}


def test_answer_on_a_phone_then_see_results_and_the_watermelon(
    new_context: NewContext, log_in: LogIn, cast: Any
) -> None:
    with scopes_disabled():
        round = services.round_create(
            project=cast.project,
            actor=cast.owner,
            title="Golf 1: hoe gaat het?",
            closes_at=timezone.now() + timedelta(days=3),
            ask_department=True,
            departments="Verkoop\nWinkel",
        )
        services.round_open(round=round)
        link = round.public_links.get()
        # Four colleagues answered already: one more and the results may be shown.
        for n in range(4):
            services.answer_submit(
                round=round,
                form_key=f"earlier-{n}",
                values={step.value: 2 for step in STEPS} | {"department": "Winkel"},
                language="nl",
            )
        services.status_update_save(
            project=cast.project, actor=cast.owner, week=timezone.localdate(), status="green"
        )

    # On a phone, in Dutch, without logging in, without JavaScript.
    phone = new_context(viewport=PHONE, is_mobile=True, has_touch=True, java_script_enabled=False)
    page = phone.new_page()
    response = page.goto(f"/a/{link.token}/")
    assert response is not None and response.status == 200
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.locator("h1")).to_have_text("Golf 1: hoe gaat het?")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    # Each answer's words whole: a label on one line, as wide as its text needs.
    broken = page.evaluate(
        """[...document.querySelectorAll('.point .label')].filter(label => {
            const lines = label.getClientRects().length;
            const height = label.getBoundingClientRect().height;
            return lines > 1 || height > 1.6 * parseFloat(getComputedStyle(label).lineHeight);
        }).map(label => label.textContent)"""
    )
    assert not broken, f"answer labels broken over lines on a phone: {broken}"
    for fieldset in page.locator("fieldset.scale").all()[:5]:
        fieldset.locator("label.point", has_text="2").first.click()
    page.locator("textarea").first.fill("Ik weet niet waar mijn bestanden straks staan.")
    page.select_option("select", "Winkel")
    page.locator("button[type=submit]").click()
    expect(page.locator(".done h1")).to_be_visible()
    assert "Ik weet niet waar" not in page.content()  # nobody's answers are shown back
    with scopes_disabled():
        assert Answer.objects.filter(round=round).count() == 5

    # Accessible on the phone, with JavaScript on for the checker only.
    checked = new_context(viewport=PHONE).new_page()
    checked.goto(f"/a/{link.token}/")
    violations = [
        v["id"] for v in Axe().run(checked).response["violations"] if v["impact"] in BLOCKING
    ]
    assert not violations, violations

    # The project manager sees the result, the barrier point and the watermelon.
    desk = new_context(locale="en-GB")
    log_in(desk, cast.owner)
    manager = desk.new_page()
    manager.goto(f"/w/acme/p/cloud/pulse/{round.number}/")
    expect(manager.locator("#results-title")).to_be_visible()
    expect(manager.locator("main")).to_contain_text("5 answers so far")
    expect(manager.locator("tr.barrier")).to_have_count(1)
    expect(manager.locator(".open-answers")).to_have_count(0)  # only once the round closes
    manager.get_by_role("button", name="Close the round").click()
    expect(manager.locator(".open-answers")).to_contain_text("Ik weet niet waar mijn bestanden")
    manager.goto("/w/acme/p/cloud/pulse/")
    expect(manager.locator(".signal.is-watermelon")).to_be_visible()
    manager.goto("/w/acme/")
    expect(manager.locator("main")).to_contain_text("Watermelon")
