"""Spreadsheets Koers hands out, made safe: a cell never starts a formula (CSV and XLSX
injection), and a large table is written as a workbook straight from its rows."""

import re
import zipfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from typing import Any
from xml.sax.saxutils import quoteattr

# Spreadsheets run a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe(value: Any) -> Any:
    """Prefix text that a spreadsheet would run as a formula with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


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
        'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>'
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
    text. Values: str (made harmless by `safe` first), int, float, Decimal, bool, date and
    datetime (as dates, yyyy-mm-dd), None (an empty cell).
    """
    letters = _column_letters(max(len(header), 1))
    days: dict[date, str] = {}
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
                    f'<?xml version="1.0" encoding="UTF-8"?>\n<worksheet xmlns="{_NS}">'
                    "<sheetData>".encode()
                )
                chunk = ['<row r="1">']
                chunk += [
                    _text_cell(f"{letters[i]}1", str(safe(v)), ' s="1"')
                    for i, v in enumerate(header)
                ]
                chunk.append("</row>")
                for number, row in enumerate(rows, 2):
                    if len(row) > len(letters):
                        letters = _column_letters(len(row))
                    chunk.append(f'<row r="{number}">')
                    for at, value in enumerate(row):
                        ref = f"{letters[at]}{number}"
                        if type(value) is str:
                            chunk.append(_text_cell(ref, safe(value)))
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
                            chunk.append(_text_cell(ref, str(safe(str(value)))))
                    chunk.append("</row>")
                    if len(chunk) > 20_000:
                        sheet.write("".join(chunk).encode())
                        chunk = []
                chunk.append("</sheetData></worksheet>")
                sheet.write("".join(chunk).encode())
        return out.getvalue()
