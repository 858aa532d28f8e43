"""Bad people files, catalogued, through the import as the web, API and CLI run it.

test_reading.py proves the reader's rules one by one; this module throws the ugly files of
real HR exports at the whole import: every refused file says why (with row, column and
value where there is one) and writes nothing; the ugly files that are sound import right.
"""

import codecs
import html
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django_scopes import scopes_disabled
from openpyxl import Workbook

from koers.core.errors import KoersError
from koers.population import services
from koers.population.models import ImportRun, Person
from koers.population.reading import MAX_COLUMNS, XLSX_MAX_ENTRIES
from koers.population.tests.factories import HEADER, csv_bytes, import_people
from tests.factories import Cast

GOOD_ROW = ["90001", "Ann de Vries", "ann@example.com", "HR", "Tiel", "Adviseur", "Laptop"]


def xlsx(rows: list[list[Any]], *, text: bool = True) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    if text:  # keep "=..." as text, as an HR export holds it
        for line in sheet.iter_rows():
            for cell in line:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def rezip(data: bytes, change: dict[str, Any]) -> bytes:
    """Return the workbook with parts replaced (str: new text; callable: old text -> new)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in source.namelist():
            text = source.read(name).decode()
            if name in change:
                text = change[name](text) if callable(change[name]) else change[name]
            archive.writestr(name, text)
    return out.getvalue()


LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{n} "{("&lol" + ("" if n == 1 else str(n - 1)) + ";") * 10}">'
        for n in range(1, 10)
    )
    + "]>"
)


def with_doctype(xml: str, doctype: str, entity: str) -> str:
    """Put `doctype` before the root element and `entity` in place of the cell text Ann."""
    assert ">Ann<" in xml
    head, sep, rest = xml.partition("?>") if xml.startswith("<?xml") else ("", "", xml)
    return head + sep + doctype + rest.replace(">Ann<", f">{entity}<")


def billion_laughs(xml: str) -> str:
    """An entity-expansion bomb in a sheet: 10^9 "lol"s if a parser expanded it."""
    return with_doctype(xml, LAUGHS, "&lol9;")


def external_entity(xml: str) -> str:
    doctype = '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    return with_doctype(xml, doctype, "&xxe;")


def zip_with(entries: dict[str, bytes], count: int = 0) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
        for n in range(count):
            archive.writestr(f"xl/media/{n}.bin", b"")
    return out.getvalue()


WORKBOOK = {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"}
PEOPLE_XLSX = xlsx([["Personeelsnummer", "Naam"], ["1", "Ann"]])
ROWS = csv_bytes([GOOD_ROW])
H = ",".join(HEADER).encode() + b"\r\n"

# (case, file name, bytes, expected): expected is the message of a file refused as a whole,
# or a list of (row, column, value, message) for files refused cell by cell.
REFUSED: list[tuple[str, str, bytes, Any]] = [
    ("empty file", "p.csv", b"", "The file is empty."),
    ("only line ends", "p.csv", b"\r\n\n\r\n", "The file is empty."),
    ("header only", "p.csv", H, "The file has a header but no rows of people."),
    ("header only with BOM", "p.csv", codecs.BOM_UTF8 + H, "header but no rows"),
    ("header only, XLSX", "p.xlsx", xlsx([HEADER]), "header but no rows"),
    ("an empty sheet", "p.xlsx", xlsx([]), "is empty"),
    ("NUL bytes", "p.csv", H + b"1,A\x00n,a@x.nl,HR,Tiel,Adviseur,Laptop\r\n", "not a text file"),
    (
        "a NUL byte past the first 8 KB",
        "p.csv",
        csv_bytes([[str(n), "A", "", "", "", "", ""] for n in range(1000)])
        + b"9999,A\x00n,,,,,\r\n",
        "Line 1002 holds a NUL character",
    ),
    (
        "a UTF-8 BOM over Windows-1252 text",
        "p.csv",
        codecs.BOM_UTF8 + H + "1,Zoë,,,,,\r\n".encode("cp1252"),
        "starts with a byte order mark), but line 2 is not",
    ),
    ("a PNG named .csv", "p.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a text file"),
    ("an XLSX named .csv", "people.csv", PEOPLE_XLSX, "it is a zip or Excel file"),
    ("a CSV named .xlsx", "people.xlsx", ROWS, "not an Excel workbook"),
    ("an old .xls", "people.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, "old Excel"),
    (
        "an old .xls named .csv",
        "p.csv",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64,
        "not a text",
    ),
    ("a Word file named .xlsx", "p.xlsx", zip_with({"word/document.xml": b"<w/>"}), "not an Excel"),
    ("a damaged zip", "p.xlsx", PEOPLE_XLSX[:200], "damaged"),
    ("a PDF", "people.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "Koers reads CSV and XLSX"),
    ("no extension", "people", ROWS, "Koers reads CSV and XLSX"),
    ("UTF-16 BOM, broken", "p.csv", codecs.BOM_UTF16_LE + b"a\x00b", "says it is UTF-16"),
    ("neither UTF-8 nor 1252", "p.csv", H + b"1,\x81\x8d\x90,,,,,\r\n", "character encoding"),
    (
        "zip bomb: ratio",
        "p.xlsx",
        zip_with({**WORKBOOK, "xl/worksheets/sheet1.xml": b"\0" * (300 * 1024 * 1024)}),
        "would unpack to 300 MB",
    ),
    (
        "zip bomb: entries",
        "p.xlsx",
        zip_with(WORKBOOK, count=XLSX_MAX_ENTRIES + 1),
        f"in {XLSX_MAX_ENTRIES + 3} parts",
    ),
    (
        "XML bomb: billion laughs",
        "p.xlsx",
        rezip(PEOPLE_XLSX, {"xl/worksheets/sheet1.xml": billion_laughs}),
        "unrecognized entity `&lol9;`",
    ),
    (
        "XML: external entity",
        "p.xlsx",
        rezip(PEOPLE_XLSX, {"xl/worksheets/sheet1.xml": external_entity}),
        "unrecognized entity `&xxe;`",
    ),
    (
        "10,000 columns",
        "p.csv",
        b",".join(b"c%d" % n for n in range(10_000)) + b"\r\n1\r\n",
        f"has 10000 columns; Koers reads at most {MAX_COLUMNS}",
    ),
    (
        "a column without a name",
        "p.csv",
        b"Personeelsnummer,,Naam\r\n1,2,3\r\n",
        "Column 2 has no name",
    ),
    ("two columns of one name", "p.csv", b"Naam,naam\r\n1,2\r\n", "Two columns are called naam"),
    (
        "a 1 MB cell",
        "p.csv",
        H + b'1,"' + b"A" * 1024 * 1024 + b'",,,,,\r\n',
        "Line 2 of the file cannot be read as CSV: field larger than field limit",
    ),
    ("no key column", "p.csv", b"Naam,Afdeling\r\nAnn,HR\r\n", "Choose the column that identifies"),
    # Cell by cell: (row, column, value, message)
    (
        "a row of 10,000 columns",
        "p.csv",
        H + b",".join([b"1"] * 10_000) + b"\r\n",
        [(2, "", "", "This row has 10000 fields; the header has 7.")],
    ),
    ("a short row", "p.csv", H + b"1,Ann\r\n", [(2, "", "", "This row has 2 fields")]),
    (
        "a 100 KB cell",
        "p.csv",
        H + b"1," + b"A" * 100_000 + b",,,,,\r\n",
        [(2, "Naam", "A" * 60 + "…", "Longer than 200 characters.")],
    ),
    (
        "a 1 MB cell, XLSX",
        "p.xlsx",
        xlsx([HEADER, ["1", "A" * 1024 * 1024, "", "", "", "", ""]]),
        [(2, "Naam", "A" * 60 + "…", "Longer than 200 characters.")],
    ),
    (
        "a key over 150 characters",
        "p.csv",
        H + b"K" * 151 + b",Ann,,,,,\r\n",
        [(2, "Personeelsnummer", "K" * 60, "Longer than 150 characters.")],
    ),
    ("no key", "p.csv", H + b" ,Ann,,,,,\r\n", [(2, "Personeelsnummer", "", "needs a value")]),
    (
        "duplicate keys",
        "p.csv",
        csv_bytes([GOOD_ROW, ["1", "Bob"] + [""] * 5, GOOD_ROW]),
        [(4, "Personeelsnummer", "90001", "The same key is in row 2")],
    ),
    (
        "duplicate keys, XLSX numbers and text",
        "p.xlsx",
        xlsx([["Personeelsnummer", "Naam"], [10026, "Ann"], ["10026", "Ann"], [10026.0, "Ann"]]),
        [
            (3, "Personeelsnummer", "10026", "The same key is in row 2"),
            (4, "Personeelsnummer", "10026", "The same key is in row 2"),
        ],
    ),
    (
        "every bad row listed",
        "p.csv",
        H + b"1,Ann,,,,,\r\n,Bob,,,,,\r\n3,Cas\r\n1,Dirk,,,,,\r\n",
        [
            (3, "Personeelsnummer", "", "needs a value"),
            (4, "", "", "This row has 2 fields"),
            (5, "Personeelsnummer", "1", "The same key is in row 2"),
        ],
    ),
    (
        "mixed line ends, one bad row",
        "p.csv",
        H + b"1,Ann,,,,,\n2,Bob\r3,Cas,,,,,\r\n",
        [(3, "", "", "This row has 2 fields")],
    ),
]

# (case, file name, bytes, {key: {field: value}} expected after the import)
ACCEPTED: list[tuple[str, str, bytes, dict[str, dict[str, Any]]]] = [
    (
        "semicolons",
        "p.csv",
        csv_bytes([GOOD_ROW], delimiter=";"),
        {"90001": {"name": "Ann de Vries"}},
    ),
    ("tabs", "p.tsv", csv_bytes([GOOD_ROW], delimiter="\t"), {"90001": {"department": "HR"}}),
    ("UTF-8 BOM", "p.csv", codecs.BOM_UTF8 + csv_bytes([GOOD_ROW]), {"90001": {"key": "90001"}}),
    (
        "UTF-16 BOM",
        "p.csv",
        csv_bytes([GOOD_ROW], encoding="utf-16"),
        {"90001": {"email": "ann@example.com"}},
    ),
    (
        "Windows-1252",
        "p.csv",
        csv_bytes(
            [["1", "José Müller", "", "Financiën", "", "Adviseur \u2013 senior", ""]],
            delimiter=";",
            encoding="cp1252",
        ),
        {
            "1": {
                "name": "José Müller",
                "department": "Financiën",
                "job_title": "Adviseur \u2013 senior",
            }
        },
    ),
    (
        "right-to-left and emoji names",
        "p.csv",
        csv_bytes(
            [
                ["1", "مريم العلوي", "", "", "", "", ""],
                ["2", "Ann 👩🏽‍💻 de Vries", "", "", "", "", ""],
                ["3", "\u202eevil\u202c", "", "", "", "", ""],
            ]
        ),
        {
            "1": {"name": "مريم العلوي"},
            "2": {"name": "Ann 👩🏽‍💻 de Vries"},
            "3": {"name": "\u202eevil\u202c"},
        },
    ),
    (
        "right-to-left and emoji names, XLSX",
        "p.xlsx",
        xlsx([["Personeelsnummer", "Naam"], ["1", "מרים כהן"], ["2", "🦄"]]),
        {"1": {"name": "מרים כהן"}, "2": {"name": "🦄"}},
    ),
    (
        "formulas stay text",
        "p.csv",
        csv_bytes([["1", '=HYPERLINK("http://x","y")', "", "+31 6 1234", "-", "@SUM(A1)", ""]]),
        {
            "1": {
                "name": '=HYPERLINK("http://x","y")',
                "department": "+31 6 1234",
                "job_title": "@SUM(A1)",
            }
        },
    ),
    (
        "formulas stay text, XLSX",
        "p.xlsx",
        xlsx([["Personeelsnummer", "Naam"], ["1", "=1+1"], ["2", "=cmd|'/c calc'!A0"]]),
        {"1": {"name": "=1+1"}, "2": {"name": "=cmd|'/c calc'!A0"}},
    ),
    (
        "numbers as keys, Dutch and English separators",
        "p.csv",
        b'Personeelsnummer;Naam\r\n1.000;A\r\n"1,000";B\r\n1000;C\r\n0012;D\r\n',
        {
            "1.000": {"name": "A"},
            "1,000": {"name": "B"},
            "1000": {"name": "C"},
            "0012": {"name": "D"},
        },
    ),
    (
        "numbers as keys, XLSX",
        "p.xlsx",
        xlsx([["Personeelsnummer", "Naam"], [10026, "A"], [10027.0, "B"], [1.5, "C"]]),
        {"10026": {"name": "A"}, "10027": {"name": "B"}, "1.5": {"name": "C"}},
    ),
    (
        "dates in four formats, kept as written",
        "p.csv",
        b"Personeelsnummer,Naam,In dienst\r\n1,A,2025-03-14\r\n2,B,14-03-2025\r\n"
        b"3,C,3/14/2025\r\n4,D,14 maart 2025\r\n",
        {
            "1": {"attributes": {"In dienst": "2025-03-14"}},
            "2": {"attributes": {"In dienst": "14-03-2025"}},
            "3": {"attributes": {"In dienst": "3/14/2025"}},
            "4": {"attributes": {"In dienst": "14 maart 2025"}},
        },
    ),
    (
        "mixed line ends",
        "p.csv",
        H + b"1,Ann,,,,,\n2,Bob,,,,,\r3,Cas,,,,,\r\n",
        {"1": {"name": "Ann"}, "2": {"name": "Bob"}, "3": {"name": "Cas"}},
    ),
    (
        "a line break in a quoted cell",
        "p.csv",
        H + b'1,"Ann\r\nde Vries",,,,,\r\n',
        {"1": {"name": "Ann de Vries"}},
    ),
    (
        "blank rows and trailing blanks",
        "p.csv",
        H + b"\r\n,,,,,,\r\n 1 , Ann ,,,,,\r\n\r\n",
        {"1": {"name": "Ann"}},
    ),
]


def counts(client: Any) -> tuple[int, int, list[Any]]:
    with scopes_disabled():
        people = list(
            Person.objects.filter(client=client).order_by("key").values_list("key", "name")
        )
        return Person.objects.count(), ImportRun.objects.count(), people


@pytest.fixture
def client_with_people(cast: Cast) -> Any:
    import_people(cast.client, 5)
    return cast.client


def import_file(
    client: Any, name: str, data: bytes, keep: tuple[str, ...] = ()
) -> services.ImportResult:
    with scopes_disabled():
        rows, _mapping, _kept = services.read_people(data, name, keep=keep)
        return services.people_import(client=client, actor=None, rows=rows)


@pytest.mark.parametrize(
    ("case", "name", "data", "expected"), REFUSED, ids=[case[0] for case in REFUSED]
)
def test_a_bad_people_file_is_refused_saying_where_and_writes_nothing(
    client_with_people: Any, case: str, name: str, data: bytes, expected: Any
) -> None:
    before = counts(client_with_people)
    with pytest.raises(KoersError) as refused:
        import_file(client_with_people, name, data)
    assert counts(client_with_people) == before
    if isinstance(expected, str):
        assert expected in str(refused.value.message), (case, refused.value.message)
        return
    assert isinstance(refused.value, services.ImportRefused), refused.value.message
    found = [(e.row, e.column, e.value, e.message) for e in refused.value.errors]
    assert len(found) == len(expected), found
    for (row, column, value, message), (want_row, want_column, want_value, want) in zip(
        found, expected, strict=True
    ):
        assert (row, column, value) == (want_row, want_column, want_value), (case, found)
        assert want in message, (case, message)


@pytest.mark.parametrize(
    ("case", "name", "data", "expected"), ACCEPTED, ids=[case[0] for case in ACCEPTED]
)
def test_an_ugly_but_sound_people_file_imports_as_written_and_again_changes_nothing(
    cast: Cast, case: str, name: str, data: bytes, expected: dict[str, dict[str, Any]]
) -> None:
    # Further columns are kept only when ticked: tick the ones the case expects to find.
    keep = tuple({c: 0 for fields in expected.values() for c in fields.get("attributes", {})})
    result = import_file(cast.client, name, data, keep)
    assert result.created == len(expected)
    with scopes_disabled():
        people = {p.key: p for p in Person.objects.filter(client=cast.client)}
    for key, fields in expected.items():
        for field, value in fields.items():
            assert getattr(people[key], field) == value, (case, key, field)
    again = import_file(cast.client, name, data, keep)
    assert (again.created, again.updated, again.unchanged) == (0, 0, len(expected))


def test_a_file_over_the_upload_limit_is_refused_stating_the_limit(
    client_with_people: Any, settings: Any
) -> None:
    settings.UPLOAD_LIMIT_MB = 1
    before = counts(client_with_people)
    with pytest.raises(KoersError, match="2 MB; Koers accepts files up to 1 MB") as refused:
        import_file(client_with_people, "p.csv", H + b"1,A,,,,,\r\n" * 220_000)
    assert "with the setting KOERS_UPLOAD_LIMIT_MB" in str(refused.value)
    assert counts(client_with_people) == before


WEB_CASES = [
    case
    for case in REFUSED
    if case[0]
    in {
        "empty file",
        "an XLSX named .csv",
        "a CSV named .xlsx",
        "XML bomb: billion laughs",
        "zip bomb: ratio",
        "10,000 columns",
        "NUL bytes",
    }
]


@pytest.mark.parametrize(
    ("case", "name", "data", "expected"), WEB_CASES, ids=[case[0] for case in WEB_CASES]
)
def test_the_upload_page_refuses_a_bad_file_on_the_form(
    client_with_people: Any, cast: Cast, case: str, name: str, data: bytes, expected: str
) -> None:
    before = counts(client_with_people)
    web = cast.login(cast.owner)
    url = reverse("people:import", args=[cast.workspace.slug, cast.client.slug])
    upload = io.BytesIO(data)
    upload.name = name
    response = web.post(url, {"file": upload}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    if not data:
        expected = "The submitted file is empty."  # Django's form refuses it first
    assert expected in html.unescape(response.content.decode())
    assert counts(client_with_people) == before


@pytest.mark.parametrize(
    ("case", "name", "data", "expected"), WEB_CASES, ids=[case[0] for case in WEB_CASES]
)
def test_import_people_on_the_command_line_refuses_a_bad_file(
    client_with_people: Any,
    cast: Cast,
    tmp_path: Path,
    case: str,
    name: str,
    data: bytes,
    expected: str,
) -> None:
    before = counts(client_with_people)
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(CommandError, match=r"p\.csv|p\.xlsx|people") as refused:
        call_command("import_people", f"{cast.workspace.slug}/{cast.client.slug}", str(path))
    assert expected in str(refused.value)
    assert counts(client_with_people) == before
