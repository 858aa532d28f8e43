"""The plan as a workbook: phases, KPIs and milestones, one sheet each."""

from datetime import date
from decimal import Decimal
from io import BytesIO
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from koers.core.spreadsheets import add_table, text_cells
from koers.roadmap import snapshot as snap
from koers.roadmap.describe import status_label
from koers.roadmap.models import Kpi, Milestone

if TYPE_CHECKING:
    from .decision_log import LogRow


def _sheet(sheet: Worksheet, header: list[str], rows: list[list[Any]]) -> None:
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(text_cells(sheet, row))
    sheet.freeze_panes = "A2"
    add_table(sheet)
    for column in sheet.columns:
        width = max(len(str(c.value or "")) for c in column)
        sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 8), 60)


def _dec(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _day(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


def plan_workbook(snapshot: snap.Snapshot) -> bytes:
    """Return the plan as XLSX bytes."""
    book = Workbook()
    phases = book.active
    assert phases is not None
    phases.title = _("Phases")[:31]
    titles = {p["key"]: p["title"] for p in snapshot["phases"]}
    _sheet(
        phases,
        [
            "#",
            _("Phase"),
            _("Goal"),
            _("Standalone value"),
            _("Vision horizon (months)"),
            _("Serves this part of the vision"),
            _("Start month"),
            _("Weeks"),
            _("Budget (EUR)"),
            _("Status"),
            _("Builds on"),
        ],
        [
            [
                n,
                p["title"],
                p["goal"],
                p["standalone_value"],
                p["vision_horizon"],
                p["vision_contribution"],
                date.fromisoformat(p["start_month"]),
                p["weeks"],
                Decimal(p["budget"]),
                status_label(p["status"]),
                titles.get(p["builds_on"], "") if p["builds_on"] else "",
            ]
            for n, p in enumerate(snapshot["phases"], 1)
        ],
    )
    for cell in phases["G"][1:]:
        cell.number_format = "yyyy-mm"
    for cell in phases["I"][1:]:
        cell.number_format = '"€" #,##0.00'
    directions = dict(Kpi.Direction.choices)
    _sheet(
        book.create_sheet(_("KPIs")[:31]),
        [
            _("Phase"),
            _("KPI"),
            _("Unit"),
            _("Direction"),
            _("Baseline"),
            _("Baseline measured on"),
            _("Target"),
            _("Actual"),
            _("Actual measured on"),
        ],
        [
            [
                p["title"],
                k["name"],
                k["unit"],
                str(directions.get(k["direction"], k["direction"])),
                _dec(k["baseline"]),
                _day(k["baseline_on"]),
                _dec(k["target"]),
                _dec(k["actual"]),
                _day(k["actual_on"]),
            ]
            for p in snapshot["phases"]
            for k in p["kpis"]
        ],
    )
    kinds = dict(Milestone.Kind.choices)
    _sheet(
        book.create_sheet(_("Milestones")[:31]),
        [_("Date"), _("Kind"), _("Milestone"), _("Phase"), _("Decision needed")],
        [
            [
                date.fromisoformat(m["on"]),
                str(kinds.get(m["kind"], m["kind"])),
                m["title"],
                titles.get(m["phase"], "") if m["phase"] else "",
                m["decision_needed"],
            ]
            for m in snapshot["milestones"]
        ],
    )
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def log_workbook(rows: "list[LogRow]") -> bytes:
    """Return the decision log (documents.decision_log) as XLSX bytes, one sheet."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Decision log")[:31]
    _sheet(
        sheet,
        [
            _("Date"),
            _("Source"),
            _("Decision"),
            _("Status"),
            _("Decided by"),
            _("Reasons"),
            _("Alternatives considered"),
            _("Concerns"),
            _("Communicated"),
        ],
        [
            [
                r.on,
                r.source,
                r.title,
                r.status,
                r.by,
                r.reasons,
                r.alternatives,
                r.concerns,
                r.communicated,
            ]
            for r in rows
        ],
    )
    out = BytesIO()
    book.save(out)
    return out.getvalue()
