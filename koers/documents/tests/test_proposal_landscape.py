"""The proposal says what the plan does to the client's landscape, like the guardrails do:
a phase that makes a new digital island or a second system for a capability, and the client's
islands today. A client guest's copy leaves the landscape out (it is the team's)."""

from django.urls import reverse
from django_scopes import scope, scopes_disabled

from koers.documents.proposal import MINIMAL, proposal_context, render_proposal
from koers.landscape import services as landscape_services
from koers.landscape.tests.conftest import add_system, connect

from .conftest import pdf_pages
from .test_proposal import english_text, pdf_text


def islands_and_a_new_crm(cast, plan):
    """Two systems that talk, one island, and phase 2 introducing a second CRM that talks to
    nothing."""
    client = cast.project.client
    shop, stock = add_system(client, "Webshop", "Sales"), add_system(client, "Stock", "Stock")
    connect(shop, stock)
    add_system(client, "Excel planning", "Planning")
    crm = add_system(client, "New CRM", "sales")
    with scopes_disabled():
        landscape_services.phase_system_save(phase=plan[1], system=crm, change="introduces")


def test_the_landscape_warnings_and_islands_are_printed_with_the_guardrails(cast, plan, tmp_path):
    islands_and_a_new_crm(cast, plan)
    text = english_text(cast, tmp_path)
    assert "Landscape: phase 2: New CRM talks to no other system" in text
    assert "New CRM serves a capability Webshop already serve(s): a second truth." in text
    assert "Digital islands of the client: Excel planning · New CRM" in text
    assert "The plan meets every guardrail" not in text


def test_a_client_without_a_landscape_prints_none(cast, plan, tmp_path):
    with scope(workspace=cast.workspace):
        context = proposal_context(cast.project)
    assert (context["landscape"], context["islands"]) == ([], [])
    assert "Landscape" not in english_text(cast, tmp_path)


def test_a_guest_copy_leaves_the_landscape_out_a_member_copy_has_it(cast, plan, tmp_path):
    islands_and_a_new_crm(cast, plan)
    with scopes_disabled():
        cast.project.language = "en"
        cast.project.save()
    path = reverse("documents:proposal", args=["acme", "cloud"])
    copies = {}
    for who in (cast.guest, cast.owner):
        pdf = cast.login(who).get(path).content
        assert len(pdf_pages(pdf)) == 1
        copies[who] = " ".join(pdf_text(pdf, tmp_path).split())
    assert "New CRM" not in copies[cast.guest]
    assert "Landscape: phase 2: New CRM" in copies[cast.owner]


def test_the_largest_project_with_many_landscape_warnings_still_fits_one_page(cast, largest):
    client = largest.client
    with scopes_disabled():
        phases = list(largest.phases.order_by("start_month"))
        for n, phase in enumerate(phases):
            system = add_system(client, f"Zaaksysteem {n:02} " + "Overlegstructuur" * 3, "Zaken")
            landscape_services.phase_system_save(phase=phase, system=system, change="introduces")
    with scope(workspace=cast.workspace):
        context = proposal_context(largest, rules=MINIMAL)
        pdf = render_proposal(largest)
    assert len(pdf_pages(pdf)) == 1
    # So many that they are counted with the open warnings: each of the 20 phases makes an
    # island and a second "Zaken" system; all 25 systems (5 on stopped phases) are islands.
    with scope(workspace=cast.workspace):
        without = proposal_context(largest, rules=MINIMAL, with_landscape=False)
    assert context["open_warnings"] == without["open_warnings"] + 20 * 2 + 25
