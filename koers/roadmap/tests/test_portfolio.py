"""The roadmap of all projects: each phase's consultants, and a warning where someone is on
more phases at once than the workspace allows; the consultants of a phase, kept safe."""

import json
from datetime import date
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client as WebClient
from django.urls import reverse
from django_scopes import scopes_disabled

from koers.roadmap import services
from koers.roadmap.models import GuardrailLimits, PhaseConsultant
from koers.workspaces.models import ApiToken, Membership
from tests.factories import Cast, MembershipFactory, make_project

from .conftest import make_phase, make_plan

PAGE = reverse("portfolio_roadmap", kwargs={"workspace": "acme"})


def consultants_url(phase: Any, project: str = "cloud") -> str:
    return reverse(
        "roadmap:phase_consultants",
        kwargs={"workspace": "acme", "project": project, "phase": phase.pk},
    )


def member_of(cast: Cast, user: Any) -> Membership:
    with scopes_disabled():
        return Membership.objects.get(workspace=cast.workspace, user=user)


def busy_month(cast: Cast, phases: int) -> list[Any]:
    """`phases` projects of one phase each, all in March 2027, with the manager on each."""
    made = []
    with scopes_disabled():
        manager = member_of(cast, cast.manager)
        for n in range(phases):
            project = make_project(cast.client, slug=f"p{n}", name=f"Project {n}")
            phase = make_phase(project, title=f"Fase {n}", start_month=date(2027, 3, 1), weeks=4)
            services.phase_consultants_set(phase=phase, members=[manager])
            made.append(phase)
    return made


def test_a_consultant_on_four_phases_at_once_is_warned_about(cast: Cast) -> None:
    busy_month(cast, 4)
    page = cast.login(cast.viewer).get(PAGE, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Spread too thin" in page
    warning = page.split('data-testid="too-thin"')[1].split("</section>")[0]
    assert f"<strong>{cast.manager.name}</strong>:" in warning
    assert "Mar 2027 (4 phases)" in warning
    assert "Project 3" in page and "<svg" in page


def test_the_workspace_may_allow_more_phases_at_once(cast: Cast) -> None:
    busy_month(cast, 4)
    with scopes_disabled():
        GuardrailLimits.objects.create(workspace=cast.workspace, max_phases_at_once=4)
    page = cast.login(cast.viewer).get(PAGE, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Spread too thin" not in page


def test_done_phases_and_closed_projects_keep_nobody_busy(cast: Cast) -> None:
    phases = busy_month(cast, 4)
    with scopes_disabled():
        services.phase_update(phase=phases[0], actor=None, status="done")
    page = cast.login(cast.viewer).get(PAGE, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Spread too thin" not in page


def test_choose_the_consultants_of_a_phase(cast: Cast, plan) -> None:
    web = cast.login(cast.member)
    manager, member = member_of(cast, cast.manager), member_of(cast, cast.member)
    assert web.get(consultants_url(plan[0])).status_code == 200
    response = web.post(consultants_url(plan[0]), {"members": [manager.pk, member.pk]})
    assert response.status_code == 302
    web.post(consultants_url(plan[0]), {"members": [member.pk]})
    with scopes_disabled():
        assert list(PhaseConsultant.objects.values_list("member_id", flat=True)) == [member.pk]
    page = cast.login(cast.viewer).get(PAGE).content.decode()
    assert cast.member.name in page


def test_consultants_are_members_of_this_workspace_and_never_guests(cast: Cast, plan) -> None:
    with scopes_disabled():
        elsewhere = MembershipFactory()
        guest = member_of(cast, cast.guest)
        other = make_project(cast.other_client, slug="raadhuis", name="Raadhuis")
        [theirs] = make_plan(other, 1)
    web = cast.login(cast.member)
    for wrong in (elsewhere, guest):
        assert web.post(consultants_url(plan[0]), {"members": [wrong.pk]}).status_code == 200
    # A phase of another project, named through this one's address, is not found.
    assert web.post(consultants_url(theirs), {"members": []}).status_code == 404
    assert (
        cast.login(cast.viewer).post(consultants_url(plan[0]), {"members": []}).status_code == 403
    )
    assert cast.login(cast.guest).get(PAGE).status_code == 404
    assert cast.login(cast.outsider).get(PAGE).status_code == 404
    with scopes_disabled():
        assert not PhaseConsultant.objects.exists()


def test_the_page_takes_a_fixed_number_of_queries(cast: Cast, django_assert_num_queries) -> None:
    web = cast.login(cast.viewer)
    busy_month(cast, 2)
    web.get(PAGE)
    with django_assert_num_queries(QUERIES):
        assert web.get(PAGE).status_code == 200
    with scopes_disabled():
        for n in range(5):
            project = make_project(cast.other_client, slug=f"q{n}", name=f"Q {n}")
            for phase in make_plan(project, 3):
                services.phase_consultants_set(
                    phase=phase, members=[member_of(cast, cast.member), member_of(cast, cast.owner)]
                )
    with django_assert_num_queries(QUERIES):
        assert web.get(PAGE).status_code == 200


QUERIES = 8


def test_the_api_reads_the_roadmap_and_sets_the_consultants(cast: Cast, plan) -> None:
    token = ApiToken(user=cast.member, name="t")
    secret = token.new_token()
    token.save()
    web = WebClient(headers={"Authorization": f"Bearer {secret}"})
    member = member_of(cast, cast.member)
    path = f"/api/v1/w/acme/projects/cloud/phases/{plan[0].pk}/consultants"
    put = web.put(path, json.dumps({"members": [member.pk]}), content_type="application/json")
    assert put.status_code == 200, put.json()
    assert put.json() == [{"id": member.pk, "name": cast.member.name}]
    with scopes_disabled():
        guest = member_of(cast, cast.guest)
    refused = web.put(path, json.dumps({"members": [guest.pk]}), content_type="application/json")
    assert refused.status_code == 400
    document = web.get("/api/v1/w/acme/roadmap").json()
    assert document["max_phases_at_once"] == 3
    [project] = [p for p in document["projects"] if p["project"] == "cloud"]
    assert project["phases"][0]["consultants"] == [{"id": member.pk, "name": cast.member.name}]
    assert document["too_thin"] == []


def test_the_command_prints_who_is_spread_too_thin_and_exits_1(cast: Cast) -> None:
    busy_month(cast, 4)
    out = StringIO()
    with pytest.raises(SystemExit) as exit:
        call_command("portfolio_roadmap", "acme", stdout=out)
    assert exit.value.code == 1
    assert f"[too thin] {cast.manager.name}: 4 phases in 2027-03 (at most 3)" in out.getvalue()
    as_json = StringIO()
    with pytest.raises(SystemExit):
        call_command("portfolio_roadmap", "acme", "--json", stdout=as_json)
    document = json.loads(as_json.getvalue())
    assert document["too_thin"][0]["month"] == "2027-03-01"
    with pytest.raises(CommandError, match="no such workspace"):
        call_command("portfolio_roadmap", "nope")
