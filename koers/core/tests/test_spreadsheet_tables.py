"""Every workbook Koers hands out defines its header row as an Excel table (1.3.1)."""

import io
import zipfile
from datetime import date

from openpyxl import Workbook, load_workbook

from koers.core.spreadsheets import add_table, column_names, table_name, table_workbook


def test_column_names_are_text_none_empty_none_twice() -> None:
    assert column_names(["Naam", "naam", "", 3, "Naam"]) == [
        "Naam",
        "naam (2)",
        "Column3",
        "3",
        "Naam (3)",
    ]


def test_table_names_are_names_excel_takes() -> None:
    assert table_name("Golf 3") == "Golf_3"
    assert table_name("KPI1") == "T_KPI1"  # not a cell's address
    assert table_name("2026 plan") == "T_2026_plan"
    assert table_name("Fasen & mijlpalen") == "Fasen___mijlpalen"
    assert table_name("Réponses") == "R_ponses"


def test_a_streamed_workbook_has_its_header_as_a_table() -> None:
    data = table_workbook("Golf 3", ["Naam", "Dag", "Naam"], [["=1+1", date(2027, 2, 15), "x"]])
    book = load_workbook(io.BytesIO(data))
    sheet = book.active
    assert sheet is not None
    (table,) = sheet.tables.values()
    assert table.ref == "A1:C2" and table.headerRowCount == 1
    assert [c.name for c in table.tableColumns] == ["Naam", "Dag", "Naam (2)"]
    assert [c.value for c in sheet[1]] == ["Naam", "Dag", "Naam (2)"]
    assert sheet["A2"].value == "=1+1" and sheet["A2"].data_type == "s"  # text, never run
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert "xl/tables/table1.xml" in archive.namelist()


def test_an_empty_streamed_table_keeps_a_row_below_its_header() -> None:
    book = load_workbook(io.BytesIO(table_workbook("Leeg", ["A", "B"], [])))
    sheet = book.active
    assert sheet is not None
    assert next(iter(sheet.tables.values())).ref == "A1:B2"


def test_an_openpyxl_sheet_gets_its_table() -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "KPIs"
    sheet.append(["#", "KPI", "KPI"])
    sheet.append([1, "Tevredenheid", "x"])
    add_table(sheet)
    saved = io.BytesIO()
    book.save(saved)
    reread = load_workbook(saved).active
    assert reread is not None
    (table,) = reread.tables.values()
    assert table.displayName == "KPIs" and table.ref == "A1:C2"
    assert [c.value for c in reread[1]] == ["#", "KPI", "KPI (2)"]
