import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(url: str, process: subprocess.Popen[str], seconds: float = 180) -> int:
    """Return the status `url` answers with once the server is up (it migrates first)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return int(response.status)
        except urllib.error.HTTPError as error:
            return int(error.code)
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer (server exit code {process.poll()})")


def children_running(parent: int, needle: str) -> bool:
    """Return whether a child process of `parent` has `needle` in its command line."""
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = open(f"/proc/{entry.name}/stat").read()  # noqa: SIM115
            cmdline = open(f"/proc/{entry.name}/cmdline").read()  # noqa: SIM115
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == parent and needle in cmdline:
            return True
    return False


@pytest.mark.django_db(transaction=True)
@pytest.mark.slow
def test_serve_runs_gunicorn_with_static_files_and_the_worker_then_stops_on_sigterm(tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "KOERS_DATA_DIR": str(tmp_path),
        "KOERS_STATIC_MANIFEST": "1",
        "KOERS_TASK_BACKEND": "django_tasks_db.DatabaseBackend",
    }
    env.pop("DATABASE_URL", None)  # its own SQLite file in tmp_path
    process = subprocess.Popen(
        [sys.executable, "-m", "koers.cli", "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        status = wait_for(f"http://127.0.0.1:{port}/healthz", process)
        if status != 200:
            process.send_signal(signal.SIGTERM)
            raise AssertionError(process.communicate(timeout=30)[0])
        assert children_running(process.pid, "db_worker")
        assert children_running(process.pid, "gunicorn")
        css = urllib.request.urlopen(f"http://127.0.0.1:{port}/static/koers/koers.css")
        assert css.status == 200
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=30)
    assert process.returncode == 0, output
    assert "gunicorn" in output.lower()
    # migrate made the tables, and no cache table is needed beside them
    with sqlite3.connect(tmp_path / "koers.sqlite3") as db:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
    assert "pulse_round" in tables and "koers_cache" not in tables


def child_pids(parent: int, needle: str) -> list[int]:
    found = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = open(f"/proc/{entry.name}/stat").read()  # noqa: SIM115
            cmdline = open(f"/proc/{entry.name}/cmdline").read()  # noqa: SIM115
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == parent and needle in cmdline:
            found.append(int(entry.name))
    return found


def replaced(parent: int, worker: int) -> bool:
    return child_pids(parent, "db_worker") not in ([], [worker])


@pytest.mark.django_db(transaction=True)
@pytest.mark.slow
def test_serve_starts_a_killed_worker_again_and_keeps_serving(tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "KOERS_DATA_DIR": str(tmp_path),
        "KOERS_TASK_BACKEND": "django_tasks_db.DatabaseBackend",
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
        assert wait_for(f"http://127.0.0.1:{port}/healthz", process) == 200
        [worker] = child_pids(process.pid, "db_worker")
        os.kill(worker, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and child_pids(process.pid, "db_worker") in (
            [],
            [worker],
        ):
            time.sleep(0.2)
        assert child_pids(process.pid, "db_worker") not in ([], [worker])
        assert process.poll() is None
        assert wait_for(f"http://127.0.0.1:{port}/healthz", process) == 200
        deadline = time.monotonic() + 30  # the new worker beats
        while time.monotonic() < deadline:
            if wait_for(f"http://127.0.0.1:{port}/healthz/worker", process) == 200:
                break
            time.sleep(0.5)
        else:
            raise AssertionError("the restarted worker never beat")
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=30)
    assert process.returncode == 0, output
    assert "task worker stopped (exit code -9); starting it again" in output
