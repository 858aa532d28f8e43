"""The rollout's charts: an axis that fits what it shows."""

import re
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from koers.rollout.svg import Series, axis, chart


@pytest.mark.parametrize(
    ("top", "expected"),
    [
        (272, (300, 50)),
        (1, (1, 1)),
        (5, (5, 1)),
        (7, (8, 2)),
        (100, (100, 20)),
        (12_000, (12_000, 2_000)),
    ],
)
def test_the_axis_ends_at_a_round_step_just_above_the_maximum(top, expected):
    assert axis(top) == expected


@given(st.floats(min_value=0.5, max_value=10_000_000))
def test_the_axis_always_reaches_the_maximum_in_six_whole_steps_at_most(top):
    end, step = axis(top)
    assert end >= top and step >= 1
    assert end / step <= 6 and end - step < top


def test_a_chart_of_272_people_runs_to_300():
    people = Series("live", ((date(2026, 3, 2), 100.0), (date(2026, 3, 9), 272.0)), "#000")
    svg = chart([people], key="live", title="People live", description="")
    labels = re.findall(r'text-anchor="end" fill="[^"]+">(\d+)</text>', svg)
    assert labels == ["0", "50", "100", "150", "200", "250", "300"]


def test_days_under_the_axis_are_written_as_the_caller_says():
    tickets = Series("tickets", ((date(2026, 3, 2), 4.0),), "#000", kind="bar")
    svg = chart([tickets], key="s", title="", description="", day_label=lambda d: f"{d.day} mrt")
    assert ">2 mrt</text>" in svg and "tickets: 2 mrt 4</title>" in svg
    assert "2/3" not in svg and "2026-03-02" not in svg
