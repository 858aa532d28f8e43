"""axe-core on the main pages: no serious or critical violations.

Each page is also saved as a full-page screenshot in test-artifacts/screens/ (gitignored), at
desktop and at phone width, for people to look at. No page may scroll sideways: a wide table
scrolls inside its own box.
"""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from django_scopes import scopes_disabled
from playwright.sync_api import BrowserContext, Page, expect

from koers.stakeholders import services as stakeholder_services
from koers.workspaces.models import Role
from koers.workspaces.services import invitation_create

pytestmark = pytest.mark.browser

NewContext = Callable[..., BrowserContext]
LogIn = Callable[[BrowserContext, Any], None]

BLOCKING = {"serious", "critical"}
PHONE = {"width": 390, "height": 844}
SCREENS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screens"

axe = Axe()


def visit(page: Page, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.ok, f"{url}: {response and response.status}"


def check(page: Page, name: str, found: list[str]) -> None:
    """Run axe on the page as it is; note blocking violations and sideways scrolling in
    `found`; save a screenshot."""
    expect(page.locator("main")).to_be_visible()
    sideways = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    if sideways > 0:
        found.append(f"{name}: the page scrolls sideways by {sideways} px")
    results = axe.run(page)
    for violation in results.response["violations"]:
        if violation["impact"] in BLOCKING:
            targets = [" ".join(map(str, node["target"])) for node in violation["nodes"]]
            found.append(f"{name}: {violation['id']} ({violation['impact']}) at {targets}")
    width = page.viewport_size["width"] if page.viewport_size else 0
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENS / f"{name}-{width}.png", full_page=True)


def test_public_pages(page: Page) -> None:
    found: list[str] = []
    for name, url in [("login", "/accounts/login/"), ("signup", "/accounts/signup/")]:
        visit(page, url)
        check(page, name, found)
    visit(page, "/accounts/login/")
    page.fill("#id_username", "niemand@example.com")
    page.fill("#id_password", "fout-wachtwoord")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("[data-error-summary]")).to_be_focused()
    check(page, "login-error", found)
    assert not found, "\n".join(found)


def test_workspace_pages(
    new_context: NewContext, log_in: LogIn, cast: Any, filled_project: Any
) -> None:
    with scopes_disabled():
        owner = cast.workspace.memberships.get(role=Role.OWNER)
        invitation_create(
            actor=owner,
            email="nieuw@example.com",
            role=Role.MEMBER,
            accept_url=lambda token: f"http://testserver/invite/{token}/",
        )
        stakeholders = [
            stakeholder_services.stakeholder_create(client=cast.client, actor=None, name=name)
            for name in ("Lieve Vanacker", "Bart Goethals")
        ]
        for stakeholder, stance in zip(stakeholders, ("opponent", "champion"), strict=True):
            stakeholder_services.involvement_save(
                project=cast.project, stakeholder=stakeholder, actor=None, stance=stance
            )
        stakeholder_services.communication_create(
            project=cast.project,
            actor=None,
            kind="call",
            on=timezone.localdate(),
            subject="Bijpraten",
            audience=stakeholders[1:],
        )
    context = new_context()
    log_in(context, cast.owner)
    page = context.new_page()
    project = "/w/acme/p/cloud"
    pages = [
        ("dashboard", "/w/acme/"),
        ("clients", "/w/acme/c/"),
        ("client", "/w/acme/c/bakkerij/"),
        ("members", "/w/acme/members/"),
        ("overview", f"{project}/"),
        ("intake", f"{project}/intake/"),
        ("vision", f"{project}/vision/"),
        ("scope", f"{project}/scope/"),
        ("scope-history", f"{project}/scope/history/"),
        ("stakeholders", f"{project}/stakeholders/"),
        ("communication", f"{project}/stakeholders/communication/"),
        ("client-stakeholders", "/w/acme/c/bakkerij/stakeholders/"),
        ("decisions", f"{project}/decisions/"),
        ("decision-new", f"{project}/decisions/new/"),
        ("plan", f"{project}/plan/"),
        ("roadmap", f"{project}/plan/roadmap/"),
        ("wave-board", f"{project}/rollout/"),
        ("pulse", f"{project}/pulse/"),
        ("report", f"{project}/pulse/report/"),
        ("settings", "/accounts/settings/"),
    ]
    found: list[str] = []
    for name, url in pages:
        visit(page, url)
        check(page, name, found)

    # A form with errors, and the menus opened.
    visit(page, f"{project}/intake/")
    page.fill("#id_request", "")
    page.locator("main form.form button[type=submit]").click()
    expect(page.locator("#id_request_error")).to_be_visible()
    page.locator(".topbar details.menu summary").last.click()
    check(page, "intake-error", found)

    page.set_viewport_size(PHONE)
    for name, url in pages:
        visit(page, url)
        check(page, name, found)
    assert not found, "\n".join(found)
