"""Draw the power/interest grid as SVG, without Django.

Influence goes up, interest to the right, both 1 to 5. A stakeholder's stance shows twice, as
colour and as shape, so the grid reads without colour too. Every point is a link with an
accessible name (reachable by keyboard); the caller passes translated words and puts the same
data in a table beside it. Presentation attributes only, as in the other charts (CSP).
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from .rules import ATTENTION, Stance

LEFT, TOP, CELL_W, CELL_H, SIZE = 64, 16, 84, 64, 5
LEGEND, LEGEND_STEP = 36, 104
WIDTH = LEFT + SIZE * CELL_W + 56  # room for the legend's longest words (Dutch)
HEIGHT = TOP + SIZE * CELL_H + 44 + LEGEND
INK, MUTED, LINE, QUADRANT = "#1b2430", "#52606d", "#d9e2ec", "#f5f7fa"
COLOURS = {
    Stance.CHAMPION: "#1e6b3c",
    Stance.SUPPORTER: "#4f8f3a",
    Stance.NEUTRAL: "#52606d",
    Stance.SCEPTIC: "#8a5a00",
    Stance.OPPONENT: "#b42318",
}
R = 9  # half the size of a marker
# Where the n-th stakeholder in a cell sits, as fractions of the cell: a 3 by 3 raster.
SPOTS = [
    (0.5, 0.5), (0.2, 0.25), (0.8, 0.75), (0.8, 0.25), (0.2, 0.75),
    (0.2, 0.5), (0.8, 0.5), (0.5, 0.2), (0.5, 0.8),
]  # fmt: skip


@dataclass(frozen=True)
class Point:
    label: str  # the accessible name: who, their stance, influence and interest
    stance: Stance
    influence: int
    interest: int
    href: str


def marker(stance: Stance, x: float, y: float) -> str:
    """Return the shape of `stance` centred on (x, y): circle, square, diamond, triangle, cross."""
    fill = COLOURS[stance]
    ring = ' stroke="#ffffff" stroke-width="1.5"'
    if stance == Stance.CHAMPION:
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{R}" fill="{fill}"{ring}/>'
    if stance == Stance.SUPPORTER:
        side = 2 * R - 2
        return (
            f'<rect x="{x - side / 2:.1f}" y="{y - side / 2:.1f}" width="{side}" '
            f'height="{side}" fill="{fill}"{ring}/>'
        )
    if stance == Stance.NEUTRAL:
        corners = [(x, y - R - 1), (x + R + 1, y), (x, y + R + 1), (x - R - 1, y)]
    elif stance == Stance.SCEPTIC:
        corners = [(x, y - R - 1), (x + R + 1, y + R - 1), (x - R - 1, y + R - 1)]
    else:  # an opponent: a cross
        a, b = R, R / 3
        corners = [
            (x - a, y - a + b), (x - a + b, y - a), (x, y - b), (x + a - b, y - a),
            (x + a, y - a + b), (x + b, y), (x + a, y + a - b), (x + a - b, y + a),
            (x, y + b), (x - a + b, y + a), (x - a, y + a - b), (x - b, y),
        ]  # fmt: skip
    points = " ".join(f"{cx:.1f},{cy:.1f}" for cx, cy in corners)
    return f'<polygon points="{points}" fill="{fill}"{ring}/>'


def _attribute(text: str) -> str:
    return escape(text, {'"': "&quot;"})


def _text(x: float, y: float, text: str, anchor: str = "middle", fill: str = MUTED) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="{fill}">{escape(text)}</text>'
    )


def grid(
    points: Sequence[Point],
    *,
    key: str,
    title: str,
    description: str,
    influence: str,
    interest: str,
    quadrants: tuple[str, str, str, str],
    stances: Mapping[Stance, str],
) -> str:
    """Return the grid. `quadrants`: the words for high influence and low interest, high
    and high, low and low, low influence and high interest; `stances`: each stance's word."""
    bottom = TOP + SIZE * CELL_H
    right = LEFT + SIZE * CELL_W
    half_w, half_h = SIZE * CELL_W / 2, SIZE * CELL_H / 2
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="group" '
        f'aria-labelledby="{key}-title {key}-desc" class="chart stakeholder-grid" '
        'font-family="system-ui, sans-serif" font-size="12">',
        f'<title id="{key}-title">{escape(title)}</title>',
        f'<desc id="{key}-desc">{escape(description)}</desc>',
        f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
        f'<rect x="{LEFT + half_w:.1f}" y="{TOP}" width="{half_w:.1f}" height="{half_h:.1f}" '
        f'fill="{QUADRANT}"/>',
    ]
    for n in range(SIZE + 1):
        across, down = LEFT + n * CELL_W, TOP + n * CELL_H
        parts.append(
            f'<line x1="{across}" y1="{TOP}" x2="{across}" y2="{bottom}" stroke="{LINE}"/>'
        )
        parts.append(f'<line x1="{LEFT}" y1="{down}" x2="{right}" y2="{down}" stroke="{LINE}"/>')
    for n in range(1, SIZE + 1):
        parts.append(_text(LEFT + (n - 0.5) * CELL_W, bottom + 14, str(n)))
        parts.append(_text(LEFT - 8, bottom - (n - 0.5) * CELL_H + 4, str(n), "end"))
    parts.append(_text(LEFT + half_w, bottom + 30, interest, fill=INK))
    parts.append(
        f'<text x="16" y="{TOP + half_h:.1f}" text-anchor="middle" fill="{INK}" '
        f'transform="rotate(-90 16 {TOP + half_h:.1f})">{escape(influence)}</text>'
    )
    corners = [(LEFT + 4, TOP + 12, "start"), (right - 4, TOP + 12, "end")]
    corners += [(LEFT + 4, bottom - 6, "start"), (right - 4, bottom - 6, "end")]
    for (corner_x, corner_y, anchor), word in zip(corners, quadrants, strict=True):
        parts.append(_text(corner_x, corner_y, word, anchor))
    taken: dict[tuple[int, int], int] = {}
    for point in points:
        cell = (point.interest, point.influence)
        n = taken.get(cell, 0)
        taken[cell] = n + 1
        fx, fy = SPOTS[n % len(SPOTS)]
        x = LEFT + (point.interest - 1 + fx) * CELL_W
        y = bottom - (point.influence - fy) * CELL_H
        parts.append(
            f'<a href="{_attribute(point.href)}" aria-label="{_attribute(point.label)}">'
            f"<title>{escape(point.label)}</title>{marker(point.stance, x, y)}</a>"
        )
    x, y = 16.0, float(HEIGHT - 14)
    parts.append('<g aria-hidden="true">')
    for stance in reversed(ATTENTION):
        parts.append(marker(stance, x + R, y - 4))
        parts.append(_text(x + 2 * R + 6, y, stances[stance], "start", INK))
        x += LEGEND_STEP
    parts.append("</g></svg>")
    return "".join(parts)
