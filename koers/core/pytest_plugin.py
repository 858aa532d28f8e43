"""pytest plugin (loaded with `-p`): settings for the test run, set before Django starts,
and the lanes (`--lane fast`, `parallel` or `serial`).
"""

import os
import tempfile

import pytest

os.environ.setdefault("KOERS_SECRET_KEY", "test-only-secret-key-" + "k" * 40)
# Always a fresh data directory, never the one `make` exports: each xdist worker loads this
# plugin in its own process, so no two workers share uploads, backups or static files.
os.environ["KOERS_DATA_DIR"] = tempfile.mkdtemp(prefix="koers-test-")
os.makedirs(os.path.join(os.environ["KOERS_DATA_DIR"], "static"), exist_ok=True)
os.environ.setdefault("KOERS_STATIC_MANIFEST", "0")
os.environ.setdefault("KOERS_TASK_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")
# Playwright's sync API runs an event loop in the test thread; Django's ORM may run there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _one_rate_limit_window(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep each test in one rate-limit window: the windows are whole clock minutes, and a
    test that counts hits across a minute's end would start counting again halfway."""
    from koers.core import ratelimit

    minute = ratelimit._now()
    monkeypatch.setattr(ratelimit, "_now", lambda: minute)


# The lanes, by marker: `make check` runs the fast one; `make test` runs every test, the
# parallel lane under xdist and then the serial one (a browser on a live server, or real
# processes killed and restarted, timed against each other: one at a time).
SERIAL = {"browser", "faults"}
LANES = {
    "fast": lambda marks: not marks & (SERIAL | {"slow"}),
    "parallel": lambda marks: not marks & SERIAL,
    "serial": lambda marks: bool(marks & SERIAL),
}


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--lane",
        choices=sorted(LANES),
        help="fast: no slow, browser or fault tests; parallel: no browser or fault tests; "
        "serial: only those",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    lane = config.getoption("lane")
    if lane is None:
        return
    keep: list[pytest.Item] = []
    drop: list[pytest.Item] = []
    for item in items:
        marks = {mark.name for mark in item.iter_markers()}
        (keep if LANES[lane](marks) else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep
