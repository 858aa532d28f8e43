"""The demo's aftercare: order-to-cash handed over with a shadow period running and lessons
learned; the municipality's intake shows one of those lessons; the client evaluated it and
the ERP restart's big bang page cites it as a reference case, anonymised."""

import pytest
from django.utils import timezone
from django_scopes import scope

from koers.aftercare import queries, services
from koers.aftercare.models import HandoverItem
from koers.demo.cases import ORDER_TO_CASH, PRODUCTTEAM_GEMEENTE
from koers.demo.cases.erp_gent import SLUG as ERP_GENT
from koers.workspaces.models import Workspace


@pytest.fixture
def workspace(db: None, demo: Workspace) -> Workspace:
    return demo


def test_order_to_cash_is_handed_over_with_a_running_shadow_period(workspace: Workspace):
    with scope(workspace=workspace):
        project = workspace.projects.get(slug=ORDER_TO_CASH)
        handover = queries.handover_of(project)
        still_open = services.open_kinds(project)
        lessons = list(queries.lesson_rows(project))
    assert handover.shadow_start and handover.shadow_end
    assert handover.shadow_start <= timezone.localdate() <= handover.shadow_end
    assert handover.backup
    assert still_open == [HandoverItem.Kind.KNOWN_ISSUES, HandoverItem.Kind.RUNBOOK]
    assert len(lessons) == 4 and sum(lesson.phase is not None for lesson in lessons) == 3


def test_the_municipalitys_intake_shows_the_working_day_lesson_first(workspace: Workspace):
    with scope(workspace=workspace):
        project = workspace.projects.get(slug=PRODUCTTEAM_GEMEENTE)
        found = queries.matches(project)
    assert found[0].lesson.project.slug == ORDER_TO_CASH
    assert "werkdag" in found[0].lesson.title and "werkdag" in found[0].match.shared_tags


def test_order_to_cash_sees_its_phase_lessons_before_its_next_phase(workspace: Workspace):
    with scope(workspace=workspace):
        project = workspace.projects.get(slug=ORDER_TO_CASH)
        found = queries.matches(project)
    own = [f.lesson for f in found if f.lesson.project_id == project.pk]
    assert len(own) == 3 and all(lesson.phase for lesson in own)


def test_order_to_cash_is_evaluated_and_cited_on_the_erp_restart_anonymised(
    workspace: Workspace,
):
    with scope(workspace=workspace):
        project = workspace.projects.get(slug=ORDER_TO_CASH)
        trend = queries.client_trend(project.client)
        cited = queries.citations(workspace.projects.get(slug=ERP_GENT))
    assert (trend.count, trend.last, trend.direction) == (2, 8, "up")
    assert cited and cited[0].id == project.reference_case.pk
    assert cited[0].client is None and cited[0].project is None  # anonymised for Tolhuis
    assert cited[0].score == 8 and cited[0].kpis_met == 2 and cited[0].kpis
