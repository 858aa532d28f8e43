"""The proposal on one A4 page: request, goals, vision, scope, phases, next moments.

Texts are shortened by rule so a project of up to 8 phases and 30 scope items always fits
on one page; whatever was shortened is noted, with a pointer to the full text in Koers.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation
from weasyprint import CSS, HTML

from koers.projects.models import Project, ScopeItem
from koers.roadmap import guardrails
from koers.roadmap.describe import kpi_line, phase_views
from koers.roadmap.queries import plan_state

MAX_PHASES = 8
MAX_SCOPE_ITEMS = 30
STYLESHEET = Path(__file__).resolve().parent / "templates" / "documents" / "proposal.css"


@dataclass(frozen=True)
class Rules:
    """How long each text may be on the page, in characters."""

    request: int = 260
    goal: int = 100
    goals: int = 4
    vision: int = 230
    scope_item: int = 36
    phase_title: int = 56
    phase_value: int = 110
    kpi: int = 50
    kpis_per_phase: int = 1
    moments: int = 3
    moment: int = 60
    decisions: int = 3
    decision: int = 90


# Most projects fit with room to spare: show their texts (nearly) whole first.
ROOMY = Rules(
    request=400,
    goal=160,
    goals=5,
    vision=420,
    scope_item=90,
    phase_title=80,
    phase_value=180,
    kpi=70,
    kpis_per_phase=2,
    moments=4,
    moment=80,
    decisions=4,
    decision=120,
)
NORMAL = Rules()
# Tighter rules for texts of unusually wide letters; MINIMAL always fits by construction.
COMPACT = Rules(
    request=180,
    goal=70,
    goals=3,
    vision=160,
    scope_item=28,
    phase_title=40,
    phase_value=70,
    kpi=40,
    moments=2,
    moment=45,
    decisions=2,
    decision=60,
)
MINIMAL = Rules(
    request=100,
    goal=50,
    goals=2,
    vision=90,
    scope_item=20,
    phase_title=30,
    phase_value=0,
    kpi=30,
    moments=1,
    moment=30,
    decisions=1,
    decision=40,
)


@dataclass
class Shortener:
    """Cut texts to a length at a word boundary, and remember that something was cut."""

    shortened: bool = False
    hidden: list[str] = field(default_factory=list)

    def __call__(self, text: str, limit: int) -> str:
        text = " ".join(text.split())
        if limit <= 0:
            self.shortened = self.shortened or bool(text)
            return ""
        if len(text) <= limit:
            return text
        self.shortened = True
        cut = text[: limit - 1]
        if " " in cut[limit // 2 :]:
            cut = cut[: cut.rindex(" ")]
        return cut.rstrip(" ,.;:-") + "…"

    def take(self, items: list[Any], limit: int) -> list[Any]:
        if len(items) > limit:
            self.shortened = True
        return items[:limit]


def proposal_context(
    project: Project, *, rules: Rules = NORMAL, today: date | None = None
) -> dict[str, Any]:
    """Gather and shorten everything the page shows."""
    today = today or timezone.localdate()
    cut = Shortener()
    state = plan_state(project)
    views = phase_views(state.snapshot, state.findings)
    phases = []
    for view in cut.take(views, MAX_PHASES):
        row = view.row
        kpis: list[dict[str, Any]] = list(row["kpis"])  # type: ignore[call-overload]
        phases.append(
            {
                "number": view.number,
                "title": cut(str(row["title"]), rules.phase_title),
                "value": cut(str(row["standalone_value"]), rules.phase_value),
                "start": view.start,
                "weeks": row["weeks"],
                "budget": view.budget,
                "status": row["status"],
                "kpis": [_kpi(k, rules, cut) for k in kpis[: rules.kpis_per_phase]],
                "more_kpis": max(0, len(kpis) - rules.kpis_per_phase),
                "kpi_met": view.kpi_met,
            }
        )
    scope: dict[str, list[str]] = {column: [] for column in ScopeItem.Column}
    items = list(project.scope_items.all())
    for item in cut.take(items, MAX_SCOPE_ITEMS):
        scope[item.column].append(cut(item.title, rules.scope_item))
    milestones = [m for m in state.milestones if m.on >= today]
    feedback = [m for m in milestones if m.kind == m.Kind.FEEDBACK]
    decisions = [m for m in milestones if m.decision_needed.strip()]
    visions = [
        {"horizon": v.horizon, "summary": cut(v.summary, rules.vision)}
        for v in project.visions.all()
        if v.summary.strip()
    ]
    goals = [cut(g.text, rules.goal) for g in cut.take(list(project.goals.all()), rules.goals)]
    checked = [v for v in views if v.row["status"] != "stopped"]
    summary = guardrails.summarise(state.findings)
    return {
        "project": project,
        "today": today,
        "request": cut(project.request, rules.request),
        "goals": goals,
        "visions": visions,
        "scope": [(column, scope[column]) for column in ScopeItem.Column],
        "phases": phases,
        "total_weeks": sum(int(v.row["weeks"]) for v in checked),  # type: ignore[call-overload]
        "total_budget": sum((v.budget for v in checked), Decimal(0)),
        "feedback": [
            {"on": m.on, "title": cut(m.title, rules.moment)}
            for m in cut.take(feedback, rules.moments)
        ],
        "decisions": [
            {"on": m.on, "text": cut(m.decision_needed, rules.decision)}
            for m in cut.take(decisions, rules.decisions)
        ],
        "revision": state.latest,
        "has_unrecorded_changes": state.has_unrecorded_changes,
        "deviations": summary.accepted,
        "shortened": cut.shortened,
    }


def _kpi(kpi: dict[str, Any], rules: Rules, cut: Shortener) -> str:
    """Return `name: baseline → target unit`, the name shortened first."""
    figures = kpi_line(kpi | {"name": ""})
    return cut(kpi["name"], rules.kpi - min(len(figures), rules.kpi // 2)) + cut(figures, rules.kpi)


def _rule_sets(project: Project) -> tuple[Rules, ...]:
    """Return the rules to try in turn; a big plan skips the roomy one it cannot fit."""
    small = project.phases.count() <= 5 and project.scope_items.count() <= 18
    return (ROOMY, NORMAL, COMPACT, MINIMAL) if small else (NORMAL, COMPACT, MINIMAL)


def render_proposal(project: Project, *, today: date | None = None) -> bytes:
    """Return the proposal as a one-page A4 PDF in the project's language."""
    stylesheet = CSS(string=STYLESHEET.read_text())
    with translation.override(project.language):
        for rules in _rule_sets(project):
            html = render_to_string(
                "documents/proposal.html", proposal_context(project, rules=rules, today=today)
            )
            document = HTML(string=html).render(stylesheets=[stylesheet])
            if len(document.pages) == 1:
                break
        pdf: bytes = document.write_pdf()
    return pdf


def proposal_filename(project: Project) -> str:
    return f"{project.slug}-proposal.pdf"
