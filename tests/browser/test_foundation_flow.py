"""The foundation, end to end in Chromium: from sign-up to a colleague joining the workspace."""

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import BrowserContext, Locator, Page, expect

pytestmark = pytest.mark.browser

PASSWORD = "koers-in-de-browser-42"
REQUIRED = "Dit veld is verplicht."

NewContext = Callable[..., BrowserContext]
LogIn = Callable[[BrowserContext, Any], None]


def submit(page: Page) -> None:
    page.locator("main form.form button[type=submit]").click()


def card(page: Page, title: str) -> Locator:
    return page.locator(".scope-card", has_text=title)


def titles(page: Page, column: str) -> Locator:
    return page.locator(f"[data-column={column}] .scope-card strong")


def add_scope_item(page: Page, column: str, title: str, reason: str) -> None:
    page.locator(f"input[type=radio][name=column][value={column}]").check()
    page.fill("#id_title", title)
    page.fill("#id_reason", reason)
    submit(page)
    expect(page.locator(f"[data-column={column}] .scope-card", has_text=title)).to_be_visible()


def test_sign_up_plan_a_project_and_invite_a_colleague(new_context: NewContext) -> None:
    page = new_context().new_page()

    # Sign up: an account and a workspace, owned by the new user.
    page.goto("/accounts/signup/")
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    page.fill("#id_name", "Pien de Projectleider")
    page.fill("#id_email", "pien@example.com")
    page.fill("#id_password", PASSWORD)
    page.fill("#id_workspace_name", "Acme IT")
    page.fill("#id_workspace_slug", "acme")
    submit(page)
    # The address is confirmed first: a mail with a link, which makes the account.
    expect(page).to_have_url(re.compile(r"/accounts/signup/sent/$"))
    assert [m.to for m in mail.outbox] == [["pien@example.com"]]
    confirm = re.search(r"https?://\S+/accounts/signup/confirm/\S+/", mail.outbox[0].body)
    assert confirm, mail.outbox[0].body
    page.goto(confirm.group(0))
    submit(page)
    expect(page).to_have_url(re.compile(r"/w/acme/$"))
    expect(page.locator(".message-success")).to_contain_text("Pien de Projectleider")
    mail.outbox.clear()

    # A client first: the empty dashboard points to it.
    page.locator("main a[href='/w/acme/c/new/']").click()
    page.fill("#id_name", "Bakkerij Peeters")
    page.fill("#id_slug", "bakkerij")
    page.fill("#id_sector", "Retail")
    submit(page)
    expect(page.locator("h1")).to_have_text("Bakkerij Peeters")

    # The intake, started from the client, which is filled in already.
    page.locator("main a[href='/w/acme/p/new/?client=bakkerij']").click()
    expect(page.locator("#id_client option:checked")).to_have_text("Bakkerij Peeters")
    page.fill("#id_name", "Naar de cloud")
    page.fill("#id_slug", "cloud")
    page.fill("#id_request", "We willen naar de cloud.")
    page.fill("#id_goals", "Minder storingen\nThuiswerken mogelijk")
    page.fill("#id_current_situation", "Een server in de kelder van de hoofdvestiging.")
    submit(page)

    # The vision at 24 and 48 months, straight after the intake.
    expect(page).to_have_url(re.compile(r"/w/acme/p/cloud/vision/$"))
    page.fill("#id_v24-summary", "Iedereen werkt veilig vanuit de cloud.")
    page.fill("#id_v24-biggest_gains", "Geen storingen meer bij de kassa.")
    page.fill("#id_v48-summary", "Bestellingen lopen vanzelf van webshop tot bakkerij.")
    submit(page)

    # The scope canvas: items in every column.
    expect(page).to_have_url(re.compile(r"/w/acme/p/cloud/scope/$"))
    add_scope_item(page, "in", "E-mail naar Microsoft 365", "Grootste pijn")
    add_scope_item(page, "in", "Laptops voor de winkels", "Oude pc's vallen uit")
    add_scope_item(page, "out", "Nieuwe kassa's", "Contract loopt nog twee jaar")
    add_scope_item(page, "later", "Webshop koppelen", "Eerst de basis op orde")
    expect(titles(page, "in")).to_have_text(
        ["E-mail naar Microsoft 365", "Laptops voor de winkels"]
    )

    # Move with a button (no JavaScript needed): later -> out.
    card(page, "Webshop koppelen").locator("form:has(input[name=column][value=out]) button").click()
    expect(titles(page, "out")).to_have_text(["Nieuwe kassa's", "Webshop koppelen"])
    expect(titles(page, "later")).to_have_count(0)

    # Reorder with the arrows: the laptops go up, then down again.
    card(page, "Laptops voor de winkels").locator("button", has_text="↑").click()
    expect(titles(page, "in")).to_have_text(
        ["Laptops voor de winkels", "E-mail naar Microsoft 365"]
    )
    card(page, "Laptops voor de winkels").locator("button", has_text="↓").click()
    expect(titles(page, "in")).to_have_text(
        ["E-mail naar Microsoft 365", "Laptops voor de winkels"]
    )

    # Drag and drop: the JS posts the move and reloads the page.
    card(page, "Nieuwe kassa's").drag_to(page.locator("[data-column=later]"))
    expect(titles(page, "later")).to_have_text(["Nieuwe kassa's"])
    expect(titles(page, "out")).to_have_text(["Webshop koppelen"])
    page.reload()  # saved on the server, not only moved in the page
    expect(titles(page, "later")).to_have_text(["Nieuwe kassa's"])

    # The history of the canvas has the moves.
    page.locator("main a[href='/w/acme/p/cloud/scope/history/']").click()
    expect(page.locator("tbody tr")).to_have_count(8)  # 4 added, 4 moved
    expect(page.locator("tbody tr", has_text="Nieuwe kassa's").first).to_be_visible()

    # The overview shows intake, vision and canvas together.
    page.locator("nav.tabs a[href='/w/acme/p/cloud/']").click()
    intake = page.locator("section[aria-labelledby=intake-h]")
    expect(intake).to_contain_text("Bakkerij Peeters")
    expect(intake).to_contain_text("We willen naar de cloud.")
    expect(intake.locator("li")).to_have_text(["Minder storingen", "Thuiswerken mogelijk"])
    expect(intake).to_contain_text("Een server in de kelder")
    vision = page.locator("section[aria-labelledby=vision-h]")
    expect(vision).to_contain_text("Iedereen werkt veilig vanuit de cloud.")
    expect(vision).to_contain_text("Geen storingen meer bij de kassa.")
    expect(vision).to_contain_text("Bestellingen lopen vanzelf")
    expect(titles(page, "in")).to_have_text(
        ["E-mail naar Microsoft 365", "Laptops voor de winkels"]
    )
    expect(titles(page, "out")).to_have_text(["Webshop koppelen"])
    expect(titles(page, "later")).to_have_text(["Nieuwe kassa's"])
    expect(page.locator(".canvas .card-actions")).to_have_count(0)  # read-only here

    # Switch to English and back; the choice sticks across pages.
    expect(page.locator("#vision-h")).to_have_text("Visie")
    page.locator(".langswitch button[value=en]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator(".langswitch button[value=en]")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#intake-h")).to_have_text("Intake")
    expect(page.locator("#vision-h")).to_have_text("Vision")
    expect(page.locator("#scope-h")).to_have_text("Scope canvas")
    expect(page.locator("nav.tabs")).to_contain_text("Overview")
    page.locator("nav.mainnav a[href='/w/acme/']").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Portfolio")
    expect(page.locator("thead")).to_contain_text("Project manager")
    page.locator(".langswitch button[value=nl]").click()
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.locator(".langswitch button[value=nl]")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("thead")).to_contain_text("Projectmanager")

    # Invite a colleague; the link arrives by e-mail.
    page.locator("nav.mainnav a[href='/w/acme/members/']").click()
    page.fill("#id_email", "sam@example.com")
    page.select_option("#id_role", "member")
    submit(page)
    expect(page.locator(".message-success")).to_contain_text("sam@example.com")
    expect(page.locator("main table").nth(1)).to_contain_text("sam@example.com")
    expires = page.locator("main table").nth(1).locator("tbody td").nth(2)
    expect(expires).to_have_text(re.compile(r"^\d{1,2} [a-z]{3} \d{4}$"))  # Dutch: 14 dec 2026
    # An English date that no Dutch or Belgian reader takes for another day: 14 Dec 2026.
    page.locator(".langswitch button[value=en]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(expires).to_have_text(re.compile(r"^\d{1,2} [A-Z][a-z]{2} \d{4}$"))
    page.locator(".langswitch button[value=nl]").click()
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["sam@example.com"]
    found = re.search(r"https?://\S+/invite/\S+/", mail.outbox[0].body)
    assert found, mail.outbox[0].body
    link = found.group(0)

    # The colleague opens the link in their own browser and makes an account.
    colleague = new_context().new_page()
    colleague.goto(link)
    expect(colleague.locator("h1")).to_contain_text("Acme IT")
    colleague.locator("main a[href*='/accounts/signup/?invitation=']").click()
    expect(colleague.locator("#id_email")).to_have_value("sam@example.com")
    expect(colleague.locator("#id_email")).to_be_disabled()
    expect(colleague.locator("#id_workspace_slug")).to_have_count(0)
    colleague.fill("#id_name", "Sam Collega")
    colleague.fill("#id_password", PASSWORD)
    submit(colleague)
    expect(colleague).to_have_url(re.compile(r"/w/acme/$"))
    expect(colleague.locator("main")).to_contain_text("Naar de cloud")
    expect(colleague.locator("nav.mainnav a[href='/w/acme/members/']")).to_have_count(0)

    # The owner now sees Sam as a member, and no open invitation.
    page.reload()
    expect(page.locator("main table").first).to_contain_text("Sam Collega")
    expect(page.locator("main table")).to_have_count(1)


def test_intake_errors_are_shown_at_the_fields_and_input_is_kept(
    new_context: NewContext, log_in: LogIn, cast
) -> None:
    context = new_context()
    log_in(context, cast.owner)
    page = context.new_page()
    page.goto("/w/acme/p/new/")
    page.fill("#id_name", "Werkplekken vernieuwen")
    page.fill("#id_current_situation", "Twintig laptops van zeven jaar oud.")
    submit(page)

    expect(page).to_have_url(re.compile(r"/w/acme/p/new/$"))
    for field in ["client", "request", "goals"]:  # the short name is made from the name
        control = page.locator(f"#id_{field}")
        expect(control).to_have_attribute("aria-invalid", "true")
        expect(control).to_have_attribute("aria-describedby", re.compile(f"id_{field}_error"))
        error = page.locator(f"div:has(> #id_{field}) > .errorlist")
        expect(error).to_have_text(REQUIRED)
    for field in ["name", "slug", "current_situation"]:
        expect(page.locator(f"#id_{field}")).not_to_have_attribute("aria-invalid", "true")
    expect(page.locator(".errorlist")).to_have_count(3)
    expect(page.locator("[data-error-summary]")).to_be_focused()
    expect(page.locator("[data-error-summary] li")).to_have_count(3)
    expect(page.locator("#id_name")).to_have_value("Werkplekken vernieuwen")
    expect(page.locator("#id_current_situation")).to_have_value(
        "Twintig laptops van zeven jaar oud."
    )

    # Fixing the errors starts the project.
    page.select_option("#id_client", label=cast.client.name)
    page.fill("#id_slug", "werkplekken")
    page.fill("#id_request", "Onze laptops zijn te oud.")
    page.fill("#id_goals", "Sneller werken")
    submit(page)
    expect(page).to_have_url(re.compile(r"/w/acme/p/werkplekken/vision/$"))
