"""Money and dates as Dutch and English readers expect them: `€ 15.000` and `€15,000`."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils import translation


def money(amount: Decimal | int | None, language: str | None = None) -> str:
    """Format euros: whole euros unless there are cents, in the language's style."""
    if amount is None:
        return ""
    value = Decimal(amount)
    cents = value != value.to_integral_value()
    value = value.quantize(Decimal("0.01") if cents else Decimal(1), rounding=ROUND_HALF_UP)
    sign = "-" if value < 0 else ""
    text = f"{abs(value):,.2f}" if cents else f"{abs(value):,.0f}"
    lang = (language or translation.get_language() or "nl")[:2]
    if lang == "nl":
        text = text.replace(",", " ").replace(".", ",").replace(" ", ".")
        return f"{sign}€ {text}"
    return f"{sign}€{text}"


def number(value: Decimal | int | None, language: str | None = None) -> str:
    """Format a KPI figure without trailing zeros, with the language's decimal mark."""
    if value is None:
        return ""
    text = format(Decimal(value).normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    lang = (language or translation.get_language() or "nl")[:2]
    return text.replace(".", ",") if lang == "nl" else text


def iso_week(day: date) -> str:
    """Return the ISO week as planners write it: `2025-W09`."""
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"
