"""Bring a plan in instead of typing it, in Chromium: upload MS Project XML, see the draft and
its guardrail findings, adjust a phase, leave one out, and save; see the project on the
portfolio with its next moment, and download the roadmap as a PNG for a slide."""

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from koers.roadmap.models import Phase
from koers.roadmap.tests.planfile_samples import mspdi, mspdi_task

from .conftest import LogIn, NewContext

pytestmark = pytest.mark.browser

PLAN = "/w/acme/p/cloud/plan/"
BLOCKING = {"serious", "critical"}


def test_import_adjust_and_save_a_plan(
    new_context: NewContext, log_in: LogIn, cast: Any, tmp_path: Path
) -> None:
    file = tmp_path / "klantplan.xml"
    file.write_bytes(
        mspdi(
            [
                mspdi_task(1, "Verkenning", 1, "2027-03-15", "2027-04-09", summary=True),
                mspdi_task(2, "Interviews", 2, "2027-03-15", "2027-04-09", cost="1000000"),
                mspdi_task(3, "Pilot loket", 1, "2027-04-12", "2027-06-04", links=[(2, 1)]),
                mspdi_task(4, "Livegang pilot", 1, "2027-06-07", "2027-06-07", milestone=True),
            ]
        )
    )
    context = new_context()
    log_in(context, cast.member)
    page = context.new_page()
    page.goto(PLAN)
    page.get_by_role("link", name="Plan importeren").click()
    page.set_input_files("#id_file", str(file))
    page.get_by_role("button", name="Bestand inlezen").click()

    # The draft: two phases with their notes and findings; nothing saved yet.
    cards = page.locator(".phase-card")
    expect(cards).to_have_count(2)
    expect(cards.first).to_contain_text("15 maart 2027")
    expect(cards.first.locator(".finding[data-rule=budget-outside-range]")).to_be_visible()
    results = Axe().run(page)
    blocking = [v["id"] for v in results.response["violations"] if v["impact"] in BLOCKING]
    assert not blocking, blocking
    with scopes_disabled():
        assert not Phase.objects.filter(project=cast.project).exists()

    # Adjust the first phase, check again: its budget finding is gone. Leave the second out.
    page.fill("#id_phase-0-title", "Verkenning digitale balie")
    page.fill("#id_phase-0-budget", "20000")
    page.get_by_role("button", name="Opnieuw controleren").click()
    expect(cards.first.locator(".finding[data-rule=budget-outside-range]")).to_have_count(0)
    page.uncheck("#id_phase-1-include")
    page.get_by_role("button", name="Opslaan in het plan").click()

    expect(page.locator(".phase-card h3", has_text="Verkenning digitale balie")).to_be_visible()
    expect(page.locator(".phase-card")).to_have_count(1)
    with scopes_disabled():
        phase = Phase.objects.get(project=cast.project)
        assert (phase.budget, phase.weeks) == (Decimal(20000), 4)
        assert phase.milestones.count() == 0 and cast.project.milestones.count() == 1

    # The workspace's home, the portfolio: the project with the imported milestone as its
    # next moment.
    page.goto("/w/acme/")
    row = page.locator("[data-testid=portfolio-row]", has_text=cast.project.name)
    expect(row).to_contain_text("Livegang pilot")
    expect(row).to_contain_text("Verkenning digitale balie")

    # The roadmap as an image for a slide.
    page.goto(PLAN + "roadmap/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Afbeelding voor een dia (PNG)").click()
    image = download.value
    assert image.suggested_filename.endswith(".png")
    assert Path(image.path()).read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
