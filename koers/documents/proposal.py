"""The proposal on one A4 page: request, goals, vision, scope, phases, guardrails, sign-off.

It never says more than the plan holds: every phase of a plan of up to 20 is on the page and
the totals are the sum of the rows shown; open guardrail errors are printed as open, accepted
deviations with their justification; the footer claims the method's limits only when every
phase keeps them. Texts are shortened by rule to fit; whatever was shortened is noted.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation
from weasyprint import CSS, HTML

from koers.aftercare.queries import Citation, citations
from koers.core.pdf import PDF_OPTIONS
from koers.decisions.queries import needed
from koers.landscape import queries as landscape
from koers.landscape.records import warning_text
from koers.projects.models import Project, ScopeItem
from koers.roadmap.describe import PhaseView, guardrail_lines, kpi_line, phase_views, rule_title
from koers.roadmap.guardrails import Rule
from koers.roadmap.queries import PlanState, plan_state

MAX_PHASES = 20
MAX_SCOPE_ITEMS = 30
# From this many phases on, each phase gets one line: title, KPI and figures.
DENSE_FROM = 9
STYLESHEET = Path(__file__).resolve().parent / "templates" / "documents" / "proposal.css"
# The footer's promise of the method holds only when no phase breaks these rules.
PROMISED = frozenset({Rule.PHASE_TOO_LONG, Rule.NO_STANDALONE_VALUE})


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
    reason: int = 70  # of an out-of-scope or later item
    justification: int = 120
    findings: int = 6  # accepted deviations written out; the rest counted
    references: int = 1  # reference cases of other projects cited
    reference: int = 150
    # Landscape warnings and islands written out, the rest counted; with 0 they are only
    # counted with the open warnings, which takes no line of its own.
    landscape: int = 3


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
    reason=120,
    justification=200,
    references=2,
    reference=220,
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
    reason=45,
    justification=80,
    findings=4,
    landscape=2,
)
# A plan of many phases: the worst case of 20 phases fits in one layout with these.
DENSE = Rules(
    references=0,
    request=130,
    goal=60,
    goals=2,
    vision=100,
    scope_item=22,
    phase_title=34,
    phase_value=0,
    kpi=34,
    moments=1,
    moment=45,
    decisions=1,
    decision=45,
    reason=24,
    justification=36,
    findings=2,
    landscape=0,
)
MINIMAL = Rules(
    references=0,
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
    reason=30,
    justification=50,
    findings=2,
    landscape=0,
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
    project: Project,
    *,
    rules: Rules = NORMAL,
    today: date | None = None,
    with_landscape: bool = True,
) -> dict[str, Any]:
    """Gather and shorten everything the page shows; `with_landscape` False leaves out what
    the client's landscape says (a client guest may not see the landscape)."""
    today = today or timezone.localdate()
    cut = Shortener()
    state = plan_state(project, today=today)
    views = phase_views(state.snapshot, state.findings, today=today)
    # Stopped phases are history: named apart, outside the totals.
    counted = [v for v in views if v.row["status"] != "stopped"]
    shown = counted[:MAX_PHASES]
    dense = len(shown) >= DENSE_FROM
    scope: dict[str, list[dict[str, str]]] = {column: [] for column in ScopeItem.Column}
    items = list(project.scope_items.all())
    for item in cut.take(items, MAX_SCOPE_ITEMS):
        # What is not done, and what waits, is only clear with its reason.
        reason = "" if item.column == ScopeItem.Column.IN else cut(item.reason, rules.reason)
        scope[item.column].append({"title": cut(item.title, rules.scope_item), "reason": reason})
    milestones = [m for m in state.milestones if m.on >= today]
    feedback = [m for m in milestones if m.kind == m.Kind.FEEDBACK]
    # The plan's moments that ask a decision, and the decision log's open ones: dated first.
    decisions = sorted(
        [{"on": m.on, "text": m.decision_needed} for m in milestones if m.decision_needed.strip()]
        + [{"on": d.due_on, "text": d.title} for d in needed(project)],
        key=lambda d: (d["on"] is None, d["on"] or today),
    )
    visions = [
        {"horizon": v.horizon, "summary": cut(v.summary, rules.vision)}
        for v in project.visions.all()
        if v.summary.strip()
    ]
    goals = [cut(g.text, rules.goal) for g in cut.take(list(project.goals.all()), rules.goals)]
    hidden = counted[MAX_PHASES:]
    stopped = [v for v in views if v.row["status"] == "stopped"]
    return {
        "project": project,
        "client": project.client,
        "today": today,
        "request": cut(project.request, rules.request),
        "goals": goals,
        "visions": visions,
        "scope": [(column, scope[column]) for column in ScopeItem.Column],
        "phases": [_phase(view, rules, cut, dense=dense) for view in shown],
        "dense": dense,
        "total_weeks": sum(int(v.row["weeks"]) for v in shown),  # type: ignore[call-overload]
        "total_budget": sum((v.budget for v in shown), Decimal(0)),
        "hidden": {
            "count": len(hidden),
            "weeks": sum(int(v.row["weeks"]) for v in hidden),  # type: ignore[call-overload]
            "budget": sum((v.budget for v in hidden), Decimal(0)),
        },
        "stopped": [
            {"number": v.number, "title": cut(str(v.row["title"]), rules.phase_title)}
            for v in stopped[: rules.findings]
        ],
        "more_stopped": max(0, len(stopped) - rules.findings),
        "late": sum(1 for v in counted if v.is_late),
        "feedback": [
            {"on": m.on, "title": cut(m.title, rules.moment)}
            for m in cut.take(feedback, rules.moments)
        ],
        "decisions": [
            {"on": d["on"], "text": cut(d["text"], rules.decision)}
            for d in cut.take(decisions, rules.decisions)
        ],
        "revision": state.latest,
        "has_unrecorded_changes": state.has_unrecorded_changes,
        **_with_landscape(
            _guardrails(state, views, rules, cut),
            _landscape(state, views, rules, cut) if with_landscape else _NO_LANDSCAPE,
            rules,
        ),
        "references": [
            _reference(cited, rules, cut)
            for cited in (citations(project, rules.references) if rules.references else [])
        ],
        "shortened": cut.shortened,
    }


def _with_landscape(
    guardrails: dict[str, Any], landscape: dict[str, Any], rules: Rules
) -> dict[str, Any]:
    if rules.landscape:
        return guardrails | landscape
    counted = landscape["more_landscape"] + landscape["more_islands"]
    return guardrails | _NO_LANDSCAPE | {"open_warnings": guardrails["open_warnings"] + counted}


def _phase(view: PhaseView, rules: Rules, cut: "Shortener", *, dense: bool) -> dict[str, Any]:
    row = view.row
    kpis: list[dict[str, Any]] = list(row["kpis"])  # type: ignore[call-overload]
    per_phase = 1 if dense else rules.kpis_per_phase
    return {
        "number": view.number,
        "title": cut(str(row["title"]), rules.phase_title),
        "value": "" if dense else cut(str(row["standalone_value"]), rules.phase_value),
        "start": view.start,
        "weeks": row["weeks"],
        "budget": view.budget,
        "status": row["status"],
        "is_late": view.is_late,
        "kpis": [_kpi(k, rules, cut) for k in kpis[:per_phase]],
        "more_kpis": max(0, len(kpis) - per_phase),
        "kpi_met": view.kpi_met,
    }


def _reference(cited: Citation, rules: Rules, cut: Shortener) -> dict[str, Any]:
    """A reference case as the project's client may see it (aftercare.queries.citation)."""
    return {
        "who": f"{cited.client} · {cited.project}" if cited.client else "",
        "summary": cut(cited.summary, rules.reference),
        "kpis_met": cited.kpis_met,
        "kpis_measured": cited.kpis_measured,
        "score": cited.score,
    }


def _guardrails(
    state: PlanState, views: list[PhaseView], rules: Rules, cut: "Shortener"
) -> dict[str, Any]:
    """Return the open errors (by rule, every phase named) and the accepted deviations."""
    numbers = {str(v.row["key"]): v.number for v in views}
    lines = guardrail_lines(state.findings)
    accepted = [
        {
            "title": rule_title(f.rule),
            "phase": numbers.get(f.subject),
            "justification": cut(f.justification, rules.justification),
        }
        for f in lines.accepted[: rules.findings]
    ]
    return {
        "open_errors": [
            {"title": title, "phases": [numbers[key] for key in keys]}
            for title, keys in lines.open_errors
        ],
        "plan_errors": lines.plan_errors,
        "open_warnings": lines.warnings,
        "accepted": accepted,
        "more_accepted": max(0, len(lines.accepted) - rules.findings),
        "keeps_method": any(v.row["status"] != "stopped" for v in views)
        and not any(f.rule in PROMISED for f in state.findings),
        "max_weeks": state.limits.max_phase_weeks,
    }


_NO_LANDSCAPE: dict[str, Any] = {
    "landscape": [],
    "more_landscape": 0,
    "islands": [],
    "more_islands": 0,
}


def _landscape(
    state: PlanState, views: list[PhaseView], rules: Rules, cut: "Shortener"
) -> dict[str, Any]:
    """The landscape's findings like the guardrails' warnings: what a phase does (a new
    digital island, a second system for a capability), and the client's islands today:
    small steps that leave them as they are keep each island's own truth."""
    found = landscape.landscape(state.project.client)
    if not found.systems:
        return _NO_LANDSCAPE
    links = landscape.phase_links(state.phases)
    names = {s.pk: s.name for s in found.systems}
    numbers = {str(v.row["key"]): v.number for v in views}
    warnings = [
        (numbers.get(r.phase.key), warning_text(w, names))
        for r in landscape.phase_risks(state.phases, found, links)
        if r.phase.status != "stopped"
        for w in r.warnings
    ]
    islands = [", ".join(names[k] for k in group.systems) for group in found.audit.islands]
    if not rules.landscape:
        # Counted only, so the page keeps its lines; a shortened list is said in the footer.
        cut.shortened = cut.shortened or bool(warnings or islands)
    return {
        "landscape": [
            {"phase": phase, "text": cut(text, rules.justification)}
            for phase, text in warnings[: rules.landscape]
        ],
        "more_landscape": max(0, len(warnings) - rules.landscape),
        "islands": [cut(i, rules.justification) for i in islands[: rules.landscape]],
        "more_islands": max(0, len(islands) - rules.landscape),
    }


def _kpi(kpi: dict[str, Any], rules: Rules, cut: Shortener) -> str:
    """Return `name: baseline → target unit`, the name shortened first."""
    figures = kpi_line(kpi | {"name": ""})
    return cut(kpi["name"], rules.kpi - min(len(figures), rules.kpi // 2)) + cut(figures, rules.kpi)


def _rule_sets(project: Project) -> tuple[Rules, ...]:
    """Return the rules to try in turn; a big plan skips the roomier ones it cannot fit."""
    phases = project.phases.exclude(status="stopped").count()
    items = project.scope_items.count()
    if phases <= 5 and items <= 18:
        return (ROOMY, NORMAL, COMPACT, MINIMAL)
    if phases >= DENSE_FROM + 4:
        return (DENSE, MINIMAL)
    return (NORMAL, COMPACT, MINIMAL)


def render_proposal(
    project: Project, *, today: date | None = None, with_landscape: bool = True
) -> bytes:
    """Return the proposal as a one-page A4 PDF in the project's language."""
    stylesheet = CSS(string=STYLESHEET.read_text())
    with translation.override(project.language):
        for rules in _rule_sets(project):
            html = render_to_string(
                "documents/proposal.html",
                proposal_context(project, rules=rules, today=today, with_landscape=with_landscape),
            )
            document = HTML(string=html).render(stylesheets=[stylesheet], **PDF_OPTIONS)
            if len(document.pages) == 1:
                break
        pdf: bytes = document.write_pdf(**PDF_OPTIONS)
    return pdf


def proposal_filename(project: Project) -> str:
    return f"{project.slug}-proposal.pdf"
