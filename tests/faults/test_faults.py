"""Faults: processes killed mid-write, twenty writers at once, a task worker killed mid-task.

Every test runs the real `koers` processes on a SQLite *file* in tmp_path (KOERS_DATA_DIR set,
DATABASE_URL unset), since the suite's own test database is in memory or PostgreSQL, and
then opens that file to see what a restart would find.
"""

import csv
import http.client
import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing, contextmanager, suppress
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from django.db import OperationalError
from django.urls import reverse
from django.utils import translation
from django_scopes import scope, scopes_disabled
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from koers.core import workers
from koers.population import services
from koers.population.models import ImportRun
from koers.population.tasks import import_people_task
from tests.factories import Cast

pytestmark = pytest.mark.faults

ROOT = Path(__file__).resolve().parents[2]
PEOPLE = 100_000
CLIENT = "acme/bakkerij"
FORM_KEY = re.compile(r'name="form_key" value="([^"]+)"')


def koers_env(data_dir: Path, database_url: str | None = None) -> dict[str, str]:
    """The environment of a `koers` process on the data directory's SQLite file, or on
    `database_url` when given."""
    env = {
        **os.environ,
        "KOERS_DATA_DIR": str(data_dir),
        "KOERS_TASK_BACKEND": "django_tasks_db.DatabaseBackend",
        "KOERS_STATIC_MANIFEST": "0",
        "KOERS_PUBLIC_RATE_LIMIT": "1000000",  # the burst comes from one address
        "KOERS_PUBLIC_ANSWERS_PER_ADDRESS": "1000000",
        "KOERS_PASSWORD": "correct-horse-battery-staple",
        "LC_ALL": "C.UTF-8",  # messages in English
        "PYTHONPATH": str(ROOT),
    }
    for name in ("DATABASE_URL", "KOERS_DEBUG"):  # the SQLite file, as in production
        env.pop(name, None)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def run(
    data_dir: Path, *args: str, timeout: float = 120, database_url: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `python -m <args>` on the data directory's database; fail on a non-zero exit."""
    done = subprocess.run(
        [sys.executable, "-m", *args],
        env=koers_env(data_dir, database_url),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, f"{args}: {done.stdout}\n{done.stderr}"
    return done


def scenario(
    data_dir: Path, *args: object, timeout: float = 120, database_url: str | None = None
) -> Any:
    step = run(
        data_dir,
        "tests.faults.scenario",
        *map(str, args),
        timeout=timeout,
        database_url=database_url,
    )
    return json.loads(step.stdout.strip().splitlines()[-1])


@contextmanager
def started(
    data_dir: Path, *args: str, log: str, database_url: str | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    """Start `python -m <args>` in its own process group; kill the whole group at the end."""
    with open(data_dir / log, "ab") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", *args],
            env=koers_env(data_dir, database_url),
            cwd=ROOT,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield process
    finally:
        kill_group(process, signal.SIGKILL)


def kill_group(process: subprocess.Popen[bytes], sig: int = signal.SIGKILL) -> None:
    """Send `sig` to the process and every process it started (gunicorn's workers)."""
    with suppress(ProcessLookupError):
        os.killpg(process.pid, sig)
    process.wait(timeout=30)


def query(db: Path, sql: str, *params: object) -> list[tuple[Any, ...]]:
    with closing(sqlite3.connect(db, timeout=30)) as connection:
        return connection.execute(sql, params).fetchall()


def assert_intact(db: Path) -> None:
    assert query(db, "PRAGMA integrity_check") == [("ok",)]
    assert query(db, "PRAGMA foreign_key_check") == []


def people(db: Path) -> int:
    return int(query(db, "SELECT COUNT(*) FROM rollout_person")[0][0])


def write_people(path: Path, rows: int) -> None:
    """A directory export of `rows` people in 10 columns."""
    with open(path, "w", newline="", encoding="utf-8") as file:
        out = csv.writer(file)
        out.writerow(
            [
                "Personeelsnummer", "Naam", "E-mail", "Afdeling", "Locatie", "Functie",
                "Leidinggevende", "Apparaat", "Kostenplaats", "Contract",
            ]
        )  # fmt: skip
        for n in range(rows):
            out.writerow(
                [
                    f"E{n:06d}", f"Persoon {n}", f"p{n}@example.com", f"Afdeling {n % 40}",
                    f"Locatie {n % 7}", f"Functie {n % 25}", f"Manager {n % 500}",
                    ("laptop", "desktop")[n % 2], f"KP{n % 90}", ("vast", "tijdelijk")[n % 3 == 0],
                ]
            )  # fmt: skip


def copy_database(template: Path, data_dir: Path) -> Path:
    db = data_dir / "koers.sqlite3"
    for stale in (db, data_dir / "koers.sqlite3-wal", data_dir / "koers.sqlite3-shm"):
        stale.unlink(missing_ok=True)
    with closing(sqlite3.connect(template)) as source, closing(sqlite3.connect(db)) as copy:
        source.backup(copy)
    return db


def test_an_import_killed_while_writing_leaves_nothing_and_a_rerun_imports_everyone(
    template: Path,
    database: Path,
) -> None:
    db = database
    data_dir = db.parent
    file = data_dir / "people.csv"
    write_people(file, PEOPLE)
    wal = data_dir / "koers.sqlite3-wal"
    command = ["koers.cli", "import-people", CLIENT, str(file), "--json"]
    outcomes = []
    for _attempt in range(3):
        with started(data_dir, *command, log="import.log") as process:
            # The file is read and checked before anything is written; the write is one
            # transaction whose pages spill into the WAL long before it commits.
            deadline = time.monotonic() + 90
            writing = False
            while process.poll() is None and time.monotonic() < deadline:
                writing = wal.exists() and wal.stat().st_size > 512 * 1024
                if writing:
                    break
                time.sleep(0.005)
            assert writing, (data_dir / "import.log").read_text()  # neither ended nor stuck
            kill_group(process)
        assert_intact(db)
        count = people(db)
        outcomes.append((process.returncode, count))
        all_or_nothing = {(-signal.SIGKILL, 0), (-signal.SIGKILL, PEOPLE), (0, PEOPLE)}
        assert outcomes[-1] in all_or_nothing, f"half an import: {outcomes}"
        if count == 0:
            break
        copy_database(template, data_dir)  # the commit beat the kill: again, on a fresh copy
    assert outcomes[-1] == (-signal.SIGKILL, 0), f"never killed mid-write: {outcomes}"

    done = run(data_dir, *command, timeout=180)
    result = json.loads(done.stdout)
    assert (result["rows"], result["created"], result["updated"]) == (PEOPLE, PEOPLE, 0)
    assert_intact(db)
    assert people(db) == PEOPLE
    assert query(db, "SELECT COUNT(DISTINCT key) FROM rollout_person")[0][0] == PEOPLE


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_serving(port: int, server: subprocess.Popen[bytes], seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert server.poll() is None, "koers serve stopped"
        try:
            if request(port, "GET", "/healthz")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"koers serve did not answer within {seconds} s")


def request(port: int, method: str, path: str, body: str | None = None) -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        headers = {"Content-Type": "application/x-www-form-urlencoded"} if body else {}
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read().decode()
    finally:
        connection.close()


class Burst:
    """Answers sent through the public form: GET the form for a fresh key, POST the answer.

    Answer n carries the marker "antwoord n" as an open answer, so the database shows which
    answers it holds and how often.
    """

    def __init__(self, path: str, fields: list[str]) -> None:
        self.path = path
        self.fields = fields
        self.statuses: dict[int, list[int]] = {}  # answer -> status of every POST
        self.keys: dict[int, str] = {}  # answer -> form key, kept to send it again
        self.unsent: list[int] = []  # no form key got: the server was down
        self.lost: list[int] = []  # POST without an answer: stored or not, nobody knows
        self.lock = threading.Lock()

    def form(self, n: int) -> str:
        values = {field: str(1 + n % 5) for field in self.fields}
        return urlencode(values | {"unsure": f"antwoord {n}", "form_key": self.keys[n]})

    def send(self, port: int, n: int, down: threading.Event | None = None) -> None:
        if n not in self.keys:
            try:
                if down is not None and down.is_set():
                    raise ConnectionRefusedError
                status, page = request(port, "GET", self.path)
                assert status == 200, (status, page[:500])
                found = FORM_KEY.search(page)
                assert found
                self.keys[n] = found[1]
            except (OSError, http.client.HTTPException):
                with self.lock:
                    self.unsent.append(n)
                return
        try:
            status, page = request(port, "POST", self.path, self.form(n))
        except (OSError, http.client.HTTPException):
            with self.lock:
                self.lost.append(n)
            return
        with self.lock:
            self.statuses.setdefault(n, []).append(status)

    def acknowledged(self, *statuses: int) -> set[int]:
        return {n for n, found in self.statuses.items() if found[-1] in statuses}


def stored_answers(db: Path) -> Counter[str]:
    return Counter(row[0] for row in query(db, "SELECT unsure FROM pulse_answer"))


def test_a_pulse_burst_killed_midway_keeps_every_acknowledged_answer_exactly_once(
    database: Path,
) -> None:
    total, kill_after = 300, 100
    db = database
    data_dir = db.parent
    opened = scenario(data_dir, "open-round", "acme", "cloud")
    burst = Burst(f"/a/{opened['token']}/", opened["fields"])
    serve = ["koers.cli", "serve", "--no-worker", "--workers", "2", "--port"]
    port = free_port()
    down = threading.Event()
    with started(data_dir, *serve, str(port), log="serve.log") as server:
        wait_until_serving(port, server)
        with ThreadPoolExecutor(max_workers=8) as pool:
            futures = [pool.submit(burst.send, port, n, down) for n in range(total)]
            deadline = time.monotonic() + 120
            while len(burst.acknowledged(200)) < kill_after and time.monotonic() < deadline:
                time.sleep(0.01)
            kill_group(server)  # SIGKILL to serve, gunicorn's master and its workers at once
            down.set()
            for future in futures:
                future.result(timeout=120)
    assert server.returncode == -signal.SIGKILL
    first = dict(burst.statuses)
    assert len(first) >= kill_after
    assert all(found == [200] for found in first.values()), first  # no 5xx, no locked database
    assert burst.unsent, "the server was killed after the burst"
    assert_intact(db)
    before = stored_answers(db)
    assert set(before.values()) == {1}
    assert {f"antwoord {n}" for n in first} <= set(before)
    assert set(before) <= {f"antwoord {n}" for n in [*first, *burst.lost]}

    # Restart. The answers whose POST got no reply are sent again with the same form, the
    # ones that never got a form are sent now, and a few answered ones are sent once more
    # with their form (a double click, or a client that missed the reply): single use.
    lost, unsent = list(burst.lost), list(burst.unsent)
    replayed = sorted(first)[:5]
    burst.lost, burst.unsent = [], []
    port = free_port()
    with started(data_dir, *serve, str(port), log="serve.log") as server:
        wait_until_serving(port, server)
        with ThreadPoolExecutor(max_workers=8) as pool:
            resend = [*lost, *unsent, *replayed]
            list(pool.map(lambda n: burst.send(port, n), resend, timeout=180))
        kill_group(server, signal.SIGTERM)
    assert not burst.lost and not burst.unsent
    # A form sent again is answered "received already" (409) if its answer was stored.
    again = {n: burst.statuses[n] for n in lost}
    assert again == {n: [409] if f"antwoord {n}" in before else [200] for n in lost}
    assert all(burst.statuses[n] == [200] for n in unsent)
    assert all(burst.statuses[n] == [200, 409] for n in replayed)

    assert_intact(db)
    after = stored_answers(db)
    assert after == Counter({f"antwoord {n}": 1 for n in range(total)})  # each exactly once
    answered = {n for n, found in burst.statuses.items() if found[0] == 200}
    received_before = {n for n, found in burst.statuses.items() if found == [409]}
    assert received_before <= set(lost)
    assert sum(after.values()) == len(answered) + len(received_before) == total
    assert query(db, "SELECT COUNT(DISTINCT form_key) FROM pulse_answer")[0][0] == total


def test_twenty_parallel_writers_never_meet_database_is_locked(database: Path) -> None:
    db = database
    processes, transactions = 20, 50
    report = scenario(db.parent, "writers", CLIENT, processes, transactions, timeout=240)
    # The connection Koers opens outside development: WAL, IMMEDIATE, busy timeout, FULL.
    assert report["pragmas"] == {
        "journal_mode": "wal",
        "synchronous": 2,  # FULL
        "busy_timeout": 20_000,
        "foreign_keys": 1,
        "transaction_mode": "IMMEDIATE",
    }
    assert report["errors"] == []
    assert report["reported"] == processes
    assert report["exit_codes"] == [0] * processes
    assert_intact(db)
    assert people(db) == processes * transactions
    assert query(db, "SELECT COUNT(DISTINCT key) FROM rollout_person")[0][0] == 1000


def test_a_task_worker_killed_mid_import_leaves_the_task_failed_and_reported(
    database: Path,
) -> None:
    db = database
    data_dir = db.parent
    file = data_dir / "people.csv"
    write_people(file, 30_000)  # over the 5,000 rows that go to the task worker
    queued = scenario(data_dir, "enqueue-import", CLIENT, file)

    def state() -> tuple[str, str]:
        task = query(db, "SELECT status FROM django_tasks_database_dbtaskresult")
        run = query(db, "SELECT status FROM rollout_importrun WHERE id = ?", queued["run"])
        return task[0][0], run[0][0]

    assert state() == ("READY", "queued")
    worker = ["koers.cli", "db_worker", "--no-startup-delay", "--interval", "0.2"]
    with started(data_dir, *worker, log="worker.log") as process:
        deadline = time.monotonic() + 90
        while state() != ("RUNNING", "running") and time.monotonic() < deadline:
            assert process.poll() is None, (data_dir / "worker.log").read_text()
            time.sleep(0.02)
        assert state() == ("RUNNING", "running")
        kill_group(process)
    assert process.returncode == -signal.SIGKILL
    assert_intact(db)
    assert state() == ("RUNNING", "running")  # nobody will ever finish it...
    assert people(db) == 0

    # ...until a worker starts again (`koers serve` starts one): it reports the task failed.
    log = data_dir / "worker.log"
    with started(data_dir, *worker, log="worker.log") as process:
        deadline = time.monotonic() + 60
        while log.read_text().count("Starting worker") < 2 and time.monotonic() < deadline:
            assert process.poll() is None, log.read_text()
            time.sleep(0.05)
        kill_group(process, signal.SIGTERM)
    assert state() == ("FAILED", "failed")
    [(error_class, traceback)] = query(
        db, "SELECT exception_class_path, traceback FROM django_tasks_database_dbtaskresult"
    )
    assert error_class == "koers.core.workers.WorkerLost"
    assert "stopped while running this task" in traceback
    [(errors,)] = query(db, "SELECT errors FROM rollout_importrun")
    assert json.loads(errors) == [{"kind": "stopped"}]
    assert people(db) == 0
    assert "1 task(s) left running by a stopped worker are marked as failed" in log.read_text()


def running_task(run: ImportRun, worker: str) -> DBTaskResult:
    return DBTaskResult.objects.create(
        task_path=import_people_task.module_path,
        args_kwargs={"args": [run.pk], "kwargs": {}},
        status=TaskResultStatus.RUNNING,
        worker_ids=[worker],
        backend_name="default",
        run_after=get_date_max(),
    )


def test_only_tasks_of_stopped_workers_fail_and_the_import_page_says_so(cast: Cast) -> None:
    with scopes_disabled():
        runs = [
            ImportRun.objects.create(
                client=cast.client,
                file_name=f"mensen-{n}.csv",
                content=b"Personeelsnummer,Naam\nE1,An\n",
                header=["Personeelsnummer", "Naam"],
                status=ImportRun.Status.RUNNING,
                rows_total=30_000,
            )
            for n in range(5)
        ]
    ended = subprocess.Popen(["true"])
    ended.wait(timeout=30)
    me = workers.worker_id()
    host, boot, pid, started_at = me.split(":")
    ids = [
        me,  # this process: alive
        f"another-host:{boot}:{pid}:{started_at}",  # another machine's worker checks its own
        f"{host}:{boot}:{ended.pid}:{started_at}",  # a process that has ended
        f"{host}:{boot}:{pid}:0",  # this process id, but a process started at another time
        "w4rk3r",  # a worker id that says nothing
    ]
    tasks = [running_task(run, worker) for run, worker in zip(runs, ids, strict=True)]

    with translation.override("en"):  # the run keeps the message in the language of the moment
        lost = workers.recover_lost_tasks()

    assert {task.pk for task in lost} == {task.pk for task in tasks[2:]}
    statuses = [DBTaskResult.objects.get(pk=task.pk).status for task in tasks]
    assert statuses == ["RUNNING", "RUNNING", "FAILED", "FAILED", "FAILED"]
    with scopes_disabled():
        assert [ImportRun.objects.get(pk=r.pk).status for r in runs] == [
            "running", "running", "failed", "failed", "failed"
        ]  # fmt: skip
    web = cast.login(cast.member)
    url = reverse(
        "people:import_run",
        kwargs={"workspace": cast.workspace.slug, "client": cast.client.slug, "run": runs[2].pk},
    )
    page = web.get(url, headers={"accept-language": "en"}).content.decode()
    assert "Nothing was imported" in page
    assert "The import stopped before it was finished" in page
    assert 'http-equiv="refresh"' not in page
    assert "Check and import" in page  # and it can be started again


def test_an_import_task_that_breaks_leaves_its_run_failed_not_importing(
    cast: Cast, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    rows = "\n".join(f"E{n},Persoon {n}" for n in range(services.BACKGROUND_ROWS + 1))
    data = f"Personeelsnummer,Naam\n{rows}\n".encode()

    def broken(**kwargs: object) -> None:
        raise OperationalError("disk I/O error")  # not a KoersError: the task itself fails

    monkeypatch.setattr(services, "people_import", broken)
    with scope(workspace=cast.workspace), translation.override("en"):
        run = services.import_upload(
            client=cast.client, actor=cast.owner, file_name="mensen.csv", data=data
        )
        with django_capture_on_commit_callbacks(execute=True):
            services.import_configure(run=run, mapping=run.mapping, keep=run.keep, mark_left=False)
        run.refresh_from_db()
    assert run.status == ImportRun.Status.FAILED
    assert run.errors == [{"kind": "stopped"}]
