"""The record of a plan check, its guardrail findings: the API and `koers check-plan --json`
share it."""

from typing import Any

from . import guardrails, planfiles
from .describe import finding_text, rule_title
from .queries import PlanState, Portfolio


def plan_check_record(state: PlanState) -> dict[str, Any]:
    """Return the counts, the verdict and every finding of the plan, each phase named by its
    title and its id (`phase`, `phase_id`; both null for a finding about the whole plan)."""
    phases = {p.key: p for p in state.phases}
    summary = state.summary
    findings = []
    for f in state.findings:
        phase = phases.get(f.subject) if f.subject else None
        findings.append(
            {
                "rule": f.rule.value,
                "severity": f.severity.value,
                "phase": phase.title if phase else None,
                "phase_id": phase.pk if phase else None,
                "title": rule_title(f.rule),
                "message": finding_text(f),
                "values": dict(f.values),
                "accepted": f.accepted,
                "justification": f.justification,
            }
        )
    return {
        "errors": summary.errors,
        "warnings": summary.warnings,
        "accepted": summary.accepted,
        "ok": not summary.has_blocking,
        "findings": findings,
        "late_phases": [p.title for p in state.late_phases],
        "late_phase_ids": [p.pk for p in state.late_phases],
    }


def draft_record(draft: planfiles.DraftPlan, findings: list[guardrails.Finding]) -> dict[str, Any]:
    """An imported draft plan with its guardrail findings (each phase named by its ref in the
    file and its title): the API and `koers import-plan --json` share it."""
    titles = {p.ref: p.title for p in draft.phases}
    summary = guardrails.summarise(findings)
    return {
        "source": draft.source,
        "name": draft.name,
        "notes": list(draft.notes),
        "phases": [
            {
                "ref": p.ref,
                "title": p.title,
                "start_month": p.start_month.isoformat(),
                "weeks": p.weeks,
                "budget": str(p.budget),
                "builds_on": p.builds_on or None,
                "notes": list(p.notes),
            }
            for p in draft.phases
        ],
        "milestones": [
            {
                "ref": m.ref,
                "title": m.title,
                "on": m.on.isoformat(),
                "kind": m.kind,
                "phase": m.phase or None,
            }
            for m in draft.milestones
        ],
        "scope_items": [
            {"ref": s.ref, "title": s.title, "column": s.column, "reason": s.reason}
            for s in draft.scope_items
        ],
        "errors": summary.errors,
        "warnings": summary.warnings,
        "findings": [
            {
                "rule": f.rule.value,
                "severity": f.severity.value,
                "phase": titles.get(f.subject),
                "phase_ref": f.subject or None,
                "title": rule_title(f.rule),
                "message": finding_text(f),
            }
            for f in findings
        ],
    }


def portfolio_record(found: Portfolio) -> dict[str, Any]:
    """The roadmap of all projects: their phases with consultants, and who is spread thin."""
    people = found.people
    return {
        "max_phases_at_once": found.limit,
        "projects": [
            {
                "project": project.slug,
                "name": project.name,
                "client": project.client.name,
                "phases": [
                    {
                        "id": phase.pk,
                        "title": phase.title,
                        "start_month": phase.start_month,
                        "weeks": phase.weeks,
                        "status": phase.status,
                        "consultants": [
                            {"id": c.member_id, "name": c.member.user.name}
                            for c in found.consultants.get(phase.pk, [])
                        ],
                    }
                    for phase in phases
                ],
            }
            for project, phases in found.projects
        ],
        "too_thin": [
            {
                "consultant": t.person,
                "name": people[t.person],
                "month": t.month,
                "phases": list(t.phases),
            }
            for t in found.too_thin
        ],
    }
