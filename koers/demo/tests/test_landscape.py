"""The demo's landscapes: the Antwerp wholesaler's five islands (seed 003) and the
municipality's duplicated case systems, manual link and one island (seed 004)."""

import pytest
from django_scopes import scope

from koers.demo.cases import groothandel_antwerpen, order_to_cash, productteam_gemeente
from koers.landscape.queries import landscape, phase_risks
from koers.products.queries import product_of
from koers.products.records import product_record
from koers.roadmap.queries import plan_state
from koers.workspaces.models import Workspace

pytestmark = pytest.mark.django_db


def test_the_wholesaler_has_five_systems_that_do_not_talk(demo: Workspace) -> None:
    with scope(workspace=demo):
        found = landscape(demo.clients.get(slug=groothandel_antwerpen.CLIENT.slug))
    assert len(found.systems) == 5
    assert len(found.audit.islands) == 5
    assert len(found.audit.manual) == 4
    assert found.by_key[found.audit.ranking[0].system].name == "Orderlijst in Excel"


def test_the_municipality_has_two_case_systems_a_manual_link_and_one_island(
    demo: Workspace,
) -> None:
    with scope(workspace=demo):
        project = demo.projects.get(slug=productteam_gemeente.SLUG)
        found = landscape(project.client)
    names = found.by_key
    assert [[names[k].name for k in d.systems] for d in found.audit.duplicates] == [
        ["Meldingen-app BOR", "Zaaksysteem"]
    ]
    assert [[names[k].name for k in g.systems] for g in found.audit.islands] == [
        ["Meldingen-app BOR", "Planning buitendienst (Excel)"]
    ]
    assert len(found.audit.manual) == 1


def test_the_order_to_cash_phases_each_add_a_system_that_talks_to_the_bookkeeping(
    demo: Workspace,
) -> None:
    """Think big, act small: no phase makes an island or a second truth."""
    with scope(workspace=demo):
        project = demo.projects.get(slug=order_to_cash.SLUG)
        found = landscape(project.client)
        risks = phase_risks(list(project.phases.all()), found)
    assert [len(r.links) for r in risks] == [1, 1, 2]
    assert all(not r.warnings for r in risks)
    assert found.audit.islands == ()


def test_the_wholesalers_proposed_project_connects_its_islands_and_serves_its_vision(
    demo: Workspace,
) -> None:
    """Seed 003: not a sixth small project, but one whose phases each connect two islands."""
    with scope(workspace=demo):
        project = demo.projects.get(slug=groothandel_antwerpen.SLUG)
        found = landscape(project.client)
        risks = phase_risks(list(project.phases.order_by("start_month")), found)
        state = plan_state(project)
        has_vision = project.client.visions.exclude(summary="").count()
    names = found.by_key
    changed = [{names[link.system_id].name for link in r.links} for r in risks]
    assert changed == [
        {"Website met catalogus", "Orderlijst in Excel"},
        {"Orderlijst in Excel", "Digitale factuurmodule"},
        {"CRM-pilot", "Digitale factuurmodule"},
    ]
    touched = set().union(*changed)
    islands = {names[k].name for group in found.audit.islands for k in group.systems}
    assert touched <= islands and len(touched) == 4  # the stock database comes later
    assert all(not r.warnings for r in risks)
    assert has_vision == 2 and project.serves_vision
    assert not state.summary.has_blocking and not state.summary.warnings


def test_the_municipality_runs_its_first_product_small_with_an_owner_who_decides(
    demo: Workspace,
) -> None:
    """Seed 004: real decision power, recorded; one district first; a short first contract."""
    with scope(workspace=demo):
        project = demo.projects.get(slug=productteam_gemeente.SLUG)
        state = product_of(project)
        record = product_record(state)
    assert record["owner"]["name"] == "Jeroen Bakker" and record["owner_decides_alone"]
    assert "wijk Noord" in record["starts_in"]
    assert len(record["team"]) == 4
    assert all(o["vision_horizon"] for o in record["outcomes"])
    [contract] = record["contracts"]
    assert contract["warnings"] == []
