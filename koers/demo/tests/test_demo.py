from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from koers.demo import cases
from koers.demo.builder import DEMO_SLUG, build_demo
from koers.projects.models import Project, ScopeChange, ScopeItem
from koers.workspaces.models import Client, ContactPerson, Membership, Role, Workspace

pytestmark = pytest.mark.django_db

PROJECT_SLUGS = {
    cases.ORDER_TO_CASH,
    cases.MODERNE_WERKPLEK,
    cases.ERP_GENT,
    cases.ZORG_UITROL,
    cases.PRODUCTTEAM_GEMEENTE,
    cases.EEN_WAARHEID,
}


@pytest.fixture
def workspace(demo: Workspace) -> Workspace:
    return demo


def test_demo_has_six_clients_each_with_one_project_and_contacts(workspace: Workspace):
    """Five told cases, and the wholesaler of the landscape audit with its proposed project."""
    with scope(workspace=workspace):
        clients = list(Client.objects.filter(workspace=workspace))
        assert len(clients) == 5 + len(cases.CLIENT_MODULES)
        for client in clients:
            assert client.projects.exclude(slug__in=cases.EARLIER).count() == 1
            assert 1 <= client.contacts.count() <= 2
        found = {p.slug for p in Project.objects.filter(workspace=workspace)}
        assert found == PROJECT_SLUGS | set(cases.EARLIER)


def test_every_demo_project_has_goals_both_visions_and_a_canvas_over_two_columns(
    workspace: Workspace,
):
    with scope(workspace=workspace):
        for project in Project.objects.filter(workspace=workspace).exclude(slug__in=cases.EARLIER):
            assert 3 <= project.goals.count() <= 5, project.slug
            assert project.request and project.current_situation and project.tried_before
            assert project.manager is not None
            visions = list(project.visions.all())
            assert [v.horizon for v in visions] == [24, 48]
            for vision in visions:
                assert all(
                    [
                        vision.summary,
                        vision.automated_processes,
                        vision.connected_systems,
                        vision.biggest_gains,
                    ]
                ), (project.slug, vision.horizon)
            items = list(project.scope_items.all())
            assert 6 <= len(items) <= 12, project.slug
            assert len({item.column for item in items}) >= 2, project.slug


def test_demo_content_fits_the_model_fields(workspace: Workspace):
    with scope(workspace=workspace):
        for client in Client.objects.filter(workspace=workspace):
            client.full_clean()
        for contact in ContactPerson.objects.filter(client__workspace=workspace):
            contact.full_clean()
            assert contact.email.endswith(("@example.com", "@example.be"))
        for project in Project.objects.filter(workspace=workspace):
            project.full_clean()
            for related in (project.goals, project.visions, project.scope_items):
                for obj in related.all():
                    obj.full_clean()


def test_demo_projects_have_the_statuses_of_their_cases(workspace: Workspace):
    with scope(workspace=workspace):
        statuses = dict(Project.objects.filter(workspace=workspace).values_list("slug", "status"))
    assert statuses == {case.slug: case.status for case in cases.CASES + cases.PROPOSALS} | {
        slug: Project.Status.CLOSED for slug in cases.EARLIER
    }
    assert statuses[cases.ORDER_TO_CASH] == Project.Status.DELIVERY
    assert statuses[cases.PRODUCTTEAM_GEMEENTE] == Project.Status.INTAKE


def test_moved_scope_item_keeps_its_history_and_new_reason(workspace: Workspace):
    move = cases.order_to_cash.CASE.move
    assert move is not None
    with scope(workspace=workspace):
        item = ScopeItem.objects.get(project__slug=cases.ORDER_TO_CASH, title=move.title)
        assert item.column == ScopeItem.Column.LATER
        assert item.reason == move.reason
        actions = list(item.changes.order_by("id").values_list("action", flat=True))
        assert actions == [
            ScopeChange.Action.ADDED,
            ScopeChange.Action.MOVED,
            ScopeChange.Action.EDITED,
        ]
        assert item.changes.get(action=ScopeChange.Action.MOVED).actor is not None


def test_building_again_without_reset_changes_nothing(workspace: Workspace):
    with scopes_disabled():
        before = set(Project.objects.values_list("pk", "updated_at"))
        again, created = build_demo()
        after = set(Project.objects.values_list("pk", "updated_at"))
    assert created is False
    assert again.pk == workspace.pk
    assert before == after
    assert Workspace.objects.filter(slug=DEMO_SLUG).count() == 1


def test_reset_remakes_the_demo(workspace: Workspace):
    with scopes_disabled():
        remade, created = build_demo(reset=True)
        assert created is True
        assert remade.pk != workspace.pk
        assert not Workspace.objects.filter(pk=workspace.pk).exists()
        assert Project.objects.filter(workspace=remade).count() == 5 + len(
            cases.PROPOSALS + cases.EARLIER
        )
        assert Client.objects.count() == 5 + len(cases.CLIENT_MODULES)
        assert Membership.objects.filter(workspace=remade).count() == 4


def test_guest_is_bound_to_the_order_to_cash_client(workspace: Workspace):
    with scopes_disabled():
        guest = Membership.objects.get(workspace=workspace, role=Role.GUEST)
        project = Project.objects.get(workspace=workspace, slug=cases.ORDER_TO_CASH)
    assert guest.user.email == "guest@example.com"
    assert guest.client == project.client
    assert guest.client.country == "BE"


def test_demo_command_prints_the_address_and_login():
    out = StringIO()
    call_command("demo", "--no-serve", stdout=out)
    output = out.getvalue()
    assert "http://127.0.0.1:8000/" in output
    assert "demo@example.com" in output
    assert "koers-demo" in output
    with scopes_disabled():
        assert Project.objects.filter(workspace__slug=DEMO_SLUG).count() == len(
            PROJECT_SLUGS | set(cases.EARLIER)
        )


def test_guest_reads_the_order_to_cash_project_but_not_the_other_clients(demo, client):
    with scopes_disabled():
        guest = Membership.objects.get(workspace__slug=DEMO_SLUG, role=Role.GUEST).user
    client.force_login(guest)
    own = client.get(reverse("projects:overview", args=[DEMO_SLUG, cases.ORDER_TO_CASH]))
    assert own.status_code == 200
    assert "Peppol" in own.content.decode()
    other = client.get(reverse("projects:overview", args=[DEMO_SLUG, cases.ERP_GENT]))
    assert other.status_code in (403, 404)
