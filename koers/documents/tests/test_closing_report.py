"""The closing report: one or two A4 pages with what was delivered, decided, learned, said by
the client and handed over; for the team, not for a client's guest."""

from datetime import date

from django.urls import reverse
from django_scopes import scope, scopes_disabled

from koers.aftercare import services as aftercare
from koers.decisions import services as decisions
from koers.documents.closing_report import MAX_LESSONS, closing_report_pdf
from koers.roadmap.tests.conftest import make_phase

from .conftest import A4_POINTS, pdf_pages
from .test_proposal import pdf_text


def report_url() -> str:
    return reverse("documents:closing_report", kwargs={"workspace": "acme", "project": "cloud"})


def test_the_report_holds_phases_decisions_lessons_evaluation_and_handover(cast, tmp_path):
    project = cast.project
    make_phase(project, title="Offertetool", status="done")
    with scopes_disabled():
        project.language = "en"
        project.save()
        decisions.decision_create(project=project, actor=None, title="Exact Online blijft")
        for n in range(MAX_LESSONS + 2):
            aftercare.lesson_create(project=project, actor=None, title=f"Les nummer {n}")
        evaluation, _token = aftercare.evaluation_send(project=project, actor=None)
        aftercare.evaluation_answer(evaluation=evaluation, score=8, what_next="De webshop")
        aftercare.handover_item_save(project=project, kind="runbook", owner="Sam", state="done")
        aftercare.shadow_save(
            project=project, shadow_start=date(2026, 6, 1), shadow_end=date(2026, 6, 14)
        )
    with scope(workspace=cast.workspace):
        pdf = closing_report_pdf(project)
    pages = pdf_pages(pdf)
    assert 1 <= len(pages) <= 2
    assert all((round(w, 2), round(h, 2)) == A4_POINTS for w, h in pages)
    text = " ".join(pdf_text(pdf, tmp_path).split())
    for expected in (
        "Offertetool",
        "Tijd per offerte",
        "Exact Online blijft",
        f"Les nummer {MAX_LESSONS + 1}",
        "More lessons are in Koers.",
        "8/10",
        "De webshop",
        "Runbook Done Sam",
        "Monitoring Open",
        "1 June 2026 – 14 June 2026",  # noqa: RUF001 (the report's dash)
    ):
        assert expected in text, expected
    assert "Les nummer 0" not in text  # the oldest lessons are left to Koers


def test_the_team_downloads_it_a_guest_and_an_outsider_do_not(cast):
    response = cast.login(cast.viewer).get(report_url())
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "cloud-closing-report-" in response["Content-Disposition"]
    assert cast.login(cast.guest).get(report_url()).status_code == 404
    assert cast.login(cast.outsider).get(report_url()).status_code == 404
