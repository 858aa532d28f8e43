"""The words for a gate's verdict, in the active language: pages, API, CLI and report alike."""

from typing import Any

from django.utils.translation import gettext as _

from koers.core.adkar import Step
from koers.core.adkar_names import STEP_NAMES

from .gates import Code, Criterion, Outcome, Verdict
from .models import GateDecision


def _step(value: str | None) -> str:
    try:
        return str(STEP_NAMES[Step(value or "")])
    except ValueError:  # a decision recorded before steps were stored by code
        return str(value)


def criterion_text(criterion: Criterion) -> str:
    """Return what the criterion says, with its figures."""
    value, limit = criterion.value, criterion.limit
    measured = criterion.outcome is not Outcome.NOT_MEASURED
    match criterion.code:
        case Code.BLOCKING:
            return _("blocking feedback %(value)s (max %(limit)s)") % {
                "value": value,
                "limit": limit,
            }
        case Code.TICKETS:
            if not measured:
                return _("tickets per 100 users: not recorded (max %(limit)s)") % {"limit": limit}
            return _("tickets per 100 users: %(value)s (max %(limit)s)") % {
                "value": value,
                "limit": limit,
            }
        case Code.UNDERSTANDING:
            if not measured:
                return _("understanding: not measured (min %(limit)s)") % {"limit": limit}
            return _("understanding %(value)s (min %(limit)s)") % {"value": value, "limit": limit}
        case Code.BARRIER:
            if not measured:
                return _("barrier point: not measured, no pulse round of 5 or more answers yet")
            if criterion.outcome is Outcome.MET:
                return _("no barrier point up to %(step)s") % {"step": _step(limit)}
            return _("barrier point at %(step)s") % {"step": _step(value)}
    return criterion.code.value  # pragma: no cover - every code is handled above


def outcome_label(outcome: Outcome) -> str:
    return {
        Outcome.MET: _("met"),
        Outcome.FAILED: _("not met"),
        Outcome.NOT_MEASURED: _("not measured"),
    }[outcome]


def verdict_text(verdict: Verdict) -> str:
    """Return the gate's verdict in one line: met, or what failed and what was not measured."""
    if verdict.is_met:
        return _("Every criterion met.")
    parts = []
    if verdict.failed:
        parts.append(
            _("Not met: %(criteria)s.")
            % {"criteria": "; ".join(criterion_text(c) for c in verdict.failed)}
        )
    if verdict.not_measured:
        parts.append(
            _("Not measured: %(criteria)s.")
            % {"criteria": "; ".join(criterion_text(c) for c in verdict.not_measured)}
        )
    return " ".join(parts)


# One record per gate object, for the API and the CLI's --json alike.


def criteria_records(verdict: Verdict) -> list[dict[str, Any]]:
    """Return the criteria with their outcome and their words."""
    return [{**c.as_record(), "text": criterion_text(c)} for c in verdict.criteria]


def decision_record(decision: GateDecision) -> dict[str, Any]:
    """Return a recorded decision with the verdict it was made on and any justification."""
    return {
        "id": decision.pk,
        "decision": decision.decision,
        "notes": decision.notes,
        "justification": decision.justification,
        "outcome": decision.outcome or None,
        "criteria": criteria_records(Verdict.from_records(decision.criteria)),
        "decided_by": decision.decided_by.email if decision.decided_by else None,
        "decided_at": decision.decided_at,
    }
