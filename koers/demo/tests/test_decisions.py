"""The demo's decision logs: each case explains its scope canvas and its gates, has a decision
still needed and one that a later decision replaced (the ERP case: the CEO's big bang)."""

import pytest
from django_scopes import scope

from koers.decisions import queries
from koers.decisions.queries import Source
from koers.demo.cases import CASES, ERP_GENT, ZORG_UITROL
from koers.workspaces.models import Workspace


@pytest.fixture
def workspace(db: None, demo: Workspace) -> Workspace:
    return demo


@pytest.mark.parametrize("slug", [case.slug for case in CASES])
def test_each_case_logs_needed_superseded_and_scope_decisions(
    workspace: Workspace, slug: str
) -> None:
    with scope(workspace=workspace):
        project = workspace.projects.get(slug=slug)
        decisions = list(queries.decision_rows(project))
        assert queries.needed(project).exists()
        superseded = [d for d in decisions if d.status == "superseded"]
        assert superseded and all(d.superseded_by for d in superseded)
        columns = {d.scope_item.column for d in decisions if d.scope_item}
    assert len(columns) >= 2  # the canvas' choices explained: what is in, out or later


def test_the_erp_ceos_big_bang_is_superseded_by_phasing(workspace: Workspace) -> None:
    with scope(workspace=workspace):
        project = workspace.projects.get(slug=ERP_GENT)
        big_bang = project.decisions.get(title__startswith="Alle modules")
        replacement = big_bang.superseded_by
        assert big_bang.status == "superseded" and replacement is not None
        assert "fases van hoogstens 12 weken" in replacement.title
        assert "CEO" in big_bang.decided_by
        steps = list(big_bang.changes.values_list("from_status", "to_status"))
    assert steps == [("", "decided"), ("decided", "superseded")]


def test_the_care_pilots_no_go_is_in_the_log_from_the_gate_and_explained(
    workspace: Workspace,
) -> None:
    with scope(workspace=workspace):
        project = workspace.projects.get(slug=ZORG_UITROL)
        entries = queries.whole_log(project)
        gates = [e.item for e in entries if e.source == Source.GATE]
        explained = [
            e.item.gate_decision for e in entries if e.source == Source.LOG and e.item.gate_decision
        ]
    assert {g.decision for g in gates} >= {"no_go", "go"}
    # The no-go and the go after the retest, each explained by a decision made with it.
    assert {d.decision for d in explained} == {"no_go", "go"}
    assert all(d in gates for d in explained)
