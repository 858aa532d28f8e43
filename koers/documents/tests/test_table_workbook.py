"""The streamed one-sheet workbook of large exports, read back by openpyxl and calamine."""

import io
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from koers.core.spreadsheets import table_workbook


def test_a_table_workbook_reads_back_with_its_values_and_no_formulas() -> None:
    rows: list[list[Any]] = [
        ["=cmd|' /C calc'!A0", 1, 2.5, Decimal("3.25"), True, date(2030, 3, 4)],
        ["a < b & c > d", None, -4, "\tTab", False, datetime(2030, 3, 5, 9, 30)],
        [" spaced ", "ctrl\x01char", "@SUM(1)", "+1", "-1", "plain"],
    ]
    body = table_workbook("Wave 1 & <2>", ["A", "B", "C", "D", "E", "F"], rows)
    book = load_workbook(io.BytesIO(body))
    sheet = book.active
    assert sheet is not None and sheet.title == "Wave 1 & <2>"
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0] == ["A", "B", "C", "D", "E", "F"] and sheet["A1"].font.b
    # Formula-like text as typed, in text cells: shown, never run (no apostrophe to see).
    assert values[1] == ["=cmd|' /C calc'!A0", 1, 2.5, 3.25, True, datetime(2030, 3, 4)]
    assert values[2] == ["a < b & c > d", None, -4, "\tTab", False, datetime(2030, 3, 5)]
    assert values[3] == [" spaced ", "ctrlchar", "@SUM(1)", "+1", "-1", "plain"]
    assert sheet["F2"].number_format == "yyyy-mm-dd"
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    calamine = CalamineWorkbook.from_filelike(io.BytesIO(body))
    read = calamine.get_sheet_by_name("Wave 1 & <2>").to_python()
    assert read[1][0] == "=cmd|' /C calc'!A0" and read[1][5] == date(2030, 3, 4)


def test_an_empty_table_is_a_header_alone() -> None:
    sheet = load_workbook(io.BytesIO(table_workbook("Leeg", ["Naam"], []))).active
    assert sheet is not None
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [["Naam"]]
