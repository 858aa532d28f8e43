"""The timeline: wins celebrated, decisions made and communications done, newest first, on
pages of a fixed number of queries; a win's message shows once, as the win."""

import io
import json
from datetime import date
from typing import Any

import pytest
from django.core.management import call_command
from django_scopes import scope, scopes_disabled

from koers.core.paging import CursorError
from koers.stakeholders import services as stakeholders
from koers.wins import services, timeline
from tests.factories import Cast, make_project

from .conftest import days_ago, facts_of, made_decision, url

pytestmark = pytest.mark.django_db


def told(cast: Cast, subject: str, ago: int, status: str = "done") -> Any:
    with scopes_disabled():
        return stakeholders.communication_create(
            project=cast.project,
            actor=None,
            kind="call",
            status=status,
            on=days_ago(ago),
            subject=subject,
        )


def story(cast: Cast) -> None:
    """A win (3 days ago, told by a demo), a decision made yesterday, a call 2 days ago; and
    what the timeline leaves out: a dismissed win, a proposed decision, a planned call."""
    keys = facts_of(cast.project)
    with scopes_disabled():
        services.win_celebrate(
            project=cast.project, key=keys["live"], actor=None, message="Live!", how="demo"
        )
        services.win_dismiss(project=cast.project, key=keys["kpi"], actor=None)
    told(cast, "Bijpraten met Lieve", 2)
    told(cast, "Nog te bellen", 0, status="planned")


def test_the_timeline_holds_wins_decisions_and_communications_newest_first(cast: Cast) -> None:
    story(cast)
    with scope(workspace=cast.workspace):
        page = timeline.timeline_page(cast.project)
    lines = [(row.at, timeline.Kind(row.rank).label) for row in page.rows]
    assert lines == [
        (days_ago(1), "decision"),
        (days_ago(2), "communication"),
        (days_ago(3), "win"),
    ]
    assert page.count == 3 and page.next is None
    html = cast.login(cast.viewer).get(url("wins:timeline")).content.decode()
    assert "Eerst de verkoop" in html and "Bijpraten met Lieve" in html and "Live!" in html
    assert "Nog te bellen" not in html and "Welke afdeling daarna?" not in html
    assert "Tijd per offerte" not in html  # dismissed
    start = cast.login(cast.member).get(cast.project.url()).content.decode()
    assert url("wins:timeline") in start


def test_walking_the_pages_gives_every_line_once_in_order(cast: Cast) -> None:
    for n in range(5):
        made_decision(cast.project, f"Besluit {n}", ago=n % 2)
        told(cast, f"Gesprek {n}", n % 3)
    seen: list[tuple[date, int, int]] = []
    cursor = None
    with scope(workspace=cast.workspace):
        while True:
            page = timeline.timeline_page(cast.project, cursor=cursor, limit=3)
            seen += [(row.at, row.rank, row.item.pk) for row in page.rows]
            if page.next is None:
                break
            cursor = page.next
    assert len(seen) == len(set(seen)) == 10
    assert seen == sorted(seen, key=lambda k: (-k[0].toordinal(), k[1], -k[2]))


def test_a_cursor_of_another_projects_timeline_is_refused(cast: Cast) -> None:
    for n in range(3):
        made_decision(cast.project, f"Besluit {n}")
    with scopes_disabled():
        other = make_project(cast.client, slug="andere", name="Ander project")
    with scope(workspace=cast.workspace):
        cursor = timeline.timeline_page(cast.project, limit=1).next
        assert cursor
        with pytest.raises(CursorError):
            timeline.timeline_page(other, cursor=cursor)
    response = cast.login(cast.viewer).get(url("wins:timeline") + "?cursor=nonsense")
    assert response.status_code == 200  # the first page, with a message


def test_the_timeline_page_takes_a_fixed_number_of_queries(
    cast: Cast, django_assert_num_queries: Any
) -> None:
    web = cast.login(cast.member)
    story(cast)
    web.get(url("wins:timeline"))
    with django_assert_num_queries(QUERIES):
        assert web.get(url("wins:timeline")).status_code == 200
    for n in range(30):
        made_decision(cast.project, f"Besluit {n}", ago=n % 5)
        told(cast, f"Gesprek {n}", n % 7)
    with django_assert_num_queries(QUERIES):
        assert web.get(url("wins:timeline")).status_code == 200


# Session, user, membership, the switcher's memberships, the project; a count and a page of
# each of the three sources.
QUERIES = 11


def test_the_cli_prints_the_timeline(cast: Cast) -> None:
    story(cast)
    out = io.StringIO()
    call_command("timeline", "--project", "acme/cloud", "--json", stdout=out)
    document = json.loads(out.getvalue())
    assert [line["kind"] for line in document["timeline"]] == ["decision", "communication", "win"]
    assert document["timeline"][2]["title"] == "Afdeling Verkoop is live"
