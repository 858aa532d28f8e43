"""The demo's pulse rounds: the pilot and two department waves, the last a watermelon."""

import pytest
from django_scopes import scopes_disabled

from koers.demo.builder import build_demo
from koers.demo.cases import MODERNE_WERKPLEK
from koers.projects.models import Project
from koers.pulse import queries
from koers.pulse.signals import Step
from koers.workspaces.models import Workspace


@pytest.fixture
def project(db: None, demo: Workspace) -> Project:
    with scopes_disabled():
        return demo.projects.get(slug=MODERNE_WERKPLEK)


def test_the_case_has_a_pilot_round_and_two_wave_rounds_with_answers(project: Project) -> None:
    with scopes_disabled():
        rounds = list(project.pulse_rounds.order_by("number"))
        assert [r.status for r in rounds] == ["closed", "closed", "open"]
        assert all(queries.results(r).is_shown for r in rounds)
        assert rounds[0].title.startswith("Pilot")


def test_the_last_wave_is_a_watermelon_reported_green_understanding_low(project: Project) -> None:
    with scopes_disabled():
        signal = queries.project_signals([project], project.workspace)[project.pk]
        latest = queries.results(project.pulse_rounds.get(number=3))
    assert signal.signal.reported == "green"
    assert signal.signal.is_watermelon
    assert latest.barrier == Step.AWARENESS
    assert signal.round_number == 3


def test_the_answers_are_the_same_every_build(project: Project) -> None:
    with scopes_disabled():
        first = queries.round_scores(project.pulse_rounds.get(number=3))
        workspace, _made = build_demo(reset=True)
        again = workspace.projects.get(slug=MODERNE_WERKPLEK).pulse_rounds.get(number=3)
        assert queries.round_scores(again) == first


def test_small_departments_are_hidden_together_in_the_closed_pilot_round(
    project: Project,
) -> None:
    # The pilot's 20 come from many departments; the first department wave is one department.
    with scopes_disabled():
        results = queries.results(project.pulse_rounds.get(number=1), "department")
    assert results.is_final and results.hidden
    assert [row.key for row in results.rows][-1] == "__other__"
    assert all(row.scores.answers >= 5 for row in results.rows)
