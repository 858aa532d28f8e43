"""The record of a plan check, its guardrail findings: the API and `koers check-plan --json`
share it."""

from typing import Any

from .describe import finding_text, rule_title
from .queries import PlanState


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
