"""ISO week spans and lateness: one definition for phases and waves."""

import re
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from koers.core.dates import is_late, iso_week, iso_weeks

SPAN = re.compile(r"^(\d{4})-W(\d{2})(?:\u2013(?:(\d{4})-)?W(\d{2}))?$")


def _weeks_in(label: str) -> int:
    """Count the ISO weeks a label names, going week by week from its first to its last."""
    match = SPAN.match(label)
    assert match, label
    year, week = int(match[1]), int(match[2])
    last_year = int(match[3] or year)
    last_week = int(match[4] or week)
    day = date.fromisocalendar(year, week, 1)
    end = date.fromisocalendar(last_year, last_week, 1)
    return (end - day).days // 7 + 1


def test_a_12_week_phase_from_a_monday_shows_12_iso_weeks_not_13() -> None:
    start = date(2026, 3, 2)  # a Monday, 2026-W10
    last = start + timedelta(weeks=12) - timedelta(days=1)
    assert iso_weeks(start, last) == "2026-W10\u2013W21"
    assert _weeks_in(iso_weeks(start, last)) == 12


def test_a_span_across_week_53_names_both_years() -> None:
    # 2026 has 53 ISO weeks: 28 December 2026 is in 2026-W53, 4 January 2027 in 2027-W01.
    assert iso_week(date(2026, 12, 28)) == "2026-W53"
    assert iso_weeks(date(2026, 12, 21), date(2027, 1, 10)) == "2026-W52\u20132027-W01"
    # 1 January 2027 is a Friday of 2026-W53: the span stays in one ISO year.
    assert iso_weeks(date(2026, 12, 28), date(2027, 1, 3)) == "2026-W53"
    # 29 December 2025 is already 2026-W01.
    assert iso_weeks(date(2025, 12, 22), date(2025, 12, 29)) == "2025-W52\u20132026-W01"


@given(
    monday=st.dates(min_value=date(2000, 1, 3), max_value=date(2098, 12, 1)).map(
        lambda d: d - timedelta(days=d.weekday())
    ),
    weeks=st.integers(min_value=1, max_value=60),
)
def test_n_weeks_from_a_monday_always_show_n_iso_weeks(monday: date, weeks: int) -> None:
    last = monday + timedelta(weeks=weeks) - timedelta(days=1)
    assert _weeks_in(iso_weeks(monday, last)) == weeks


@given(
    first=st.dates(min_value=date(2000, 1, 1), max_value=date(2098, 12, 1)),
    days=st.integers(min_value=0, max_value=400),
)
def test_a_span_names_the_weeks_of_its_first_and_last_day(first: date, days: int) -> None:
    last = first + timedelta(days=days)
    label = iso_weeks(first, last)
    assert label.startswith(iso_week(first))
    assert label.endswith(iso_week(last)[-3:])
    expected = (
        date.fromisocalendar(*last.isocalendar()[:2], 1)
        - date.fromisocalendar(*first.isocalendar()[:2], 1)
    ).days // 7 + 1
    assert _weeks_in(label) == expected


def test_late_means_past_the_last_day_and_not_finished() -> None:
    last = date(2026, 6, 5)
    assert not is_late(last_day=last, is_finished=False, today=last)
    assert is_late(last_day=last, is_finished=False, today=last + timedelta(days=1))
    assert not is_late(last_day=last, is_finished=True, today=last + timedelta(days=30))
    assert not is_late(last_day=None, is_finished=False, today=last)


def test_no_template_writes_a_month_with_djangos_capitalised_m() -> None:
    """Django's "M" writes "Feb" in Dutch too; the named formats (core/formats) write "feb"."""
    import re
    from pathlib import Path

    import koers

    found = []
    for path in Path(koers.__file__).parent.rglob("templates/**/*.html"):
        for fmt in re.findall(r"""\|date:["']([^"']*)["']""", path.read_text()):
            if "FORMAT" not in fmt and "M" in fmt:
                found.append(f"{path.name}: {fmt}")
    assert not found, found
