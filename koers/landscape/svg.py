"""Draw a client's landscape map as SVG, without Django.

Systems are tiles, grouped by the systems they talk to (`analysis.groups`): the mainland in
the first box, each digital island in a box of its own with a dashed border, an island mark
and the word "island" in its heading, so islands read without colour. Inside a box, tiles are
ordered by capability, so systems serving the same capability stand side by side, and a
duplicated capability is marked on the tile ("2x": two systems serve it). Integrations are
lines under the tiles: solid for an API, long dashes for a file transfer, short dashes for
manual re-typing inside a box; manual links to other boxes are a count in a dashed box on the
tile (lines across the map would cross every box); "none" is not drawn (it is in the table).
Every tile is a link with an accessible name; the caller passes translated words and puts the
same data in a table beside it. Presentation attributes only, as in the other charts (CSP).
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from .analysis import Group, Kind

WIDTH = 960
PAD, GAP, HEAD = 12, 16, 28
TILE_W, TILE_H, TILE_GAP = 180, 46, 10
INK, MUTED, LINE, ISLAND, MAINLAND = "#1b2430", "#52606d", "#9aa5b1", "#b42318", "#e4e7eb"
DASHES = {Kind.API: "", Kind.FILE: "8 4", Kind.MANUAL: "3 3"}
LEGEND_H = 40
NAME_CHARS, CAPABILITY_CHARS = 22, 26


@dataclass(frozen=True)
class Tile:
    key: int
    name: str
    capability: str  # the second line: capability and what else matters
    label: str  # the accessible name: name, capability, debt, group
    href: str
    serving: int = 1  # systems serving its capability; more than one is marked ("3x")


@dataclass(frozen=True)
class Line:
    source: int
    target: int
    kind: Kind


def _attribute(text: str) -> str:
    return escape(text, {'"': "&quot;"})


def _cut(text: str, size: int) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"


def _text(x: float, y: float, text: str, *, fill: str = INK, weight: str = "") -> str:
    bold = ' font-weight="600"' if weight else ""
    return f'<text x="{x:.0f}" y="{y:.0f}" fill="{fill}"{bold}>{escape(text)}</text>'


def island_mark(x: float, y: float) -> str:
    """A small island: a hill over two waves, drawn in the island colour."""
    return (
        f'<path d="M{x:.0f} {y + 8:.0f} q7 -14 14 0 z" fill="{ISLAND}"/>'
        f'<path d="M{x - 2:.0f} {y + 11:.0f} q4.5 -3 9 0 t9 0" fill="none" '
        f'stroke="{ISLAND}" stroke-width="1.5"/>'
    )


def _retyped(x: float, y: float, count: int) -> str:
    """The number of manual links from a tile to other groups, in a dashed box."""
    return (
        f'<rect x="{x:.0f}" y="{y:.0f}" width="24" height="16" rx="3" fill="#ffffff" '
        f'stroke="{ISLAND}" stroke-width="1.5" stroke-dasharray="3 2"/>'
        f'<text x="{x + 12:.0f}" y="{y + 12:.0f}" fill="{ISLAND}" text-anchor="middle" '
        f'font-size="11">{count}</text>'
    )


@dataclass(frozen=True)
class _Box:
    x: int
    y: int
    columns: int
    rows: int

    @property
    def width(self) -> int:
        return 2 * PAD + self.columns * TILE_W + (self.columns - 1) * TILE_GAP

    @property
    def height(self) -> int:
        return HEAD + PAD + self.rows * TILE_H + (self.rows - 1) * TILE_GAP


def _layout(sizes: Sequence[int]) -> tuple[list[_Box], int]:
    """Place boxes of `sizes` tiles left to right, wrapping; return them and the height."""
    most = (WIDTH - 2 * PAD + TILE_GAP) // (TILE_W + TILE_GAP)
    boxes, x, y, row_height = [], 0, 0, 0
    for size in sizes:
        columns = max(1, min(size, most))
        box = _Box(x, y, columns, -(-size // columns))
        if x and x + box.width > WIDTH:
            x, y, row_height = 0, y + row_height + GAP, 0
            box = _Box(x, y, box.columns, box.rows)
        boxes.append(box)
        x += box.width + GAP
        row_height = max(row_height, box.height)
    return boxes, y + row_height


def landscape_map(
    tiles: Sequence[Tile],
    lines: Sequence[Line],
    groups: Sequence[Group],
    *,
    key: str,
    title: str,
    description: str,
    headings: Sequence[str],
    kinds: Mapping[Kind, str],
    island_word: str,
    retyped_word: str,
) -> str:
    """Return the map. `groups` as `analysis.groups` gives them (largest first), `headings`
    one per group (e.g. "Digital island 2"), `kinds` the word of each drawn kind,
    `retyped_word` the legend of the count of manual links to other groups."""
    by_key = {t.key: t for t in tiles}
    ordered = [
        sorted((by_key[k] for k in g.systems if k in by_key), key=lambda t: t.capability)
        for g in groups
    ]
    boxes, height = _layout([max(1, len(members)) for members in ordered])
    total = height + LEGEND_H + GAP
    centre: dict[int, tuple[float, float]] = {}
    spots: list[tuple[Tile, float, float]] = []
    for box, members in zip(boxes, ordered, strict=True):
        for n, tile in enumerate(members):
            row, column = divmod(n, box.columns)
            left = box.x + PAD + column * (TILE_W + TILE_GAP)
            top = box.y + HEAD + row * (TILE_H + TILE_GAP)
            centre[tile.key] = (left + TILE_W / 2, top + TILE_H / 2)
            spots.append((tile, left, top))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {total}" '
        f'width="{WIDTH}" height="{total}" role="group" aria-labelledby="{key}-title {key}-desc" '
        'class="chart landscape-map" font-family="system-ui, sans-serif" font-size="12">',
        f'<title id="{key}-title">{escape(title)}</title>',
        f'<desc id="{key}-desc">{escape(description)}</desc>',
        f'<rect x="0" y="0" width="{WIDTH}" height="{total}" fill="#ffffff"/>',
    ]
    for box, group, heading in zip(boxes, groups, headings, strict=True):
        edge = f'stroke="{ISLAND}" stroke-width="2" stroke-dasharray="6 4"'
        if not group.is_island:
            edge = f'stroke="{LINE}" stroke-width="1"'
        parts.append(
            f'<rect x="{box.x + 1}" y="{box.y + 1}" width="{box.width - 2}" '
            f'height="{box.height - 2}" rx="8" fill="#f8fafc" {edge}/>'
        )
        left = box.x + PAD
        if group.is_island:
            parts.append(island_mark(left, box.y + 6))
            left += 22
        cut = max(8, (box.width - (left - box.x) - PAD) // 7)
        parts.append(_text(left, box.y + 19, _cut(heading, cut), weight="bold"))
    group_of = {k: n for n, g in enumerate(groups) for k in g.systems}
    retyped: dict[int, int] = {}  # manual links to another group, per tile
    parts.append('<g aria-hidden="true">')
    for line in lines:
        if line.kind not in DASHES or line.source not in centre or line.target not in centre:
            continue
        if group_of[line.source] != group_of[line.target]:
            # Only people join groups; a line across the map would cross every box.
            for end in (line.source, line.target):
                retyped[end] = retyped.get(end, 0) + 1
            continue
        (x1, y1), (x2, y2) = centre[line.source], centre[line.target]
        dash = f' stroke-dasharray="{DASHES[line.kind]}"' if DASHES[line.kind] else ""
        colour = ISLAND if line.kind == Kind.MANUAL else MUTED
        parts.append(
            f'<line x1="{x1:.0f}" y1="{y1:.0f}" x2="{x2:.0f}" y2="{y2:.0f}" stroke="{colour}" '
            f'stroke-width="1.5" stroke-opacity="0.7"{dash}/>'
        )
    parts.append("</g>")
    island_of = {k for g in groups if g.is_island for k in g.systems}
    for tile, tx, ty in spots:
        border = (
            f'stroke="{ISLAND}" stroke-width="2"'
            if tile.key in island_of
            else (f'stroke="{MUTED}" stroke-width="1"')
        )
        name_cut = NAME_CHARS - (3 if tile.serving > 1 else 0)
        parts.append(
            f'<a href="{_attribute(tile.href)}" aria-label="{_attribute(tile.label)}">'
            f"<title>{escape(tile.label)}</title>"
            f'<rect x="{tx:.0f}" y="{ty:.0f}" width="{TILE_W}" height="{TILE_H}" rx="4" '
            f'fill="#ffffff" {border}/>'
            + _text(tx + 8, ty + 18, _cut(tile.name, name_cut), weight="bold")
            + _text(tx + 8, ty + 36, _cut(tile.capability, CAPABILITY_CHARS), fill=MUTED)
        )
        if tile.serving > 1:
            parts.append(
                f'<rect x="{tx + TILE_W - 30:.0f}" y="{ty + 5:.0f}" width="24" height="16" '
                f'rx="3" fill="{INK}"/>'
                f'<text x="{tx + TILE_W - 18:.0f}" y="{ty + 17:.0f}" fill="#ffffff" '
                f'text-anchor="middle" font-size="11">{tile.serving}x</text>'
            )
        if tile.key in retyped:
            parts.append(_retyped(tx + TILE_W - 30, ty + TILE_H - 20, retyped[tile.key]))
        parts.append("</a>")
    y = height + GAP + 20
    parts.append('<g aria-hidden="true">')
    x = 0.0
    parts.append(island_mark(x, y - 12))
    parts.append(_text(x + 22, y, island_word))
    x += 40 + 7 * len(island_word)
    for kind, dash in DASHES.items():
        style = f' stroke-dasharray="{dash}"' if dash else ""
        colour = ISLAND if kind == Kind.MANUAL else MUTED
        parts.append(
            f'<line x1="{x}" y1="{y - 4}" x2="{x + 36}" y2="{y - 4}" stroke="{colour}" '
            f'stroke-width="2"{style}/>'
        )
        parts.append(_text(x + 42, y, kinds[kind]))
        x += 60 + 7 * len(kinds[kind])
    parts.append(_retyped(x, y - 13, 2))
    parts.append(_text(x + 30, y, retyped_word))
    parts.append("</g></svg>")
    return "".join(parts)
