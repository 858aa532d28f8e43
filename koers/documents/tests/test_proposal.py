"""The proposal: one A4 page for the largest allowed project, in the project's language."""

import subprocess
from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext
from django_scopes import scope, scopes_disabled

from koers.documents.proposal import proposal_context, render_proposal
from koers.projects import services as project_services

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
    assert len(context["phases"]) == 8
    assert sum(len(titles) for _column, titles in context["scope"]) == 30
    assert context["shortened"]
    text = " ".join(pdf_text(pdf, tmp_path).split()).lower()
    # Nothing fell off the page: every phase, the totals, the decisions and the note are on it.
    with translation.override(largest.language):
        assert date_format(date(2027, 8, 1), "M Y").lower() in text  # the start of phase 8
        for words in [
            gettext("Total"),
            gettext("Decisions needed"),
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
