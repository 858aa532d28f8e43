"""Draw the month roadmap as SVG: phases as bars over months, milestones, today's line.

Pure: no Django. The caller passes translated labels; the drawing uses presentation
attributes only (no style attributes), so it passes the Content-Security-Policy and
prints the same as it shows.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from xml.sax.saxutils import escape, quoteattr

WIDTH = 1120
LABEL_WIDTH = 250
RIGHT_MARGIN = 90
HEADER = 46
LANE = 50
ROW = 34
BAR = 20
LEGEND = 40
STEP_LEGEND = 24
STEP_BAR = 12
STEP_COLOURS = {"pilot": "#b25e00", "department": "#0b4f6c", "ring": "#5b4b8a"}
STATE_MARKS = {
    "go": ("\u2713", "#1e7a46"),
    "no_go": ("\u2717", "#b42318"),
    "paused": ("\u2016", "#8a5a00"),
    "rolled_back": ("\u21b6", "#52606d"),
}
MIN_MONTHS = 6
MAX_MONTHS = 72

INK, MUTED, LINE = "#1b2430", "#52606d", "#d9e2ec"
COLOURS = {
    "planned": ("#dbe7f0", "#0b4f6c", INK),
    "active": ("#0b4f6c", "#0b4f6c", "#ffffff"),
    "done": ("#1e7a46", "#1e7a46", "#ffffff"),
    "stopped": ("#eef2f6", "#9aa5b1", MUTED),
}
MILESTONE_COLOURS = {"live": "#1e7a46", "coming": "#0b4f6c", "feedback": "#b25e00"}
ERROR, WARNING, ACCEPTED = "#b42318", "#8a5a00", "#9aa5b1"


@dataclass(frozen=True)
class Bar:
    label: str
    start: date
    end: date
    status: str
    caption: str = ""  # inside the bar, e.g. "8 wk · € 25.000"
    kpi_met: bool | None = None  # shown for done phases
    errors: int = 0
    warnings: int = 0
    accepted: int = 0
    note: str = ""  # the tooltip: what a screen reader and a hover tell
    is_late: bool = False  # past its end and not done
    key: str = ""  # the phase's key: the rollout it delivers is drawn under it


@dataclass(frozen=True)
class Moment:
    on: date
    kind: str  # live, coming or feedback
    title: str


@dataclass(frozen=True)
class Step:
    """A ring, the pilot or a wave of the rollout, drawn under the phase that delivers it."""

    label: str
    start: date
    end: date  # its last day
    kind: str  # pilot, ring, department (or another kind of ring)
    state: str = ""  # go, no_go, paused, rolled_back, or "" while nothing is decided
    is_late: bool = False
    note: str = ""  # the tooltip: what a screen reader and a hover tell


@dataclass(frozen=True)
class Rollout:
    """The rollout's steps and the key of the phase they go under ("": a row of their own)."""

    phase_key: str
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class Labels:
    title: str
    description: str
    months: tuple[str, ...]  # twelve short month names, January first
    today: str
    kinds: dict[str, str]  # milestone kind -> its name
    statuses: dict[str, str]  # phase status -> its name
    kpi_met: str
    kpi_missed: str
    finding: str
    accepted: str
    late: str
    rollout: str = "Rollout"
    # how many milestones have no label: said beside the lane
    unlabelled: Callable[[int], str] = "{} milestones without a label: see the list".format
    states: dict[str, str] = field(default_factory=dict)  # a step's state or kind -> its name
    day: Callable[[date], str] = date.isoformat  # a day as the reader writes it


def _month_index(day: date, first: date) -> float:
    whole = (day.year - first.year) * 12 + day.month - first.month
    days = calendar.monthrange(day.year, day.month)[1]
    return whole + (day.day - 1) / days


def month_range(bars: list[Bar], moments: list[Moment], today: date) -> tuple[date, int]:
    """Return the first month shown and the number of months."""
    days = [b.start for b in bars] + [b.end for b in bars] + [m.on for m in moments]
    if not days:
        days = [today]
    first = min(days).replace(day=1)
    last = max(days)
    count = (last.year - first.year) * 12 + last.month - first.month + 1
    if count < MIN_MONTHS and first <= today:
        # Pad short plans so a month keeps a readable width.
        count = MIN_MONTHS
    return first, max(MIN_MONTHS, min(count, MAX_MONTHS))


def _x_of(day: date, first: date, months: int) -> float:
    """Where `day` falls across the chart of `months` from `first`."""
    index = max(0.0, min(_month_index(day, first), float(months)))
    return LABEL_WIDTH + index * (WIDTH - LABEL_WIDTH - RIGHT_MARGIN) / months


def _text(x: float, y: float, content: str, **attrs: object) -> str:
    extra = "".join(f" {k.replace('_', '-')}={quoteattr(str(v))}" for k, v in attrs.items())
    return f'<text x="{x:.1f}" y="{y:.1f}"{extra}>{escape(content)}</text>'


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# A milestone's label: at most this many characters, about this wide each at 10 px.
MILESTONE_CHARS, MILESTONE_CHAR_WIDTH, LABEL_GAP = 22, 6.0, 8.0
PHASE_CHARS = 32  # a line of a phase's name in the label column, clear of its warning mark
# Beyond this many lanes (60 milestones in a year need 14) a label is left out: its symbol keeps
# its tooltip and the list under the roadmap names every milestone, while the phases stay on
# the screen.
MAX_LABEL_LANES = 16


def label_lanes(spans: list[tuple[float, float]], most: int = MAX_LABEL_LANES) -> list[int | None]:
    """Give each label (left, right), in the order given, the first lane where it does not
    touch a label before it: lane 0 is nearest the symbols. At most `most` lanes; a label
    that fits in none gets None."""
    ends: list[float] = []  # the right end of the last label in each lane
    lanes: list[int | None] = []
    for left, right in spans:
        lane = next((n for n, end in enumerate(ends) if end + LABEL_GAP <= left), len(ends))
        if lane == most:
            lanes.append(None)
            continue
        if lane == len(ends):
            ends.append(right)
        else:
            ends[lane] = right
        lanes.append(lane)
    return lanes


def wrapped(text: str, width: int = PHASE_CHARS, lines: int = 2) -> list[str]:
    """`text` in at most `lines` lines of `width` characters, broken between words; the last
    line shortened with an ellipsis when the text is longer."""
    words, out, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            out.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    out.append(line)
    if len(out) > lines:
        out = [*out[: lines - 1], _short(" ".join(out[lines - 1 :]), width)]
    return [_short(part, width) for part in out]


def _diamond(x: float, y: float, r: float, fill: str, stroke: str) -> str:
    points = f"{x:.1f},{y - r:.1f} {x + r:.1f},{y:.1f} {x:.1f},{y + r:.1f} {x - r:.1f},{y:.1f}"
    return f'<polygon points="{points}" fill="{fill}" stroke="{stroke}" stroke-width="2"/>'


def _symbol(kind: str, x: float, y: float) -> str:
    colour = MILESTONE_COLOURS.get(kind, MUTED)
    if kind == "live":
        return _diamond(x, y, 7, colour, colour)
    if kind == "coming":
        return _diamond(x, y, 7, "#ffffff", colour)
    return (
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="6" fill="#ffffff" '
        f'stroke="{colour}" stroke-width="3"/>'
    )


def _warning(x: float, y: float, colour: str) -> str:
    points = f"{x:.1f},{y - 7:.1f} {x + 8:.1f},{y + 6:.1f} {x - 8:.1f},{y + 6:.1f}"
    return f'<polygon points="{points}" fill="{colour}"/>' + _text(
        x, y + 5, "!", fill="#ffffff", font_size=10, font_weight=700, text_anchor="middle"
    )


def draw(
    bars: list[Bar],
    moments: list[Moment],
    today: date,
    labels: Labels,
    rollout: Rollout | None = None,
) -> str:
    """Return the roadmap as one SVG element, sized to its content."""
    first, months = month_range(bars, moments, today)
    chart = WIDTH - LABEL_WIDTH - RIGHT_MARGIN
    mw = chart / months
    lane_top = HEADER
    # Milestone labels in as many lanes as keep them apart (60 milestones in a year need more
    # than two); the lane grows with them.
    ordered = sorted(moments, key=lambda m: m.on)
    spans = []
    for moment in ordered:
        x = _x_of(moment.on, first, months)
        size = MILESTONE_CHAR_WIDTH * len(_short(moment.title, MILESTONE_CHARS))
        spans.append((x, x + size) if x < WIDTH - 160 else (x - size, x))
    lanes = label_lanes(spans)
    used = max((lane for lane in lanes if lane is not None), default=0) + 1
    unlabelled = lanes.count(None)
    lane_height = max(LANE, 38 + 12 * (used + (1 if unlabelled else 0)))
    rows_top = HEADER + lane_height
    # The rollout gets a row of its own under the phase that delivers it, else at the end.
    keys = [bar.key for bar in bars]
    after = -1
    if rollout is not None:
        after = keys.index(rollout.phase_key) if rollout.phase_key in keys else len(bars) - 1
    extra = 1 if rollout is not None else 0
    height = rows_top + max(len(bars) + extra, 1) * ROW + 12 + LEGEND
    total = height + (STEP_LEGEND if rollout is not None else 0)  # a legend line for the steps

    def top_of(row: int) -> float:
        return rows_top + (row + (1 if extra and row > after else 0)) * ROW

    def x_of(day: date) -> float:
        return _x_of(day, first, months)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {total}" '
        f'width="{WIDTH}" height="{total}" role="img" class="roadmap-svg" '
        'aria-labelledby="roadmap-title roadmap-desc" '
        'font-family="DejaVu Sans, system-ui, Arial, sans-serif" font-size="12">',
        f'<title id="roadmap-title">{escape(labels.title)}</title>',
        f'<desc id="roadmap-desc">{escape(labels.description)}</desc>',
        f'<rect x="0" y="0" width="{WIDTH}" height="{total}" fill="#ffffff"/>',
    ]
    # Month grid with the year above January (and above the first month).
    for i in range(months):
        year, month0 = divmod(first.month - 1 + i, 12)
        year += first.year
        x = LABEL_WIDTH + i * mw
        if i % 2 == 0:
            out.append(
                f'<rect x="{x:.1f}" y="{HEADER - 20}" width="{mw:.1f}" '
                f'height="{height - HEADER + 20 - LEGEND}" fill="#f5f7fa"/>'
            )
        out.append(
            f'<line x1="{x:.1f}" y1="{HEADER - 20}" x2="{x:.1f}" y2="{height - LEGEND}" '
            f'stroke="{LINE}" stroke-width="1"/>'
        )
        if mw >= 22:
            name = labels.months[month0] if mw >= 34 else labels.months[month0][:1]
            out.append(
                _text(x + mw / 2, HEADER - 6, name, fill=MUTED, text_anchor="middle", font_size=11)
            )
        if i == 0 or month0 == 0:
            out.append(_text(x + 3, HEADER - 26, str(year), fill=INK, font_weight=700))
    # Milestone lane: symbols with their titles, staggered so neighbours do not overlap.
    out.append(
        f'<line x1="0" y1="{rows_top - 2}" x2="{WIDTH}" y2="{rows_top - 2}" stroke="{LINE}"/>'
    )
    for moment, lane in zip(ordered, lanes, strict=True):
        x = x_of(moment.on)
        y = lane_top + 12
        kind = labels.kinds.get(moment.kind, moment.kind)
        out.append(
            f"<g><title>{escape(f'{kind}: {moment.title} ({labels.day(moment.on)})')}</title>"
        )
        out.append(
            f'<line x1="{x:.1f}" y1="{y:.1f}" x2="{x:.1f}" y2="{height - LEGEND}" '
            f'stroke="{MILESTONE_COLOURS.get(moment.kind, MUTED)}" stroke-width="1" '
            'stroke-dasharray="2 3"/>'
        )
        out.append(_symbol(moment.kind, x, y))
        if lane is not None:
            out.append(
                _text(
                    x,
                    y + 20 + 12 * lane,
                    _short(moment.title, MILESTONE_CHARS),
                    fill=INK,
                    font_size=10,
                    text_anchor="start" if x < WIDTH - 160 else "end",
                )
            )
        out.append("</g>")
    if unlabelled:
        note = labels.unlabelled(unlabelled)
        out.append(
            _text(WIDTH - 8, rows_top - 8, note, fill=MUTED, font_size=10, text_anchor="end")
        )
    # Phases: one row each.
    for row, bar in enumerate(bars):
        top = top_of(row)
        mid = top + ROW / 2
        fill, stroke, ink = COLOURS.get(bar.status, COLOURS["planned"])
        out.append(f"<g><title>{escape(bar.note or bar.label)}</title>")
        lines = wrapped(bar.label)
        first_y = mid + 4 - 7 * (len(lines) - 1)
        spans_xml = "".join(
            f'<tspan x="8" y="{first_y + 14 * n:.1f}">{escape(line)}</tspan>'
            for n, line in enumerate(lines)
        )
        out.append(
            f'<text x="8" y="{first_y:.1f}" fill="{INK}" font-weight="600">{spans_xml}</text>'
        )
        if bar.errors or bar.warnings:
            out.append(_warning(LABEL_WIDTH - 14, mid, ERROR if bar.errors else WARNING))
        elif bar.accepted:
            out.append(_warning(LABEL_WIDTH - 14, mid, ACCEPTED))
        x1, x2 = x_of(bar.start), x_of(bar.end)
        width = max(x2 - x1, 3.0)
        dash = ' stroke-dasharray="4 3"' if bar.status == "stopped" else ""
        out.append(
            f'<rect x="{x1:.1f}" y="{mid - BAR / 2:.1f}" width="{width:.1f}" height="{BAR}" '
            f'rx="4" fill="{fill}" stroke="{stroke}" stroke-width="1.5"{dash}/>'
        )
        if bar.caption and width > 7 * len(bar.caption):
            out.append(_text(x1 + 6, mid + 4, bar.caption, fill=ink, font_size=11))
        if bar.is_late:
            out.append(_late(x1, mid, width, labels.late))
        if bar.status == "done" and bar.kpi_met is not None:
            mark, colour = (
                ("✓ " + labels.kpi_met, "#1e7a46")
                if bar.kpi_met
                else (
                    "✗ " + labels.kpi_missed,
                    ERROR,
                )
            )
            anchor = "start" if x1 + width + 120 < WIDTH else "end"
            tx = x1 + width + 6 if anchor == "start" else x1 - 6
            out.append(
                _text(
                    tx,
                    mid + 4,
                    mark,
                    fill=colour,
                    font_size=11,
                    font_weight=700,
                    text_anchor=anchor,
                )
            )
        out.append("</g>")
    # Today's line.
    if first <= today and _month_index(today, first) <= months:
        x = x_of(today)
        out.append(
            f'<line x1="{x:.1f}" y1="{HEADER - 20}" x2="{x:.1f}" y2="{height - LEGEND}" '
            f'stroke="{ERROR}" stroke-width="2"/>'
        )
        out.append(
            _text(
                x + 3, height - LEGEND - 4, labels.today, fill=ERROR, font_size=11, font_weight=700
            )
        )
    if rollout is not None:
        out.append(_rollout_row(rollout, rows_top + (after + 1) * ROW, x_of, labels))
        out.append(_step_legend(height + 6, labels))
    findings = any(bar.errors or bar.warnings or bar.accepted for bar in bars)
    out.append(_legend(height - LEGEND + 14, labels, findings=findings))
    out.append("</svg>")
    return "".join(out)


def _late(x1: float, mid: float, width: float, label: str) -> str:
    """Outline a late bar in red and say so beside it."""
    outline = (
        f'<rect x="{x1 - 2:.1f}" y="{mid - BAR / 2 - 2:.1f}" width="{width + 4:.1f}" '
        f'height="{BAR + 4}" rx="5" fill="none" stroke="{ERROR}" stroke-width="2"/>'
    )
    anchor = "start" if x1 + width + 80 < WIDTH else "end"
    tx = x1 + width + 6 if anchor == "start" else x1 - 6
    return outline + _text(
        tx, mid + 4, "⚠ " + label, fill=ERROR, font_size=11, font_weight=700, text_anchor=anchor
    )


def _rollout_row(
    rollout: Rollout, top: float, x_of: Callable[[date], float], labels: Labels
) -> str:
    """Draw the rollout's steps in one row: a bar per step, its gate decision above it."""
    mid = top + ROW / 2
    out = [
        f"<g><title>{escape(labels.rollout)}</title>",
        _text(20, mid + 4, "\u21b3 " + _short(labels.rollout, 28), fill=INK, font_style="italic"),
        "</g>",
    ]
    starts = [x_of(step.start) for step in rollout.steps[1:]] + [float(WIDTH)]
    for step, room_until in zip(rollout.steps, starts, strict=True):
        colour = STEP_COLOURS.get(step.kind, STEP_COLOURS["ring"])
        x1 = x_of(step.start)
        x2 = x_of(step.end + timedelta(days=1))
        width = max(x2 - x1, 4.0)
        # Solid once decided (or live), open while still to come.
        fill = colour if step.state else "#ffffff"
        name = labels.states.get(step.state, "")
        out.append(f"<g><title>{escape(step.note or step.label)}</title>")
        out.append(
            f'<rect x="{x1:.1f}" y="{mid - STEP_BAR / 2:.1f}" width="{width:.1f}" '
            f'height="{STEP_BAR}" rx="2" fill="{fill}" stroke="{colour}" stroke-width="1.5"/>'
        )
        if step.is_late:
            out.append(
                f'<rect x="{x1 - 2:.1f}" y="{mid - STEP_BAR / 2 - 2:.1f}" '
                f'width="{width + 4:.1f}" height="{STEP_BAR + 4}" rx="3" fill="none" '
                f'stroke="{ERROR}" stroke-width="2"/>'
            )
        if step.state in STATE_MARKS:
            mark, mark_colour = STATE_MARKS[step.state]
            out.append(
                _text(
                    x1 + width / 2,
                    mid - STEP_BAR / 2 - 3,
                    mark,
                    fill=mark_colour,
                    font_size=11,
                    font_weight=700,
                    text_anchor="middle",
                    aria_label=name,
                )
            )
        # The pilot is named where there is room before the next step; all are in the tooltips.
        if step.kind == "pilot" and room_until - (x1 + width + 4) > 6.5 * len(step.label):
            out.append(_text(x1 + width + 4, mid + 4, step.label, fill=INK, font_size=10))
        out.append("</g>")
    return "".join(out)


def _step_legend(y: float, labels: Labels) -> str:
    parts: list[str] = []
    x = 8.0
    for kind in ("pilot", "ring", "department"):
        name = labels.states.get(kind, "")
        if not name:
            continue
        parts.append(
            f'<rect x="{x:.1f}" y="{y - 8:.1f}" width="18" height="{STEP_BAR - 2}" rx="2" '
            f'fill="{STEP_COLOURS[kind]}"/>'
        )
        parts.append(_text(x + 24, y + 1, name, fill=INK, font_size=11))
        x += 36 + 7 * len(name)
    for state, (mark, colour) in STATE_MARKS.items():
        name = labels.states.get(state, state)
        parts.append(_text(x, y + 1, mark, fill=colour, font_size=12, font_weight=700))
        parts.append(_text(x + 14, y + 1, name, fill=INK, font_size=11))
        x += 26 + 7 * len(name)
    return "<g>" + "".join(parts) + "</g>"


def _legend(y: float, labels: Labels, *, findings: bool = True) -> str:
    """The legend of what the drawing can show; the guardrails' marks only where it shows them
    (never on the roadmap a client is sent)."""
    parts: list[str] = []
    x = 8.0
    for status in ("planned", "active", "done"):
        fill, stroke, _ink = COLOURS[status]
        parts.append(
            f'<rect x="{x:.1f}" y="{y - 9:.1f}" width="22" height="12" rx="3" '
            f'fill="{fill}" stroke="{stroke}"/>'
        )
        name = labels.statuses.get(status, status)
        parts.append(_text(x + 28, y + 1, name, fill=INK, font_size=11))
        x += 40 + 7 * len(name)
    for kind in ("live", "coming", "feedback"):
        parts.append(_symbol(kind, x + 6, y - 3))
        name = labels.kinds.get(kind, kind)
        parts.append(_text(x + 18, y + 1, name, fill=INK, font_size=11))
        x += 30 + 7 * len(name)
    if findings:
        parts.append(_warning(x + 8, y - 3, ERROR))
        parts.append(_text(x + 20, y + 1, labels.finding, fill=INK, font_size=11))
        x += 32 + 7 * len(labels.finding)
        parts.append(_warning(x + 8, y - 3, ACCEPTED))
        parts.append(_text(x + 20, y + 1, labels.accepted, fill=INK, font_size=11))
        x += 32 + 7 * len(labels.accepted)
    parts.append(
        f'<rect x="{x:.1f}" y="{y - 9:.1f}" width="22" height="12" rx="3" '
        f'fill="none" stroke="{ERROR}" stroke-width="2"/>'
    )
    parts.append(_text(x + 28, y + 1, labels.late, fill=INK, font_size=11))
    x += 40 + 7 * len(labels.late)
    parts.append(
        f'<line x1="{x:.1f}" y1="{y - 10:.1f}" x2="{x:.1f}" y2="{y + 3:.1f}" '
        f'stroke="{ERROR}" stroke-width="2"/>'
    )
    parts.append(_text(x + 6, y + 1, labels.today, fill=INK, font_size=11))
    return "<g>" + "".join(parts) + "</g>"
