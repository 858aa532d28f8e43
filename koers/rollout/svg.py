"""Draw the rollout's charts as SVG: people live over time, support load, big bang.

Pure: no Django. The caller passes translated words. Presentation attributes only (no style
attributes), so the drawing passes the Content-Security-Policy and prints as it shows.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from xml.sax.saxutils import escape

WIDTH, HEIGHT = 880, 300
LEFT, RIGHT, TOP, BOTTOM = 56, 24, 36, 52
INK, MUTED, LINE = "#1b2430", "#52606d", "#d9e2ec"
COLOURS = {"plan": "#0b4f6c", "actual": "#1e7a46", "bad": "#b42318", "limit": "#8a5a00"}


@dataclass(frozen=True)
class Series:
    name: str
    points: tuple[tuple[date, float], ...]
    colour: str
    kind: str = "step"  # step (a running total) or bar (per day)
    dashed: bool = False


def axis(top: float, *, most_steps: int = 6) -> tuple[float, float]:
    """Return an axis maximum at or just above `top` and the step of its grid lines.

    The step is 1, 2 or 5 times a power of ten (whole: the charts count people and
    tickets), the smallest that reaches `top` in at most `most_steps` steps: 272 people get
    an axis to 300 in steps of 50, not one to 500.
    """
    if top <= 0:
        return 1.0, 1.0
    power = max(10.0 ** math.floor(math.log10(top / most_steps)), 1.0)
    for multiple in (1, 2, 5, 10):
        step = multiple * power
        steps = math.ceil(top / step)
        if steps <= most_steps:
            return steps * step, step
    raise AssertionError("unreachable: ten times the power always fits")


def _line(x1: float, y1: float, x2: float, y2: float, stroke: str, extra: str = "") -> str:
    return (
        f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{stroke}"{extra}/>'
    )


def _text(x: float, y: float, text: str, fill: str, anchor: str = "start") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="{fill}">{escape(text)}</text>'
    )


def chart(
    series: Sequence[Series],
    *,
    key: str,
    title: str,
    description: str,
    limit: float | None = None,
    limit_label: str = "",
    today: date | None = None,
    today_label: str = "",
    day_label: Callable[[date], str] = date.isoformat,
) -> str:
    """Return an SVG chart of the series over days, with an optional horizontal limit.

    `key` makes the ids of the title and description unique on a page with several charts;
    `day_label` writes a day as the reader does (2 Mar, 2 mrt), under the axis and in tips.
    """
    days = [d for s in series for d, _v in s.points]
    if not days:
        days = [today or date(2000, 1, 1)]
    first, last = min(days), max(days)
    last = max(last, first + timedelta(days=6))
    span = (last - first).days + 1
    values = [v for s in series for _d, v in s.points]
    top, step = axis(max([*values, limit or 0, 1]))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(day: date) -> float:
        return LEFT + plot_w * (day - first).days / span

    def y(value: float) -> float:
        return TOP + plot_h * (1 - value / top)

    day_w = plot_w / span
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{key}-title {key}-desc" class="chart" '
        'font-family="system-ui, sans-serif" font-size="12">',
        f'<title id="{key}-title">{escape(title)}</title>',
        f'<desc id="{key}-desc">{escape(description)}</desc>',
        f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
    ]
    for i in range(round(top / step) + 1):
        value = step * i
        parts.append(_line(LEFT, y(value), WIDTH - RIGHT, y(value), LINE))
        parts.append(_text(LEFT - 6, y(value) + 4, f"{value:g}", MUTED, "end"))
    day = first
    while day <= last:
        if day.weekday() == 0 or day == first:
            week = day.isocalendar()
            parts.append(_line(x(day), TOP, x(day), TOP + plot_h, LINE))
            parts.append(_text(x(day) + 2, HEIGHT - BOTTOM + 16, f"W{week.week:02d}", MUTED))
            parts.append(_text(x(day) + 2, HEIGHT - BOTTOM + 30, day_label(day), MUTED))
        day += timedelta(days=1)
    bars = [s for s in series if s.kind == "bar"]
    for n, s in enumerate(bars):
        width = max(day_w / max(len(bars), 1) - 1, 1)
        for when, value in s.points:
            left = x(when) + n * (width + 1)
            parts.append(
                f'<rect x="{left:.1f}" y="{y(value):.1f}" width="{width:.1f}" '
                f'height="{max(y(0) - y(value), 0):.1f}" fill="{s.colour}">'
                f"<title>{escape(f'{s.name}: {day_label(when)} {value:g}')}</title></rect>"
            )
    for s in series:
        if s.kind != "step" or not s.points:
            continue
        path = []
        previous = 0.0
        for when, value in s.points:
            path.append(f"{x(when):.1f},{y(previous):.1f} {x(when):.1f},{y(value):.1f}")
            previous = value
        path.append(f"{x(last) + day_w:.1f},{y(previous):.1f}")
        dash = ' stroke-dasharray="6 4"' if s.dashed else ""
        parts.append(
            f'<polyline points="{" ".join(path)}" fill="none" stroke="{s.colour}" '
            f'stroke-width="2.5"{dash}><title>{escape(s.name)}</title></polyline>'
        )
    if limit is not None:
        colour = COLOURS["limit"]
        dashes = ' stroke-width="2" stroke-dasharray="8 4"'
        parts.append(_line(LEFT, y(limit), WIDTH - RIGHT, y(limit), colour, dashes))
        parts.append(_text(WIDTH - RIGHT - 4, y(limit) - 6, limit_label, colour, "end"))
    if today and first <= today <= last:
        dashes = ' stroke-dasharray="2 3"'
        parts.append(_line(x(today), TOP - 6, x(today), TOP + plot_h, INK, dashes))
        parts.append(_text(x(today) + 3, TOP - 10, today_label, INK))
    # The legend shows each series as it is drawn (a dashed or a solid line, a bar), so planned
    # and live differ by more than their colour.
    legend_x = LEFT
    for s in series:
        if s.kind == "bar":
            parts.append(f'<rect x="{legend_x}" y="8" width="14" height="10" fill="{s.colour}"/>')
        else:
            dash = ' stroke-dasharray="6 4"' if s.dashed else ""
            parts.append(
                _line(legend_x, 13, legend_x + 22, 13, s.colour, f' stroke-width="2.5"{dash}')
            )
        parts.append(_text(legend_x + 26, 17, s.name, INK))
        legend_x += 36 + 7 * len(s.name)
    parts.append("</svg>")
    return "".join(parts)


def table(series: Sequence[Series]) -> list[tuple[date, tuple[float, ...]]]:
    """The charted figures per day, one value per series, for a table beside the chart: a
    running total (step) carried to the days between its points, a bar 0 on days without."""
    days = sorted({when for s in series for when, _value in s.points})
    columns = []
    for s in series:
        by_day = dict(s.points)
        values, last = [], 0.0
        for day in days:
            if s.kind == "bar":
                values.append(by_day.get(day, 0.0))
            else:
                last = by_day.get(day, last)
                values.append(last)
        columns.append(values)
    return [(day, tuple(column[i] for column in columns)) for i, day in enumerate(days)]
