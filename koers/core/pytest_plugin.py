"""pytest plugin (loaded with `-p`): settings for the test run, set before Django starts."""

import os
import tempfile

os.environ.setdefault("KOERS_SECRET_KEY", "test-only-secret-key-" + "k" * 40)
os.environ.setdefault("KOERS_DATA_DIR", tempfile.mkdtemp(prefix="koers-test-"))
os.makedirs(os.path.join(os.environ["KOERS_DATA_DIR"], "static"), exist_ok=True)
os.environ.setdefault("KOERS_STATIC_MANIFEST", "0")
os.environ.setdefault("KOERS_TASK_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")
# Playwright's sync API runs an event loop in the test thread; Django's ORM may run there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
