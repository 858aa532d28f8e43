"""Pages: every URL pattern under a workspace, for an outsider, a visitor, a viewer and a
client guest."""

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client as WebClient
from django.urls import reverse

from koers.workspaces.models import Role
from tests.access.walk import (
    GUEST_HIDDEN_PROJECT_PAGES,
    GUEST_WORKSPACE_PAGES,
    ORDER_HINT,
    ROUTES,
    Route,
    both_methods,
    url_for,
)
from tests.factories import Cast


def test_the_walk_finds_the_pages_of_workspaces_clients_and_projects() -> None:
    names = {route.name for route in ROUTES}
    assert {
        "workspaces:dashboard",
        "workspaces:member_remove",
        "workspaces:contact_edit",
        "projects:overview",
        "projects:scope_item_move",
    } <= names
    assert not any(name.startswith("api:") for name in names)


def test_a_route_with_an_unknown_kwarg_fails_naming_it() -> None:
    with pytest.raises(pytest.fail.Exception, match="add 'phase'"):
        url_for(
            "w/<slug:workspace>/p/<slug:project>/phases/<int:phase>/",
            {"workspace": "acme", "project": "cloud"},
        )


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_outsider_gets_404_on_every_workspace_page(
    route: Route, cast: Cast, victim_kwargs: dict[str, Any]
) -> None:
    url = url_for(route, victim_kwargs)
    responses = both_methods(cast.login(cast.outsider), url)
    assert {m: r.status_code for m, r in responses.items()} == {"GET": 404, "POST": 404}, (
        url + ORDER_HINT
    )


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_anonymous_visitor_is_sent_to_the_login_page(
    route: Route, cast: Cast, victim_kwargs: dict[str, Any]
) -> None:
    url = url_for(route, victim_kwargs)
    login = reverse("accounts:login")
    for method, response in both_methods(WebClient(), url).items():
        assert response.status_code == 302, f"{method} {url}{ORDER_HINT}"
        assert response["Location"].startswith(f"{login}?next="), f"{method} {url}"


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_viewer_may_read_but_not_change(
    route: Route, cast: Cast, victim_kwargs: dict[str, Any]
) -> None:
    url = url_for(route, victim_kwargs)
    responses = both_methods(cast.login(cast.viewer), url)
    assert responses["POST"].status_code in (403, 405), f"POST {url}"
    if route.role.rank > Role.VIEWER.rank:
        assert responses["GET"].status_code in (403, 405), f"GET {url}"
    else:
        assert responses["GET"].status_code in (200, 405), f"GET {url}"


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_guest_reads_only_the_project_pages_of_its_own_client(
    route: Route,
    cast: Cast,
    victim_kwargs: dict[str, Any],
    other_client_kwargs: dict[str, Any],
) -> None:
    web = cast.login(cast.guest)
    if not route.is_project_page:
        url = url_for(route, victim_kwargs)
        responses = both_methods(web, url)
        if route.name in GUEST_WORKSPACE_PAGES:
            assert responses["GET"].status_code == 200, f"GET {url}"
            assert responses["POST"].status_code in (403, 405), f"POST {url}"
        else:
            assert responses["GET"].status_code == 404, f"GET {url}"
            assert responses["POST"].status_code == 404, f"POST {url}"
        return

    other_url = url_for(route, other_client_kwargs)
    other = both_methods(web, other_url)
    assert other["GET"].status_code == 404, f"GET {other_url}"
    # A read-only page may refuse POST before it looks the project up; then the answer must
    # be the same as for a project that does not exist, so it confirms nothing.
    missing_url = url_for(route, {**other_client_kwargs, "project": "missing", "item": 0})
    missing = web.post(missing_url, {})
    assert other["POST"].status_code in (404, 405), f"POST {other_url}"
    assert other["POST"].status_code == missing.status_code, f"POST {other_url}"

    own_url = url_for(route, victim_kwargs)
    responses = both_methods(web, own_url)
    assert responses["POST"].status_code in (403, 404, 405), f"POST {own_url}"
    if route.role == Role.VIEWER and route.name not in GUEST_HIDDEN_PROJECT_PAGES:
        assert responses["GET"].status_code in (200, 405), f"GET {own_url}"
    else:
        assert responses["GET"].status_code in (403, 404), f"GET {own_url}"


def _member_pages(cast: Cast, victim_kwargs: dict[str, Any]) -> Iterator[tuple[Route, str]]:
    """Every page of the walk that the workspace's owner reads, with its HTML."""
    web = cast.login(cast.owner)
    for route in ROUTES:
        response = web.get(url_for(route, victim_kwargs))
        if response.status_code == 200 and "text/html" in response["Content-Type"]:
            yield route, response.content.decode()


def test_every_page_a_member_reads_has_a_title_of_its_own(
    cast: Cast, victim_kwargs: dict[str, Any]
) -> None:
    """A screen-reader user tells pages (and browser tabs) apart by their titles (2.4.2)."""
    seen: dict[str, str] = {}
    for route, html in _member_pages(cast, victim_kwargs):
        title = " ".join(html.split("<title>")[1].split("</title>")[0].split())
        assert title not in seen, f"{route} has the title of {seen.get(title)}: {title}"
        seen[title] = str(route)
    assert len(seen) > 20


def test_every_description_a_field_points_to_is_on_its_page(
    cast: Cast, victim_kwargs: dict[str, Any]
) -> None:
    """aria-describedby names elements a screen reader then reads: each must be there."""
    checked = 0
    for route, html in _member_pages(cast, victim_kwargs):
        ids = set(re.findall(r'\bid="([^"]+)"', html))
        for described in re.findall(r'aria-describedby="([^"]*)"', html):
            missing = [name for name in described.split() if name not in ids]
            assert not missing, f"{route}: aria-describedby points to {missing}, not on the page"
            checked += 1
    assert checked > 10
