"""Writing the log: what a decision concerns is of the same project, the status rules hold,
and every change of status is kept."""

from datetime import date
from typing import Any

import pytest
from django_scopes import scope, scopes_disabled

from koers.core.errors import KoersError
from koers.decisions import services
from koers.decisions.models import Decision, DecisionChange
from koers.projects.models import Project
from tests.factories import Cast, ClientFactory, make_project

from .conftest import gate_decision_of, log, phase_of, wave_of

pytestmark = pytest.mark.django_db
DAY = date(2030, 2, 3)


def refused(field: str, **call: Any) -> str:
    with scopes_disabled(), pytest.raises(KoersError) as error:
        services.decision_create(actor=None, **call)
    assert error.value.field == field
    return str(error.value)


def test_a_decision_links_what_it_concerns_in_its_own_project(cast: Cast) -> None:
    phase = phase_of(cast.project)
    wave = wave_of(cast.project)
    gate = gate_decision_of(wave, cast.member)
    with scopes_disabled():
        item = cast.project.scope_items.get()
        made = services.decision_create(
            project=cast.project,
            actor=cast.member,
            title="  Eerst   een pilot van twintig  ",
            status="decided",
            decided_on=DAY,
            decided_by="Directie",
            phase=phase,
            wave=wave,
            gate_decision=gate,
            scope_item=item,
            note="Afgesproken in de stuurgroep",
        )
        change = DecisionChange.objects.get(decision=made)
    assert made.title == "Eerst een pilot van twintig"
    assert (made.phase, made.wave, made.gate_decision, made.scope_item) == (phase, wave, gate, item)
    assert (change.from_status, change.to_status, change.note, change.actor) == (
        "",
        "decided",
        "Afgesproken in de stuurgroep",
        cast.member,
    )


@pytest.fixture
def foreign(cast: Cast) -> dict[str, Any]:
    """A phase, wave, gate decision, scope item and decision of another project of the same
    workspace, and of a project of another workspace."""
    with scopes_disabled():
        other = make_project(cast.client, slug="ander", name="Ander")
        stranger = make_project(ClientFactory(), slug="vreemd", name="Vreemd")
    return {"same workspace": _objects(other, cast), "other workspace": _objects(stranger, cast)}


def _objects(project: Project, cast: Cast) -> dict[str, Any]:
    from koers.projects import services as project_services

    wave = wave_of(project)
    with scopes_disabled():
        item = project_services.scope_item_add(
            project=project, actor=None, column="out", title="ERP", reason="Later"
        )
    return {
        "phase": phase_of(project),
        "wave": wave,
        "gate_decision": gate_decision_of(wave, cast.member),
        "scope_item": item,
        "superseded_by": log(project, "Alles tegelijk"),
    }


@pytest.mark.parametrize("where", ["same workspace", "other workspace"])
@pytest.mark.parametrize("field", ["phase", "wave", "gate_decision", "scope_item", "superseded_by"])
def test_what_another_project_holds_is_refused(
    cast: Cast, foreign: dict[str, Any], where: str, field: str
) -> None:
    extra = {"status": "superseded"} if field == "superseded_by" else {}
    message = refused(
        field, project=cast.project, title="X", **{field: foreign[where][field]}, **extra
    )
    assert message == "There is no such item in this project."
    with scopes_disabled():
        assert not Decision.objects.filter(project=cast.project).exists()


def test_resolving_ids_refuses_another_workspaces_phase(
    cast: Cast, foreign: dict[str, Any]
) -> None:
    """As a request resolves them: inside the workspace's scope."""
    phase = foreign["other workspace"]["phase"]
    wave = foreign["other workspace"]["wave"]
    with scope(workspace=cast.workspace):
        for field, pk in (("phase", phase.pk), ("wave", wave.pk)):
            with pytest.raises(KoersError) as error:
                services.resolve_links(cast.project, {field: pk})
            assert error.value.field == field


def test_the_status_rules_are_kept(cast: Cast) -> None:
    assert "date" in refused("decided_on", project=cast.project, title="X", status="decided")
    assert refused("decided_on", project=cast.project, title="X", decided_on=DAY)
    assert refused("superseded_by", project=cast.project, title="X", status="superseded")
    assert refused("title", project=cast.project, title="   ")
    assert refused("status", project=cast.project, title="X", status="maybe")


def test_a_replacement_never_goes_round(cast: Cast) -> None:
    first = log(cast.project, "Alles tegelijk", status="decided", decided_on=DAY)
    second = log(cast.project, "In fasen", status="decided", decided_on=DAY)
    with scopes_disabled():
        services.decision_update(
            decision=first, actor=None, status="superseded", superseded_by=second
        )
        with pytest.raises(KoersError) as cycle:
            services.decision_update(
                decision=second, actor=None, status="superseded", superseded_by=first
            )
        with pytest.raises(KoersError) as itself:
            services.decision_update(
                decision=second, actor=None, status="superseded", superseded_by=second
            )
        second.refresh_from_db()
    assert cycle.value.field == itself.value.field == "superseded_by"
    assert "replaced, through others" in str(cycle.value)
    assert second.status == "decided" and second.superseded_by is None


def test_each_change_of_status_is_kept_in_order(cast: Cast) -> None:
    decision = log(cast.project, "Pilot met de servicedesk")
    with scopes_disabled():
        services.decision_update(decision=decision, actor=cast.member, reasons="Snelle feedback")
        services.decision_update(
            decision=decision, actor=cast.member, status="decided", decided_on=DAY, note="Ja"
        )
        services.decision_update(decision=decision, actor=cast.owner, status="revisited")
        steps = list(decision.changes.values_list("from_status", "to_status", "note"))
    assert steps == [
        ("", "proposed", ""),
        ("proposed", "decided", "Ja"),
        ("decided", "revisited", ""),
    ]


def test_a_made_decision_shows_whether_it_was_told(cast: Cast) -> None:
    proposed = log(cast.project, "A")
    untold = log(cast.project, "B", status="decided", decided_on=DAY)
    told = log(
        cast.project,
        "C",
        status="decided",
        decided_on=DAY,
        communicated_on=DAY,
        communicated_how="Stuurgroep",
    )
    assert (proposed.is_told, untold.is_told, told.is_told) == (None, False, True)
