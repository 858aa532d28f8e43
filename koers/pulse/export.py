"""A round's answers as CSV or XLSX, and its public link as a QR code.

The export follows the results page, through the same rule (`queries.published`): only once
the round is closed, over the same answers as the final figures, and a department named only
where the results show it on its own; the others are "other groups" together. No id, date,
time or language is exported and rows are sorted by content, not by arrival, so a row cannot
be matched with who answered when, and two exports are the same.
"""

import csv
import io
from dataclasses import dataclass
from typing import Any

import segno
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from koers.core.spreadsheets import add_table, safe, text_cells

from . import queries
from .models import Round
from .questions import OPEN_QUESTIONS, STATEMENTS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: list[list[Any]]


def answer_table(round: Round) -> Table | None:
    """Return the published answers as a table, or None before the round's final figures."""
    found = queries.published(round)
    departments = found.publication.groupings.get("department")
    if not found.is_final or departments is None:
        return None
    questions = list(round.questions.all())
    header = [_("Department")]
    header += [f"{s.name}: {s.text}" for s in STATEMENTS]
    header += [str(q.text) for q in OPEN_QUESTIONS]
    header += [str(q) for q in questions]
    rows = []
    other, not_given = _("Other groups (together)"), _("Not given")
    fields = ["department", *(s.step.value for s in STATEMENTS), *(q.field for q in OPEN_QUESTIONS)]
    for *values, own in found.rows().values_list(*fields, "own"):
        department = values[0]
        if not departments.is_shown(department):
            values[0] = other
        elif not department:
            values[0] = not_given
        rows.append(values + [(own or {}).get(q.key, "") for q in questions])
    rows.sort(key=lambda row: [str(value) for value in row])
    return Table(header, rows)


def to_csv(table: Table, *, separator: str = ",") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=separator)
    writer.writerow([safe(cell) for cell in table.header])
    for row in table.rows:
        writer.writerow([safe(cell) for cell in row])
    # With a byte order mark, spreadsheet programs read the accents right.
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(table: Table) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Answers")[:31]
    sheet.append(text_cells(sheet, table.header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table.rows:
        sheet.append(text_cells(sheet, row))
    sheet.freeze_panes = "A2"
    add_table(sheet)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def qr_svg(url: str) -> bytes:
    """Return the URL as a QR code in SVG, large enough to scan from a printed page."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=8, border=4, xmldecl=True, title=url)
    return buffer.getvalue()
