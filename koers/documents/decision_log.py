"""The decision log as a document: one row per decision, whatever its source, for the XLSX
and the PDF alike, in the project's language."""

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from weasyprint import CSS, HTML

from koers.core.pdf import PDF_OPTIONS
from koers.decisions.models import Decision
from koers.decisions.queries import Entry, Source, needed, whole_log
from koers.projects.models import Project

from .xlsx import log_workbook

STYLESHEET = Path(__file__).resolve().parent / "templates" / "documents" / "decision_log.css"


@dataclass(frozen=True)
class LogRow:
    on: date
    source: str
    title: str
    status: str
    by: str
    reasons: str
    alternatives: str
    concerns: str
    communicated: str


def concerns_text(decision: Decision) -> str:
    """Return what a decision concerns, as words: "Phase: Quote tool; Wave: Sales"."""
    parts = []
    if decision.phase:
        parts.append(f"{_('Phase')}: {decision.phase.title}")
    if decision.wave:
        parts.append(f"{_('Wave')}: {decision.wave.label}")
    if decision.gate_decision:
        gate = decision.gate_decision
        parts.append(
            f"{_('Gate decision')}: {gate.gate.wave.label} ({gate.get_decision_display()})"
        )
    if decision.scope_item:
        item = decision.scope_item
        parts.append(f"{_('Scope item')}: {item.title} ({item.get_column_display()})")
    if decision.plan_revision:
        parts.append(_("Plan revision %(number)s") % {"number": decision.plan_revision.number})
    return "; ".join(parts)


def _told(decision: Decision) -> str:
    if decision.is_told is None:
        return ""
    if not decision.is_told:
        return _("Not yet communicated")
    return f"{decision.communicated_on:%Y-%m-%d} {decision.communicated_how}".strip()


def log_row(entry: Entry) -> LogRow:
    item = entry.item
    on = timezone.localtime(entry.at).date()
    if entry.source == Source.LOG:
        status = item.get_status_display()
        if item.superseded_by:
            status = f"{status}: {item.superseded_by.title}"
        return LogRow(
            on=item.decided_on or on,
            source=_("Decision log"),
            title=item.title,
            status=status,
            by=item.deciders_text,
            reasons=item.reasons,
            alternatives=item.alternatives,
            concerns=concerns_text(item),
            communicated=_told(item),
        )
    if entry.source == Source.GATE:
        wave = item.gate.wave
        reasons = "\n".join(text for text in (item.notes, item.justification) if text)
        return LogRow(
            on=on,
            source=_("Go/no-go gate"),
            title=_("%(decision)s after %(wave)s")
            % {"decision": item.get_decision_display(), "wave": wave.label},
            status=_("Decided"),
            by=str(item.decided_by or ""),
            reasons=reasons,
            alternatives="",
            concerns=f"{_('Wave')}: {wave.label}",
            communicated="",
        )
    return LogRow(
        on=on,
        source=_("Guardrails"),
        title=f"{_('Deviation accepted')}: {entry.about}",
        status=_("Decided"),
        by=str(item.accepted_by or ""),
        reasons=item.justification,
        alternatives="",
        concerns="",
        communicated="",
    )


def log_rows(project: Project) -> list[LogRow]:
    return [log_row(entry) for entry in whole_log(project)]


def decision_log_xlsx(project: Project) -> bytes:
    with translation.override(project.language):
        return log_workbook(log_rows(project))


def decision_log_pdf(project: Project) -> bytes:
    """Return the log as an A4 PDF: the decisions needed first, then every decision."""
    with translation.override(project.language):
        context = {
            "project": project,
            "today": timezone.localdate(),
            "needed": list(needed(project)),
            "rows": log_rows(project),
            "not_told": _("Not yet communicated"),
        }
        html = render_to_string("documents/decision_log.html", context)
        pdf: bytes = HTML(string=html).write_pdf(
            stylesheets=[CSS(string=STYLESHEET.read_text())], **PDF_OPTIONS
        )
    return pdf


def log_filename(project: Project, extension: str) -> str:
    return f"{project.slug}-decisions-{timezone.localdate().isoformat()}.{extension}"
