"""The people-file reader under arbitrary input: it reads a table or refuses with ReadError
(the whole file) or RowErrors (cells), and never fails with any other exception."""

import io
import zipfile

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from koers.population.reading import (
    ReadError,
    RowErrors,
    Table,
    person_rows,
    read_table,
    suggest_mapping,
)

LIMIT = 1024 * 1024
FUZZ = settings(
    max_examples=150, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
)
NAMES = st.sampled_from(["p.csv", "p.txt", "p.tsv", "p.xlsx", "p.xlsm", "p.xls", "p", "p.pdf"])


def read_all(data: bytes, name: str) -> Table | None:
    """Read and check a file as an import does; return the table, or None when refused."""
    try:
        table = read_table(data, name, limit_bytes=LIMIT)
    except ReadError as error:
        assert error.message
        return None
    mapping = suggest_mapping(table.header) or {"key": table.header[0]}
    try:
        rows = person_rows(table, mapping=mapping)
    except ReadError as error:
        assert error.message
    except RowErrors as errors:
        assert errors.errors and all(e.row >= 2 and e.message for e in errors.errors)
    else:
        assert len({row.key for row in rows}) == len(rows)  # no key twice
    return table


@FUZZ
@given(data=st.binary(max_size=4096), name=NAMES)
@example(data=b"\xef\xbb\xbf", name="p.csv")
@example(data=b"\xff\xfe", name="p.csv")
@example(data=b'"', name="p.csv")
@example(data=b"PK\x03\x04", name="p.xlsx")
def test_arbitrary_bytes_are_read_or_refused(data: bytes, name: str) -> None:
    read_all(data, name)


CELL = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12
) | st.sampled_from(["", " ", '"', '""', "a,b", "a;b", "a\tb", "=1+1", "\r\n", "\x00", "١٢"])


@FUZZ
@given(
    rows=st.lists(st.lists(CELL, min_size=1, max_size=6), min_size=1, max_size=8),
    delimiter=st.sampled_from([",", ";", "\t", "|"]),
    line_end=st.sampled_from(["\r\n", "\n", "\r"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]),
)
def test_arbitrary_csv_text_is_read_or_refused(
    rows: list[list[str]], delimiter: str, line_end: str, encoding: str
) -> None:
    text = line_end.join(delimiter.join(row) for row in rows) + line_end
    data = text.encode(encoding, errors="replace")
    table = read_all(data, "people.csv")
    if table is not None:
        assert all(isinstance(cell, str) for row in table.rows for cell in row)


def _workbook(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


XLSX_VALUE = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**53), max_value=2**53)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), max_size=12)
    | st.dates()
)
BASE = _workbook([["Personeelsnummer", "Naam"], [1, "Ann"], [2, "Bob"]])


@FUZZ
@given(rows=st.lists(st.lists(XLSX_VALUE, min_size=1, max_size=5), min_size=1, max_size=6))
def test_arbitrary_workbooks_are_read_or_refused(rows: list[list[object]]) -> None:
    read_all(_workbook(rows), "people.xlsx")


@FUZZ
@given(
    at=st.lists(st.integers(min_value=0, max_value=len(BASE) - 1), min_size=1, max_size=8),
    byte=st.integers(min_value=0, max_value=255),
)
def test_a_damaged_workbook_is_read_or_refused(at: list[int], byte: int) -> None:
    data = bytearray(BASE)
    for position in at:
        data[position] = byte
    read_all(bytes(data), "people.xlsx")


@FUZZ
@given(
    sheet=st.text(max_size=400)
    | st.sampled_from(
        [
            "<worksheet/>",
            "<worksheet><sheetData><row><c t='s'><v>99</v></c></row></sheetData></worksheet>",
            "<worksheet><sheetData><row><c t='inlineStr'><is><t>&amp;&#0;</t></is></c></row>"
            "</sheetData></worksheet>",
            "<!DOCTYPE a [<!ENTITY b SYSTEM 'file:///etc/passwd'>]><worksheet>&b;</worksheet>",
        ]
    )
)
def test_arbitrary_sheet_xml_is_read_or_refused(sheet: str) -> None:
    source = zipfile.ZipFile(io.BytesIO(BASE))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in source.namelist():
            part = source.read(name)
            archive.writestr(name, sheet.encode() if name.endswith("sheet1.xml") else part)
    read_all(out.getvalue(), "people.xlsx")
