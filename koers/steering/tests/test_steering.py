"""Steering group meetings: the agenda is read from the project (decisions needed, reported
and measured, risks, phases), the minutes record the decisions taken into the log once, and
they are mailed to the steering group once each. Guests, viewers and other projects cannot."""

import io
import json
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation
from django_scopes import scopes_disabled
from pytest_django.fixtures import Settings

from koers.api.tests.test_api import Api
from koers.decisions import services as decisions
from koers.decisions.models import Decision
from koers.pulse import services as pulse
from koers.roadmap.models import Phase
from koers.roadmap.tests.conftest import make_phase
from koers.stakeholders import services as stakeholders
from koers.stakeholders.models import Communication
from koers.steering import services
from koers.steering.models import Meeting
from tests.factories import Cast, make_project

pytestmark = pytest.mark.django_db
API = "/api/v1/w/acme/projects/cloud/steering/meetings"


@pytest.fixture(autouse=True)
def _english(settings: Settings) -> Iterator[None]:
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def url(name: str, **kwargs: Any) -> str:
    return reverse(name, kwargs={"workspace": "acme", "project": "cloud", **kwargs})


def member(cast: Cast, name: str, email: str = "", steering: bool = True) -> Any:
    with scopes_disabled():
        who = stakeholders.stakeholder_create(
            client=cast.client, actor=None, name=name, email=email
        )
        stakeholders.involvement_save(
            project=cast.project, stakeholder=who, actor=None, is_steering_member=steering
        )
    return who


def meeting_of(cast: Cast) -> Meeting:
    with scopes_disabled():
        return services.meeting_create(
            project=cast.project, on=timezone.localdate() + timedelta(days=2), actor=None
        )


def project_state(cast: Cast) -> None:
    """A phase done and one planned next, a status update with risks."""
    make_phase(cast.project, title="Offertetool", status=Phase.Status.DONE)
    make_phase(
        cast.project, title="Facturatie", goal="Facturen automatisch", start_month=date(2025, 5, 1)
    )
    with scopes_disabled():
        pulse.status_update_save(
            project=cast.project,
            actor=None,
            week=timezone.localdate(),
            status="green",
            risks="De leverancier levert de koppeling te laat.",
        )


def test_a_decision_logged_is_on_the_agenda_with_the_signal_risks_and_phases(
    cast: Cast,
) -> None:
    project_state(cast)
    web = cast.login(cast.member)
    web.post(url("decisions:create"), {"title": "Welke afdeling eerst?", "status": "proposed"})
    response = web.post(url("steering:create"), {"on": "2030-03-04"})
    with scopes_disabled():
        meeting = Meeting.objects.get()
    assert response["Location"] == meeting.url()
    agenda = web.get(meeting.url()).content.decode().split('data-testid="agenda"')[1]
    agenda = agenda.split("</section>")[0]
    assert "Welke afdeling eerst?" in agenda
    assert "Reported" in agenda and "Measured" in agenda
    assert "De leverancier levert de koppeling te laat." in agenda
    assert "Offertetool" in agenda and "Done" in agenda
    assert "Facturatie</strong>: <span" in agenda and "Facturen automatisch" in agenda


def test_the_minutes_take_the_decisions_into_the_log_and_go_to_the_steering_group_once(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    lieve = member(cast, "Lieve", "lieve@example.be")
    member(cast, "Bart")  # no address
    member(cast, "Sam", "sam@example.be", steering=False)
    with scopes_disabled():
        needed = decisions.decision_create(project=cast.project, actor=None, title="Pilot eerst?")
    meeting = meeting_of(cast)
    web = cast.login(cast.member)
    response = web.post(
        url("steering:minutes", meeting=meeting.pk),
        {
            "minutes": "De stuurgroep besprak de pilot.",
            "decided": [needed.pk],
            "new_decisions": "Budget voor fase 2 vrijgegeven\n\n",
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        needed.refresh_from_db()
        made = Decision.objects.get(title="Budget voor fase 2 vrijgegeven")
        assert (needed.status, needed.decided_on) == ("decided", meeting.on)
        assert (made.status, made.decided_by) == ("decided", "Steering group")
        assert set(meeting.decisions.all()) == {needed, made}
        told = Communication.objects.get()
        assert (told.kind, told.status, told.content) == (
            "steering",
            "done",
            "De stuurgroep besprak de pilot.",
        )
        assert {s.name for s in told.audience.all()} == {"Lieve", "Bart"}
    page = web.get(meeting.url()).content.decode()
    assert "Budget voor fase 2 vrijgegeven" in page.split('data-testid="taken"')[1]
    with django_capture_on_commit_callbacks(execute=True):
        web.post(url("steering:mail", meeting=meeting.pk))
        web.post(url("steering:mail", meeting=meeting.pk))
    (message,) = mail.outbox
    assert message.to == [lieve.email] and "De stuurgroep besprak de pilot." in message.body
    assert "Stuurgroepvergadering" in message.subject or "Steering" in message.subject


def test_minutes_cannot_take_a_decision_of_another_project_or_one_already_made(
    cast: Cast,
) -> None:
    with scopes_disabled():
        other = make_project(cast.client, slug="andere", name="Ander project")
        foreign = decisions.decision_create(project=other, actor=None, title="Elders")
        made = decisions.decision_create(
            project=cast.project,
            actor=None,
            title="Al besloten",
            status="decided",
            decided_on=date(2030, 1, 1),
        )
    meeting = meeting_of(cast)
    web = cast.login(cast.member)
    for decision in (foreign, made):
        response = web.post(
            url("steering:minutes", meeting=meeting.pk),
            {"minutes": "x", "decided": [decision.pk]},
        )
        assert response.status_code == 200  # refused on the form
    with scopes_disabled():
        assert not meeting.decisions.exists() and meeting.communication is None
    assert web.post(url("steering:mail", meeting=meeting.pk)).status_code == 302
    assert not mail.outbox  # no minutes, nothing mailed


def test_a_viewer_reads_the_agenda_but_cannot_write_and_a_guest_sees_nothing(
    cast: Cast,
) -> None:
    meeting = meeting_of(cast)
    viewer = cast.login(cast.viewer)
    page = viewer.get(meeting.url()).content.decode()
    assert "Agenda" in page and "Record the minutes" not in page
    assert (
        viewer.post(url("steering:minutes", meeting=meeting.pk), {"minutes": "x"}).status_code
        == 403
    )
    assert cast.login(cast.guest).get(meeting.url()).status_code == 404


def test_the_meeting_page_takes_a_fixed_number_of_queries(
    cast: Cast, django_assert_num_queries: Any
) -> None:
    project_state(cast)
    meeting = meeting_of(cast)
    web = cast.login(cast.member)
    web.get(meeting.url())
    with django_assert_num_queries(QUERIES):
        assert web.get(meeting.url()).status_code == 200
    for n in range(8):
        member(cast, f"Lid {n}", f"lid{n}@example.be")
        make_phase(cast.project, title=f"Fase {n}", start_month=date(2026, 1 + n, 1))
        with scopes_disabled():
            decisions.decision_create(project=cast.project, actor=None, title=f"Vraag {n}")
    with scopes_disabled():
        services.meeting_minutes(
            meeting=meeting, actor=None, minutes="Besproken", new_decisions=["A", "B", "C"]
        )
    web.get(meeting.url())
    with django_assert_num_queries(QUERIES + 2):  # with minutes: their mails and decisions
        assert web.get(meeting.url()).status_code == 200


QUERIES = 17


def test_the_api_and_the_cli_give_the_agenda_and_record_the_minutes(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    project_state(cast)
    member(cast, "Lieve", "lieve@example.be")
    with scopes_disabled():
        needed = decisions.decision_create(project=cast.project, actor=None, title="Pilot eerst?")
    api = Api(cast.member)
    made = api.post(API, {"on": "2030-03-04"}).json()
    assert [d["title"] for d in made["agenda"]["decisions_needed"]] == ["Pilot eerst?"]
    assert made["agenda"]["risks"] == "De leverancier levert de koppeling te laat."
    assert made["agenda"]["reported"] == "green"
    minutes = f"{API}/{made['id']}/minutes"
    refused = api.post(minutes, {"minutes": "x", "decided": [needed.pk + 1000]})
    assert refused.status_code == 400 and refused.json()["field"] == "decided"
    done = api.post(
        minutes, {"minutes": "Besproken", "decided": [needed.pk], "new_decisions": ["B"]}
    )
    assert done.status_code == 200 and len(done.json()["decisions"]) == 2
    assert done.json()["agenda"]["decisions_needed"] == []
    with django_capture_on_commit_callbacks(execute=True):
        sent = api.post(f"{API}/{made['id']}/mail", {}).json()
    assert sent == {"mailed": 1, "before": 0, "no_address": 0} and len(mail.outbox) == 1
    assert Api(cast.viewer).post(minutes, {"minutes": "x"}).status_code == 403
    assert Api(cast.guest).get(API).status_code == 404
    out = io.StringIO()
    call_command("steering", "--project", "acme/cloud", "--json", stdout=out)
    document = json.loads(out.getvalue())
    assert document["meetings"][0]["minutes"] == "Besproken"
    assert document["agenda"]["phases"][0]["title"] == "Offertetool"


def test_the_agenda_and_minutes_print_and_the_forms_do_not(cast: Cast) -> None:
    meeting = meeting_of(cast)
    page = cast.login(cast.member).get(meeting.url()).content.decode()
    printed, screen = page.split('<div class="screen-only">')
    assert 'data-testid="agenda"' in printed and 'id="minutes-h"' in printed
    assert url("steering:minutes", meeting=meeting.pk) in screen
    assert url("steering:minutes", meeting=meeting.pk) not in printed
