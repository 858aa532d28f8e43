from datetime import date
from decimal import Decimal

from koers.core.formatting import iso_week, money, number


def test_money_in_dutch_and_english():
    assert money(Decimal(15_000), "nl") == "€ 15.000"
    assert money(Decimal(15_000), "en") == "€15,000"
    assert money(Decimal("1234567.5"), "nl") == "€ 1.234.567,50"
    assert money(Decimal("1234567.5"), "en") == "€1,234,567.50"
    assert money(Decimal(-250), "nl") == "-€ 250"
    assert money(None) == ""


def test_numbers_drop_trailing_zeros_and_use_the_decimal_mark():
    assert number(Decimal("12.50"), "nl") == "12,5"
    assert number(Decimal("40.00"), "en") == "40"


def test_numbers_are_grouped_by_thousands_in_each_language():
    assert number(100_000, "nl") == "100.000"
    assert number(100_000, "en") == "100,000"
    assert number(Decimal("1234.50"), "nl") == "1.234,5"
    assert number(Decimal("-1234567.25"), "en") == "-1,234,567.25"
    assert number(Decimal("1E+3"), "nl") == "1.000"
    assert number(999, "nl") == "999"


def test_iso_week():
    assert iso_week(date(2025, 2, 26)) == "2025-W09"
