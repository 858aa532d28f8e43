"""Who decided: the project's stakeholders by name, beside the others in words. Only the
project's own stakeholders can be named: not another project's, client's or workspace's."""

from datetime import date
from io import BytesIO
from typing import Any

import pytest
from django_scopes import scopes_disabled
from openpyxl import load_workbook

from koers.core.errors import KoersError
from koers.decisions.models import Decision
from koers.projects.models import Project
from koers.stakeholders import services as stakeholders
from koers.stakeholders.models import Stakeholder
from tests.factories import Cast, ClientFactory, WorkspaceFactory, make_project

from .conftest import API, api, log, url

pytestmark = pytest.mark.django_db
MADE = {"status": "decided", "decided_on": date(2030, 1, 2)}


def _in(project: Project, name: str) -> Stakeholder:
    with scopes_disabled():
        who = stakeholders.stakeholder_create(client=project.client, actor=None, name=name)
        stakeholders.involvement_save(project=project, stakeholder=who, actor=None)
    return who


@pytest.fixture
def outsiders(cast: Cast) -> list[Stakeholder]:
    """A stakeholder of the client outside the project, of another client, of another
    workspace: none of them may be named as having decided."""
    with scopes_disabled():
        unnamed = stakeholders.stakeholder_create(client=cast.client, actor=None, name="Buiten")
        other = make_project(ClientFactory(workspace=cast.workspace, slug="ander"), slug="x")
        rival = WorkspaceFactory(slug="rival", name="Rival")
        far = make_project(ClientFactory(workspace=rival, slug="bakkerij"), slug="cloud")
    return [unnamed, _in(other, "Andere klant"), _in(far, "Andere werkplek")]


def test_a_decision_names_its_stakeholders_and_others_in_words(cast: Cast) -> None:
    lieve = _in(cast.project, "Lieve Vanacker")
    made = log(
        cast.project, "Eerst een pilot", deciders=[lieve.pk], decided_by="Stuurgroep", **MADE
    )
    with scopes_disabled():
        assert list(made.deciders.all()) == [lieve]
        assert made.deciders_text == "Lieve Vanacker, Stuurgroep"
        lieve.delete()  # personal data: gone from the decision too
        assert made.deciders_text == "Stuurgroep"


def test_a_stakeholder_outside_the_project_is_refused(
    cast: Cast, outsiders: list[Stakeholder]
) -> None:
    own = _in(cast.project, "Lieve")
    for who in outsiders:
        with pytest.raises(KoersError) as error:
            log(cast.project, "Alles tegelijk", deciders=[own.pk, who.pk], **MADE)
        assert error.value.field == "deciders"
    with scopes_disabled():
        assert not Decision.objects.exists()


def test_the_form_offers_the_projects_stakeholders_and_the_log_shows_them(
    cast: Cast, outsiders: list[Stakeholder]
) -> None:
    lieve = _in(cast.project, "Lieve Vanacker")
    web = cast.login(cast.member)
    form = web.get(url("decisions:create")).content.decode()
    assert "Lieve Vanacker" in form and not any(who.name in form for who in outsiders)
    fields = {"title": "Eerst een pilot", "status": "decided", "decided_on": "2030-01-02"}
    refused = web.post(url("decisions:create"), fields | {"deciders": [outsiders[1].pk]})
    assert refused.status_code == 200
    saved = web.post(url("decisions:create"), fields | {"deciders": [lieve.pk], "decided_by": "MT"})
    assert saved.status_code == 302
    with scopes_disabled():
        decision = Decision.objects.get()
    assert "Lieve Vanacker, MT" in web.get(url("decisions:log")).content.decode()
    assert "Lieve Vanacker, MT" in web.get(decision.url()).content.decode()
    edit = url("decisions:edit", decision=decision.pk)
    assert f'value="{lieve.pk}"' in web.get(edit).content.decode()
    assert cast.login(cast.viewer).post(edit, fields).status_code == 403
    web.post(edit, fields)  # no box ticked: nobody of the stakeholders decided
    with scopes_disabled():
        assert not decision.deciders.exists()


def test_the_export_names_the_stakeholders_who_decided(cast: Cast) -> None:
    lieve = _in(cast.project, "Lieve Vanacker")
    log(cast.project, "Eerst een pilot", deciders=[lieve.pk], decided_by="Stuurgroep", **MADE)
    response = cast.login(cast.viewer).get(url("documents:decision_log_xlsx"))
    cells = [c.value for row in load_workbook(BytesIO(response.content)).active for c in row]
    assert "Lieve Vanacker, Stuurgroep" in cells


def test_the_api_sets_changes_and_lists_the_deciders(
    cast: Cast, outsiders: list[Stakeholder]
) -> None:
    lieve, sam = _in(cast.project, "Lieve"), _in(cast.project, "Sam")
    member = api(cast.member)
    body: dict[str, Any] = {"title": "Eerst een pilot", "deciders": [lieve.pk, sam.pk]}
    made = member.post(f"{API}/decisions", body, content_type="application/json")
    assert made.status_code == 201, made.json()
    assert {d["name"] for d in made.json()["deciders"]} == {"Lieve", "Sam"}
    one = f"{API}/decisions/{made.json()['id']}"
    kept = member.patch(one, {"title": "Eerst een pilot van 20"}, content_type="application/json")
    assert len(kept.json()["deciders"]) == 2
    changed = member.patch(one, {"deciders": [sam.pk]}, content_type="application/json")
    assert changed.json()["deciders"] == [{"id": sam.pk, "name": "Sam"}]
    for who in outsiders:
        refused = member.patch(one, {"deciders": [who.pk]}, content_type="application/json")
        assert refused.status_code == 400 and refused.json()["field"] == "deciders"
    nulled = member.patch(one, {"deciders": None}, content_type="application/json")
    assert nulled.status_code in (400, 422)
    viewer = api(cast.viewer)
    assert viewer.patch(one, {"deciders": []}, content_type="application/json").status_code == 403
    listed = viewer.get(f"{API}/decisions").json()["items"]
    assert listed[0]["deciders"] == [{"id": sam.pk, "name": "Sam"}]
