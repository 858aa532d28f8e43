"""The pages: grid, overdue list, communication log, rhythm, a client's stakeholders; guests
see none of them; fixed numbers of queries."""

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django_scopes import scopes_disabled

from koers.stakeholders.models import Communication, Involvement, Stakeholder, StanceChange
from tests.factories import Cast, make_project

from .conftest import add_stakeholder, log

pytestmark = pytest.mark.django_db


def url(cast: Cast, name: str, **kwargs: Any) -> str:
    return cast.project.url("project_stakeholders:" + name, **kwargs)


def client_url(cast: Cast, name: str, **kwargs: Any) -> str:
    return cast.client.url("stakeholders:" + name, **kwargs)


def test_the_grid_page_draws_every_stakeholder_and_lists_the_overdue_opponents_first(
    cast: Cast,
) -> None:
    today = timezone.localdate()
    fan = add_stakeholder(cast.project, "Fien Fan", stance="champion", influence=2, interest=5)
    ceo = add_stakeholder(
        cast.project, "Lieve Vanacker", stance="opponent", influence=5, interest=4
    )
    add_stakeholder(cast.project, "Sam Sceptic", stance="sceptic", is_decision_maker=True)
    log(cast.project, today - timedelta(days=40), fan, ceo)
    page = cast.login(cast.viewer).get(url(cast, "grid"))
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('<a href="/w/acme/p/cloud/stakeholders/') >= 6  # grid and table
    assert 'aria-label="Lieve Vanacker: ' in html
    overdue = html[html.index('data-testid="overdue"') :]
    assert overdue.index("Lieve Vanacker") < overdue.index("Sam Sceptic") < overdue.index("Fien")


def test_guests_see_no_stakeholder_page_and_no_tab(cast: Cast) -> None:
    ann = add_stakeholder(cast.project, "Ann Claes", stance="opponent")
    guest = cast.login(cast.guest)
    overview = guest.get(cast.project.url())
    assert overview.status_code == 200
    assert b"/stakeholders/" not in overview.content
    for address in [
        url(cast, "grid"),
        url(cast, "role", stakeholder=ann.pk),
        url(cast, "communications"),
        client_url(cast, "list"),
    ]:
        assert guest.get(address).status_code == 404, address
    member_overview = cast.login(cast.viewer).get(cast.project.url()).content.decode()
    assert url(cast, "grid") in member_overview


def test_a_member_adds_an_opponent_logs_a_call_and_sees_the_last_contact(cast: Cast) -> None:
    web = cast.login(cast.member)
    made = web.post(
        client_url(cast, "create"),
        {
            "name": "Lieve Vanacker",
            "job_title": "CEO",
            "email": "lieve@example.be",
            "phone": "+32 9 000 27 14",
            "channel": "call",
            "contact_every_days": 14,
            "cares_about": "Wekelijks zien welke orders winst maken",
        },
    )
    assert made.status_code == 302
    with scopes_disabled():
        lieve = Stakeholder.objects.get()
    added = web.post(
        url(cast, "role_add"),
        {
            "stakeholder": lieve.pk,
            "stance": "opponent",
            "influence": 5,
            "interest": 4,
            "is_decision_maker": "on",
            "on": timezone.localdate().isoformat(),
            "reason": "Wilde alles in één keer",
        },
    )
    assert added.status_code == 302, added.content.decode()[:2000]
    assert "never contacted" in web.get(url(cast, "grid")).content.decode()
    logged = web.post(
        url(cast, "communication_create"),
        {
            "kind": "call",
            "status": "done",
            "on": timezone.localdate().isoformat(),
            "subject": "Bellen over de eerste fase",
            "audience": [lieve.pk],
        },
    )
    assert logged.status_code == 302
    grid = web.get(url(cast, "grid")).content.decode()
    assert "Nobody is overdue for contact." in grid
    assert date_format(timezone.localdate(), "SHORT_DATE_FORMAT") in grid  # the last contact
    role = web.get(url(cast, "role", stakeholder=lieve.pk)).content.decode()
    assert "Wilde alles in één keer" in role  # the stance history


def test_wrong_details_show_on_the_form(cast: Cast) -> None:
    page = cast.login(cast.member).post(
        client_url(cast, "create"),
        {"name": "X", "email": "x@", "phone": "bel", "channel": "call", "contact_every_days": 7},
    )
    assert page.status_code == 200
    assert page.context["form"].errors.keys() == {"email", "phone"}


def test_a_stakeholder_of_another_client_cannot_be_reached_through_this_one(cast: Cast) -> None:
    with scopes_disabled():
        other = make_project(cast.other_client, slug="raadhuis")
    stranger = add_stakeholder(other, "Wethouder")
    web = cast.login(cast.member)
    assert web.get(client_url(cast, "edit", stakeholder=stranger.pk)).status_code == 404
    assert web.post(client_url(cast, "delete", stakeholder=stranger.pk)).status_code == 404
    assert web.get(url(cast, "role", stakeholder=stranger.pk)).status_code == 404
    # Nor offered as a role or as an audience of this project.
    added = web.post(url(cast, "role_add"), {"stakeholder": stranger.pk, "stance": "neutral"})
    assert added.status_code == 200 and "stakeholder" in added.context["form"].errors
    logged = web.post(
        url(cast, "communication_create"),
        {
            "kind": "call",
            "status": "done",
            "on": "2026-01-05",
            "subject": "x",
            "audience": [stranger.pk],
        },
    )
    assert logged.status_code == 200 and "audience" in logged.context["form"].errors
    with scopes_disabled():
        assert Stakeholder.objects.filter(pk=stranger.pk).exists()
        assert not Communication.objects.filter(project=cast.project).exists()


def test_a_viewer_reads_a_role_but_cannot_change_it(cast: Cast) -> None:
    ann = add_stakeholder(cast.project, "Ann", stance="opponent")
    web = cast.login(cast.viewer)
    page = web.get(url(cast, "role", stakeholder=ann.pk))
    assert page.status_code == 200 and b"<form" not in page.content.split(b"<main")[-1]
    refused = web.post(url(cast, "role", stakeholder=ann.pk), {"stance": "champion"})
    assert refused.status_code == 403
    with scopes_disabled():
        assert Involvement.objects.get().stance == "opponent"


def test_deleting_on_the_page_removes_the_stakeholder_everywhere(cast: Cast) -> None:
    ann = add_stakeholder(cast.project, "Ann", stance="opponent")
    log(cast.project, timezone.localdate(), ann)
    gone = cast.login(cast.member).post(client_url(cast, "delete", stakeholder=ann.pk))
    assert gone.status_code == 302
    with scopes_disabled():
        assert not Stakeholder.objects.exists() and not Involvement.objects.exists()
        assert not StanceChange.objects.exists()
        assert not Communication.audience.through.objects.exists()


def test_the_rhythm_is_edited_on_its_page_and_shown_with_what_is_overdue(cast: Cast) -> None:
    web = cast.login(cast.member)
    saved = web.post(url(cast, "rhythm"), {"update": 7, "demo": 30, "steering": ""})
    assert saved.status_code == 302
    log(cast.project, timezone.localdate() - timedelta(days=10), kind="update")
    page = web.get(url(cast, "communications")).content.decode()
    rhythm = page[page.index('data-testid="rhythm"') :]
    assert "overdue since" in rhythm  # the update, 10 days ago, every 7
    assert "overdue: never done" in rhythm  # the demo
    assert "no rhythm" in rhythm  # the steering meeting, switched off


def many(cast: Cast, count: int) -> None:
    today = timezone.localdate()
    people = [
        add_stakeholder(cast.project, f"Persoon {n}", stance="opponent" if n % 3 else "champion")
        for n in range(count)
    ]
    for n in range(count):
        log(cast.project, today - timedelta(days=n), *people[: n + 1], kind="meeting")


@pytest.mark.parametrize("name", ["grid", "communications"], ids=["grid", "communications"])
def test_the_project_pages_take_a_fixed_number_of_queries(
    cast: Cast, name: str, django_assert_num_queries: Any
) -> None:
    web = cast.login(cast.member)
    many(cast, 2)
    web.get(url(cast, name))  # session and caches warm
    with django_assert_num_queries(QUERIES[name]):
        assert web.get(url(cast, name)).status_code == 200
    many_more = 12
    with scopes_disabled():
        Stakeholder.objects.all().delete()
    many(cast, many_more)
    with django_assert_num_queries(QUERIES[name]):
        assert web.get(url(cast, name)).status_code == 200


def test_the_client_list_takes_a_fixed_number_of_queries(
    cast: Cast, django_assert_num_queries: Any
) -> None:
    web = cast.login(cast.member)
    many(cast, 1)
    web.get(client_url(cast, "list"))
    with django_assert_num_queries(QUERIES["list"]):
        web.get(client_url(cast, "list"))
    many(cast, 10)
    with django_assert_num_queries(QUERIES["list"]):
        assert web.get(client_url(cast, "list")).status_code == 200


# Session, user, membership, the memberships of the switcher, the project (or client), then:
# the grid its one query; the log its page, count, audiences and the rhythm (two); the list its
# page and count.
QUERIES = {"grid": 6, "communications": 10, "list": 7}


def test_the_client_page_links_its_stakeholders(cast: Cast) -> None:
    page = cast.login(cast.viewer).get(reverse("workspaces:client", args=["acme", "bakkerij"]))
    assert client_url(cast, "list").encode() in page.content


def test_the_pages_speak_dutch_by_default_with_the_glossary_words(
    cast: Cast, settings: Any
) -> None:
    settings.LANGUAGE_CODE = "nl"
    add_stakeholder(cast.project, "Lieve", stance="opponent", is_decision_maker=True)
    add_stakeholder(cast.project, "Bart", stance="champion", is_steering_member=True)
    page = cast.login(cast.member).get(url(cast, "grid"), headers={"accept-language": "nl"})
    html = page.content.decode()
    for word in ["Tegenstander", "Voorvechter", "beslisser", "stuurgroep", "Invloed/belang"]:
        assert word in html, word


def test_a_new_communication_is_dated_today_and_takes_the_kind_from_the_link(cast: Cast) -> None:
    page = cast.login(cast.member).get(url(cast, "communication_create") + "?kind=call")
    form = page.context["form"]
    assert form["on"].value() == timezone.localdate()
    assert form["kind"].value() == "call"
