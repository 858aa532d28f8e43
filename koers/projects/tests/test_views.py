import pytest
from django.test import Client as WebClient
from django.urls import reverse
from django_scopes import scopes_disabled

from koers.accounts.models import User
from koers.projects import services
from koers.projects.models import Project, ScopeChange, ScopeItem
from tests.factories import Cast, ClientFactory, make_project

IN, OUT, LATER = ScopeItem.Column.IN, ScopeItem.Column.OUT, ScopeItem.Column.LATER
QUERY_BUDGET = 12  # per page, whatever the number of projects or scope items (now 7 to 11)
# The project page also reads the plan (with its client's vision), the rollout, the signal, the
# decisions and the small wins to celebrate.
OVERVIEW_BUDGET = 31
# The workspace home is the portfolio: every app's grouped read for all its projects.
PORTFOLIO_BUDGET = 26


def login(cast: Cast, user: User) -> WebClient:
    web = cast.login(user)
    web.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return web


def url(name: str, *args: object) -> str:
    return reverse(f"projects:{name}", args=["acme", "cloud", *args])


def shown_messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def intake(cast: Cast, **change: str) -> dict[str, object]:
    return {
        "client": cast.client.pk,
        "name": "Nieuwe werkplek",
        "slug": "werkplek",
        "request": "Iedereen een laptop.",
        "goals": "Sneller inwerken\n\n  Minder tickets  \n",
        "current_situation": "Vaste pc's",
        "tried_before": "",
        "manager": cast.member.pk,
        "language": "nl",
        **change,
    }


def scope_titles(column: str) -> list[str]:
    with scopes_disabled():
        items = ScopeItem.objects.filter(project__slug="cloud", column=column)
        return list(items.order_by("position").values_list("title", flat=True))


def last_change() -> ScopeChange:
    with scopes_disabled():
        return ScopeChange.objects.select_related("actor").first()  # type: ignore[return-value]


def test_intake_makes_the_project_with_its_goals_and_two_visions(cast: Cast):
    response = login(cast, cast.member).post(
        reverse("projects:create", args=["acme"]), intake(cast)
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("projects:vision", args=["acme", "werkplek"])
    with scopes_disabled():
        project = Project.objects.get(slug="werkplek")
        assert project.client == cast.client
        assert project.manager == cast.member
        assert project.status == Project.Status.INTAKE
        assert [g.text for g in project.goals.all()] == ["Sneller inwerken", "Minder tickets"]
        assert sorted(v.horizon for v in project.visions.all()) == [24, 48]


def test_intake_without_short_name_makes_one_from_the_name_free_in_the_workspace(cast: Cast):
    web = login(cast, cast.member)

    response = web.post(
        reverse("projects:create", args=["acme"]), intake(cast, name="Cloud", slug="")
    )

    # "cloud" is taken by the workspace's project of that name: the next number is free.
    assert response["Location"] == reverse("projects:vision", args=["acme", "cloud-2"])


def test_intake_names_the_goal_line_that_is_too_long_and_keeps_the_input(cast: Cast):
    goals = "Kort doel\n\n" + "x" * 301 + "\nNog een"

    response = login(cast, cast.member).post(
        reverse("projects:create", args=["acme"]), intake(cast, goals=goals)
    )

    assert response.status_code == 200
    assert response.context["form"].errors["goals"] == [
        "Goal 2 is longer than 300 characters; split or shorten it."
    ]
    page = response.content.decode()
    assert "Kort doel" in page
    assert 'value="Nieuwe werkplek"' in page
    with scopes_disabled():
        assert not Project.objects.filter(slug="werkplek").exists()


@pytest.mark.parametrize(
    ("change", "field", "error"),
    [
        ({"goals": " \n \n"}, "goals", "This field is required."),
        ({"slug": "cloud"}, "slug", "A project with this short name already exists."),
        ({"name": ""}, "name", "This field is required."),
        ({"client": ""}, "client", "This field is required."),
    ],
)
def test_intake_field_errors(cast: Cast, change: dict[str, str], field: str, error: str):
    response = login(cast, cast.member).post(
        reverse("projects:create", args=["acme"]), intake(cast, **change)
    )

    assert response.status_code == 200
    assert response.context["form"].errors[field] == [error]


def test_intake_refuses_a_client_of_another_workspace(cast: Cast):
    with scopes_disabled():
        foreign = ClientFactory(workspace=cast.outsider.memberships.get().workspace).pk

    response = login(cast, cast.member).post(
        reverse("projects:create", args=["acme"]), intake(cast, client=str(foreign))
    )

    assert response.status_code == 200
    assert "client" in response.context["form"].errors


def test_intake_edit_changes_the_goals(cast: Cast):
    response = login(cast, cast.member).post(
        url("intake"), intake(cast, slug="cloud", goals="Alleen dit")
    )

    assert response.status_code == 302
    with scopes_disabled():
        assert [g.text for g in cast.project.goals.all()] == ["Alleen dit"]


def test_vision_saves_both_horizons(cast: Cast):
    fields = ("summary", "automated_processes", "connected_systems", "biggest_gains")
    data = {f"v{h}-{f}": f"{f} over {h}" for h in (24, 48) for f in fields}

    response = login(cast, cast.member).post(url("vision"), data)

    assert response.status_code == 302
    assert response["Location"] == url("scope")
    with scopes_disabled():
        visions = {v.horizon: v for v in cast.project.visions.all()}
    assert sorted(visions) == [24, 48]
    for horizon in (24, 48):
        for field in fields:
            assert getattr(visions[horizon], field) == f"{field} over {horizon}"
    overview = login(cast, cast.viewer).get(url("overview")).content.decode()
    assert "summary over 24" in overview
    assert "summary over 48" in overview


def test_vision_refuses_an_over_long_answer_and_saves_neither_horizon(cast: Cast):
    data = {"v24-summary": "kort", "v48-summary": "x" * 2001}

    response = login(cast, cast.member).post(url("vision"), data)

    assert response.status_code == 200
    with scopes_disabled():
        assert [v.summary for v in cast.project.visions.all()] == ["", ""]


def test_scope_item_add_edit_move_reorder_and_remove_are_each_recorded_with_the_actor(
    cast: Cast,
):
    web = login(cast, cast.member)
    for title in ("Teams", "SharePoint"):
        response = web.post(url("scope"), {"column": OUT, "title": title, "reason": "Later"})
        assert response.status_code == 302
    assert scope_titles(OUT) == ["Teams", "SharePoint"]
    assert (last_change().action, last_change().actor) == ("added", cast.member)
    with scopes_disabled():
        teams = ScopeItem.objects.get(title="Teams")
        sharepoint = ScopeItem.objects.get(title="SharePoint")

    web.post(url("scope_item", teams.pk), {"title": "Microsoft Teams", "reason": "Nu niet"})
    assert scope_titles(OUT) == ["Microsoft Teams", "SharePoint"]
    assert (last_change().action, last_change().actor) == ("edited", cast.member)

    web.post(url("scope_item_move", sharepoint.pk), {"column": OUT, "position": 0})  # up
    assert scope_titles(OUT) == ["SharePoint", "Microsoft Teams"]
    assert (last_change().action, last_change().actor) == ("reordered", cast.member)

    web.post(url("scope_item_move", sharepoint.pk), {"column": OUT, "position": 1})  # down
    assert scope_titles(OUT) == ["Microsoft Teams", "SharePoint"]
    assert last_change().action == "reordered"

    moved = web.post(url("scope_item_move", teams.pk), {"column": LATER, "position": 0})
    assert moved["Location"].endswith(f"#item-{teams.pk}")  # back at the card, not the top
    page = web.get(moved["Location"]).content.decode()
    assert f'id="item-{teams.pk}" tabindex="-1"' in page
    assert "Microsoft Teams is now in" in page or "Microsoft Teams staat nu in" in page
    # The buttons and the link of a card name it, after the words they show (2.5.3).
    assert '<span class="visually-hidden">: SharePoint</span></button>' in page
    assert '<span class="visually-hidden"> SharePoint</span></a>' in page
    # The project's own words are marked in its language, whatever language Koers speaks.
    language = cast.project.language
    assert f'<strong lang="{language}">SharePoint</strong>' in page
    assert f'<h1><span lang="{language}">{cast.project.name}</span>' in page
    overview = web.get(url("overview")).content.decode()
    assert f'<dd class="quote" lang="{language}">' in overview  # the client's own request
    assert scope_titles(OUT) == ["SharePoint"]
    assert scope_titles(LATER) == ["Microsoft Teams"]
    change = last_change()
    assert (change.action, change.from_column, change.to_column) == ("moved", OUT, LATER)
    assert change.actor == cast.member

    response = web.post(url("scope_item_remove", teams.pk), follow=True)
    assert "Scope item Microsoft Teams removed." in shown_messages(response)
    assert scope_titles(LATER) == []
    assert (last_change().action, last_change().title) == ("removed", "Microsoft Teams")
    assert last_change().actor == cast.member

    history = web.get(url("scope_history")).content.decode()
    assert history.count("Microsoft Teams") >= 3


def test_the_canvas_buttons_move_an_item_up_down_and_across(cast: Cast):
    # The forms on the page, posted as they are, do what their labels say.
    web = login(cast, cast.member)
    for title in ("B", "C"):
        web.post(url("scope"), {"column": IN, "title": title, "reason": "r"})
    with scopes_disabled():
        c = ScopeItem.objects.get(title="C")

    page = web.get(url("scope")).content.decode()
    move = url("scope_item_move", c.pk)
    assert page.count(f'action="{move}"') == 3  # to out, to later, up (C is last: no down)
    web.post(move, {"column": IN, "position": 1})

    assert scope_titles(IN) == ["E-mail naar Microsoft 365", "C", "B"]


def test_the_script_move_answers_204_and_a_bad_move_400(cast: Cast):
    web = login(cast, cast.member)
    with scopes_disabled():
        item = cast.project.scope_items.get()
    headers = {"X-Requested-With": "fetch"}

    moved = web.post(
        url("scope_item_move", item.pk), {"column": LATER, "position": 0}, headers=headers
    )
    bad = web.post(
        url("scope_item_move", item.pk), {"column": "nowhere", "position": 0}, headers=headers
    )

    assert moved.status_code == 204
    assert moved.content == b""
    assert scope_titles(LATER) == ["E-mail naar Microsoft 365"]
    assert bad.status_code == 400
    assert scope_titles(LATER) == ["E-mail naar Microsoft 365"]


def test_an_item_of_another_project_cannot_be_moved_through_this_one(cast: Cast):
    with scopes_disabled():
        other = make_project(cast.client, slug="werkplek")
        item = services.scope_item_add(
            project=other, actor=None, column=IN, title="Laptops", reason="r"
        )

    response = login(cast, cast.member).post(
        url("scope_item_move", item.pk), {"column": OUT, "position": 0}
    )

    assert response.status_code == 404
    with scopes_disabled():
        item.refresh_from_db()
    assert item.column == IN


def test_a_viewer_sees_the_canvas_without_the_forms(cast: Cast):
    page = login(cast, cast.viewer).get(url("scope")).content.decode()

    assert "E-mail naar Microsoft 365" in page
    with scopes_disabled():
        item = cast.project.scope_items.get()
    assert f'action="{url("scope_item_move", item.pk)}"' not in page
    assert f'href="{url("scope_item", item.pk)}"' not in page
    assert 'name="title"' not in page


@pytest.mark.parametrize(
    ("steps", "expected"),
    [
        (["planning"], "planning"),
        (["planning", "delivery", "planning"], "planning"),
        (["delivery"], "intake"),
        (["closed"], "intake"),
        (["planning", "aftercare"], "planning"),
        (["nonsense"], "intake"),
    ],
)
def test_the_lifecycle_moves_one_step_at_a_time(cast: Cast, steps: list[str], expected: str):
    web = login(cast, cast.member)
    for step in steps:
        response = web.post(url("status"), {"status": step}, follow=True)

    assert response.redirect_chain[-1][0] == url("overview")
    cast.project.refresh_from_db()
    assert cast.project.status == expected


def test_a_lifecycle_jump_is_refused_with_a_message(cast: Cast):
    response = login(cast, cast.member).post(url("status"), {"status": "closed"}, follow=True)

    assert shown_messages(response) == [
        "A project moves one step at a time: from Intake it cannot go to Closed."
    ]


# Query counts: a page asks the database the same number of times at 2 and at 20 rows.


def _count_queries(
    web: WebClient, page: str, django_assert_max_num_queries, budget: int = QUERY_BUDGET
) -> int:
    web.get(page)  # the first visit writes the session; measure the ones after
    with django_assert_max_num_queries(budget) as captured:
        response = web.get(page)
    assert response.status_code == 200
    return len(captured)


def _add_projects(cast: Cast, count: int) -> None:
    with scopes_disabled():
        start = cast.workspace.projects.count()
        for n in range(start, start + count):
            client = cast.client if n % 2 else cast.other_client
            make_project(client, slug=f"project-{n}", name=f"Project {n}", manager=cast.member)


def _add_items(cast: Cast, count: int) -> None:
    with scopes_disabled():
        start = cast.project.scope_items.count()
        for n in range(start, start + count):
            services.scope_item_add(
                project=cast.project,
                actor=cast.member,
                column=[IN, OUT, LATER][n % 3],
                title=f"Item {n}",
                reason="r",
            )


def test_dashboard_queries_do_not_grow_with_the_projects(cast: Cast, django_assert_max_num_queries):
    web = login(cast, cast.member)
    page = reverse("workspaces:dashboard", args=["acme"])
    _add_projects(cast, 1)
    at_2 = _count_queries(web, page, django_assert_max_num_queries, PORTFOLIO_BUDGET)
    _add_projects(cast, 18)
    at_20 = _count_queries(web, page, django_assert_max_num_queries, PORTFOLIO_BUDGET)

    assert web.get(page).content.decode().count("Project 19") == 1
    assert at_2 == at_20


@pytest.mark.parametrize(
    ("page", "budget"), [("overview", OVERVIEW_BUDGET), ("scope", QUERY_BUDGET)]
)
def test_project_pages_queries_do_not_grow_with_the_scope_items(
    cast: Cast, page: str, budget: int, django_assert_max_num_queries
):
    web = login(cast, cast.member)
    _add_items(cast, 1)
    at_2 = _count_queries(web, url(page), django_assert_max_num_queries, budget)
    _add_items(cast, 18)
    at_20 = _count_queries(web, url(page), django_assert_max_num_queries, budget)

    assert "Item 19" in web.get(url(page)).content.decode()
    assert at_2 == at_20


def test_the_scope_item_edit_page_shows_the_current_text(cast: Cast):
    with scopes_disabled():
        item = cast.project.scope_items.get()

    page = login(cast, cast.member).get(url("scope_item", item.pk)).content.decode()

    assert 'value="E-mail naar Microsoft 365"' in page
    assert 'value="Grootste pijn"' in page


def test_the_intake_asks_the_bottleneck_the_behaviour_and_the_smallest_version(cast: Cast):
    """The method's questions behind the request; the smallest version is offered as the
    first phase of the plan, filled in."""
    web = login(cast, cast.member)
    smallest = "Eén winkel op de nieuwe laptops, met de kassa erbij."
    web.post(
        reverse("projects:create", args=["acme"]),
        intake(
            cast,
            bottleneck="Niemand heeft tijd om te leren",
            behaviour_change="Bestanden in de teamomgeving bewaren",
            smallest_version=smallest,
        ),
    )
    overview = web.get(reverse("projects:overview", args=["acme", "werkplek"])).content.decode()
    for heading, text in [
        ("Real bottleneck", "Niemand heeft tijd om te leren"),
        ("Behaviour that must change", "Bestanden in de teamomgeving bewaren"),
        ("Smallest valuable version", smallest),
    ]:
        assert heading in overview and text in overview
    plan = web.get(reverse("roadmap:plan", args=["acme", "werkplek"])).content.decode()
    assert "Suggested first phase" in plan and smallest in plan
    form = web.get(reverse("roadmap:phase_create", args=["acme", "werkplek"]) + "?suggested=1")
    assert form.context["form"].instance.standalone_value == smallest
    assert form.context["form"].instance.goal == smallest
    plain = web.get(reverse("roadmap:phase_create", args=["acme", "werkplek"]))
    assert plain.context["form"].instance.goal == ""


def test_the_client_vision_is_written_once_and_shows_every_project_under_it(cast: Cast):
    web = login(cast, cast.member)
    address = reverse("client_vision", args=["acme", cast.client.slug])
    with scopes_disabled():
        other = make_project(cast.client, slug="kassa", name="Kassa koppelen")
        other.serves_vision = "Systemen praten met elkaar"
        other.save()
    # Two projects, no vision: the "act small only" warning on the plan.
    plan = web.get(reverse("roadmap:plan", args=["acme", "cloud"])).content.decode()
    assert "The client has 2 projects but no vision for its whole digital future" in plan

    response = web.post(
        address,
        {"v24-summary": "Alles in de cloud, ook thuis", "v48-biggest_gains": "Geen dubbel werk"},
    )
    assert response.status_code == 302
    page = web.get(address).content.decode()
    assert "Alles in de cloud, ook thuis" in page and "Geen dubbel werk" in page
    assert "Kassa koppelen" in page and "Systemen praten met elkaar" in page
    assert "Naar de cloud" in page and "not said" in page
    assert 'class="roadmap-svg"' in page
    plan = web.get(reverse("roadmap:plan", args=["acme", "cloud"])).content.decode()
    assert "say which part of it this project serves" in plan

    # The project says which part it serves, on its vision page: the warning goes.
    vision = reverse("projects:vision", args=["acme", "cloud"])
    assert "Alles in de cloud, ook thuis" in web.get(vision).content.decode()
    web.post(vision, {"link-serves_vision": "Veilig thuiswerken"})
    plan = web.get(reverse("roadmap:plan", args=["acme", "cloud"])).content.decode()
    assert "Not linked to the client" not in plan


def test_a_viewer_reads_the_client_vision_but_cannot_write_it(cast: Cast):
    address = reverse("client_vision", args=["acme", cast.client.slug])
    web = login(cast, cast.viewer)
    assert web.get(address).status_code == 200
    assert "Write the vision" not in web.get(address).content.decode()
    assert web.post(address, {"v24-summary": "Nee"}).status_code == 403
    with scopes_disabled():
        assert not cast.client.visions.exists()
