from datetime import date, datetime
from decimal import Decimal

import pytest
from django import forms
from django.template import Context, Template
from django.utils import translation
from django.utils.formats import date_format

from koers.core import formatting
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


@pytest.mark.parametrize(
    ("language", "day", "moment"),
    [("en", "30 Nov 2026", "12 Feb 2027 17:00"), ("nl", "30 nov 2026", "12 feb 2027 17:00")],
)
def test_dates_read_day_month_year_with_a_24_hour_clock(language, day, moment):
    at = datetime(2027, 2, 12, 17, 0)
    with translation.override(language):
        assert formatting.day(date(2026, 11, 30)) == day
        assert date_format(date(2026, 11, 30), "DATE_FORMAT") == day
        assert date_format(at, "SHORT_DATETIME_FORMAT") == moment
        assert date_format(at, "DATETIME_FORMAT") == moment
        month = Template('{{ at|date:"YEAR_MONTH_FORMAT" }}').render(Context({"at": at}))
        assert month == moment[3:11]


def test_dutch_month_names_are_lower_case_and_english_ones_capitalised():
    assert [formatting.short_month(m, "nl") for m in (1, 2, 12)] == ["jan", "feb", "dec"]
    assert [formatting.short_month(m, "en") for m in (1, 2, 12)] == ["Jan", "Feb", "Dec"]


def test_english_typed_dates_read_the_day_first():
    with translation.override("en"):
        field = forms.DateField()
        assert field.clean("12/02/2027") == date(2027, 2, 12)
        assert field.clean("2027-02-12") == date(2027, 2, 12)
