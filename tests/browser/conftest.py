"""Browser fixtures: one Chromium per session, a fresh context (cookies, storage) per test.

Chromium is Debian's (`/usr/bin/chromium`); Playwright's own browsers are not downloaded.
A missing browser fails the run: these tests are never skipped.
"""

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client as WebClient
from django_scopes import scopes_disabled
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from koers.projects import services as project_services
from koers.projects.models import Project, ScopeItem, Vision

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 900}
TIMEOUT_MS = 10_000

NewContext = Callable[..., BrowserContext]


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    assert CHROMIUM.exists(), f"Chromium not found at {CHROMIUM}: apt-get install chromium"
    browser = playwright.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


@pytest.fixture
def new_context(browser: Browser, live_server: Any, transactional_db: None) -> Iterator[NewContext]:
    """Make browser contexts on the live server; a Dutch browser unless told otherwise."""
    made: list[BrowserContext] = []

    def make(**options: Any) -> BrowserContext:
        options = {"base_url": live_server.url, "locale": "nl-NL", "viewport": DESKTOP} | options
        context = browser.new_context(**options)
        context.set_default_timeout(TIMEOUT_MS)
        made.append(context)
        return context

    yield make
    for context in made:
        context.close()


@pytest.fixture
def page(new_context: NewContext) -> Page:
    return new_context().new_page()


LogIn = Callable[[BrowserContext, Any], None]


@pytest.fixture
def log_in(live_server: Any) -> LogIn:
    """Give a browser context the session of `user`, as if they had logged in."""

    def log_in(context: BrowserContext, user: Any) -> None:
        web = WebClient()
        web.force_login(user)
        session = web.cookies[settings.SESSION_COOKIE_NAME].value
        cookie = {"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}
        context.add_cookies([cookie])  # type: ignore[list-item]

    return log_in


@pytest.fixture
def filled_project(cast: Any) -> Project:
    """The cast's project with a vision at both horizons and items in every column."""
    project: Project = cast.project
    with scopes_disabled():
        for horizon, summary in [
            (24, "Alle medewerkers werken veilig vanuit de cloud, ook thuis."),
            (48, "Processen lopen geautomatiseerd van bestelling tot factuur."),
        ]:
            Vision.objects.update_or_create(
                project=project,
                horizon=horizon,
                defaults={
                    "summary": summary,
                    "automated_processes": "Bestellingen en facturen",
                    "connected_systems": "Kassa, boekhouding en webshop via koppelingen",
                    "biggest_gains": "Minder dubbel invoeren",
                },
            )
        for column, title, reason in [
            (ScopeItem.Column.IN, "Laptops voor de winkels", "Oude pc's vallen uit"),
            (ScopeItem.Column.OUT, "Nieuwe kassa's", "Contract loopt nog twee jaar"),
            (ScopeItem.Column.LATER, "Webshop koppelen", "Eerst de basis op orde"),
            (ScopeItem.Column.LATER, "Dashboard omzet per filiaal", "Wens van de directie"),
        ]:
            project_services.scope_item_add(
                project=project, actor=cast.owner, column=column, title=title, reason=reason
            )
        item = project.scope_items.get(title="Laptops voor de winkels")
        project_services.scope_item_move(
            item=item, actor=cast.owner, column=ScopeItem.Column.IN, position=0
        )
    return project
