"""Small wins: Koers proposes them from facts, a member celebrates one (mailed once to each
stakeholder, a failure retried) or dismisses it, and neither is proposed again. Guests,
viewers and other projects cannot touch them."""

from typing import Any

import pytest
from django.core import mail
from django_scopes import scopes_disabled

from koers.core.errors import KoersError
from koers.stakeholders import services as stakeholders
from koers.stakeholders.models import Communication, CommunicationMail
from koers.wins import queries, services
from koers.wins.models import Win
from tests.factories import Cast, make_project

from .conftest import days_ago, facts_of, live_wave, made_decision, url

pytestmark = pytest.mark.django_db


def proposed_keys(cast: Cast) -> list[str]:
    with scopes_disabled():
        return [fact.key for fact in queries.proposals(cast.project)]


def test_koers_proposes_a_kpi_met_a_wave_live_and_a_decision_made_newest_first(
    cast: Cast,
) -> None:
    keys = facts_of(cast.project)
    assert proposed_keys(cast) == [keys["decision"], keys["live"], keys["kpi"]]
    with scopes_disabled():
        titles = [fact.title for fact in queries.proposals(cast.project)]
    assert titles == [
        "Decided: Eerst de verkoop",
        "Afdeling Verkoop is live",
        "KPI met: Tijd per offerte (Offertetool)",
    ]


def test_a_pilot_live_says_so(cast: Cast) -> None:
    live_wave(cast.project, 1, kind="pilot", label="Pilot van 20")
    with scopes_disabled():
        (fact,) = queries.proposals(cast.project)
    assert fact.title == "The pilot is live: Pilot van 20"


def test_a_member_celebrates_a_win_and_mails_it_once_to_each_stakeholder(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    keys = facts_of(cast.project)
    with scopes_disabled():
        lieve = stakeholders.stakeholder_create(
            client=cast.client, actor=None, name="Lieve", email="lieve@example.be"
        )
    web = cast.login(cast.member)
    form = web.get(url("wins:celebrate", fact=keys["live"])).content.decode()
    assert 'value="Afdeling Verkoop is live"' in form
    response = web.post(
        url("wins:celebrate", fact=keys["live"]),
        {
            "title": "Verkoop werkt live",
            "message": "Dank aan Bart.",
            "how": "mail",
            "on": days_ago(0),
        },
    )
    with scopes_disabled():
        win = Win.objects.select_related("communication").get()
    assert response.status_code == 302 and response["Location"] == win.url()
    assert win.status == "celebrated" and win.on == days_ago(3) and win.actor == cast.member
    told = win.communication
    assert told is not None and told.status == Communication.Status.PLANNED
    assert told.subject == "Verkoop werkt live"
    assert keys["live"] not in proposed_keys(cast)
    assert web.get(url("wins:celebrate", fact=keys["live"])).status_code == 404

    mail_url = url("wins:mail", win=win.pk)
    with django_capture_on_commit_callbacks(execute=True):
        web.post(mail_url, {"template": "celebration", "stakeholders": [lieve.pk]})
        web.post(mail_url, {"template": "celebration", "stakeholders": [lieve.pk]})
    (message,) = mail.outbox  # the second send skips who got it
    assert message.subject == "Een succesje voor Naar de cloud: Verkoop werkt live"
    assert "Dank aan Bart." in message.body
    with scopes_disabled():
        told.refresh_from_db()
        assert told.status == Communication.Status.DONE
    page = web.get(win.url()).content.decode()
    assert "lieve@example.be" in page and "Sent" in page


def test_a_failed_mail_of_a_win_shows_why_and_is_sent_again(
    cast: Cast, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    settings.EMAIL_BACKEND = "koers.outbox.tests.test_services.Refusing"
    keys = facts_of(cast.project)
    with scopes_disabled():
        lieve = stakeholders.stakeholder_create(
            client=cast.client, actor=None, name="Lieve", email="lieve@example.be"
        )
        win = services.win_celebrate(
            project=cast.project, key=keys["kpi"], actor=None, message="Sneller offreren."
        )
    web = cast.login(cast.member)
    with django_capture_on_commit_callbacks(execute=True):
        web.post(
            url("wins:mail", win=win.pk), {"template": "celebration", "stakeholders": [lieve.pk]}
        )
    page = web.get(win.url()).content.decode()
    assert "mailbox unavailable" in page and "Send again" in page
    assert "Send again" not in cast.login(cast.viewer).get(win.url()).content.decode()
    with scopes_disabled():
        failed = CommunicationMail.objects.get().message
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    retry = cast.project.url(
        "project_stakeholders:communication_mail_retry",
        communication=win.communication_id,
        message=failed.pk,
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert web.post(retry).status_code == 302
    assert len(mail.outbox) == 1


def test_a_demo_is_logged_as_done_and_a_dismissed_win_is_not_proposed_again(cast: Cast) -> None:
    keys = facts_of(cast.project)
    web = cast.login(cast.member)
    web.post(
        url("wins:celebrate", fact=keys["kpi"]),
        {
            "title": "Offertes sneller",
            "message": "Demo aan de verkopers.",
            "how": "demo",
            "on": days_ago(1),
        },
    )
    assert web.post(url("wins:dismiss", fact=keys["decision"])).status_code == 302
    assert proposed_keys(cast) == [keys["live"]]
    with scopes_disabled():
        demo = Communication.objects.get()
        assert (demo.kind, demo.status, demo.on) == ("demo", "done", days_ago(1))
        assert Win.objects.get(key=keys["decision"]).communication is None
    page = web.get(url("wins:list")).content.decode()
    assert "Offertes sneller" in page and "Dismissed" in page
    web.post(url("wins:dismiss", fact=keys["decision"]))  # again: refused, nothing kept twice
    with scopes_disabled():
        assert Win.objects.count() == 2


def test_a_viewer_reads_but_cannot_celebrate_and_a_guest_sees_nothing(cast: Cast) -> None:
    keys = facts_of(cast.project)
    viewer = cast.login(cast.viewer)
    page = viewer.get(url("wins:list")).content.decode()
    assert (
        "Afdeling Verkoop is live" in page and url("wins:celebrate", fact=keys["live"]) not in page
    )
    assert viewer.post(url("wins:dismiss", fact=keys["live"])).status_code == 403
    assert cast.login(cast.guest).get(url("wins:list")).status_code == 404
    assert len(proposed_keys(cast)) == 3


def test_the_key_of_another_projects_fact_is_not_a_proposal_here(cast: Cast) -> None:
    with scopes_disabled():
        other = make_project(cast.client, slug="andere", name="Ander project")
    decision = made_decision(other, "Elders besloten")
    key = f"decision:{decision.pk}"
    web = cast.login(cast.member)
    assert web.get(url("wins:celebrate", fact=key)).status_code == 404
    web.post(url("wins:dismiss", fact=key))
    with scopes_disabled():
        assert not Win.objects.exists()
        with pytest.raises(KoersError):
            services.win_celebrate(project=cast.project, key=key, actor=None, message="x")


def test_a_win_needs_a_message(cast: Cast) -> None:
    keys = facts_of(cast.project)
    with scopes_disabled(), pytest.raises(KoersError) as refused:
        services.win_celebrate(project=cast.project, key=keys["kpi"], actor=None, message=" ")
    assert refused.value.field == "message"


def test_the_wins_page_takes_a_fixed_number_of_queries(
    cast: Cast, django_assert_num_queries: Any
) -> None:
    web = cast.login(cast.member)
    facts_of(cast.project)
    web.get(url("wins:list"))
    with django_assert_num_queries(QUERIES):
        assert web.get(url("wins:list")).status_code == 200
    for n in range(10):
        decision = made_decision(cast.project, f"Besluit {n}")
        live_wave(cast.project, 10 + n)
        if n % 2:
            with scopes_disabled():
                services.win_dismiss(
                    project=cast.project, key=f"decision:{decision.pk}", actor=None
                )
    with django_assert_num_queries(QUERIES):
        assert web.get(url("wins:list")).status_code == 200


# Session, user, membership, the switcher's memberships, the project; then the handled keys,
# KPIs, waves and decisions of the proposals; the page of wins and its count.
QUERIES = 11


def test_the_project_page_proposes_the_wins_to_its_team_not_to_a_guest(cast: Cast) -> None:
    facts_of(cast.project)
    page = cast.login(cast.member).get(cast.project.url()).content.decode()
    assert 'data-part="wins"' in page and "Afdeling Verkoop is live" in page
    assert "Celebrate 3 wins" in page and url("wins:list") in page
    guest = cast.login(cast.guest).get(cast.project.url()).content.decode()
    assert 'data-part="wins"' not in guest and url("wins:list") not in guest
