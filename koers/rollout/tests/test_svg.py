"""The rollout's charts: an axis that fits what it shows."""

import re
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from koers.rollout import svg
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


def test_the_figures_of_a_chart_as_a_table_carry_a_running_total_and_zero_a_bar() -> None:
    planned = svg.Series("Planned", ((date(2027, 3, 1), 10.0), (date(2027, 3, 3), 30.0)), "#000")
    live = svg.Series("Live", ((date(2027, 3, 2), 8.0),), "#111")
    tickets = svg.Series("Tickets", ((date(2027, 3, 2), 4.0),), "#222", kind="bar")
    assert svg.table([planned, live, tickets]) == [
        (date(2027, 3, 1), (10.0, 0.0, 0.0)),
        (date(2027, 3, 2), (10.0, 8.0, 4.0)),
        (date(2027, 3, 3), (30.0, 8.0, 0.0)),
    ]
    assert svg.table([]) == []


def test_the_legend_tells_planned_from_live_by_the_line_not_only_its_colour() -> None:
    drawn = svg.chart(
        [
            svg.Series("Planned", ((date(2027, 3, 1), 10.0),), "#0b4f6c", dashed=True),
            svg.Series("Live", ((date(2027, 3, 1), 5.0),), "#1e7a46"),
        ],
        key="k",
        title="t",
        description="d",
    )
    legend = drawn.split("</polyline>")[-1]
    assert legend.count('stroke-dasharray="6 4"') == 1  # the planned line, dashed as drawn
    assert legend.count("<line") >= 2 and '<rect x="56" y="8"' not in legend
