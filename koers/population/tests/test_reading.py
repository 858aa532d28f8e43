"""Reading people files: encodings, delimiters, XLSX, and every kind of bad input."""

import io
import zipfile

import pytest
from openpyxl import Workbook

from koers.population.reading import (
    ReadError,
    RowErrors,
    Table,
    person_rows,
    read_table,
    suggest_mapping,
)
from koers.population.tests.factories import HEADER, csv_bytes, people_rows

LIMIT = 50 * 1024 * 1024


def read(data: bytes, name: str = "people.csv", **kwargs: object) -> Table:
    return read_table(data, name, limit_bytes=LIMIT, **kwargs)  # type: ignore[arg-type]


def xlsx_bytes(sheets: dict[str, list[list[object]]]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
        for line in sheet.iter_rows():
            for cell in line:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"  # text that looks like a formula, not a formula
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("delimiter", "encoding", "bom", "expected"),
    [
        (",", "utf-8", b"", "UTF-8"),
        (";", "utf-8", b"\xef\xbb\xbf", "UTF-8 (BOM)"),
        ("\t", "cp1252", b"", "Windows-1252"),
        (";", "cp1252", b"", "Windows-1252"),
    ],
)
def test_csv_delimiter_and_encoding_are_detected(
    delimiter: str, encoding: str, bom: bytes, expected: str
) -> None:
    rows = [["1", "José Müller", "j@x.nl", "Financiën", "Tiel", "Adviseur; senior", "Laptop"]]
    table = read(bom + csv_bytes(rows, delimiter=delimiter, encoding=encoding))
    assert table.header == HEADER
    assert list(table.rows) == rows
    assert (table.delimiter, table.encoding) == (delimiter, expected)


def test_a_directory_export_is_read_and_its_columns_suggested() -> None:
    # The shape of Get-ADUser | Export-Csv: every field quoted, empty fields bare.
    data = (
        b'"Department","DistinguishedName","GivenName","mail","Manager","Name",'
        b'"SamAccountName","Title"\r\n'
        b'"Executive","CN=Dan Jump","Dan","danj@contoso.com",,"Dan Jump","danj","CEO"\r\n'
        b'"Operations","CN=Adam Barr","Adam","adamb@contoso.com","CN=Dan Jump,OU=Staff",'
        b'"Adam Barr","adamb","General Manager"\r\n'
    )
    table = read(data)
    mapping = suggest_mapping(table.header)
    assert mapping == {
        "key": "SamAccountName",
        "email": "mail",
        "name": "Name",
        "department": "Department",
        "job_title": "Title",
        "manager": "Manager",
    }
    rows = person_rows(table, mapping=mapping)
    assert rows[1].manager == "Dan Jump"
    assert rows[1].key == "adamb"


def test_dutch_headers_are_suggested() -> None:
    assert suggest_mapping(HEADER) == {
        "key": "Personeelsnummer",
        "name": "Naam",
        "email": "E-mail",
        "department": "Afdeling",
        "location": "Locatie",
        "job_title": "Functie",
        "device": "Apparaat",
    }


def test_xlsx_first_sheet_or_a_chosen_one() -> None:
    data = xlsx_bytes(
        {
            "Info": [["Export van 1 maart"], ["x"]],
            "Medewerkers": [["Personeelsnummer", "Naam"], [10026, "Ann"], [10027.0, "=1+1"]],
        }
    )
    assert read(data, "people.xlsx").sheet == "Info"
    table = read(data, "people.xlsx", sheet="Medewerkers")
    assert table.sheets == ["Info", "Medewerkers"]
    assert list(table.rows) == [["10026", "Ann"], ["10027", "=1+1"]]
    with pytest.raises(ReadError, match="no sheet Personeel"):
        read(data, "people.xlsx", sheet="Personeel")


def test_an_xlsx_zip_bomb_is_refused_before_unpacking() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (300 * 1024 * 1024))
    data = out.getvalue()
    assert len(data) < 1024 * 1024
    with pytest.raises(ReadError, match="would unpack to 300 MB"):
        read(data, "people.xlsx")


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "p.csv", "The file is empty"),
        (b"  \r\n", "p.csv", "The file is empty"),
        (b"Personeelsnummer,Naam\r\n", "p.csv", "header but no rows"),
        (b"a,b\r\n\x81\x8d\x90\xe9\r\n", "p.csv", "cannot tell the file's character encoding"),
        (b"PK\x03\x04rest", "p.csv", "it is a zip or Excel file"),
        (b"id,naam\r\n1,x\r\n", "p.xlsx", "not an Excel workbook"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "p.xls", "old Excel file"),
        (b"\x00\x01\x02binary", "p.csv", "not a text file"),
        (b"id,naam\r\n1,x\r\n", "p.pdf", "CSV and XLSX"),
        (b"id,id\r\n1,2\r\n", "p.csv", "Two columns are called id"),
        (b"id,,naam\r\n1,2,3\r\n", "p.csv", "Column 2 has no name"),
    ],
)
def test_bad_files_are_refused_with_a_clear_message(data: bytes, name: str, message: str) -> None:
    with pytest.raises(ReadError, match=message):
        read(data, name)


def test_a_file_over_the_limit_is_refused_stating_the_limit() -> None:
    with pytest.raises(ReadError, match="200 MB; Koers accepts files up to 50 MB"):
        read_table(b"x" * (200 * 1024 * 1024), "p.csv", limit_bytes=LIMIT)


def test_row_errors_name_row_column_and_value() -> None:
    rows = people_rows(5)
    rows[1][0] = ""  # row 3: no key
    rows[3][0] = rows[0][0]  # row 5: the key of row 2
    rows.append(["9999", "Te veel", "x@y.z", "IT", "Tiel", "Monteur", "Laptop", "extra"])
    rows.append(["9998", "Te weinig"])
    table = read(csv_bytes(rows))
    with pytest.raises(RowErrors) as caught:
        person_rows(table, mapping=suggest_mapping(table.header))
    found = [(e.row, e.column, e.value) for e in caught.value.errors]
    assert found == [
        (3, "Personeelsnummer", ""),
        (5, "Personeelsnummer", "1000"),
        (7, "", ""),
        (8, "", ""),
    ]
    assert "row 2" in caught.value.errors[1].message
    assert "8 fields; the header has 7" in caught.value.errors[2].message
    assert "2 fields" in caught.value.errors[3].message


def test_formula_cells_are_kept_as_plain_text() -> None:
    rows = people_rows(1)
    rows[0][1] = '=HYPERLINK("http://x")'
    rows[0][3] = "@SUM(A1)"
    table = read(csv_bytes(rows))
    (person,) = person_rows(table, mapping=suggest_mapping(table.header))
    assert person.name == '=HYPERLINK("http://x")'
    assert person.department == "@SUM(A1)"


def test_further_columns_are_kept_as_attributes_and_values_trimmed() -> None:
    data = csv_bytes(
        [["1", "  Ann   de Vries ", "Ja", "Production       "]],
        ["id", "naam", "Thuiswerker", "afdeling"],
    )
    table = read(data)
    (person,) = person_rows(table, mapping=suggest_mapping(table.header), keep=["Thuiswerker"])
    assert (person.name, person.department) == ("Ann de Vries", "Production")
    assert person.attributes == {"Thuiswerker": "Ja"}
