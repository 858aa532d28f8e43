"""The limits `koers serve` puts on its processes: the task worker's memory cap
(KOERS_WORKER_MEMORY_MB) and gunicorn's request timeout (KOERS_WEB_TIMEOUT)."""

import os
import signal
import subprocess
import sys
import time

import pytest

from koers.core.tests.test_serve import child_pids, free_port, wait_for

MB = 1024 * 1024


def address_space_limit(pid: int) -> str:
    """The soft limit on the process's address space, in bytes or 'unlimited'."""
    with open(f"/proc/{pid}/limits") as limits:
        line = next(line for line in limits if "address space" in line)
    return line.split()[3]


def test_a_capped_worker_cannot_take_more_memory_than_its_cap() -> None:
    # What a workbook bomb past every check would do in the worker: ask for more memory.
    script = (
        "import django; django.setup()\n"
        "from koers.core.management.commands.db_worker import cap_memory\n"
        "cap_memory(600)\n"
        "try:\n"
        "    grab = bytearray(800 * 1024 * 1024)\n"
        "except MemoryError:\n"
        "    print('refused')\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "koers.settings"}
    env.setdefault("KOERS_SECRET_KEY", "x" * 60)
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.stdout.strip() == "refused", done.stderr


@pytest.mark.slow
def test_serve_caps_the_worker_and_gives_gunicorn_its_timeout(tmp_path) -> None:
    port = free_port()
    env = {
        **os.environ,
        "KOERS_DATA_DIR": str(tmp_path),
        "KOERS_TASK_BACKEND": "django_tasks_db.DatabaseBackend",
        "KOERS_WORKER_MEMORY_MB": "700",
        "KOERS_WEB_TIMEOUT": "17",
    }
    env.pop("DATABASE_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "koers.cli", "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert wait_for(f"http://127.0.0.1:{port}/healthz/live", process) == 200
        (worker,) = child_pids(process.pid, "db_worker")
        # The worker caps itself as it starts, which may be a moment after the web answers.
        deadline = time.monotonic() + 60
        while (soft := address_space_limit(worker)) != str(700 * MB):
            assert time.monotonic() < deadline, f"the worker's address space stays {soft}"
            time.sleep(0.1)
        (gunicorn,) = child_pids(process.pid, "gunicorn")
        arguments = open(f"/proc/{gunicorn}/cmdline").read().split("\0")  # noqa: SIM115
        assert arguments[arguments.index("--timeout") + 1] == "17"
    finally:
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=30)
