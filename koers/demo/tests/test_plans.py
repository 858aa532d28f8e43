"""The demo plans: the method's worked case, its counter-case restarted small, and a pilot's
revision."""

from decimal import Decimal

import pytest
from django_scopes import scope

from koers.demo import cases
from koers.roadmap import snapshot
from koers.roadmap.guardrails import Rule
from koers.roadmap.queries import plan_state

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_the_demo(demo):
    with scope(workspace=demo):
        yield


def state(workspace, slug):
    return plan_state(workspace.projects.get(slug=slug))


def test_order_to_cash_has_three_phases_two_done_and_met(demo):
    plan = state(demo, cases.ORDER_TO_CASH)
    assert [p.weeks for p in plan.phases] == [8, 10, 12]
    assert [p.status for p in plan.phases] == ["done", "done", "active"]
    assert [all(k.is_met for k in p.kpis.all()) for p in plan.phases[:2]] == [True, True]
    targets = [(k.baseline, k.target) for p in plan.phases for k in p.kpis.all()]
    assert [round(1 - t / b, 2) for b, t in targets[:2]] == [Decimal("0.60"), Decimal("0.40")]
    assert targets[2][0] - targets[2][1] == 12  # payment term 12 days shorter
    assert plan.findings == []


def test_erp_gent_keeps_the_big_bang_as_history_and_restarts_small(demo):
    plan = state(demo, cases.ERP_GENT)
    big_bang, *restart = plan.phases
    assert (big_bang.weeks, big_bang.budget, big_bang.status) == (78, 180_000, "stopped")
    assert restart[0].status == "active"
    assert all(p.weeks <= 12 and 15_000 <= p.budget <= 50_000 for p in restart)
    assert not plan.summary.has_blocking
    first = plan.project.plan_revisions.get(number=1)
    rules = {f.rule for f in snapshot.findings(first.snapshot, plan.limits)}
    assert {Rule.BIG_BANG, Rule.PHASE_TOO_LONG, Rule.BUDGET_OUTSIDE_RANGE} <= rules


def test_modern_workplace_has_a_revision_caused_by_its_own_pilot(demo):
    plan = state(demo, cases.MODERNE_WERKPLEK)
    revisions = list(plan.project.plan_revisions.all())
    assert [r.number for r in revisions] == [2, 1]
    assert "pilot" in revisions[0].reason
    assert "uitlog" not in revisions[0].reason  # that is the care institution's finding
    assert not plan.has_unrecorded_changes
