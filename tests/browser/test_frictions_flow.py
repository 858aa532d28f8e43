"""What only a browser shows of the first week's frictions: a share link copied again with
its button, everyone on a page of people ticked at once and marked in one save."""

from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django_scopes import scopes_disabled
from playwright.sync_api import Page, expect

from koers.population.models import Person
from koers.population.tests.factories import import_people
from koers.roadmap.tests.conftest import make_plan

from .conftest import LogIn, NewContext

pytestmark = pytest.mark.browser

BLOCKING = {"serious", "critical"}
SCREENS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screens"


def no_blocking_axe_violations(page: Page) -> None:
    results = Axe().run(page)
    blocking = [
        f"{v['id']} at {[n['target'] for n in v['nodes']]}"
        for v in results.response["violations"]
        if v["impact"] in BLOCKING
    ]
    assert not blocking, "\n".join(blocking)


def test_a_link_is_copied_again_and_people_are_marked_many_at_once(
    new_context: NewContext, log_in: LogIn, cast: Any
) -> None:
    make_plan(cast.project, 2)
    import_people(cast.client, 30)
    context = new_context(permissions=["clipboard-read", "clipboard-write"])
    log_in(context, cast.member)
    page = context.new_page()

    page.goto("/w/acme/p/cloud/plan/sharing/")
    page.get_by_role("button", name="Roadmaplink maken").click()
    page.get_by_role("button", name="Agendafeed maken").click()
    addresses = page.locator("code.token")
    expect(addresses).to_have_count(2)  # the first link is still there to copy
    roadmap = addresses.nth(1).inner_text()
    page.locator("button[data-copy]").nth(1).click()
    expect(page.locator("button[data-copy]").nth(1)).to_have_text("Gekopieerd")
    assert page.evaluate("navigator.clipboard.readText()") == roadmap
    no_blocking_axe_violations(page)
    page.screenshot(path=str(SCREENS / "frictions-sharing.png"), full_page=True)

    page.goto("/w/acme/c/bakkerij/people/")
    page.get_by_label("Vink iedereen op deze pagina aan").check()
    expect(page.locator('input[name="person"]:checked')).to_have_count(30)
    page.get_by_label("Markering").select_option("ambassador")
    page.get_by_role("button", name="Opslaan voor de aangevinkte mensen").click()
    expect(page.locator(".messages, [role=status]").first).to_contain_text("30 mensen")
    assert page.url.endswith("#people")
    no_blocking_axe_violations(page)
    page.screenshot(path=str(SCREENS / "frictions-people.png"), full_page=True)
    with scopes_disabled():
        assert Person.objects.filter(client=cast.client, is_ambassador=True).count() == 30
