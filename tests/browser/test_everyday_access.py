"""What a keyboard, screen-reader or phone user meets on every page: a form sent back with
problems sums them up and takes the focus, required fields are marked, menus close on Escape,
and on a phone the navigation folds behind a menu button."""

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def test_a_form_with_problems_sums_them_up_and_takes_the_focus(page: Page) -> None:
    page.goto("/accounts/signup/")
    name_label = page.locator("label[for=id_name]")
    mark = name_label.evaluate("label => getComputedStyle(label, '::after').content")
    assert "*" in mark, "a required field's label carries a visible mark"
    expect(page.locator(".form-note")).to_be_visible()
    page.locator("main form button[type=submit]").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    assert page.title().startswith("Fout: ")
    summary.locator("a[href='#id_name']").click()
    expect(page.locator("#id_name")).to_be_focused()


def test_menus_close_on_escape_and_the_phone_navigation_folds(
    new_context: Callable[..., BrowserContext], log_in: Callable[..., None], cast: Any
) -> None:
    context = new_context()
    log_in(context, cast.owner)
    page = context.new_page()
    page.goto("/w/acme/")
    toggle, nav = page.locator(".nav-toggle"), page.locator("#mainnav")
    expect(toggle).to_be_hidden()
    expect(nav).to_be_visible()
    menu = page.locator(".topbar details.menu").last
    menu.locator("summary").click()
    expect(menu.locator("ul")).to_be_visible()
    page.keyboard.press("Escape")
    expect(menu.locator("ul")).to_be_hidden()
    expect(menu.locator("summary")).to_be_focused()
    menu.locator("summary").click()
    page.locator("main h1").click()  # a click elsewhere closes it too
    expect(menu.locator("ul")).to_be_hidden()

    page.set_viewport_size(PHONE)
    page.goto("/w/acme/")
    expect(nav).to_be_hidden()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    toggle.click()
    expect(nav).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    header = page.locator(".topbar").bounding_box()
    assert header is not None
    toggle.click()
    folded = page.locator(".topbar").bounding_box()
    assert folded is not None and folded["height"] < 120, folded
