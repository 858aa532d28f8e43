"""The log as XLSX and PDF, and the decisions needed on the proposal and the status report
(beside the status update's own decisions text)."""

import subprocess
from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from django_scopes import scope, scopes_disabled
from openpyxl import load_workbook

from koers.documents.proposal import proposal_context
from koers.pulse import services as pulse_services
from koers.pulse.models import week_start
from tests.factories import Cast

from .conftest import deviation_of, gate_decision_of, log, phase_of, url, wave_of

pytestmark = pytest.mark.django_db


def pdf_words(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "log.pdf"
    path.write_bytes(pdf)
    done = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True)
    return " ".join(done.stdout.decode().split())


def test_the_xlsx_holds_every_source_and_runs_no_formula(cast: Cast) -> None:
    with scopes_disabled():
        cast.project.language = "en"
        cast.project.save()
    log(
        cast.project,
        '=HYPERLINK("http://evil")',
        reasons="+31 6 1234",
        decided_by="@directie",
        status="decided",
        decided_on=date(2030, 1, 2),
    )
    gate_decision_of(wave_of(cast.project), cast.member)
    deviation_of(cast.project, phase_of(cast.project, "-Migratie"))
    response = cast.login(cast.viewer).get(url("documents:decision_log_xlsx"))
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][:3] == ["Date", "Source", "Decision"]
    cells = [str(v) for row in rows[1:] for v in row if v is not None]
    # As typed, in text cells: shown, never run.
    assert not any(c.data_type == "f" for row in sheet.iter_rows() for c in row)
    assert '=HYPERLINK("http://evil")' in cells and "+31 6 1234" in cells
    assert {row[1] for row in rows[1:]} == {"Decision log", "Go/no-go gate", "Guardrails"}
    assert "Deviation accepted: Phase longer than the limit (-Migratie)" in cells


def test_the_pdf_names_the_needed_and_the_untold(cast: Cast, tmp_path: Path) -> None:
    with scopes_disabled():
        cast.project.language = "en"
        cast.project.save()
    log(cast.project, "Welke afdeling gaat eerst?", due_on=date(2030, 5, 1))
    log(cast.project, "Eerst een pilot van twintig", status="decided", decided_on=date(2030, 1, 2))
    response = cast.login(cast.viewer).get(url("documents:decision_log_pdf"))
    assert response["Content-Type"] == "application/pdf"
    words = pdf_words(response.content, tmp_path)
    assert "Welke afdeling gaat eerst? (needed by 1 May 2030)" in words
    assert "Eerst een pilot van twintig" in words and "Not yet communicated" in words


def test_the_status_report_shows_the_needed_beside_the_updates_own_text(
    cast: Cast, tmp_path: Path
) -> None:
    with scopes_disabled():
        cast.project.language = "en"
        cast.project.save()
        pulse_services.status_update_save(
            project=cast.project,
            actor=cast.member,
            week=week_start(date.today()),
            status="amber",
            decisions="Budget fase 2 besproken",
        )
    log(cast.project, "Gaat de boekhouding mee in fase 2?")
    log(cast.project, "Al beslist", status="decided", decided_on=date(2030, 1, 2))
    for user in (cast.viewer, cast.guest):  # the client reads what it has to decide
        page = cast.login(user).get(url("pulse:report")).content.decode()
        assert "Gaat de boekhouding mee in fase 2?" in page and "Budget fase 2 besproken" in page
        assert "Al beslist" not in page
    pdf = cast.login(cast.viewer).get(url("pulse:report_pdf")).content
    assert "Gaat de boekhouding mee in fase 2?" in pdf_words(pdf, tmp_path)


def test_the_proposal_lists_the_logs_needed_decisions(cast: Cast) -> None:
    log(cast.project, "Welke afdeling gaat eerst?", due_on=date(2030, 5, 1))
    log(cast.project, "Ooit beslissen")
    with scope(workspace=cast.workspace):
        decisions = proposal_context(cast.project, today=date(2030, 1, 1))["decisions"]
    assert decisions == [
        {"on": date(2030, 5, 1), "text": "Welke afdeling gaat eerst?"},
        {"on": None, "text": "Ooit beslissen"},
    ]
