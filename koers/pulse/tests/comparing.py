"""What a viewer can work out from published figures, checked by brute force over answer sets.

Shared by the pure test of `disclosure` and the tests through pages, API and exports, and
apart from how `disclosure.publish` works it out.
"""

from collections.abc import Iterable, Sequence

MIN_GROUP = 5


def assert_nothing_small_revealed(
    figures: Iterable[frozenset[int]], partitions: Sequence[Sequence[frozenset[int]]]
) -> None:
    """Fail when subtracting published figures gives the answers of 1 to 4 people.

    `figures` are the answer sets of every published figure; `partitions` per grouping
    (and per arrival step) the pieces a viewer can add up. Tried: any two figures one inside
    the other, and any figure minus every piece of one grouping that lies inside it.
    """
    found = set(figures)
    for small in found:
        for large in found:
            if small < large:
                assert len(large - small) >= MIN_GROUP, (sorted(small), sorted(large))
    for large in found:
        for pieces in partitions:
            inside = frozenset().union(*(piece for piece in pieces if piece <= large))
            left = len(large - inside)
            assert left == 0 or left >= MIN_GROUP, (sorted(large), sorted(inside))
