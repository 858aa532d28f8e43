"""The gate's words in templates: the same functions the API, CLI and report call."""

from typing import Any

from django import template

from koers.rollout import describe
from koers.rollout.gates import Criterion, Outcome, Verdict

register = template.Library()


@register.filter
def criterion_text(criterion: Criterion) -> str:
    return describe.criterion_text(criterion)


@register.filter
def verdict_text(verdict: Verdict) -> str:
    return describe.verdict_text(verdict)


@register.filter
def outcome_label(outcome: Outcome) -> str:
    return describe.outcome_label(outcome)


@register.filter
def recorded_verdict(criteria: list[dict[str, Any]]) -> Verdict:
    """Read the criteria a decision stored as a verdict, to show them in its words."""
    return Verdict.from_records(criteria)
