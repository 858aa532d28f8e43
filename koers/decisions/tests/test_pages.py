"""The log's pages: viewers read, members write, guests see nothing; the form offers and
accepts only the project's own phases, waves and decisions."""

from datetime import date

import pytest
from django_scopes import scopes_disabled

from koers.decisions.models import Decision
from tests.factories import Cast, ClientFactory, make_project

from .conftest import deviation_of, gate_decision_of, log, phase_of, url, wave_of

pytestmark = pytest.mark.django_db


def test_the_log_marks_where_each_decision_comes_from_and_links_it(cast: Cast) -> None:
    made = log(cast.project, "Alles tegelijk", status="decided", decided_on=date(2030, 1, 1))
    log(cast.project, "Welke afdeling eerst?", due_on=date(2030, 5, 1))
    wave = wave_of(cast.project)
    gate_decision_of(wave, cast.member)
    deviation_of(cast.project, phase_of(cast.project, "Migratie"))
    page = cast.login(cast.viewer).get(url("decisions:log")).content.decode()
    assert "From the gate" in page and url("rollout:wave", wave=wave.pk) in page
    assert "From the guardrails" in page and "Phase longer than the limit (Migratie)" in page
    assert made.url() in page and "Not yet communicated" in page
    needed = page.split('id="needed-h"')[1].split("</section>")[0]
    assert "Welke afdeling eerst?" in needed and "needed by 1 May 2030" in needed
    assert "Alles tegelijk" not in needed
    assert url("decisions:create") not in page  # a viewer only reads


def test_a_member_logs_and_changes_a_decision_and_the_history_shows_it(cast: Cast) -> None:
    phase = phase_of(cast.project)
    web = cast.login(cast.member)
    response = web.post(
        url("decisions:create"),
        {"title": "Eerst een pilot van 20", "status": "proposed", "phase": phase.pk},
    )
    with scopes_disabled():
        decision = Decision.objects.get()
    assert response.status_code == 302 and response["Location"] == decision.url()
    assert decision.phase == phase and decision.logged_by == cast.member
    edited = web.post(
        url("decisions:edit", decision=decision.pk),
        {
            "title": decision.title,
            "status": "decided",
            "decided_on": "2030-02-01",
            "decided_by": "Stuurgroep",
            "note": "Besproken op 1 februari",
        },
    )
    assert edited.status_code == 302
    page = web.get(decision.url()).content.decode()
    assert "Proposed → <strong>Decided</strong>. Besproken op 1 februari" in page
    assert "Not yet communicated" in page


def test_the_form_names_the_broken_rule_beside_its_field(cast: Cast) -> None:
    page = cast.login(cast.member).post(
        url("decisions:create"), {"title": "Over", "status": "decided"}
    )
    assert page.status_code == 200
    assert "Give the date the decision was made." in page.content.decode()


def test_another_projects_phase_is_not_a_choice(cast: Cast) -> None:
    with scopes_disabled():
        stranger = make_project(ClientFactory(), slug="vreemd", name="Vreemd")
    foreign = phase_of(stranger, "Vreemde fase")
    web = cast.login(cast.member)
    form = web.get(url("decisions:create")).content.decode()
    assert "Vreemde fase" not in form
    response = web.post(
        url("decisions:create"), {"title": "X", "status": "proposed", "phase": foreign.pk}
    )
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    with scopes_disabled():
        assert not Decision.objects.exists()


def test_a_viewer_cannot_write_and_a_guest_sees_no_log(cast: Cast) -> None:
    decision = log(cast.project, "Eerst een pilot")
    viewer = cast.login(cast.viewer)
    assert (
        viewer.post(url("decisions:create"), {"title": "X", "status": "proposed"}).status_code
        == 403
    )
    edit = url("decisions:edit", decision=decision.pk)
    assert viewer.post(edit, {"title": "X", "status": "proposed"}).status_code == 403
    guest = cast.login(cast.guest)
    for name, kwargs in (("decisions:log", {}), ("decisions:detail", {"decision": decision.pk})):
        assert guest.get(url(name, **kwargs)).status_code == 404
    assert "decisions/" not in guest.get(url("projects:overview")).content.decode()


def test_a_superseded_decision_links_its_replacement_both_ways(cast: Cast) -> None:
    new = log(
        cast.project, "In fasen van twaalf weken", status="decided", decided_on=date(2030, 1, 2)
    )
    old = log(
        cast.project,
        "Alles tegelijk",
        status="superseded",
        superseded_by=new,
    )
    web = cast.login(cast.viewer)
    assert new.url() in web.get(old.url()).content.decode()
    replaces = web.get(new.url()).content.decode().split("Replaces")[1]
    assert old.url() in replaces


def test_the_page_of_decisions_needed_pages_and_a_bad_cursor_starts_over(cast: Cast) -> None:
    from koers.decisions import views

    for n in range(views.NEEDED_PAGE + 3):
        log(cast.project, f"Open vraag {n:03}")
    log(cast.project, "Al beslist", status="decided", decided_on=date(2030, 1, 2))
    web = cast.login(cast.viewer)
    first = web.get(url("decisions:log") + "?needed=1").content.decode()
    assert "Open vraag 000" in first and "Open vraag 052" not in first
    assert "Al beslist" not in first and 'rel="next"' in first
    whole = web.get(url("decisions:log")).content.decode()
    assert "All 53 decisions needed" in whole
    broken = web.get(url("decisions:log") + "?cursor=nonsense", follow=True).content.decode()
    assert "That page link no longer works" in broken
