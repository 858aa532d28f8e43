"""The team's pulse pages: set-up, results with the group rule, exports, feedback, report."""

import csv
import io
import re
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client as WebClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django_scopes import scopes_disabled
from openpyxl import load_workbook
from pytest_django import DjangoAssertNumQueries

from koers.pulse import services
from koers.pulse.models import FeedbackItem, Round, Thresholds
from koers.roadmap.models import PlanRevision
from tests.factories import Cast, make_project

from .conftest import add_answers, add_taking_turns, close

EN = {"accept-language": "en"}


def page(cast: Cast, name: str, *args: object) -> str:
    return reverse(f"pulse:{name}", args=[cast.workspace.slug, cast.project.slug, *args])


def get(web: WebClient, url: str) -> str:
    response = web.get(url, headers=EN)
    assert response.status_code == 200, url
    return response.content.decode()


def test_a_member_sets_up_a_round_with_own_questions(cast: Cast) -> None:
    web = cast.login(cast.member)
    form = get(web, page(cast, "round_create"))
    assert "I understand why this change is made." in form  # the method's, fixed
    closes = (timezone.localtime() + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    data = {
        "title": "Nulmeting",
        "closes_at": closes,
        "q-TOTAL_FORMS": "2",
        "q-INITIAL_FORMS": "0",
        "q-0-kind": "scale",
        "q-0-text_nl": "De uitleg was duidelijk.",
        "q-0-text_en": "",
        "q-1-kind": "open",
        "q-1-text_nl": "",
        "q-1-text_en": "",
    }
    response = web.post(page(cast, "round_create"), data)
    assert response.status_code == 302
    with scopes_disabled():
        round = cast.project.pulse_rounds.get()
        assert [q.text_nl for q in round.questions.all()] == ["De uitleg was duidelijk."]
        assert round.status == Round.Status.DRAFT
    web.post(page(cast, "round_open", round.number))
    with scopes_disabled():
        round.refresh_from_db()
        assert round.status == Round.Status.OPEN and round.public_links.count() == 1
    detail = get(web, page(cast, "round", round.number))
    assert "/a/" in detail and "qr.svg" in detail


def test_questions_stay_as_asked_once_people_answered(cast: Cast, open_round: Round) -> None:
    add_answers(open_round, 1)
    with (
        scopes_disabled(),
        translation.override("en"),
        pytest.raises(services.KoersError, match="answered"),
    ):
        services.round_update(
            round=open_round,
            title="x",
            closes_at=open_round.closes_at,
            questions=[services.QuestionSpec("scale", "Nieuw", "")],
        )


def test_results_are_hidden_below_five_answers(cast: Cast, open_round: Round) -> None:
    add_answers(open_round, 4, 2)
    html = get(cast.login(cast.viewer), page(cast, "round", open_round.number))
    assert "4 answers so far" in html
    assert "Barrier point" not in html
    add_answers(open_round, 1, 2)
    html = get(cast.login(cast.viewer), page(cast, "round", open_round.number))
    assert "5 answers so far; the figures are over the first 5." in html
    assert "Barrier point" in html and "steps of 5 answers" in html


def test_per_department_small_groups_are_merged_and_the_page_says_so(
    cast: Cast, open_round: Round
) -> None:
    add_taking_turns(open_round, {"Verkoop": (8, 4), "Finance": (6, 2), "HR": (2, 1)})
    url = page(cast, "round", open_round.number) + "?by=department"
    assert "Per department" not in get(cast.login(cast.owner), url)  # not while open
    close(open_round)
    html = get(cast.login(cast.owner), url)
    assert "Based on 15 of 16 answers" in html
    assert '<th scope="row">Verkoop</th>' in html
    # Finance alone would give HR away by subtraction from the total: both hidden.
    assert '<th scope="row">Finance</th>' not in html
    assert '<th scope="row">HR</th>' not in html
    assert "Other groups (together)" in html and "2 groups had fewer than five answers" in html


def test_open_answers_become_feedback_items(cast: Cast, open_round: Round) -> None:
    add_answers(open_round, 5, 4, unclear="Wanneer is mijn afdeling?")
    web = cast.login(cast.member)
    assert "Wanneer is mijn afdeling?" not in get(web, page(cast, "round", open_round.number))
    close(open_round)
    html = get(web, page(cast, "round", open_round.number))
    assert "Wanneer is mijn afdeling?" in html
    ref = html.split('name="answer" value="')[1].split('"')[0]
    assert len(ref) == 24  # a keyed hash: no answer id, no order of arrival
    response = web.post(page(cast, "feedback_from_answer", open_round.number), {"answer": ref})
    assert response.status_code == 302
    with scopes_disabled():
        item = FeedbackItem.objects.get()
    assert item.text == "Wanneer is mijn afdeling?" and item.pulse_round == open_round
    assert item.source == FeedbackItem.Source.PULSE
    again = web.post(page(cast, "feedback_from_answer", open_round.number), {"answer": ref})
    assert again["Location"] == response["Location"]
    made_up = web.post(page(cast, "feedback_from_answer", open_round.number), {"answer": "1"})
    assert made_up.status_code == 404
    with scopes_disabled():
        assert FeedbackItem.objects.count() == 1


def test_open_answers_are_not_shown_below_five(cast: Cast, open_round: Round) -> None:
    add_answers(open_round, 4, 4, unsure="Alleen ik schrijf dit")
    assert "Alleen ik schrijf dit" not in get(cast.login(cast.owner), page(cast, "round", 1))


def test_export_neutralises_formulas_and_merges_small_groups(cast: Cast, open_round: Round) -> None:
    add_answers(open_round, 6, 4, department="Verkoop", unsure="=HYPERLINK(1)")
    add_answers(open_round, 4, 2, department="HR", risky="@SUM(A1)")
    web = cast.login(cast.member)
    assert web.get(page(cast, "answers_csv", open_round.number)).status_code == 302  # open
    close(open_round)
    response = web.get(page(cast, "answers_csv", open_round.number), headers=EN)
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    text = response.content.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in text and "'@SUM(A1)" in text
    assert not any(cell.startswith(("=", "@", "+", "-")) for row in rows for cell in row)
    departments = {row[0] for row in rows[1:]}
    # HR (4) is too small, and Verkoop alone would give HR away: both hidden together.
    assert departments == {"Other groups (together)"}
    book = load_workbook(io.BytesIO(web.get(page(cast, "answers_xlsx", open_round.number)).content))
    cells = [c for row in book.active.iter_rows() for c in row]
    # As typed, in a text cell: shown, never run.
    assert "=HYPERLINK(1)" in [c.value for c in cells]
    assert not any(c.data_type == "f" for c in cells)


def test_no_export_below_five_answers(cast: Cast, open_round: Round) -> None:
    add_answers(open_round, 4)
    response = cast.login(cast.member).get(page(cast, "answers_csv", open_round.number))
    assert response.status_code == 302


def test_the_qr_code_is_an_svg_of_the_link(cast: Cast, open_round: Round) -> None:
    response = cast.login(cast.member).get(page(cast, "link_qr", open_round.number))
    assert response["Content-Type"] == "image/svg+xml"
    assert b"<svg" in response.content and b"/a/" in response.content


def test_declining_feedback_needs_a_reason(cast: Cast) -> None:
    web = cast.login(cast.member)
    data = {"text": "Meer uitleg", "source": "meeting", "status": "declined", "is_shared": "on"}
    response = web.post(page(cast, "feedback_create"), data, headers=EN)
    assert response.status_code == 200 and "Say why it is declined" in response.content.decode()
    web.post(page(cast, "feedback_create"), data | {"decline_reason": "Past niet in fase 1"})
    with scopes_disabled():
        assert FeedbackItem.objects.get().decline_reason == "Past niet in fase 1"


def test_feedback_names_the_plan_revision_it_caused_by_number(cast: Cast) -> None:
    with scopes_disabled():
        other = make_project(cast.client, slug="ander", name="Ander project")
        # The other project's first, so a revision's id is not its number on any database.
        for project, number in ((other, 1), (other, 2), (cast.project, 1)):
            PlanRevision.objects.create(project=project, number=number, reason="Nu", snapshot={})
    web = cast.login(cast.member)
    data = {"text": "Meer uitleg", "source": "meeting", "status": "done", "response": "Gedaan"}
    response = web.post(page(cast, "feedback_create"), data | {"plan_revision": "2"}, headers=EN)
    assert "This project has no plan revision 2." in response.content.decode()  # other's 2
    web.post(page(cast, "feedback_create"), data | {"plan_revision": "1"})
    with scopes_disabled():
        item = FeedbackItem.objects.get()
        revision = item.plan_revision
        assert revision is not None
        assert revision.project == cast.project and revision.number == 1
    form = get(web, page(cast, "feedback_edit", item.pk))
    assert 'name="plan_revision" value="1"' in form


def test_you_said_we_did_is_shared_by_a_revocable_link(cast: Cast) -> None:
    with scopes_disabled():
        services.feedback_create(
            project=cast.project,
            actor=None,
            source="pilot",
            text="Uitlogtijd te kort",
            status="done",
            response="Nu 10 minuten.",
        )
        services.feedback_create(project=cast.project, actor=None, source="pulse", text="Nog nieuw")
    web = cast.login(cast.member)
    web.post(page(cast, "feedback_share"))
    listing = get(web, page(cast, "feedback"))
    link = listing.split('id="feedback-page-link">')[1].split("<")[0]
    shared = WebClient().get(link)
    assert shared.status_code == 200
    html = shared.content.decode()
    assert "Uitlogtijd te kort" in html and "Nu 10 minuten." in html
    assert "Nog nieuw" not in html  # not acted on yet
    web.post(page(cast, "feedback_share_revoke"))
    assert WebClient().get(link).status_code == 404


def test_the_watermelon_shows_on_the_report_and_the_dashboard(
    cast: Cast, open_round: Round
) -> None:
    add_answers(open_round, 6, {"awareness": 2, "knowledge": 2})
    web = cast.login(cast.member)
    web.post(
        page(cast, "status_write"),
        {
            "week": timezone.localdate().isoformat(),
            "status": "green",
            "highlights": "Alles op schema",
        },
    )
    report = get(web, page(cast, "report"))
    assert "Watermeloen" in report or "Watermelon" in report
    assert "Alles op schema" in report
    dashboard = get(web, reverse("workspaces:dashboard", args=[cast.workspace.slug]))
    assert "Watermelon" in dashboard
    pdf = web.get(page(cast, "report_pdf"))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_a_workspace_sets_its_own_thresholds(cast: Cast, open_round: Round) -> None:
    add_answers(open_round, 6, 4)
    with scopes_disabled():
        services.status_update_save(
            project=cast.project, actor=None, week=timezone.localdate(), status="green"
        )
    web = cast.login(cast.owner)
    url = reverse("pulse_thresholds", args=[cast.workspace.slug])
    assert "Watermelon" not in get(web, reverse("workspaces:dashboard", args=[cast.workspace.slug]))
    response = web.post(
        url,
        {
            "understanding_red": "4",
            "understanding_amber": "4.5",
            "readiness_red": "3",
            "readiness_amber": "3.5",
            "open_risks_red": "3",
            "open_risks_amber": "1",
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        assert Thresholds.objects.get().understanding_red == Decimal(4)
    assert "Watermelon" in get(web, reverse("workspaces:dashboard", args=[cast.workspace.slug]))


def test_the_dashboard_query_count_does_not_grow_with_projects(
    cast: Cast, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    web = cast.login(cast.owner)
    url = reverse("workspaces:dashboard", args=[cast.workspace.slug])
    with scopes_disabled():
        first = services.round_create(
            project=cast.project, actor=None, title="r", closes_at=timezone.now() + timedelta(1)
        )
        services.round_open(round=first)
        add_answers(first, 5)
    web.get(url)
    with django_assert_max_num_queries(26) as few:  # the portfolio's grouped reads
        web.get(url)
    with scopes_disabled():
        for n in range(6):
            project = make_project(cast.client, slug=f"p{n}")
            round = services.round_create(
                project=project, actor=None, title="r", closes_at=timezone.now() + timedelta(1)
            )
            services.round_open(round=round)
            add_answers(round, 5)
            services.status_update_save(
                project=project, actor=None, week=timezone.localdate(), status="amber"
            )
    with django_assert_max_num_queries(len(few.captured_queries)):
        web.get(url)


def _feedback(cast: Cast, start: int, count: int) -> None:
    revision = PlanRevision.objects.create(
        project=cast.project, number=start, reason="r", snapshot={}
    )
    for n in range(start, start + count):
        services.feedback_create(
            project=cast.project,
            actor=None,
            source="meeting",
            text=f"Punt {n:03}",
            plan_revision=revision,
        )


def _updates(cast: Cast, start: int, count: int) -> None:
    for n in range(start, start + count):
        services.status_update_save(
            project=cast.project,
            actor=None,
            week=date(2026, 1, 5) + timedelta(weeks=n),
            status="green",
            highlights=f"Week nummer {n:03}",
        )


@pytest.mark.parametrize(
    ("name", "add", "size", "first", "last"),
    [
        ("feedback", _feedback, 50, "Punt 060", "Punt 000"),  # newest first
        ("status", _updates, 20, "Week nummer 060", "Week nummer 000"),
    ],
)
def test_feedback_and_status_updates_are_paged_in_fixed_queries(
    cast: Cast, name: str, add: Any, size: int, first: str, last: str
) -> None:
    web = cast.login(cast.viewer)
    with scopes_disabled():
        add(cast, 0, 3)
    web.get(page(cast, name))
    with CaptureQueriesContext(connection) as few:
        web.get(page(cast, name))
    with scopes_disabled():
        add(cast, 3, 58)
    with CaptureQueriesContext(connection) as many:
        shown = get(web, page(cast, name))
    pages = -(-61 // size)
    assert len(many) == len(few)
    assert f"Page 1 of {pages}" in shown
    assert last not in shown
    final = get(web, page(cast, name) + f"?page={pages}")
    assert last in final and first not in final


def test_the_status_report_counts_each_rounds_answers_once(
    cast: Cast, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    """The signal, the measurement, the trend and the gates all want the open round's
    figure: the page counts and sums its answers once, so they cannot disagree."""
    web = cast.login(cast.owner)
    with scopes_disabled():
        round = services.round_create(
            project=cast.project, actor=None, title="r", closes_at=timezone.now() + timedelta(1)
        )
        services.round_open(round=round)
        add_answers(round, 12)
    web.get(page(cast, "report"))
    with django_assert_max_num_queries(40) as report:
        web.get(page(cast, "report"))
    answers = [q["sql"] for q in report.captured_queries if 'FROM "pulse_answer"' in q["sql"]]
    counts = [sql for sql in answers if 'COUNT("pulse_answer"."id") AS "n"' in sql]
    sums = [sql for sql in answers if 'SUM("pulse_answer"."awareness")' in sql]
    assert len(counts) == 1
    assert len(sums) == 1


def test_the_trend_shows_a_change_only_from_the_second_round_on(cast: Cast, open_round) -> None:
    add_answers(open_round, 5, 3)
    close(open_round)
    with scopes_disabled():
        second = services.round_create(
            project=cast.project,
            actor=cast.owner,
            title="Na de pilot",
            closes_at=timezone.now() + timedelta(days=7),
        )
        services.round_open(round=second, actor=cast.owner)
    add_answers(second, 5, 4)
    close(second)

    table = get(cast.login(cast.member), page(cast, "rounds")).split('class="table trend"')[1]

    first_cells = re.findall(r'<th scope="row">[^<]*</th>\s*<td[^>]*>(.*?)</td>', table)
    assert len(first_cells) == 6  # the five steps and the number of answers
    assert all('class="change"' not in cell for cell in first_cells)
    assert table.count('<span class="change">+1.0</span>') == 5
