"""How a client's evaluation scores move over time: a pure summary, no Django.

The trend compares the mean of the last `WINDOW` scores with the mean of the `WINDOW` before
them; a difference under `STEADY` points is steady. Fewer than two scores have no trend.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

WINDOW = 3
STEADY = 0.5
Direction = Literal["up", "down", "steady", "none"]


@dataclass(frozen=True)
class Trend:
    count: int
    mean: float | None
    last: int | None
    direction: Direction


def trend(scores: Sequence[int]) -> Trend:
    """Summarise `scores`, oldest first."""
    if not scores:
        return Trend(0, None, None, "none")
    mean = round(sum(scores) / len(scores), 1)
    if len(scores) < 2:
        return Trend(1, mean, scores[-1], "none")
    recent = scores[-WINDOW:]
    before = scores[-2 * WINDOW : -WINDOW] or scores[:1]
    if len(scores) <= WINDOW:
        recent, before = scores[-1:], scores[:-1]
    change = sum(recent) / len(recent) - sum(before) / len(before)
    direction: Direction = "steady" if abs(change) < STEADY else ("up" if change > 0 else "down")
    return Trend(len(scores), mean, scores[-1], direction)
