"""Personal links end to end: mailed by Koers, answered on phones, counted for the team.

The mails go to Django's in-memory outbox (the test run's mail backend, as the console
backend would print them); the test takes each person's link from their own mail.
"""

import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone
from django_scopes import scopes_disabled
from playwright.sync_api import BrowserContext, expect

from koers.population.models import Person
from koers.pulse import services
from koers.pulse.models import Answer
from koers.rollout.models import Wave, WaveMember

pytestmark = pytest.mark.browser

NewContext = Callable[..., BrowserContext]
LogIn = Callable[[BrowserContext, Any], None]
PHONE = {"width": 390, "height": 844}
LINK = re.compile(r"https?://[^/\s]+(/a/p/[^/\s]+/)")
NAMES = ["Anna Smit", "Bram de Wit", "Chris Peters"]


def test_mail_the_links_answer_on_three_phones_and_the_team_sees_only_counts(
    new_context: NewContext, log_in: LogIn, cast: Any
) -> None:
    with scopes_disabled():
        wave = Wave.objects.create(
            project=cast.project,
            number=1,
            label="Golf 1",
            kind=Wave.Kind.DEPARTMENT,
            departments=["Winkel"],
            start_on=date.today(),
            end_on=date.today(),
        )
        for n, name in enumerate(NAMES):
            person = Person.objects.create(
                client=cast.client,
                key=f"w{n}",
                name=name,
                email=f"{name.split()[0].lower()}@bakkerij.example",
                department="Winkel",
            )
            WaveMember.objects.create(wave=wave, person=person, live_on=date.today())
        round = services.round_create(
            project=cast.project,
            actor=cast.owner,
            title="Golf 1: hoe gaat het?",
            closes_at=timezone.now() + timedelta(days=3),
            wave=wave,
        )
        services.round_open(round=round)

    # The project member asks Koers to mail the links; the page never shows one.
    desk = new_context(locale="en-GB")
    log_in(desk, cast.member)
    team = desk.new_page()
    team.goto(f"/w/acme/p/cloud/pulse/{round.number}/")
    team.get_by_role("button", name="Mail the personal links").click()
    expect(team.locator(".messages")).to_contain_text("Links mailed: 3")
    team.get_by_role("button", name="Mail the personal links").click()  # a second click
    assert sorted(m.to[0] for m in mail.outbox) == [
        "anna@bakkerij.example",
        "bram@bakkerij.example",
        "chris@bakkerij.example",
    ]
    links = {m.to[0]: LINK.search(str(m.body)) for m in mail.outbox}
    assert all(links.values()), [m.body for m in mail.outbox]

    # Each person answers from their own mail, on a phone, in Dutch, without JavaScript.
    for n, found in enumerate(links.values()):
        assert found is not None
        phone = new_context(
            viewport=PHONE, is_mobile=True, has_touch=True, java_script_enabled=False
        )
        page = phone.new_page()
        response = page.goto(found[1])
        assert response is not None and response.status == 200
        expect(page.locator("h1")).to_have_text("Golf 1: hoe gaat het?")
        assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
        expect(page.locator("input:checked")).to_have_count(0)  # an empty form
        for fieldset in page.locator("fieldset.scale").all()[:5]:
            fieldset.locator("label.point", has_text=str(2 + n)).first.click()
        page.locator("button[type=submit]").click()
        expect(page.locator(".done h1")).to_be_visible()
    with scopes_disabled():
        assert Answer.objects.filter(round=round).count() == 3

    # The team sees counts, no person, no link, and no figures below five answers.
    team.reload()
    counts = team.locator("[data-testid=mail-counts]")
    expect(counts).to_contain_text("Invited")
    assert dict(
        zip(
            counts.locator("dt").all_inner_texts(),
            counts.locator("dd").all_inner_texts(),
            strict=True,
        )
    ) == {
        "Invited": "3",
        "Answered": "3",
        "Reminders": "0",
        "Mail failed": "0",
        "No e-mail address": "0",
    }
    html = team.content()
    for name in NAMES:
        assert name not in html and name.split()[0].lower() + "@" not in html
    assert "/a/p/" not in html
    expect(team.locator("table.scores")).to_have_count(0)
    expect(team.locator("#results-title ~ .notice").first).to_contain_text("five answers")
    assert team.evaluate("document.scrollingElement.scrollWidth") <= team.viewport_size["width"]
