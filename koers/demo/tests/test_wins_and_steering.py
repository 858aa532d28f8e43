"""The demo's small wins and steering group: the first group live and the first KPI met are
celebrated where the case has them, else its first clear decision, told in a demo or a
meeting, and newer facts stay proposed; the ERP case's steering group met and meets again."""

import pytest
from django_scopes import scope

from koers.demo.cases import CASES, ERP_GENT, MODERNE_WERKPLEK, ZORG_UITROL
from koers.wins import queries
from koers.workspaces.models import Workspace


@pytest.fixture
def workspace(db: None, demo: Workspace) -> Workspace:
    return demo


def test_each_case_celebrated_a_win_told_in_a_demo_or_a_meeting(workspace: Workspace) -> None:
    kinds = {}
    with scope(workspace=workspace):
        for case in CASES:
            wins = list(queries.wins_of(workspace.projects.get(slug=case.slug)))
            assert wins, case.slug
            assert all(w.communication and w.communication.status == "done" for w in wins)
            assert all(w.communication.kind in ("demo", "meeting") for w in wins)  # type: ignore[union-attr]
            kinds[case.slug] = sorted(w.kind for w in wins)
    assert kinds[MODERNE_WERKPLEK] == kinds[ZORG_UITROL] == ["kpi", "live"]
    assert kinds[ERP_GENT] == ["decision"]


def test_the_first_department_live_is_celebrated_and_newer_waves_are_proposed(
    workspace: Workspace,
) -> None:
    with scope(workspace=workspace):
        project = workspace.projects.get(slug=MODERNE_WERKPLEK)
        live = project.wins.get(kind="live")
        proposed = [fact.key for fact in queries.proposals(project)]
    assert "Sinds vandaag werkt" in live.communication.content  # type: ignore[union-attr]
    assert live.key not in proposed and any(key.startswith("live:") for key in proposed)


def test_the_erp_case_celebrates_choosing_phases(workspace: Workspace) -> None:
    with scope(workspace=workspace):
        (win,) = workspace.projects.get(slug=ERP_GENT).wins.all()
    assert win.title == "Besloten: Het ERP komt er in fases van hoogstens 12 weken"


def test_the_erp_steering_group_met_with_minutes_and_meets_again(workspace: Workspace) -> None:
    with scope(workspace=workspace):
        held, upcoming = workspace.projects.get(slug=ERP_GENT).steering_meetings.order_by("on")
        taken = [d.title for d in held.decisions.all()]
        told = held.communication
        assert told is not None and told.kind == "steering" and told.audience.exists()
    assert taken == ["HR en loonadministratie blijven buiten het ERP"]
    assert "Volgende stuurgroep" in held.minutes and not upcoming.minutes
