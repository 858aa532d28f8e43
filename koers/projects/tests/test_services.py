from collections.abc import Iterator

import pytest
from django.utils import translation
from django_scopes import scope, scopes_disabled

from koers.core.errors import KoersError
from koers.projects import services
from koers.projects.models import Project, ScopeChange, ScopeItem
from tests.factories import Cast, ClientFactory, make_project

IN, OUT, LATER = ScopeItem.Column.IN, ScopeItem.Column.OUT, ScopeItem.Column.LATER


@pytest.fixture(autouse=True)
def _in_scope_and_english(cast: Cast) -> Iterator[None]:
    # Services run inside the workspace scope, as the views call them; messages in English.
    with scope(workspace=cast.workspace), translation.override("en"):
        yield


def titles(project: Project, column: str) -> list[str]:
    items = project.scope_items.filter(column=column).order_by("position")
    assert [item.position for item in items] == list(range(len(items))), "positions have gaps"
    return [item.title for item in items]


def add(project: Project, column: str, *names: str) -> list[ScopeItem]:
    return [
        services.scope_item_add(project=project, actor=None, column=column, title=n, reason="r")
        for n in names
    ]


def test_project_create_keeps_non_empty_goals_in_order_and_makes_both_visions(cast: Cast):
    project = make_project(cast.client, slug="werkplek", goals=["  Eerst  ", "", "Dan", " "])

    assert [(g.text, g.position) for g in project.goals.all()] == [("Eerst", 0), ("Dan", 1)]
    assert [v.horizon for v in project.visions.all()] == [24, 48]
    assert project.status == Project.Status.INTAKE


def test_project_create_refuses_a_taken_short_name(cast: Cast):
    with pytest.raises(KoersError) as error:
        make_project(cast.other_client, slug="cloud")

    assert error.value.field == "slug"


def test_project_create_refuses_a_client_of_another_workspace(cast: Cast):
    with pytest.raises(KoersError) as error:
        services.project_create(
            workspace=cast.workspace,
            client=ClientFactory.build(workspace_id=cast.workspace.pk + 1000),
            slug="elders",
            name="Elders",
            request="?",
            goals=["x"],
        )

    assert error.value.field == "client"


def test_intake_update_replaces_the_goals(cast: Cast):
    services.intake_update(project=cast.project, goals=["Nieuw doel"], name="Cloud 2")

    cast.project.refresh_from_db()
    assert cast.project.name == "Cloud 2"
    assert [g.text for g in cast.project.goals.all()] == ["Nieuw doel"]


def test_the_lifecycle_moves_one_step_at_a_time_both_ways(cast: Cast):
    project = cast.project
    for status in ["planning", "delivery", "aftercare", "closed"]:
        # Closing asks why, as long as the handover checklist (aftercare) is open.
        services.project_move(project=project, to_status=status, reason="Geen beheer nodig")
    assert project.status == Project.Status.CLOSED
    assert services.lifecycle_neighbours("closed") == ("aftercare", None)
    assert services.lifecycle_neighbours("intake") == (None, "planning")

    services.project_move(project=project, to_status="aftercare")

    project.refresh_from_db()
    assert project.status == Project.Status.AFTERCARE


@pytest.mark.parametrize("to_status", ["delivery", "closed", "intake", "nonsense"])
def test_the_lifecycle_refuses_jumps_and_standing_still(cast: Cast, to_status: str):
    with pytest.raises(KoersError, match="one step at a time"):
        services.project_move(project=cast.project, to_status=to_status)

    cast.project.refresh_from_db()
    assert cast.project.status == Project.Status.INTAKE


def test_scope_items_are_added_at_the_end_of_their_column_with_a_change(cast: Cast):
    add(cast.project, IN, "Teams")
    add(cast.project, LATER, "Intranet")

    assert titles(cast.project, IN) == ["E-mail naar Microsoft 365", "Teams"]
    assert titles(cast.project, LATER) == ["Intranet"]
    change = cast.project.scope_changes.first()
    assert (change.action, change.to_column, change.title) == ("added", LATER, "Intranet")


def test_moving_an_item_to_another_column_renumbers_both(cast: Cast):
    _a, b, _c = add(cast.project, OUT, "A", "B", "C")
    (_x,) = add(cast.project, LATER, "X")

    services.scope_item_move(item=b, actor=cast.member, column=LATER, position=0)

    assert titles(cast.project, OUT) == ["A", "C"]
    assert titles(cast.project, LATER) == ["B", "X"]
    change = cast.project.scope_changes.first()
    assert (change.action, change.from_column, change.to_column) == ("moved", OUT, LATER)
    assert change.actor == cast.member


def test_reordering_within_a_column_up_and_down(cast: Cast):
    a, _b, c = add(cast.project, OUT, "A", "B", "C")

    services.scope_item_move(item=c, actor=cast.member, column=OUT, position=1)  # up
    assert titles(cast.project, OUT) == ["A", "C", "B"]
    services.scope_item_move(item=a, actor=cast.member, column=OUT, position=1)  # down
    assert titles(cast.project, OUT) == ["C", "A", "B"]

    actions = list(cast.project.scope_changes.values_list("action", flat=True)[:2])
    assert actions == ["reordered", "reordered"]


def test_a_position_past_the_end_puts_the_item_last(cast: Cast):
    a, _b = add(cast.project, OUT, "A", "B")

    services.scope_item_move(item=a, actor=None, column=OUT, position=99)

    assert titles(cast.project, OUT) == ["B", "A"]


def test_a_move_that_changes_nothing_records_nothing(cast: Cast):
    a, b = add(cast.project, OUT, "A", "B")
    before = ScopeChange.objects.count()

    services.scope_item_move(item=b, actor=None, column=OUT, position=1)
    services.scope_item_edit(item=a, actor=None, title="A", reason="r")

    assert ScopeChange.objects.count() == before


def test_removing_an_item_keeps_its_history_and_closes_the_gap(cast: Cast):
    _a, b, _c = add(cast.project, OUT, "A", "B", "C")

    services.scope_item_remove(item=b, actor=cast.owner)

    assert titles(cast.project, OUT) == ["A", "C"]
    change = cast.project.scope_changes.first()
    assert (change.action, change.title, change.from_column, change.item) == (
        "removed",
        "B",
        OUT,
        None,
    )
    assert change.actor == cast.owner


def test_client_vision_command_prints_the_vision_and_the_projects(cast: Cast):
    import json
    from io import StringIO

    from django.core.management import call_command

    with scopes_disabled():
        services.client_vision_save(client=cast.client, horizon=24, summary="Alles gekoppeld")
    out = StringIO()
    call_command("client_vision", f"acme/{cast.client.slug}", "--json", stdout=out)
    document = json.loads(out.getvalue())
    assert document["vision"]["months_24"]["summary"] == "Alles gekoppeld"
    assert document["vision"]["months_48"]["summary"] == ""
    assert [p["project"] for p in document["projects"]] == ["cloud"]
    with pytest.raises(KoersError, match="24 or 48"), scopes_disabled():
        services.client_vision_save(client=cast.client, horizon=36, summary="x")
