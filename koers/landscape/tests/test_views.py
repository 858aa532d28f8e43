"""The landscape pages: systems and integrations kept by members, the map with the audit,
the workbook in and out, the systems a phase changes with its warnings; guests and other
workspaces see none of it; fixed numbers of queries."""

from io import BytesIO
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scopes_disabled
from openpyxl import Workbook, load_workbook

from koers.landscape.models import Integration, PhaseSystem, System
from koers.roadmap.tests.conftest import make_phase
from tests.factories import Cast

from .conftest import add_system, connect, landscape_of

pytestmark = pytest.mark.django_db


def url(cast: Cast, name: str, **kwargs: Any) -> str:
    return cast.client.url("landscape:" + name, **kwargs)


SYSTEM = {
    "name": "Exact Online",
    "capability": "Boekhouding",
    "owner": "Financiën",
    "users": "4",
    "hosting": "saas",
    "lifecycle": "keep",
    "debt": "2",
    "yearly_cost": "1800",
    "data_held": "facturen",
}


def test_a_member_keeps_a_system_and_a_viewer_reads_it(cast: Cast) -> None:
    web = cast.login(cast.member)
    response = web.post(url(cast, "system_create"), SYSTEM)
    assert response.status_code == 302
    with scopes_disabled():
        made = System.objects.get(client=cast.client)
    assert (made.debt, made.users, str(made.yearly_cost)) == (2, 4, "1800.00")
    listing = cast.login(cast.viewer).get(url(cast, "systems")).content.decode()
    assert "Exact Online" in listing and "Boekhouding" in listing
    assert cast.login(cast.viewer).post(url(cast, "system_create"), SYSTEM).status_code == 403


def test_a_second_system_of_the_same_name_is_refused_on_the_name(cast: Cast) -> None:
    add_system(cast.client, "exact online", "Boekhouding")
    response = cast.login(cast.member).post(url(cast, "system_create"), SYSTEM)
    assert response.status_code == 200
    assert response.context["form"].errors["name"]


def test_debt_outside_1_to_5_is_refused(cast: Cast) -> None:
    response = cast.login(cast.member).post(url(cast, "system_create"), SYSTEM | {"debt": "6"})
    assert response.context["form"].errors["debt"]


def test_an_integration_joins_two_systems_of_this_client_only(cast: Cast) -> None:
    ours = add_system(cast.client, "Webshop", "Verkoop")
    books = add_system(cast.client, "Boekhouding")
    theirs = add_system(cast.other_client, "Elders")
    web = cast.login(cast.member)
    form = {"source": ours.pk, "target": theirs.pk, "kind": "api", "frequency": "daily"}
    assert web.post(url(cast, "integration_create"), form).status_code == 200  # not a choice
    same = form | {"target": ours.pk}
    assert web.post(url(cast, "integration_create"), same).context["form"].errors
    assert web.post(url(cast, "integration_create"), form | {"target": books.pk}).status_code == 302
    with scopes_disabled():
        assert Integration.objects.get().target == books


def test_another_workspaces_system_is_not_found_here(cast: Cast) -> None:
    theirs = add_system(cast.other_client, "Elders")
    web = cast.login(cast.member)
    assert web.get(url(cast, "system_edit", system=theirs.pk)).status_code == 404
    assert web.post(url(cast, "system_delete", system=theirs.pk)).status_code == 404


def test_the_map_marks_islands_in_words_and_shape_and_lists_the_audit(cast: Cast) -> None:
    crm = add_system(cast.client, "Teamleader", "Klantbeheer", debt=4, users=12)
    shop = add_system(cast.client, "Webshop", "Verkoop")
    add_system(cast.client, "Excel klanten", "klantbeheer", hosting="desktop")
    connect(crm, shop, "api")
    connect(shop, crm, "manual", data="orders")
    html = cast.login(cast.viewer).get(url(cast, "map")).content.decode()
    assert 'role="group"' in html and '<title id="landscape-title">' in html
    assert "Digital island 1</text>" in html
    assert 'aria-label="Excel klanten: klantbeheer, technical debt 1, on digital island 1"' in html
    assert 'stroke-dasharray="6 4"' in html  # the island's dashed border
    assert "2x" in html  # two systems serve Klantbeheer
    duplicates = html[html.index('data-testid="duplicates"') :]
    assert "Excel klanten" in duplicates and "Teamleader" in duplicates
    assert "Webshop → Teamleader: orders" in html
    ranking = html[html.index('data-testid="ranking"') :]
    assert ranking.index("Teamleader") < ranking.index("Webshop")


def test_guests_see_no_landscape_page_and_no_plan_panel(cast: Cast) -> None:
    add_system(cast.client, "Webshop")
    guest = cast.login(cast.guest)
    for name in ("systems", "map", "integrations", "export"):
        assert guest.get(url(cast, name)).status_code == 404, name
    plan = guest.get(cast.project.url("roadmap:plan"))
    assert plan.status_code == 200
    assert b"plan-landscape" not in plan.content


def test_the_workbook_goes_out_and_back_in_unchanged(cast: Cast) -> None:
    add_system(cast.client, "=HYPERLINK()", "Boekhouding", debt=3, users=7, yearly_cost=12)
    web = cast.login(cast.member)
    data = web.get(url(cast, "export")).content
    sheet = load_workbook(BytesIO(data)).active
    assert sheet["A2"].value == "=HYPERLINK()" and sheet["A2"].data_type == "s"  # never run
    upload = SimpleUploadedFile("systems.xlsx", data)
    assert web.post(url(cast, "import"), {"file": upload}).status_code == 302
    with scopes_disabled():
        (back,) = System.objects.filter(client=cast.client)
    assert (back.name, back.debt, back.users, str(back.yearly_cost)) == (
        "=HYPERLINK()",
        3,
        7,
        "12.00",
    )


def _workbook(*rows: list[Any]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["Name", "capability", "TECHNICAL DEBT", "Users"])
    for row in rows:
        sheet.append(row)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_bad_import_names_row_column_and_value_and_writes_nothing(cast: Cast) -> None:
    data = _workbook(
        ["CRM", "Klantbeheer", 2, 10],
        ["Boekhouding", "Financiën", 9, 3],
        ["crm", "Klantbeheer", 1, 1],
        ["Formule", "=1+1", 1, "veel"],
    )
    response = cast.login(cast.member).post(
        url(cast, "import"), {"file": SimpleUploadedFile("s.xlsx", data)}
    )
    problems = [(p.row, p.column, p.value) for p in response.context["problems"].errors]
    assert (3, "Technical debt", "9") in problems
    assert (4, "Name", "crm") in problems
    assert (5, "Users", "veel") in problems
    with scopes_disabled():
        assert not System.objects.exists()


def test_a_viewer_cannot_import(cast: Cast) -> None:
    data = _workbook(["CRM", "Klantbeheer", 2, 10])
    response = cast.login(cast.viewer).post(
        url(cast, "import"), {"file": SimpleUploadedFile("s.xlsx", data)}
    )
    assert response.status_code == 403


def test_the_plan_warns_of_a_new_island_and_a_second_truth(cast: Cast) -> None:
    books = add_system(cast.client, "Exact", "Boekhouding")
    tool = add_system(cast.client, "Offertetool", "Offertes")
    second = add_system(cast.client, "Nieuwe boekhouding", "Boekhouding")
    connect(tool, books, "api")
    with scopes_disabled():
        phase = make_phase(cast.project, title="Fase 1")
    web = cast.login(cast.member)
    for system in (tool, second):
        form = {"link-phase": phase.pk, "link-system": system.pk, "link-change": "introduces"}
        assert web.post(cast.project.url("landscape_plan:add"), form).status_code == 302
    plan = web.get(cast.project.url("roadmap:plan")).content.decode()
    assert "Nieuwe boekhouding talks to no other system" in plan
    assert "Nieuwe boekhouding serves a capability Exact already serve(s)" in plan
    assert "Offertetool talks" not in plan
    page = web.get(cast.project.url("landscape_plan:phases")).content.decode()
    assert "Introduces it: Offertetool" in page
    again = {"link-phase": phase.pk, "link-system": second.pk, "link-change": "changes"}
    web.post(cast.project.url("landscape_plan:add"), again)  # the same pair: changed, not added
    with scopes_disabled():
        assert PhaseSystem.objects.get(system=second).change == "changes"


def test_a_phase_cannot_be_linked_to_another_clients_system(cast: Cast) -> None:
    theirs = add_system(cast.other_client, "Elders")
    with scopes_disabled():
        phase = make_phase(cast.project)
    form = {"link-phase": phase.pk, "link-system": theirs.pk, "link-change": "changes"}
    cast.login(cast.member).post(cast.project.url("landscape_plan:add"), form)
    with scopes_disabled():
        assert not PhaseSystem.objects.exists()


# Session, user, membership, the switcher's memberships, the client, then: the list its page
# and count; the map the systems and the integrations.
QUERIES = {"systems": 7, "integrations": 7, "map": 7}


@pytest.mark.parametrize("name", QUERIES)
def test_the_pages_take_a_fixed_number_of_queries(
    cast: Cast, name: str, django_assert_num_queries: Any
) -> None:
    web = cast.login(cast.member)
    landscape_of(cast.client, 3)
    web.get(url(cast, name))  # session and caches warm
    with django_assert_num_queries(QUERIES[name]):
        assert web.get(url(cast, name)).status_code == 200
    with scopes_disabled():
        System.objects.all().delete()
    landscape_of(cast.client, 60)
    with django_assert_num_queries(QUERIES[name]):
        assert web.get(url(cast, name)).status_code == 200


def test_a_dutch_header_and_dutch_choices_are_read(cast: Cast) -> None:
    book = Workbook()
    book.active.append(["Naam", "Bedrijfsfunctie", "Technische schuld", "Levenscyclus"])
    book.active.append(["Boekhouding", "Financiën", 3, "Uitfaseren"])
    out = BytesIO()
    book.save(out)
    upload = SimpleUploadedFile("s.xlsx", out.getvalue())
    assert cast.login(cast.member).post(url(cast, "import"), {"file": upload}).status_code == 302
    with scopes_disabled():
        made = System.objects.get(client=cast.client)
    assert (made.name, made.capability, made.debt, made.lifecycle) == (
        "Boekhouding",
        "Financiën",
        3,
        "retire",
    )
