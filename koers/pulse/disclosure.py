"""One group-size rule over everything Koers publishes about a pulse round's answers.

Pure: no Django. The caller hands over the round's answers as plain records in the order they
arrived (by internal id only: the order itself is never published), each with its group
attributes (department, wave, ...), and whether the round is closed. Back comes what may be
published: the overall figure and, once the round is closed, per grouping the cells shown and
the cells hidden. Every page, export, report, API route and gate reads through `publish`.

The rule, for figures that are sums and counts over a set of answers:

- **Time.** While a round is open only the overall figure is published, and only over the
  first 5, 10, 15, ... answers (steps of `STEP`): two figures seen at different moments differ
  by a whole step of answers. When the round closes every figure is over the first
  `STEP * (N // STEP)` answers; the last few answers are counted but never published.
- **Size.** Every shown figure covers at least `MIN_GROUP` answers.
- **Complement.** Per grouping the hidden cells together (a viewer gets them as the total
  minus the shown cells; "not given" is a cell too) are none or at least `MIN_GROUP` answers:
  else the next smallest shown cell is hidden as well.
- **Across figures.** Every published set of answers (each overall snapshot, each shown cell,
  each grouping's hidden remainder) is a *container*; for every container and every
  grouping, including the arrival steps, the grouping's pieces that lie wholly inside the
  container may be added up by a viewer. What the container holds beyond them must be none
  or at least `MIN_GROUP` answers. This covers any two figures one inside the other (B = 6
  by department inside "B + C" = 7 by wave) and several inside one (a wave minus its two
  shown departments). A leak is repaired by hiding cells, and the check runs again until no
  leak is left (a fixpoint: cells are only ever hidden, so it ends).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

MIN_GROUP = 5
STEP = MIN_GROUP
NOT_GIVEN = ""


def basis(answers: int) -> int:
    """Return how many answers, the first by arrival, published figures may be over."""
    if answers < 0:
        raise ValueError(f"a number of answers cannot be negative, not {answers}")
    return answers - answers % STEP if answers >= MIN_GROUP else 0


@dataclass(frozen=True)
class Grouping:
    """One grouping of a closed round: the cells shown on their own and those hidden together."""

    name: str
    sizes: Mapping[str, int]  # answers per cell within the published answers
    shown: tuple[str, ...]
    hidden: tuple[str, ...]

    @property
    def hidden_size(self) -> int:
        """Return the answers in the hidden cells together: 0 or at least MIN_GROUP."""
        return sum(self.sizes[key] for key in self.hidden)

    def is_shown(self, key: str) -> bool:
        return key in self.shown


@dataclass(frozen=True)
class Publication:
    """What may be published of a round.

    `answers` is the live count; `basis` how many answers (the first by arrival) every
    figure is over, 0 when nothing may be shown; `groupings` is empty while the round is open.
    """

    answers: int
    basis: int
    is_final: bool
    groupings: Mapping[str, Grouping]

    @property
    def is_shown(self) -> bool:
        return self.basis > 0

    @property
    def unpublished(self) -> int:
        """Return how many answers are counted but in no published figure."""
        return self.answers - self.basis


def publish(
    records: Sequence[Sequence[str]], *, groupings: Sequence[str], is_closed: bool
) -> Publication:
    """Decide what may be published of a round whose answers arrived as `records`.

    Each record holds one value per grouping, in the order of `groupings`; NOT_GIVEN is a
    cell of its own.
    """
    if len(set(groupings)) != len(groupings):
        raise ValueError(f"groupings must be distinct, not {list(groupings)}")
    for position, record in enumerate(records):
        if len(record) != len(groupings):
            raise ValueError(
                f"answer {position + 1} has {len(record)} values for {len(groupings)} groupings"
            )
    total = basis(len(records))
    if not is_closed or total == 0:
        return Publication(len(records), total, is_closed, {})
    hidden = _suppress(records[:total], len(groupings))
    found = {}
    for index, name in enumerate(groupings):
        sizes = Counter(record[index] for record in records[:total])
        found[name] = Grouping(
            name,
            dict(sizes),
            tuple(sorted(key for key in sizes if key not in hidden[index])),
            tuple(sorted(hidden[index])),
        )
    return Publication(len(records), total, True, found)


def publication_record(publication: Publication) -> dict[str, Any]:
    """Return `publication` as plain JSON values, to keep (see `publication_from_record`)."""
    return {
        "answers": publication.answers,
        "basis": publication.basis,
        "is_final": publication.is_final,
        "groupings": {
            name: {"sizes": dict(g.sizes), "shown": list(g.shown), "hidden": list(g.hidden)}
            for name, g in publication.groupings.items()
        },
    }


def publication_from_record(record: Mapping[str, Any]) -> Publication:
    """Return the publication `publication_record` made."""
    return Publication(
        record["answers"],
        record["basis"],
        record["is_final"],
        {
            name: Grouping(name, dict(g["sizes"]), tuple(g["shown"]), tuple(g["hidden"]))
            for name, g in record["groupings"].items()
        },
    )


def publish_overall(count: int, *, is_closed: bool) -> Publication:
    """Return `publish` of `count` answers without groupings: the overall figure alone, as
    the dashboard, the gates and the trend need it, without a record per answer."""
    return Publication(count, basis(count), is_closed, {})


# The fixpoint. Answers are numbered by arrival; block i // STEP is the arrival step of answer
# i, and the overall snapshots are the unions of the first j blocks.


class _Cells:
    """One grouping over the published answers: cell sizes, what is hidden, where cells end."""

    def __init__(self, keys: Sequence[str]) -> None:
        self.keys = keys  # per answer
        self.sizes: Counter[str] = Counter(keys)
        self.last: dict[str, int] = {}  # the arrival index of each cell's last answer
        for position, key in enumerate(keys):
            self.last[key] = position
        self.hidden: set[str] = {key for key, size in self.sizes.items() if size < MIN_GROUP}
        self.complete()

    @property
    def shown(self) -> list[str]:
        """Return the shown cells, smallest first."""
        return sorted(
            (key for key in self.sizes if key not in self.hidden),
            key=lambda key: (self.sizes[key], key),
        )

    def hidden_size(self) -> int:
        return sum(self.sizes[key] for key in self.hidden)

    def complete(self) -> None:
        """Hide the smallest shown cells until the hidden ones together are 0 or enough."""
        while 0 < self.hidden_size() < MIN_GROUP:
            self.hidden.add(self.shown[0])

    def pieces(self) -> list[frozenset[str]]:
        """Return what a viewer can add up: each shown cell, and the hidden ones together."""
        found = [frozenset([key]) for key in self.shown]
        if self.hidden:
            found.append(frozenset(self.hidden))
        return found


@dataclass(frozen=True)
class _Leak:
    """A container whose answers beyond a grouping's pieces inside it are 1 to 4."""

    container: tuple[int, frozenset[str]] | None  # (grouping, cell keys); None: a snapshot
    inside: frozenset[str]  # the leaking grouping's cell keys wholly inside the container
    grouping: int | None  # None: the arrival steps


def _suppress(records: Sequence[Sequence[str]], width: int) -> list[set[str]]:
    columns = [[record[index] for record in records] for index in range(width)]
    cells = [_Cells(column) for column in columns]
    # What never changes while cells are hidden, worked out once: per grouping the keys each
    # arrival step holds, and per two groupings the cells of one that a cell of the other meets.
    steps = [
        Counter(frozenset(column[start : start + STEP]) for start in range(0, len(records), STEP))
        for column in columns
    ]
    meets: dict[tuple[int, int], dict[str, frozenset[str]]] = {}
    for g in range(width):
        for h in range(width):
            if g != h:
                found: dict[str, set[str]] = defaultdict(set)
                for key_g, key_h in set(zip(columns[g], columns[h], strict=True)):
                    found[key_g].add(key_h)
                meets[g, h] = {key: frozenset(value) for key, value in found.items()}
    while (leak := _find_leak(cells, steps, meets, len(records))) is not None:
        _repair(cells, leak)
        for grouping in cells:
            grouping.complete()
    return [grouping.hidden for grouping in cells]


def _leaks(size: int, inside: int) -> bool:
    return 0 < size - inside < MIN_GROUP


def _find_leak(
    cells: list[_Cells],
    steps: list[Counter[frozenset[str]]],
    meets: Mapping[tuple[int, int], Mapping[str, frozenset[str]]],
    total: int,
) -> _Leak | None:
    # Containers made of one grouping's cells: each piece of it.
    for h, container_cells in enumerate(cells):
        for piece in container_cells.pieces():
            size = sum(container_cells.sizes[key] for key in piece)
            # The arrival steps wholly inside the piece.
            pure = sum(count for keys, count in steps[h].items() if keys <= piece)
            if _leaks(size, pure * STEP):
                return _Leak((h, piece), frozenset(), None)
            for g, grouping in enumerate(cells):
                if g == h:
                    continue
                inside = frozenset(
                    key
                    for g_piece in grouping.pieces()
                    if all(meets[g, h][key] <= piece for key in g_piece)
                    for key in g_piece
                )
                if _leaks(size, sum(grouping.sizes[key] for key in inside)):
                    return _Leak((h, piece), inside, g)
    # Containers made of arrival steps: the overall snapshots over the first j steps.
    for g, grouping in enumerate(cells):
        ends = sorted(
            ((max(grouping.last[key] for key in piece), piece) for piece in grouping.pieces()),
            key=lambda end: end[0],
        )
        weight = 0
        covered: set[str] = set()
        position = 0
        for step in range(1, total // STEP + 1):
            while position < len(ends) and ends[position][0] < step * STEP:
                weight += sum(grouping.sizes[key] for key in ends[position][1])
                covered |= ends[position][1]
                position += 1
            if _leaks(step * STEP, weight):
                return _Leak(None, frozenset(covered), g)
    return None


def _repair(cells: list[_Cells], leak: _Leak) -> None:
    """Hide cells so that this leak closes; each call hides at least one cell."""
    if leak.grouping is None:
        # The arrival steps cannot be taken back: hide the container, or grow it.
        assert leak.container is not None  # a snapshot holds whole steps only
        h, piece = leak.container
        if len(piece) == 1 and next(iter(piece)) not in cells[h].hidden:
            cells[h].hidden |= piece
        else:
            cells[h].hidden.add(cells[h].shown[0])
        return
    if leak.container is not None and _is_shown_cell(cells, leak.container):
        h, piece = leak.container
        cells[h].hidden |= piece
        return
    # A snapshot or a hidden remainder: coarsen the leaking grouping across the container's
    # edge, so that its pieces inside no longer add up to nearly all of it.
    grouping = cells[leak.grouping]
    shown = grouping.shown
    inner = [key for key in shown if key in leak.inside]
    outer = [key for key in shown if key not in leak.inside]
    if inner:
        grouping.hidden.add(inner[0])
    if outer and grouping.hidden <= leak.inside:
        grouping.hidden.add(outer[0])


def _is_shown_cell(cells: list[_Cells], container: tuple[int, frozenset[str]]) -> bool:
    h, piece = container
    return len(piece) == 1 and not piece <= cells[h].hidden
