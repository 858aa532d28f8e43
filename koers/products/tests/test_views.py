"""The product page: run a project as a product, its owner, team, outcomes and contracts
against its phases, with the warnings; and what others may not do."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from koers.products import services
from koers.products.models import Contract, Outcome, Product, TeamMember
from koers.projects import services as project_services
from koers.roadmap.tests.conftest import make_plan
from koers.stakeholders.models import Stakeholder
from tests.factories import Cast, make_project


def url(name: str, project: str = "cloud", **kwargs: Any) -> str:
    return reverse(f"products:{name}", kwargs={"workspace": "acme", "project": project, **kwargs})


def test_a_project_becomes_a_product_with_an_owner_who_decides_alone(cast: Cast, plan) -> None:
    with scopes_disabled():
        owner = Stakeholder.objects.create(client=cast.client, name="Jeroen Bakker")
    web = cast.login(cast.member)
    assert "This project is not run as a product." in web.get(url("product")).content.decode()
    response = web.post(
        url("product_edit"),
        {
            "owner": owner.pk,
            "owner_decides_alone": "on",
            "owner_mandate": "The order of the work, up to EUR 10,000 a quarter",
            "starts_in": "Klant Contact Centrum",
        },
    )
    assert response.status_code == 302
    page = web.get(url("product")).content.decode()
    assert "Jeroen Bakker" in page and "Decides alone" in page
    assert "Klant Contact Centrum" in page


def test_team_outcomes_and_a_contract_that_a_phase_runs_past(cast: Cast, product) -> None:
    web = cast.login(cast.member)
    with scopes_disabled():
        vision = project_services.client_vision_save(
            client=cast.client, horizon=24, summary="Wendbaar"
        )
        first, second, _third = product.project.phases.order_by("position")
    web.post(url("member_add"), {"member-name": "Sam", "member-role": "Developer"})
    web.post(url("outcome_add"), {"outcome-text": "Melder weet het", "outcome-vision": vision.pk})
    ends = second.start_month + timedelta(weeks=4)
    response = web.post(
        url("contract_add"),
        {
            "contract-kind": "supplier",
            "contract-party": "Dimpact",
            "contract-starts_on": first.start_month.isoformat(),
            "contract-ends_on": ends.isoformat(),
            "contract-phases": [first.pk, second.pk],
        },
    )
    assert response.status_code == 302
    page = web.get(url("product")).content.decode()
    assert "Sam" in page and "Developer" in page
    assert "Melder weet het" in page and "vision at 24 months" in page
    assert "Phase Fase 2 runs past the contract with Dimpact" in page
    assert "Contract: Dimpact" in page  # drawn under the phases
    with scopes_disabled():
        assert set(Contract.objects.get().phases.all()) == {first, second}


def test_a_contract_must_end_after_it_starts_and_names_phases_of_its_own_plan(
    cast: Cast, product
) -> None:
    with scopes_disabled():
        other = make_project(cast.other_client, slug="raadhuis", name="Raadhuis")
        [foreign] = make_plan(other, 1)
    web = cast.login(cast.member)
    data: dict[str, Any] = {
        "contract-party": "Dimpact",
        "contract-kind": "supplier",
        "contract-starts_on": "2027-03-01",
        "contract-ends_on": "2027-02-01",
    }
    response = web.post(url("contract_add"), data)
    assert response.status_code == 400
    assert "A contract ends on or after the day it starts." in response.content.decode()
    data |= {"contract-ends_on": "2027-05-01", "contract-phases": [foreign.pk]}
    assert web.post(url("contract_add"), data).status_code == 400
    with scopes_disabled():
        assert not Contract.objects.exists()
        with pytest.raises(Exception, match="phases of this project"):
            services.contract_add(
                product=product,
                party="X",
                starts_on=date(2027, 1, 1),
                ends_on=date(2027, 2, 1),
                phases=[foreign],
            )


def test_an_owner_of_another_client_is_refused(cast: Cast, product) -> None:
    with scopes_disabled():
        stranger = Stakeholder.objects.create(client=cast.other_client, name="Vreemde")
    response = cast.login(cast.member).post(
        url("product_edit"), {"owner": stranger.pk, "starts_in": "KCC"}
    )
    assert response.status_code == 200  # the form again, with its error
    with scopes_disabled():
        product.refresh_from_db()
        assert product.owner.name == "Jeroen Bakker"
        with pytest.raises(Exception, match="stakeholder of the project's client"):
            services.product_save(project=product.project, owner=stranger)


def test_guests_get_404_viewers_read_but_may_not_change(cast: Cast, product) -> None:
    with scopes_disabled():
        member = services.member_add(product=product, name="Sam", role="Developer")
    assert cast.login(cast.guest).get(url("product")).status_code == 404
    assert cast.login(cast.outsider).get(url("product")).status_code == 404
    viewer = cast.login(cast.viewer)
    assert viewer.get(url("product")).status_code == 200
    assert (
        viewer.post(url("member_add"), {"member-name": "X", "member-role": "Y"}).status_code == 403
    )
    assert viewer.post(url("member_remove", team_member=member.pk)).status_code == 403
    assert viewer.post(url("product_edit"), {"starts_in": "Elders"}).status_code == 403
    with scopes_disabled():
        assert TeamMember.objects.count() == 1


def test_removing_goes_through_the_project_named_in_the_address(cast: Cast, product) -> None:
    """An outcome of another project's product cannot be removed through this one."""
    with scopes_disabled():
        other = make_project(cast.client, slug="tweede", name="Tweede")
        theirs = services.product_save(project=other)
        outcome = services.outcome_add(product=theirs, text="Van hen")
    web = cast.login(cast.member)
    assert web.post(url("outcome_remove", outcome=outcome.pk)).status_code == 404
    assert web.post(url("outcome_remove", project="tweede", outcome=outcome.pk)).status_code == 302
    with scopes_disabled():
        assert not Outcome.objects.exists()


def test_adding_to_a_project_that_is_not_a_product_is_404(cast: Cast, plan) -> None:
    response = cast.login(cast.member).post(
        url("member_add"), {"member-name": "Sam", "member-role": "Dev"}
    )
    assert response.status_code == 404
    with scopes_disabled():
        assert not Product.objects.exists()


def fill(product: Product, size: int) -> None:
    with scopes_disabled():
        phases = list(product.project.phases.all())
        for n in range(size):
            services.member_add(product=product, name=f"Lid {n}", role="Developer")
            services.outcome_add(product=product, text=f"Uitkomst {n}")
            services.contract_add(
                product=product,
                party=f"Leverancier {n}",
                starts_on=phases[0].start_month,
                ends_on=phases[0].start_month + timedelta(weeks=50 + n),
                phases=phases[: 1 + n % 3],
            )


def test_the_page_takes_a_fixed_number_of_queries(
    cast: Cast, product, django_assert_num_queries: Any
) -> None:
    web = cast.login(cast.member)
    fill(product, 2)
    web.get(url("product"))  # session and caches warm
    with django_assert_num_queries(QUERIES) as small:
        assert web.get(url("product")).status_code == 200
    fill(product, 20)
    with django_assert_num_queries(QUERIES):
        assert web.get(url("product")).status_code == 200
    assert small.final_queries == QUERIES


QUERIES = 14
