"""Figures counted once per page view: koers.core.memo and its middleware."""

from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from koers.core import memo
from koers.core.middleware import counted_once_per_view


class Counter:
    """A compute function that records what it was asked for."""

    def __init__(self) -> None:
        self.asked: list[list[int]] = []

    def __call__(self, keys: list[int]) -> dict[int, int]:
        self.asked.append(keys)
        return {key: key * 10 for key in keys if key != 3}  # nothing for 3


def test_outside_a_view_every_call_counts_again() -> None:
    count = Counter()
    assert memo.batch("n", [1, 2], count) == {1: 10, 2: 20}
    assert memo.batch("n", [1, 2], count) == {1: 10, 2: 20}
    assert count.asked == [[1, 2], [1, 2]]


def test_in_a_view_each_key_is_counted_once_and_a_missing_one_stays_missing() -> None:
    count = Counter()
    with memo.counted_once():
        assert memo.batch("n", [1, 2, 3], count) == {1: 10, 2: 20}
        assert memo.batch("n", [2, 3, 4], count) == {2: 20, 4: 40}
        assert memo.batch("other", [2], count) == {2: 20}  # another kind counts apart
    assert count.asked == [[1, 2, 3], [4], [2]]
    memo.batch("n", [1], count)
    assert count.asked[-1] == [1]  # the block's figures went with it


def _view_counting_twice(count: Counter) -> HttpResponse:
    memo.batch("n", [1], count)
    memo.batch("n", [1], count)
    return HttpResponse()


def test_the_middleware_keeps_figures_for_reads_and_never_for_writes() -> None:
    count = Counter()

    def view(request: HttpRequest) -> HttpResponse:
        return _view_counting_twice(count)

    handler = counted_once_per_view(view)
    handler(RequestFactory().get("/"))
    assert count.asked == [[1]]
    handler(RequestFactory().post("/"))
    assert count.asked == [[1], [1], [1]]  # a write sees what it just wrote
