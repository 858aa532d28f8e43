"""The proposal: one A4 page for the largest allowed project, in the project's language."""

import subprocess
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext
from django_scopes import scope, scopes_disabled

from koers.documents.proposal import proposal_context, render_proposal
from koers.projects import services as project_services
from koers.roadmap import services as plan_services
from koers.roadmap.tests.conftest import make_phase

from .conftest import A4_POINTS, pdf_pages


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "p.pdf"
    path.write_bytes(pdf)
    done = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True)
    return done.stdout.decode()


def test_largest_allowed_project_fits_exactly_one_a4_page(cast, largest, tmp_path):
    with scope(workspace=cast.workspace):
        pdf = render_proposal(largest)
        context = proposal_context(largest)
    [(width, height)] = pdf_pages(pdf)
    assert (round(width, 2), round(height, 2)) == A4_POINTS
    assert len(context["phases"]) == 20
    assert context["hidden"]["count"] == 0
    assert sum(len(items) for _column, items in context["scope"]) == 30
    assert context["shortened"]
    text = " ".join(pdf_text(pdf, tmp_path).split()).lower()
    # Nothing fell off the page: every phase, the totals, the guardrails and the sign-off.
    with translation.override(largest.language):
        for n in range(20):
            start = date(2027 + n // 12, 1 + n % 12, 1)
            assert date_format(start, "M Y").lower() in text
        for words in [
            gettext("Total"),
            gettext("Decisions needed"),
            gettext("Signature"),
            gettext("Some texts are shortened to fit one page; the full text is in Koers."),
        ]:
            assert " ".join(words.split()).lower() in text


def test_proposal_speaks_the_project_language(cast, plan, tmp_path):
    with scopes_disabled():
        cast.project.language = "en"
        cast.project.save()
    with scope(workspace=cast.workspace):
        english = pdf_text(render_proposal(cast.project), tmp_path)
    assert "BUSINESS GOALS" in english
    assert "€25,000" in english
    assert "€75,000" in english
    assert "DECISIONS NEEDED" in english


def test_proposal_download_is_one_page_for_members_and_hidden_from_outsiders(cast, plan):
    path = reverse("documents:proposal", args=["acme", "cloud"])
    assert cast.login(cast.outsider).get(path).status_code == 404
    response = cast.login(cast.guest).get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert len(pdf_pages(response.content)) == 1


def test_proposal_command_writes_the_pdf(cast, plan, tmp_path):
    target = tmp_path / "voorstel.pdf"
    call_command("proposal", "acme/cloud", "-o", str(target))
    assert len(pdf_pages(target.read_bytes())) == 1


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("acme", "<workspace>/<project>"),
        ("nope/cloud", "no workspace"),
        ("acme/nope", "no project"),
    ],
)
def test_proposal_command_names_what_is_wrong(cast, name, message, tmp_path):
    with pytest.raises(CommandError, match=message):
        call_command("proposal", name, "-o", str(tmp_path / "x.pdf"))


def test_a_small_plan_shows_its_scope_items_whole(cast, plan, tmp_path):
    long_title = "Gedeelde agenda's en vergaderruimtes boeken vanuit Outlook op elke locatie"
    with scopes_disabled():
        project_services.scope_item_add(
            project=cast.project, actor=None, column="in", title=long_title, reason="Vaak gevraagd"
        )
    with scope(workspace=cast.workspace):
        text = " ".join(pdf_text(render_proposal(cast.project), tmp_path).split())
    assert long_title in text


# The proposal never overstates.


def english_text(cast, tmp_path) -> str:
    with scopes_disabled():
        cast.project.language = "en"
        cast.project.save()
    with scope(workspace=cast.workspace):
        return " ".join(pdf_text(render_proposal(cast.project), tmp_path).split())


def test_the_totals_are_the_sum_of_the_phases_shown(cast, largest):
    with scope(workspace=cast.workspace):
        context = proposal_context(largest)
    assert context["total_weeks"] == sum(p["weeks"] for p in context["phases"]) == 250
    assert context["total_budget"] == sum(p["budget"] for p in context["phases"])
    # The five stopped phases are history, named apart and outside the totals.
    assert len(context["stopped"]) + context["more_stopped"] == 5


def test_a_plan_past_twenty_phases_says_what_it_leaves_out(cast, tmp_path):
    for n in range(22):
        make_phase(cast.project, title=f"Fase {n + 1}", start_month=date(2030, 1, 1))
    with scope(workspace=cast.workspace):
        context = proposal_context(cast.project)
    assert len(context["phases"]) == 20
    assert context["hidden"] == {"count": 2, "weeks": 16, "budget": Decimal(50_000)}
    assert context["total_weeks"] == 160
    text = english_text(cast, tmp_path)
    assert "Total of the 20 phases shown" in text
    assert "2 more phases (16 weeks, €50,000) do not fit on this page" in text


def test_the_big_bang_prints_its_open_errors_and_no_promise_of_the_method(cast, tmp_path):
    erp = make_phase(cast.project, title="ERP in één keer", weeks=78, budget=Decimal(180_000))
    make_phase(cast.project, title="Offertetool", start_month=date(2026, 6, 1), weeks=8)
    with scopes_disabled():
        plan_services.deviation_accept(
            project=cast.project,
            actor=cast.owner,
            rule="budget-outside-range",
            subject=erp.key,
            justification="Licenties voor drie jaar vooruit betaald",
        )
    text = english_text(cast, tmp_path)
    assert "Open: Phase longer than the limit: phase 1" in text
    assert "Open: Big bang: phase 1" in text
    assert "Open: Nothing goes live in the first 12 weeks" in text
    assert (
        "Deviation accepted: Budget outside the range (phase 1). "
        "Justification: “Licenties voor drie jaar vooruit betaald”" in text
    )
    assert "every phase lasts at most" not in text
    assert "the guardrails above say where this plan does not" in text


def test_a_plan_within_the_method_says_so(cast, plan, tmp_path):
    text = english_text(cast, tmp_path)
    assert "every phase lasts at most 12 weeks and is worth it even if nothing follows" in text
    assert "Open:" not in text


def test_late_phases_are_printed_late(cast, tmp_path):
    started = timezone.localdate().replace(day=1) - timedelta(weeks=30)
    make_phase(cast.project, title="Offertetool", start_month=started, status="active")
    text = english_text(cast, tmp_path)
    assert "Offertetool late" in text
    assert "Late: 1 phase is past its end and not done." in text
    assert "meets every guardrail" not in text


def test_out_and_later_scope_items_carry_their_reasons_and_the_client_signs(cast, tmp_path):
    with scopes_disabled():
        for column, title, reason in [
            ("out", "Telefonie", "Contract loopt tot 2028"),
            ("later", "Intranet", "Eerst de werkplek"),
        ]:
            project_services.scope_item_add(
                project=cast.project, actor=None, column=column, title=title, reason=reason
            )
    text = english_text(cast, tmp_path)
    assert "Telefonie (Contract loopt tot 2028)" in text
    assert "Intranet (Eerst de werkplek)" in text
    assert "Grootste pijn" not in text  # an in-scope item's reason stays in Koers
    assert "AGREED FOR BAKKERIJ PEETERS" in text  # a heading, in capitals
    assert "Name Date Signature" in text
