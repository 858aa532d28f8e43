"""Spreadsheets Koers hands out, made safe: a cell never starts a formula (CSV and XLSX
injection), and a large table is written as a workbook straight from its rows.

A CSV has no types, so text that a spreadsheet would run gets an apostrophe before it
(`safe`). A workbook has: such text is stored as a text cell, which shows as typed and is
never run (`text_cells`, and every text cell of `table_workbook`)."""

import re
import zipfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from typing import Any
from xml.sax.saxutils import quoteattr

from openpyxl.cell.cell import Cell
from openpyxl.worksheet.table import Table, TableStyleInfo

# Spreadsheets run a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


# A CSV's separator, as a download link asks for it (`?sep=`).
SEPARATORS = {"semicolon": ";", "comma": ","}


def csv_separator(choice: str | None, language: str) -> str:
    """The separator asked for, else the one the reader's Excel expects: a semicolon where the
    decimal comma is used (Dutch, in the Netherlands and Belgium), a comma in English."""
    if choice in SEPARATORS:
        return SEPARATORS[choice]
    return ";" if language == "nl" else ","


def safe(value: Any) -> Any:
    """Prefix text that a spreadsheet would run as a formula with an apostrophe (for CSV)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def text_cells(sheet: Any, values: Iterable[Any]) -> list[Any]:
    """`values` for openpyxl's `sheet.append`, text that starts like a formula as a text cell
    (openpyxl would store it as a formula)."""
    return [
        _text(sheet, v) if isinstance(v, str) and v.startswith(FORMULA_STARTS) else v
        for v in values
    ]


def _text(sheet: Any, value: str) -> Cell:
    cell = Cell(sheet, value=value)
    cell.data_type = "s"
    return cell


# Text that needs escaping in XML, or cannot be in XML at all (control characters: dropped,
# where openpyxl would refuse the whole workbook).
_XML_SPECIAL = re.compile(r"[&<>\x00-\x08\x0b\x0c\x0e-\x1f]")
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_EXCEL_EPOCH = date(1899, 12, 30)
_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PARTS = {
    "[Content_Types].xml": (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        '<Override PartName="/xl/tables/table1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.table+xml"/></Types>'
    ),
    "xl/worksheets/_rels/sheet1.xml.rels": (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{_REL}/table" Target="../tables/table1.xml"/>'
        "</Relationships>"
    ),
    "_rels/.rels": (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>"
    ),
    "xl/_rels/workbook.xml.rels": (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{_REL}/styles" Target="styles.xml"/>'
        "</Relationships>"
    ),
    # Styles: 0 plain, 1 bold (the header), 2 a date as yyyy-mm-dd.
    "xl/styles.xml": (
        f'<styleSheet xmlns="{_NS}">'
        '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts>'
        '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
        '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
        "</cellStyleXfs>"
        '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
        '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" '
        'applyNumberFormat="1"/></cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>"
    ),
}


def column_names(header: Sequence[Any]) -> list[str]:
    """The header as a spreadsheet table's column names: text, none empty, none twice."""
    names: list[str] = []
    for at, value in enumerate(header, 1):
        name = " ".join(str(value).split()) or f"Column{at}"
        base, n = name, 2
        while name.casefold() in (taken.casefold() for taken in names):
            name, n = f"{base} ({n})", n + 1
        names.append(name)
    return names


def table_name(title: str) -> str:
    """An Excel table name for a sheet's title: letters, digits and underscores."""
    name = re.sub(r"\W", "_", title, flags=re.ASCII).strip("_") or "Table"
    # Not a cell's address ("KPI1", "R2C3"), and starting with a letter.
    looks_like_cell = re.fullmatch(r"[A-Za-z]{1,3}\d+|[RrCc]|[Rr]\d*[Cc]\d*", name)
    return "T_" + name if looks_like_cell or not name[0].isalpha() else name


def add_table(sheet: Any) -> None:
    """Define an openpyxl sheet's used range (a header row, then rows) as an Excel table,
    so a screen reader and a filter know the first row heads the columns."""
    header = [cell.value for cell in sheet[1]]
    for cell, name in zip(sheet[1], column_names(header), strict=True):
        cell.value = name
    last = max(sheet.max_row, 2)  # a table has a row below its header, empty or not
    ref = f"A1:{_column_letters(len(header))[-1]}{last}"
    table = Table(displayName=table_name(sheet.title), ref=ref)
    table.tableStyleInfo = TableStyleInfo(name="TableStyleLight1", showRowStripes=True)
    sheet.add_table(table)


def _column_letters(count: int) -> list[str]:
    letters = []
    for n in range(1, count + 1):
        name = ""
        while n:
            n, rest = divmod(n - 1, 26)
            name = chr(65 + rest) + name
        letters.append(name)
    return letters


def _text_cell(ref: str, value: str, style: str = "") -> str:
    if _XML_SPECIAL.search(value):
        value = _XML_ILLEGAL.sub("", value).replace("&", "&amp;")
        value = value.replace("<", "&lt;").replace(">", "&gt;")
    space = ' xml:space="preserve"' if value != value.strip() else ""
    return f'<c r="{ref}"{style} t="inlineStr"><is><t{space}>{value}</t></is></c>'


def table_workbook(title: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """Return one sheet of a bold header and rows as XLSX bytes, streamed row by row.

    For large tables (a wave of 100,000 people): openpyxl builds a cell object and an XML
    element for each of the million cells, about 20 s here; this writes each row's XML as
    text. Values: str (inline text cells, never formulas), int, float, Decimal, bool, date and
    datetime (as dates, yyyy-mm-dd), None (an empty cell).
    """
    names = column_names(header) if header else ["Column1"]
    letters = _column_letters(len(names))
    days: dict[date, str] = {}
    last = 2  # the table's last row: a row below the header, empty or not
    with BytesIO() as out:
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
            for name, xml in _PARTS.items():
                archive.writestr(name, '<?xml version="1.0" encoding="UTF-8"?>\n' + xml)
            archive.writestr(
                "xl/workbook.xml",
                '<?xml version="1.0" encoding="UTF-8"?>\n'
                f'<workbook xmlns="{_NS}" xmlns:r="{_REL}"><sheets>'
                f'<sheet name={quoteattr(title[:31])} sheetId="1" r:id="rId1"/>'
                "</sheets></workbook>",
            )
            with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
                sheet.write(
                    '<?xml version="1.0" encoding="UTF-8"?>\n'
                    f'<worksheet xmlns="{_NS}" xmlns:r="{_REL}"><sheetData>'.encode()
                )
                chunk = ['<row r="1">']
                chunk += [
                    _text_cell(f"{letters[i]}1", str(v), ' s="1"') for i, v in enumerate(names)
                ]
                chunk.append("</row>")
                for number, row in enumerate(rows, 2):
                    last = number
                    if len(row) > len(names):
                        raise ValueError(f"row {number} has more cells than the header")
                    chunk.append(f'<row r="{number}">')
                    for at, value in enumerate(row):
                        ref = f"{letters[at]}{number}"
                        if type(value) is str:
                            chunk.append(_text_cell(ref, value))
                        elif value is None:
                            continue
                        elif isinstance(value, bool):
                            chunk.append(f'<c r="{ref}" t="b"><v>{int(value)}</v></c>')
                        elif isinstance(value, date):
                            day = value.date() if isinstance(value, datetime) else value
                            if day not in days:
                                days[day] = str((day - _EXCEL_EPOCH).days)
                            chunk.append(f'<c r="{ref}" s="2"><v>{days[day]}</v></c>')
                        elif isinstance(value, int | float | Decimal):
                            chunk.append(f'<c r="{ref}"><v>{value}</v></c>')
                        else:
                            chunk.append(_text_cell(ref, str(value)))
                    chunk.append("</row>")
                    if len(chunk) > 20_000:
                        sheet.write("".join(chunk).encode())
                        chunk = []
                chunk.append(
                    '</sheetData><tableParts count="1"><tablePart r:id="rId1"/></tableParts>'
                    "</worksheet>"
                )
                sheet.write("".join(chunk).encode())
            archive.writestr("xl/tables/table1.xml", _table_xml(title, names, letters, last))
        return out.getvalue()


def _table_xml(title: str, names: list[str], letters: list[str], last: int) -> str:
    """The table part that makes row 1 of the sheet the header of its columns."""
    ref = f"A1:{letters[len(names) - 1]}{last}"
    columns = "".join(
        f"<tableColumn id={quoteattr(str(n))} name={quoteattr(name)}/>"
        for n, name in enumerate(names, 1)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<table xmlns="{_NS}" id="1" name={quoteattr(table_name(title))} '
        f'displayName={quoteattr(table_name(title))} ref="{ref}" headerRowCount="1">'
        f'<autoFilter ref="{ref}"/><tableColumns count="{len(names)}">{columns}</tableColumns>'
        '<tableStyleInfo name="TableStyleLight1" showFirstColumn="0" showLastColumn="0" '
        'showRowStripes="1" showColumnStripes="0"/></table>'
    )
