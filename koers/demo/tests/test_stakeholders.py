"""The demo's stakeholders: each case has its steering group, a decision maker and someone
sceptical or opposed, and the communication logged with them; the guest sees none of it."""

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from koers.demo import cases
from koers.demo.builder import DEMO_SLUG
from koers.projects.models import Project
from koers.stakeholders import queries
from koers.stakeholders.models import Communication, Involvement
from koers.workspaces.models import Membership, Role, Workspace

pytestmark = pytest.mark.django_db


def test_every_case_has_a_steering_group_a_decision_maker_and_a_sceptic_or_opponent(
    demo: Workspace,
) -> None:
    with scope(workspace=demo):
        for project in Project.objects.filter(workspace=demo).exclude(slug__in=cases.EARLIER):
            roles = list(Involvement.objects.filter(project=project))
            assert sum(r.is_steering_member for r in roles) >= 2, project.slug
            assert any(r.is_decision_maker for r in roles), project.slug
            assert any(r.stance in ("sceptic", "opponent") for r in roles), project.slug
            done = Communication.objects.filter(project=project, status="done")
            assert done.count() >= 2, project.slug
            assert Communication.objects.filter(project=project, status="planned").exists()


def test_the_erp_ceo_who_wanted_everything_at_once_is_sceptical_after_being_opposed(
    demo: Workspace,
) -> None:
    with scope(workspace=demo):
        ceo = Involvement.objects.get(project__slug=cases.ERP_GENT, stakeholder__job_title="CEO")
        assert ceo.is_decision_maker and ceo.stance == "sceptic"
        history = list(ceo.stance_changes.order_by("on").values_list("after", flat=True))
        assert history == ["opponent", "sceptic"]
        rows = list(queries.involvements(ceo.project))
        first = queries.overdue(rows, timezone.localdate())[0]
        assert first.involvement.stance in ("opponent", "sceptic")


def test_the_guest_sees_no_stakeholder_of_its_own_client(demo: Workspace, client) -> None:
    with scopes_disabled():
        guest = Membership.objects.get(workspace__slug=DEMO_SLUG, role=Role.GUEST).user
    client.force_login(guest)
    overview = client.get(reverse("projects:overview", args=[DEMO_SLUG, cases.ORDER_TO_CASH]))
    assert overview.status_code == 200
    assert "Dirk Vandenbussche" not in overview.content.decode()
    grid = reverse("project_stakeholders:grid", args=[DEMO_SLUG, cases.ORDER_TO_CASH])
    assert client.get(grid).status_code == 404
