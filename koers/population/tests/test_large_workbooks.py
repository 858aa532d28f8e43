"""Large workbooks, sent through the import page: the web request never unpacks one (the task
worker reads it), and the unpacked-size limit leaves room for the largest import."""

import io
import re
import zipfile
from typing import Any

import pytest
import python_calamine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from django_scopes import scopes_disabled
from openpyxl import Workbook

from koers.population import reading, services
from koers.population.models import ImportRun, Person
from koers.population.tests.factories import HEADER, people_rows

pytestmark = pytest.mark.django_db


def xlsx(rows: list[list[str]], header: list[str] = HEADER) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Medewerkers")
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def unpacked(data: bytes) -> int:
    return sum(entry.file_size for entry in zipfile.ZipFile(io.BytesIO(data)).infolist())


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the workbooks calamine opens (what takes the time and the memory)."""
    opened: list[int] = []
    original = python_calamine.CalamineWorkbook.from_filelike

    def counted(*args: Any, **kwargs: Any) -> Any:
        opened.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_filelike", counted)
    return opened


def url(name: str, **kwargs: Any) -> str:
    return reverse(name, kwargs={"workspace": "acme", "client": "bakkerij", **kwargs})


def test_a_large_workbook_is_read_by_the_task_worker_never_in_the_web_request(
    cast: Any, monkeypatch: pytest.MonkeyPatch, reads: list[int]
) -> None:
    data = xlsx(people_rows(300))
    monkeypatch.setattr(services, "WEB_XLSX_MAX_UNPACKED", unpacked(data) - 1)
    web = cast.login(cast.member)

    with TestCase.captureOnCommitCallbacks(execute=False) as worker:
        response = web.post(url("people:import"), {"file": SimpleUploadedFile("hr.xlsx", data)})
    with scopes_disabled():
        run = ImportRun.objects.get()
    assert response["Location"] == url("people:import_run", run=run.pk)
    assert (reads, run.status, run.header) == ([], "reading", [])
    page = web.get(response["Location"]).content.decode()
    assert "Reading the file…" in page
    assert '<meta http-equiv="refresh"' in page

    worker[0]()  # the task worker (the suite's task backend runs the task at once)
    run.refresh_from_db()
    assert (len(reads), run.status, run.rows_total, run.header) == (1, "uploaded", 300, HEADER)
    assert run.mapping["key"] == "Personeelsnummer"

    # The import itself goes to the worker too, though 300 rows are below BACKGROUND_ROWS.
    form = {f"map_{f}": c for f, c in run.mapping.items()}
    with TestCase.captureOnCommitCallbacks(execute=False) as worker:
        web.post(url("people:import_run", run=run.pk), form)
    run.refresh_from_db()
    assert (len(reads), run.status) == (1, "queued")
    worker[0]()
    run.refresh_from_db()
    assert (len(reads), run.status, run.created) == (2, "done", 300)
    with scopes_disabled():
        assert Person.objects.filter(client=cast.client).count() == 300


def test_another_sheet_of_a_large_workbook_is_read_by_the_worker_too(
    cast: Any, monkeypatch: pytest.MonkeyPatch, reads: list[int]
) -> None:
    data = xlsx(people_rows(50))
    monkeypatch.setattr(services, "WEB_XLSX_MAX_UNPACKED", unpacked(data) - 1)
    with TestCase.captureOnCommitCallbacks(execute=True):
        run = services.import_upload(
            client=cast.client, actor=cast.member, file_name="hr.xlsx", data=data
        )
    run.refresh_from_db()
    assert len(reads) == 1

    with TestCase.captureOnCommitCallbacks(execute=False) as worker:
        services.import_sheet(run=run, sheet="Medewerkers")
    assert (len(reads), run.status) == (1, "reading")
    worker[0]()
    run.refresh_from_db()
    assert (len(reads), run.status, run.rows_total) == (2, "uploaded", 50)


def test_a_large_workbook_the_worker_cannot_read_fails_saying_why(
    cast: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = xlsx(people_rows(50))
    broken = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(good)) as source,
        zipfile.ZipFile(broken, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            body = source.read(entry)
            if entry.filename.startswith("xl/worksheets/"):
                body = body[: len(body) // 2]  # the sheet's XML cut off half-way
            target.writestr(entry, body)
    data = broken.getvalue()
    monkeypatch.setattr(services, "WEB_XLSX_MAX_UNPACKED", 1)
    web = cast.login(cast.member)

    with TestCase.captureOnCommitCallbacks(execute=True):
        web.post(url("people:import"), {"file": SimpleUploadedFile("hr.xlsx", data)})

    with scopes_disabled():
        run = ImportRun.objects.get()
    assert run.status == "failed" and run.content == b""
    page = web.get(url("people:import_run", run=run.pk)).content.decode()
    assert "Nothing was imported" in page
    assert re.search(r"The workbook cannot be read", page)


def test_a_zip_bomb_is_refused_at_upload_before_anything_is_unpacked(
    cast: Any, reads: list[int]
) -> None:
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (64 * 1024 * 1024))
    web = cast.login(cast.member)

    response = web.post(
        url("people:import"), {"file": SimpleUploadedFile("hr.xlsx", bomb.getvalue())}
    )

    assert "far more than a spreadsheet of people needs" in response.content.decode()
    assert reads == []
    with scopes_disabled():
        assert not ImportRun.objects.exists()


def test_the_unpacked_limit_leaves_room_for_a_million_rows_of_ten_columns() -> None:
    # Measured, not assumed: cells as openpyxl writes them, with HR-like values.
    columns = [*HEADER, "Kostenplaats", "Contract", "Manager"]
    rows = [
        [*row, f"KP{n % 120:03d}", "vast", f"Manager {n % 500}"]
        for n, row in enumerate(people_rows(2000))
    ]
    per_cell = unpacked(xlsx(rows, columns)) / (len(rows) * len(columns))
    assert per_cell <= reading.XLSX_CELL_BYTES
    assert 1_000_000 * 10 * per_cell <= reading.XLSX_MAX_UNPACKED
