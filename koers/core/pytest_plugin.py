"""pytest plugin (loaded with `-p`): settings for the test run, set before Django starts."""

import os
import tempfile

import pytest

os.environ.setdefault("KOERS_SECRET_KEY", "test-only-secret-key-" + "k" * 40)
os.environ.setdefault("KOERS_DATA_DIR", tempfile.mkdtemp(prefix="koers-test-"))
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
