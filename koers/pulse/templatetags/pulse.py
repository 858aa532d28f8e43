from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django import template

from koers.pulse.signals import Scores, Step

register = template.Library()


@register.filter
def average(scores: Scores | None, step: Step) -> Decimal | None:
    """Return the step's average in `scores`, or None."""
    return scores.average(step) if scores is not None else None


@register.filter
def bar_width(value: Any) -> int:
    """Return a bar's width class, 0 to 20, for a score of 0 to 5 (CSP allows no inline style)."""
    if value is None:
        return 0
    return int((Decimal(value) * 4).quantize(Decimal(1), rounding=ROUND_HALF_UP))


@register.filter
def signed(value: Decimal | None) -> str:
    """Return a change with its sign, e.g. +0.4 or -1.2; an en dash for none."""
    if value is None:
        return "\u2013"
    return f"{value:+.1f}"


@register.filter
def get_step(values: dict[Step, Any], step: Step) -> Any:
    return values.get(step)


@register.filter
def get_item(values: dict[Any, Any], key: Any) -> Any:
    return values.get(key)
