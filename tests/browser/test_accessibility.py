"""axe-core on every page: no serious or critical violations.

Each page is also saved as a full-page screenshot in test-artifacts/screens/ (gitignored), at
desktop and at phone width, for people to look at. No page may scroll sideways: a wide table
scrolls inside its own box.
"""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.test import Client as WebClient
from django_scopes import scopes_disabled
from playwright.sync_api import BrowserContext, Page, expect

from tests.access.public import PUBLIC_ROUTES, Place, token_kind
from tests.access.walk import ROUTES, url_for, victim_kwargs_of
from tests.browser.conftest import DESKTOP

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


ANONYMOUS_PAGES = [
    ("login", "/accounts/login/"),
    ("signup", "/accounts/signup/"),
    ("signup-sent", "/accounts/signup/sent/"),
    ("password-reset", "/accounts/password-reset/"),
    ("password-reset-sent", "/accounts/password-reset/sent/"),
    ("password-reset-done", "/accounts/password-reset/done/"),
]


def test_public_pages(page: Page) -> None:
    found: list[str] = []
    for width in (DESKTOP, PHONE):
        page.set_viewport_size(width)
        for name, url in ANONYMOUS_PAGES:
            visit(page, url)
            check(page, name, found)
    visit(page, "/accounts/login/")
    page.fill("#id_username", "niemand@example.com")
    page.fill("#id_password", "fout-wachtwoord")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("[data-error-summary]")).to_be_focused()
    check(page, "login-error", found)
    assert not found, "\n".join(found)


# A member's own pages, outside any workspace.
ACCOUNT_PAGES = [
    ("workspaces", "/workspaces/"),
    ("profile", "/accounts/settings/"),
    ("password-change", "/accounts/password/"),
    ("tokens", "/accounts/tokens/"),
]


def member_pages(cast: Any) -> list[tuple[str, str]]:
    """Every page of the access walk that the workspace's owner reads as HTML: (name, url)."""
    kwargs = victim_kwargs_of(cast)
    web = cast.login(cast.owner)
    pages = []
    for route in ROUTES:
        url = url_for(route, kwargs)
        response = web.get(url)
        if response.status_code == 200 and "text/html" in response["Content-Type"]:
            pages.append((route.name.replace(":", "-"), url))
    return pages


def public_pages(cast: Any) -> list[tuple[str, str]]:
    """Every public token page that shows a page: (name, url)."""
    place = Place(cast.project, (), cast.owner)  # victim_kwargs_of gave it people in waves
    pages = []
    for route in PUBLIC_ROUTES:
        kind = token_kind(route)
        url = url_for(route.route, kind.issue(place))
        response = WebClient().get(url)
        if response.status_code == 200 and "text/html" in response["Content-Type"]:
            pages.append((route.name.replace(":", "-"), url))
    return pages


def test_every_page_at_both_widths(
    new_context: NewContext, log_in: LogIn, cast: Any, filled_project: Any
) -> None:
    """Every page a member reads, and every public page, axe-clean at desktop and phone width:
    the walk of the access tests, so a new page is checked without being listed here."""
    with scopes_disabled():
        pages = member_pages(cast) + public_pages(cast) + ACCOUNT_PAGES
    assert len(pages) > 60, pages
    context = new_context()
    log_in(context, cast.owner)
    page = context.new_page()
    found: list[str] = []
    for width in (DESKTOP, PHONE):
        page.set_viewport_size(width)
        for name, url in pages:
            visit(page, url)
            check(page, name, found)
    assert not found, "\n".join(found)


def test_a_form_with_errors_and_an_open_menu(
    new_context: NewContext, log_in: LogIn, cast: Any, filled_project: Any
) -> None:
    context = new_context()
    log_in(context, cast.owner)
    page = context.new_page()
    found: list[str] = []
    visit(page, "/w/acme/p/cloud/intake/")
    page.fill("#id_request", "")
    page.locator("main form.form button[type=submit]").click()
    expect(page.locator("#id_request_error")).to_be_visible()
    page.locator(".topbar details.menu summary").last.click()
    check(page, "intake-error", found)
    page.set_viewport_size(PHONE)
    check(page, "intake-error", found)
    assert not found, "\n".join(found)
