"""Figures counted once per page view.

A page asks for the same figure in several places: the status report wants the open round's
published figure for the signal, the measurement, the trend and the gates, each through its
own query function. While a GET request is served (`counted_once`, set by the middleware),
`batch` remembers what those functions counted, per key, so the page counts each once and its
parts cannot disagree. Outside a read request (writes, commands, tasks) nothing is kept:
there a count must see what the same request just wrote.
"""

from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

Key = TypeVar("Key", bound=Hashable)
Value = TypeVar("Value")

_kept: ContextVar[dict[tuple[str, Any], Any] | None] = ContextVar("koers_memo", default=None)
_ABSENT = object()  # computed, and the computation had nothing for this key


@contextmanager
def counted_once() -> Iterator[None]:
    """Remember what `batch` counts until the block ends."""
    token = _kept.set({})
    try:
        yield
    finally:
        _kept.reset(token)


def batch(
    kind: str, keys: Iterable[Key], compute: Callable[[list[Key]], Mapping[Key, Value]]
) -> dict[Key, Value]:
    """Return `compute(keys)`, asking it only for the keys not yet counted in this block.

    `kind` names what is counted; `compute` takes a list of keys and returns a value for those
    it has one for (a key it leaves out stays left out, and is not asked for again).
    """
    wanted = list(keys)
    kept = _kept.get()
    if kept is None:
        return dict(compute(wanted))
    missing = [key for key in wanted if (kind, key) not in kept]
    if missing:
        found = compute(missing)
        for key in missing:
            kept[(kind, key)] = found.get(key, _ABSENT)
    values = ((key, kept[(kind, key)]) for key in wanted)
    return {key: value for key, value in values if value is not _ABSENT}
