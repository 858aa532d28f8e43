"""The status report: progress and understanding side by side, in the project's language.

One context feeds the HTML page and the PDF (WeasyPrint, plain blocks, no framework).
"""

from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation
from weasyprint import CSS, HTML

from koers.core.pdf import PDF_OPTIONS
from koers.projects.models import Project
from koers.roadmap.describe import guardrail_lines, rule_title
from koers.roadmap.queries import plan_state
from koers.rollout import queries as rollout_queries
from koers.rollout import timeline

from . import queries
from .models import FeedbackItem
from .questions import STATEMENTS

STYLESHEET = Path(__file__).resolve().parent / "templates" / "pulse" / "report.css"
HISTORY_WEEKS = 8


def report_context(project: Project) -> dict[str, Any]:
    """Gather the report: the reported status, the phases, the last measurement, feedback."""
    signal = queries.project_signals([project], project.workspace)[project.pk]
    today = timezone.localdate()
    plan = plan_state(project, today=today)
    phases = plan.phases
    titles = {phase.key: phase.title for phase in phases}
    with translation.override(project.language):  # the words of the report's language
        lines = guardrail_lines(plan.findings)
        accepted = [
            (rule_title(f.rule), titles.get(f.subject, ""), f.justification) for f in lines.accepted
        ]
    measured = (
        queries.results(queries.round_for(project, signal.round_number))
        if signal.round_number
        else None
    )
    counts = {status: 0 for status in FeedbackItem.Status.values}
    for status in project.feedback_items.values_list("status", flat=True):
        counts[status] += 1
    return {
        "project": project,
        "today": today,
        "signal": signal.signal,
        "update": signal.update,
        "history": list(project.status_updates.all()[:HISTORY_WEEKS]),
        "phases": phases,
        "phases_done": sum(1 for phase in phases if phase.status == "done"),
        # Stopped phases will never be done: "2 of 3 done" counts the phases still planned.
        "phases_counted": sum(1 for phase in phases if phase.status != "stopped"),
        "late_phases": plan.late_phases,
        "open_errors": [
            (title, [titles[key] for key in keys]) for title, keys in lines.open_errors
        ],
        "plan_errors": lines.plan_errors,
        "accepted": accepted,
        "measured": measured,
        "trend": queries.trend(project),
        "statements": STATEMENTS,
        "feedback_counts": [(FeedbackItem.Status(s).label, n) for s, n in counts.items()],
        "blocking": list(queries.open_blocking(project).select_related("phase")),
        "rollout": rollout_steps(project),
    }


def rollout_steps(project: Project) -> dict[str, Any] | None:
    """Return the rollout in the plan: every ring, the pilot and each wave with its last gate
    decision and lateness, and the pilot's step apart (its Go opens the waves)."""
    steps = timeline.steps_of(project)
    if not steps:
        return None
    pilot = next((s for s in steps if s.wave.kind == "pilot"), None)
    # Each step with its gate as the wave board judges it (None: no gate), in one batch.
    states = rollout_queries.gate_states([s.wave for s in steps])
    return {
        "steps": steps,
        "rows": [(step, states.get(step.wave.pk)) for step in steps],
        "pilot": pilot,
        "late": sum(1 for s in steps if s.is_late),
    }


def render_pdf(project: Project, *, extra: dict[str, Any] | None = None) -> bytes:
    """Return the status report as a PDF in the project's language; `extra`: what the faces
    add from apps above the pulse (the decisions needed, from the decision log)."""
    with translation.override(project.language):
        html = render_to_string("pulse/report_pdf.html", report_context(project) | (extra or {}))
        pdf: bytes = HTML(string=html).write_pdf(
            stylesheets=[CSS(string=STYLESHEET.read_text())], **PDF_OPTIONS
        )
    return pdf


def filename(project: Project) -> str:
    return f"{project.slug}-status-{timezone.localdate():%G-W%V}.pdf"
