"""The closing report on one or two A4 pages: what was delivered (phases and their KPIs), the
decisions, the lessons, the client's evaluation and the state of the handover, in the
project's language. Long lists are cut to what fits; the report says how many more there are.
"""

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation
from weasyprint import CSS, HTML

from koers.aftercare import queries as aftercare
from koers.aftercare.models import HandoverItem
from koers.core.pdf import PDF_OPTIONS
from koers.projects.models import Project

from .decision_log import log_rows

STYLESHEET = Path(__file__).resolve().parent / "templates" / "documents" / "closing_report.css"
MAX_PHASES = 12
MAX_DECISIONS = 8
MAX_LESSONS = 6
TEXT = 400  # characters of an evaluation answer


@dataclass(frozen=True)
class KpiRow:
    text: str
    met: bool | None


def _shorten(text: str, limit: int = TEXT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def closing_context(project: Project) -> dict[str, Any]:
    phases = list(
        project.phases.exclude(status="stopped").order_by("position", "id").prefetch_related("kpis")
    )
    decisions = log_rows(project)
    lessons = list(
        aftercare.lesson_rows(project).order_by("-recorded_at", "-id")[: MAX_LESSONS + 1]
    )
    items = aftercare.checklist(project)
    evaluation = aftercare.last_evaluation(project)
    return {
        "project": project,
        "today": timezone.localdate(),
        "phases": [
            (phase, [KpiRow(aftercare.kpi_text(k), k.is_met) for k in phase.kpis.all()])
            for phase in phases[:MAX_PHASES]
        ],
        "more_phases": max(0, len(phases) - MAX_PHASES),
        "decisions": decisions[:MAX_DECISIONS],
        "more_decisions": max(0, len(decisions) - MAX_DECISIONS),
        "lessons": lessons[:MAX_LESSONS],
        "more_lessons": len(lessons) > MAX_LESSONS,
        "evaluation": evaluation,
        "answers": [
            (label, _shorten(getattr(evaluation, field)))
            for field, label in (
                ("went_well", translation.gettext("What went well")),
                ("could_be_better", translation.gettext("What could be better")),
                ("what_next", translation.gettext("What next")),
            )
            if evaluation is not None and getattr(evaluation, field)
        ],
        "items": items,
        "open_items": sum(i.state != HandoverItem.State.DONE for i in items),
        "handover": aftercare.handover_of(project),
    }


def closing_report_pdf(project: Project) -> bytes:
    with translation.override(project.language):
        html = render_to_string("documents/closing_report.html", closing_context(project))
        pdf: bytes = HTML(string=html).write_pdf(
            stylesheets=[CSS(string=STYLESHEET.read_text())], **PDF_OPTIONS
        )
    return pdf


def closing_filename(project: Project) -> str:
    return f"{project.slug}-closing-report-{timezone.localdate().isoformat()}.pdf"
