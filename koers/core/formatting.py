"""Money and dates as Dutch and English readers expect them: `€ 15.000` and `€15,000`,
`15 feb 2027` and `15 Feb 2027` (the formats live in koers/core/formats)."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils import translation
from django.utils.dates import MONTHS_3
from django.utils.formats import date_format

from koers.core import dates

DUTCH_MARKS = str.maketrans(",.", ".,")


def money(amount: Decimal | int | None, language: str | None = None) -> str:
    """Format euros: whole euros unless there are cents, in the language's style."""
    if amount is None:
        return ""
    value = Decimal(amount)
    cents = value != value.to_integral_value()
    value = value.quantize(Decimal("0.01") if cents else Decimal(1), rounding=ROUND_HALF_UP)
    sign = "-" if value < 0 else ""
    text = f"{abs(value):,.2f}" if cents else f"{abs(value):,.0f}"
    if _is_dutch(language):
        return f"{sign}€ {_dutch_marks(text)}"
    return f"{sign}€{text}"


def number(value: Decimal | int | None, language: str | None = None) -> str:
    """Format a figure without trailing zeros, grouped by thousands: 100.000 or 100,000."""
    if value is None:
        return ""
    text = format(Decimal(value).normalize(), ",f")
    return _dutch_marks(text) if _is_dutch(language) else text


def day(value: date) -> str:
    """Format a day in the active language: 15 feb 2027, 15 Feb 2027 (never 2/15/2027)."""
    return str(date_format(value, "SHORT_DATE_FORMAT"))


def short_month(month: int, language: str | None = None) -> str:
    """Name a month (1-12) shortly: `feb` in Dutch, which writes month names in lower case."""
    name = str(MONTHS_3[month])
    return name if _is_dutch(language) else name.capitalize()


def _is_dutch(language: str | None) -> bool:
    return (language or translation.get_language() or "nl")[:2] == "nl"


def _dutch_marks(text: str) -> str:
    """1,234.5 as Dutch writes it: 1.234,5."""
    return text.translate(DUTCH_MARKS)


# One definition of ISO week labels, shared with the pure modules.
iso_week = dates.iso_week
iso_weeks = dates.iso_weeks
