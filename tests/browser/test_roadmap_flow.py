"""Act small, end to end in Chromium: a three-phase plan, a guardrail, a revision, the roadmap
and the one-A4 proposal."""

from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django_scopes import scopes_disabled
from playwright.sync_api import Page, expect

from koers.documents.tests.conftest import A4_POINTS, pdf_pages
from koers.roadmap.models import PlanRevision

from .conftest import LogIn, NewContext

pytestmark = pytest.mark.browser

PLAN = "/w/acme/p/cloud/plan/"
SCREENS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screens"
BLOCKING = {"serious", "critical"}


def add_phase(page: Page, title: str, start: str, weeks: int, budget: int, kpi: str) -> None:
    page.goto(PLAN + "phases/new/")
    page.fill("#id_title", title)
    page.fill("#id_standalone_value", f"{title} is de moeite waard, ook als er niets volgt")
    page.select_option("#id_vision_horizon", "24")
    page.fill("#id_vision_contribution", "Order-to-cash zonder overtypen")
    page.fill("#id_start_month", start)
    page.fill("#id_weeks", str(weeks))
    page.fill("#id_budget", str(budget))
    page.fill("#id_kpi-0-name", kpi)
    page.fill("#id_kpi-0-baseline", "50")
    page.fill("#id_kpi-0-target", "20")
    page.locator("main form.phase-form button[type=submit]").click()
    expect(page.locator(".phase-card h3", has_text=title)).to_be_visible()


def no_blocking_axe_violations(page: Page) -> None:
    """Run axe on the page as loaded afresh (the flash message of the last action gone)."""
    page.reload()
    results = Axe().run(page)
    blocking = [
        f"{v['id']} at {[n['target'] for n in v['nodes']]}"
        for v in results.response["violations"]
        if v["impact"] in BLOCKING
    ]
    assert not blocking, "\n".join(blocking)


def record_revision(page: Page, reason: str) -> None:
    page.fill(".inline-revision #id_reason", reason)
    page.locator(".inline-revision button[type=submit]").click()
    expect(page.locator(".revision-list .reason", has_text=reason)).to_be_visible()


def test_plan_guardrail_revision_roadmap_and_proposal(
    new_context: NewContext, log_in: LogIn, cast: Any, tmp_path: Any
) -> None:
    context = new_context()
    log_in(context, cast.owner)
    page = context.new_page()

    # A plan of three phases; the third is longer than the method allows.
    page.goto(PLAN)
    expect(page.locator(".empty")).to_be_visible()
    add_phase(page, "Offertetool", "2026-01", 8, 22000, "Tijd per offerte")
    add_phase(page, "Online bestellen", "2026-03", 10, 28000, "Handelingen per bestelling")
    add_phase(page, "Automatische facturatie", "2026-06", 14, 35000, "Betaaltermijn")
    expect(page.locator(".phase-card")).to_have_count(3)

    # The guardrail shows on that phase; accept the deviation with a written reason.
    finding = page.locator(".phase-card", has_text="Automatische facturatie").locator(
        ".finding[data-rule=phase-too-long]"
    )
    expect(finding).to_have_class("finding finding-error")
    no_blocking_axe_violations(page)
    finding.locator("summary").click()
    finding.locator("textarea").fill("De boekhoudkoppeling vraagt twee weken extra testen")
    finding.locator("button[type=submit]").click()
    accepted = page.locator(".finding-accepted[data-rule=phase-too-long]")
    expect(accepted).to_contain_text("De boekhoudkoppeling vraagt twee weken extra testen")

    # Share the plan as revision 1, re-plan, and keep the change as revision 2 with its reason.
    page.fill(".inline-revision #id_reason", "Voorstel gedeeld met de klant")
    page.locator(".inline-revision button[type=submit]").click()
    page.goto(PLAN)
    card = page.locator(".phase-card", has_text="Online bestellen")
    card.get_by_role("link", name="Fase en KPI's wijzigen").click()
    page.fill("#id_budget", "30000")
    page.locator("main form.phase-form button[type=submit]").click()
    expect(page.locator(".revision-banner .changes li")).to_have_count(1)
    record_revision(page, "De pilot toonde dat de uitlogtijd veel te kort was")
    expect(page.locator(".revision-list > li")).to_have_count(2)
    expect(page.locator("#revision-2 details")).to_be_visible()
    with scopes_disabled():
        assert PlanRevision.objects.filter(project=cast.project).count() == 2
    no_blocking_axe_violations(page)

    # The roadmap: three bars, today's line, and the accepted deviation marked.
    page.locator(".tabs a[href$='/plan/roadmap/']").click()
    roadmap = page.locator("svg.roadmap-svg")
    expect(roadmap).to_be_visible()
    expect(roadmap.locator("text", has_text="1. Offertetool")).to_have_count(1)
    expect(roadmap.locator("text", has_text="3. Automatische facturatie")).to_have_count(1)
    no_blocking_axe_violations(page)
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENS / "roadmap-1280.png", full_page=True)

    # The proposal downloads as one A4 page.
    page.goto(PLAN)
    with page.expect_download() as download:
        page.locator(".subnav a[href$='proposal.pdf']").click()
    target = tmp_path / "voorstel.pdf"
    download.value.save_as(target)
    pdf = target.read_bytes()
    assert pdf.startswith(b"%PDF")
    [(width, height)] = pdf_pages(pdf)
    assert (round(width, 2), round(height, 2)) == A4_POINTS


def test_kpis_are_added_beyond_the_empty_rows_and_a_builds_on_overlap_is_found(
    new_context: NewContext, log_in: LogIn, cast: Any
) -> None:
    context = new_context()
    log_in(context, cast.owner)
    page = context.new_page()
    add_phase(page, "Fundament", "2026-01", 12, 22000, "Storingen per week")

    page.goto(PLAN + "phases/new/")
    page.fill("#id_title", "Bovenbouw")
    page.fill("#id_standalone_value", "Bovenbouw is de moeite waard, ook als er niets volgt")
    page.select_option("#id_vision_horizon", "24")
    page.fill("#id_vision_contribution", "Order-to-cash zonder overtypen")
    page.fill("#id_start_month", "2026-02")
    page.fill("#id_weeks", "8")
    page.fill("#id_budget", "20000")
    page.select_option("#id_builds_on", label="Fundament")
    add = page.get_by_role("button", name="KPI toevoegen")
    for row in range(5):
        if row >= 3:
            add.click()
            expect(page.locator(f"#id_kpi-{row}-name")).to_be_focused()
        page.fill(f"#id_kpi-{row}-name", f"KPI {row + 1}")
        page.fill(f"#id_kpi-{row}-baseline", "50")
        page.fill(f"#id_kpi-{row}-target", "20")
    page.locator("main form.phase-form button[type=submit]").click()

    card = page.locator(".phase-card", has_text="Bovenbouw")
    for row in range(5):
        expect(card.get_by_role("rowheader", name=f"KPI {row + 1} (")).to_be_visible()
    expect(card.locator(".finding[data-rule=builds-on-overlap]")).to_contain_text(
        "begint voordat die klaar is"
    )
