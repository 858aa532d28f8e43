"""Reference cases: a closed project told to other clients, never with more than its client
allowed, on the big bang page and in the proposal of another client."""

import json
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.template.loader import render_to_string
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from koers.aftercare import queries, services
from koers.aftercare.models import ReferenceCase
from koers.core.errors import KoersError
from koers.documents.proposal import proposal_context
from koers.projects.models import Project
from koers.roadmap.models import Kpi
from koers.roadmap.tests.conftest import good_kpi, make_phase
from tests.factories import Cast, ClientFactory, WorkspaceFactory, make_project

from .conftest import API, api, url

pytestmark = pytest.mark.django_db

SECRET_NAMES = ("Garage Geheim", "ERP Geheimproject")
SUMMARY = "Van losse Excel-lijsten naar een ERP voor order-to-cash, in drie fasen."
STORY = "Een pilot met de binnendienst, daarna twee golven; de servicedesk hield het bij."


def closed(project: Project) -> Project:
    with scopes_disabled():
        Project.objects.filter(pk=project.pk).update(status=Project.Status.CLOSED)
        project.refresh_from_db()
    return project


def reference_of(client: Any, *, slug: str = "erp", **flags: bool) -> ReferenceCase:
    """A closed ERP project of `client` with a KPI met, a score of 9 and a reference case."""
    with scopes_disabled():
        project = make_project(
            client, slug=slug, name="ERP Geheimproject", request="Een ERP voor order-to-cash."
        )
        phase = make_phase(project, status="done", kpis=[good_kpi(name="Doorlooptijd order")])
        Kpi.objects.filter(phase=phase).update(actual=Decimal(15))
        evaluation, _token = services.evaluation_send(project=project, actor=None)
        services.evaluation_answer(evaluation=evaluation, score=9)
        return services.reference_save(
            project=closed(project),
            summary=SUMMARY,
            rollout_story=STORY,
            tags="erp, order-to-cash",
            **flags,
        )


@pytest.fixture
def other_client(cast: Cast) -> Any:
    with scopes_disabled():
        cast.other_client.name = "Garage Geheim"
        cast.other_client.save()
    return cast.other_client


@pytest.fixture
def erp_project(cast: Cast) -> Project:
    """The cast's project, about an ERP too: it cites the reference case."""
    with scopes_disabled():
        Project.objects.filter(pk=cast.project.pk).update(
            request="Wij willen alles in één keer over naar een ERP voor order-to-cash."
        )
        cast.project.refresh_from_db()
    return cast.project


def big_bang(cast: Cast, user: Any) -> str:
    response = cast.login(user).get(url("rollout:big_bang"))
    assert response.status_code == 200
    return response.content.decode()


def test_another_client_s_guest_sees_only_what_the_case_allows(
    cast: Cast, other_client: Any, erp_project: Project
) -> None:
    reference_of(other_client, show_rollout=False)  # only the summary and the counts
    page = big_bang(cast, cast.guest)
    assert SUMMARY in page and "A project of another client" in page
    assert "1 of 1 KPI met" in page
    for hidden in (*SECRET_NAMES, STORY[:20], "Doorlooptijd order", "9/10"):
        assert hidden not in page, hidden


def test_what_the_case_allows_is_shown(cast: Cast, other_client: Any, erp_project: Project) -> None:
    reference_of(other_client, show_client=True, show_figures=True, show_score=True)
    page = big_bang(cast, cast.guest)
    for shown in (*SECRET_NAMES, STORY[:20], "Doorlooptijd order", "reached 15", "score 9/10"):
        assert shown in page, shown


def test_another_client_s_proposal_cites_it_without_what_is_kept_back(
    cast: Cast, other_client: Any, erp_project: Project
) -> None:
    reference_of(other_client, show_rollout=False)
    with scope(workspace=cast.workspace):
        context = proposal_context(erp_project)
        html = render_to_string("documents/proposal.html", context)
    assert [r["summary"] for r in context["references"]] == [SUMMARY]
    assert "A project of another client" in html
    for hidden in (*SECRET_NAMES, STORY[:20], "9/10"):
        assert hidden not in html, hidden


def test_the_proposal_pdf_still_fits_one_page_with_a_reference(
    cast: Cast, other_client: Any, erp_project: Project
) -> None:
    from koers.documents.proposal import render_proposal
    from koers.documents.tests.conftest import pdf_pages

    reference_of(other_client, show_client=True, show_score=True)
    make_phase(erp_project)
    with scope(workspace=cast.workspace):
        assert len(pdf_pages(render_proposal(erp_project))) == 1


def test_the_same_client_sees_its_own_case_whole(cast: Cast, erp_project: Project) -> None:
    with scopes_disabled():
        cast.client.name = "Garage Geheim"
        cast.client.save()
    reference_of(cast.client)
    page = big_bang(cast, cast.guest)
    assert "ERP Geheimproject" in page and "score 9/10" in page


def test_another_workspace_s_case_is_never_cited(cast: Cast, erp_project: Project) -> None:
    with scopes_disabled():
        rival = ClientFactory(
            workspace=WorkspaceFactory(slug="rival", name="Rival"),
            slug="garage",
            name="Garage Geheim",
        )
    reference_of(rival, show_client=True)
    with scopes_disabled():
        assert queries.citations(erp_project) == []
    assert SUMMARY not in big_bang(cast, cast.member)


def test_only_a_delivered_project_becomes_a_reference_case_and_never_with_a_secret(
    cast: Cast,
) -> None:
    phase = make_phase(cast.project)
    with scopes_disabled(), pytest.raises(KoersError) as refused:
        services.reference_save(project=cast.project, summary=SUMMARY)
    assert "delivered a phase" in str(refused.value)
    with scopes_disabled():
        type(phase).objects.filter(pk=phase.pk).update(status="done")
        assert services.reference_save(project=cast.project, summary=SUMMARY)
        ReferenceCase.objects.all().delete()
        type(phase).objects.filter(pk=phase.pk).update(status="planned")
    closed(cast.project)
    with scopes_disabled():
        with pytest.raises(KoersError) as refused:
            services.reference_save(project=cast.project, summary="  ")
        assert refused.value.field == "summary"
        with pytest.raises(KoersError) as refused:
            services.reference_save(
                project=cast.project, summary=SUMMARY, rollout_story="password: Hunter2Hunter2!"
            )
        assert refused.value.field == "rollout_story"
        assert not ReferenceCase.objects.exists()


def test_the_team_makes_one_on_the_page_a_viewer_and_a_guest_cannot(cast: Cast) -> None:
    closed(cast.project)
    data = {"summary": SUMMARY, "tags": "ERP, Order to cash", "show_rollout": "on"}
    assert cast.login(cast.viewer).post(url("aftercare:reference"), data).status_code == 403
    assert cast.login(cast.guest).get(url("aftercare:reference")).status_code == 404
    assert cast.login(cast.outsider).post(url("aftercare:reference"), data).status_code == 404
    with scopes_disabled():
        assert not ReferenceCase.objects.exists()
    web = cast.login(cast.member)
    assert web.post(url("aftercare:reference"), data).status_code == 302
    page = web.get(url("aftercare:reference")).content.decode()
    assert "What another client sees" in page and "A project of another client" in page
    with scopes_disabled():
        case = ReferenceCase.objects.get()
    assert (case.tags, case.show_client, case.show_rollout) == ("erp,order-to-cash", False, True)


# Candidates, the cases with their client, phases and KPIs, the project's goals and lessons.
CITATION_QUERIES = 6


def test_citing_takes_a_fixed_number_of_queries(
    cast: Cast, other_client: Any, erp_project: Project, django_assert_num_queries: Any
) -> None:
    reference_of(other_client)
    with scopes_disabled(), django_assert_num_queries(CITATION_QUERIES):
        assert len(queries.citations(erp_project)) == 1
    for n in range(4):
        reference_of(other_client, slug=f"erp-{n}")
    with scopes_disabled(), django_assert_num_queries(CITATION_QUERIES):
        assert len(queries.citations(erp_project)) == queries.CITED


def test_the_api_and_the_cli_say_what_is_cited(
    cast: Cast, other_client: Any, erp_project: Project
) -> None:
    reference_of(other_client, show_score=True)
    web = api(cast.member)
    [cited] = web.get(f"{API}/reference-cases/cited").json()["items"]
    assert (cited["client"], cited["project"], cited["kpis"], cited["score"]) == (
        None,
        None,
        [],
        9,
    )
    assert api(cast.guest).get(f"{API}/reference-cases/cited").status_code == 404
    other_api = "/api/v1/w/acme/projects/erp/reference-case"
    assert web.get(other_api).json()["show_client"] is False
    assert api(cast.viewer).put(other_api, {"summary": "x"}, "application/json").status_code == 403
    changed = web.put(other_api, {"summary": "Kort", "show_client": True}, "application/json")
    assert changed.status_code == 200 and changed.json()["show_client"] is True
    refused = web.put(f"{API}/reference-case", {"summary": "Open"}, "application/json")
    assert refused.status_code == 400  # the cast's project has delivered nothing yet
    out = StringIO()
    call_command("references", project="acme/cloud", json=True, stdout=out)
    [cli_cited] = json.loads(out.getvalue())["cites"]
    assert cli_cited["client"] == "Garage Geheim" and cli_cited["summary"] == "Kort"
    with pytest.raises(CommandError, match="--by"):
        call_command("references", project="acme/erp", summary="Nee", by=cast.viewer.email)


def test_the_reference_page_is_linked_from_the_aftercare_tabs(cast: Cast) -> None:
    page = cast.login(cast.member).get(url("aftercare:lessons")).content.decode()
    assert url("aftercare:reference") in page and url("aftercare:evaluations") in page
    assert (
        reverse("documents:closing_report", kwargs={"workspace": "acme", "project": "cloud"})
        in page
    )


# Session, user, membership, the switcher's memberships, the project; the case for the form,
# then as others see it: with its client and score, its phases, their KPIs.
REFERENCE_PAGE_QUERIES = 9


def test_the_reference_page_takes_a_fixed_number_of_queries(
    cast: Cast, django_assert_num_queries: Any
) -> None:
    closed(cast.project)
    with scopes_disabled():
        services.reference_save(project=cast.project, summary=SUMMARY, show_figures=True)
    web = cast.login(cast.member)
    web.get(url("aftercare:reference"))  # the first visit of a session writes it
    for phases in (1, 5):
        for n in range(phases - (1 if phases > 1 else 0)):
            make_phase(cast.project, title=f"Fase {phases}-{n}")
        with django_assert_num_queries(REFERENCE_PAGE_QUERIES):
            page = web.get(url("aftercare:reference")).content.decode()
        assert f"{phases} of {phases} phases delivered" not in page  # none done
        assert page.count("Tijd per offerte") == phases
