from datetime import date
from decimal import Decimal

from django import template

from koers.core import formatting

register = template.Library()


@register.filter
def money(amount: Decimal | int | None) -> str:
    """`{{ phase.budget|money }}`: € 15.000 in Dutch, €15,000 in English."""
    return formatting.money(amount)


@register.filter
def figure(value: Decimal | int | None) -> str:
    return formatting.number(value)


@register.filter
def isoweek(day: date | None) -> str:
    return formatting.iso_week(day) if day else ""


@register.filter
def isoweeks(first: date | None, last: date | None) -> str:
    """`{{ view.start|isoweeks:view.last_day }}`: the ISO weeks from the first to the last day."""
    return formatting.iso_weeks(first, last) if first and last else ""
