"""The people import's write and the wave exports, as fast paths: the same rows as the ORM
would write, and every exported text made harmless for spreadsheets."""

import csv
import io
from datetime import date

import pytest
from django_scopes import scopes_disabled
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from koers.core.spreadsheets import FORMULA_STARTS
from koers.population import services
from koers.population.models import Person
from koers.population.tests.factories import HEADER, csv_bytes, people_rows
from koers.rollout import exports, steering

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_scopes():
    with scopes_disabled():
        yield


def test_imported_people_have_the_models_defaults_and_only_the_kept_columns(cast) -> None:
    rows = people_rows(3)
    data = csv_bytes([[*r, f"KP{n}"] for n, r in enumerate(rows)], [*HEADER, "Kostenplaats"])
    parsed, _m, _k = services.read_people(data, "p.csv", keep=["Kostenplaats"])
    services.people_import(client=cast.client, actor=None, rows=parsed)
    person = Person.objects.get(client=cast.client, key="1001")
    assert (person.name, person.email, person.department) == (
        "Medewerker 1",
        "m1@example.com",
        rows[1][3],
    )
    assert person.attributes == {"Kostenplaats": "KP1"}
    assert not (person.is_well_known or person.is_constructive or person.is_ambassador)
    assert person.left_at is None and person.created_at is not None
    assert person.updated_at == person.created_at
    # Nothing but the mapped and kept columns: the device column was not chosen.
    parsed, _m, _k = services.read_people(
        data, "p.csv", mapping={"key": "Personeelsnummer", "name": "Naam"}, keep=[]
    )
    services.people_import(client=cast.client, actor=None, rows=parsed)
    person.refresh_from_db()
    assert (person.device, person.attributes) == ("", {})


def test_an_import_that_fails_while_writing_writes_nothing(cast, monkeypatch) -> None:
    monkeypatch.setattr(services, "WRITE_BATCH", 2)
    parsed, _m, _k = services.read_people(csv_bytes(people_rows(7)), "p.csv")
    real = services._insert_people
    calls = []

    def failing(client, rows):
        calls.append(len(rows))
        if len(calls) == 3:
            raise RuntimeError("disk full")
        real(client, rows)

    monkeypatch.setattr(services, "_insert_people", failing)
    with pytest.raises(RuntimeError):
        services.people_import(client=cast.client, actor=None, rows=parsed)
    assert calls == [2, 2, 2] and not Person.objects.filter(client=cast.client).exists()


def _wave(cast, rows):
    parsed, _m, _k = services.read_people(csv_bytes(rows), "p.csv")
    services.people_import(client=cast.client, actor=None, rows=parsed)
    steering.rollout_update(project=cast.project, actor=None, capacity=50)
    (wave,) = steering.waves_plan(project=cast.project, actor=None)
    return wave


def unprotected(cell: str) -> str:
    """A CSV cell without the apostrophe that keeps formula-like text from running."""
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(FORMULA_STARTS) else cell


def test_every_exported_text_that_starts_a_formula_is_made_plain(cast) -> None:
    rows = people_rows(6)
    rows[0][0] = "=1+1"
    rows[1][2] = "+31@example.com"
    rows[2][3] = "-Afdeling"
    rows[3][4] = "@Tiel"
    rows[4][5] = '=HYPERLINK("x")'
    wave = _wave(cast, rows)
    body, _type = exports.wave_people(wave, "csv")
    table = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    texts = [cell for row in table[1:] for cell in row]
    assert {"'=1+1", "'+31@example.com", "'-Afdeling", "'@Tiel", '\'=HYPERLINK("x")'} <= set(texts)
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in texts)
    assert len(table) == 7 and table[0][0] == "Employee id"
    day = date.fromisoformat(table[1][7])
    assert table[1][8] == f"{day.isocalendar().year}-W{day.isocalendar().week:02d}"

    book, _type = exports.wave_people(wave, "xlsx")
    sheet = load_workbook(io.BytesIO(book)).active
    assert sheet is not None
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    assert cells[0] == table[0] and sheet["A1"].font.b
    # The same rows as the CSV, with the day as a date cell and the text as typed: a text
    # cell is never run, so it needs no apostrophe.
    plain = [[unprotected(cell) for cell in row] for row in table[1:]]
    assert [[*r[:7], r[7].date().isoformat(), *r[8:]] for r in cells[1:]] == plain
    assert "=1+1" in cells[1] + cells[2] + cells[3] + cells[4] + cells[5] + cells[6]
    assert not any(c.data_type == "f" for row in sheet.iter_rows() for c in row)
    calamine = CalamineWorkbook.from_filelike(io.BytesIO(book))
    read = calamine.get_sheet_by_name(calamine.sheet_names[0]).to_python()
    assert [str(v) for v in read[1][:7]] == plain[0][:7]
