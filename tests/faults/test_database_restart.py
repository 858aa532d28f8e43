"""A PostgreSQL restart under a steady stream of answers: Koers carries on by itself.

The test runs its own PostgreSQL cluster (the suite's database, SQLite or PostgreSQL, is not
one it may restart), `koers serve` with its gunicorn and task worker on it, and answers
coming in from four respondents at a time. PostgreSQL is restarted twice, fast and
immediate. Nothing may exit, nothing may answer 500, and every answer acknowledged is stored
exactly once; the seconds of trouble per restart are printed for the record.
"""

import glob
import itertools
import os
import shutil
import subprocess
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import psycopg
import pytest

from tests.faults.test_faults import (
    FORM_KEY,
    free_port,
    request,
    run,
    scenario,
    started,
    wait_until_serving,
)

pytestmark = pytest.mark.faults

# A restart's trouble may last this long after pg_ctl says the database is back.
SETTLE_SECONDS = 5.0


class Cluster:
    """A throwaway PostgreSQL cluster on a unix socket, as scripts/with-postgres.sh makes."""

    def __init__(self) -> None:
        self.bin = Path(sorted(glob.glob("/usr/lib/postgresql/*/bin"))[-1])
        self.dir = Path(tempfile.mkdtemp(prefix="koers-pg-restart-"))
        self.dir.chmod(0o755)
        self.as_owner: list[str] = []
        if os.getuid() == 0:  # initdb refuses to run as root
            shutil.chown(self.dir, "postgres")
            self.as_owner = ["runuser", "-u", "postgres", "--"]
        self.pg(
            "initdb", "-D", str(self.dir / "data"), "-A", "trust", "-U", "postgres", "--no-sync"
        )
        self.ctl("start", "-o", f"-k {self.dir} -c listen_addresses='' -c fsync=off")
        self.pg("createdb", "-h", str(self.dir), "-U", "postgres", "koers")
        self.url = f"postgres://postgres@/koers?host={self.dir}"

    def pg(self, program: str, *args: str) -> None:
        subprocess.run(
            [*self.as_owner, str(self.bin / program), *args],
            check=True,
            capture_output=True,
            timeout=120,
        )

    def ctl(self, action: str, *args: str) -> None:
        log = str(self.dir / "log")
        self.pg("pg_ctl", "-D", str(self.dir / "data"), "-l", log, "-w", "-s", *args, action)

    def restart(self, mode: str) -> tuple[float, float]:
        began = time.monotonic()
        self.ctl("restart", "-m", mode)
        return began, time.monotonic()

    def remove(self) -> None:
        try:
            self.ctl("stop", "-m", "immediate")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    made = Cluster()
    try:
        yield made
    finally:
        made.remove()


@dataclass
class Stream:
    """Respondents answering one after another: GET the form, POST an answer marked n."""

    path: str
    fields: list[str]
    numbers: Iterator[int] = field(default_factory=itertools.count)
    seen: list[tuple[float, str, int, int]] = field(default_factory=list)  # when, what, n, status
    stop: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def note(self, what: str, n: int, status: int) -> None:
        with self.lock:
            self.seen.append((time.monotonic(), what, n, status))

    def respondent(self, port: int) -> None:
        while not self.stop.is_set():
            with self.lock:
                n = next(self.numbers)
            try:
                status, page = request(port, "GET", self.path)
            except OSError:
                self.note("form", n, 0)
                time.sleep(0.2)
                continue
            self.note("form", n, status)
            found = FORM_KEY.search(page)
            if status != 200 or not found:
                time.sleep(0.2)
                continue
            values = dict.fromkeys(self.fields, str(1 + n % 5))
            body = urlencode(values | {"unsure": f"antwoord {n}", "form_key": found[1]})
            try:
                self.note("answer", n, request(port, "POST", self.path, body)[0])
            except OSError:
                self.note("answer", n, 0)

    def answered(self) -> set[int]:
        return {n for _when, what, n, status in self.seen if what == "answer" and status == 200}


def child_pids(parent: int) -> dict[int, str]:
    found = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                stat = Path(f"/proc/{entry.name}/stat").read_text()
                cmdline = Path(f"/proc/{entry.name}/cmdline").read_text().replace("\0", " ")
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == parent:
                found[int(entry.name)] = cmdline
    return found


def test_a_database_restart_under_answers_costs_seconds_and_nothing_else(
    cluster: Cluster, tmp_path: Path
) -> None:
    data_dir, url = tmp_path, cluster.url
    run(data_dir, "koers.cli", "migrate", "--verbosity", "0", database_url=url)
    owner = ["--name", "Acme", "--owner", "o@x.nl"]
    run(data_dir, "koers.cli", "create-workspace", "acme", *owner, database_url=url)
    scenario(data_dir, "client-and-project", "acme", "bakkerij", "cloud", database_url=url)
    opened = scenario(data_dir, "open-round", "acme", "cloud", database_url=url)
    port = free_port()
    serve = ["koers.cli", "serve", "--workers", "2", "--port", str(port)]
    with started(data_dir, *serve, log="serve.log", database_url=url) as server:
        wait_until_serving(port, server)
        children = child_pids(server.pid)
        stream = Stream(f"/a/{opened['token']}/", opened["fields"])
        respondents = [threading.Thread(target=stream.respondent, args=(port,)) for _ in range(4)]
        for respondent in respondents:
            respondent.start()
        time.sleep(3)
        restarts = {mode: cluster.restart(mode) for mode in ("fast", "immediate")}
        time.sleep(SETTLE_SECONDS + 3)
        stream.stop.set()
        for respondent in respondents:
            respondent.join(timeout=60)
        alive = server.poll() is None
        children_after = child_pids(server.pid)
        worker_beats = request(port, "GET", "/healthz/worker")[0]
    log = (data_dir / "serve.log").read_text()
    assert alive, log[-3000:]
    assert children_after == children, ("a process exited", children, children_after, log[-3000:])
    assert worker_beats == 200, log[-3000:]

    windows = [(began, back + SETTLE_SECONDS) for began, back in restarts.values()]
    outside = [seen for seen in stream.seen if not any(a <= seen[0] <= b for a, b in windows)]
    assert all(status == 200 for _when, _what, _n, status in outside), Counter(
        status for *_rest, status in outside
    )
    assert not [seen for seen in stream.seen if seen[3] == 500], "a 500 answered"
    for mode, (began, back) in restarts.items():
        trouble = [s for s in stream.seen if began <= s[0] <= back + SETTLE_SECONDS and s[3] != 200]
        failing = [s[0] for s in trouble]
        seconds = (max(failing) - min(failing)) if failing else 0.0
        print(
            f"{mode} restart: pg_ctl {back - began:.2f} s, trouble {seconds:.2f} s, "
            f"{Counter(s[3] for s in trouble)} (0 = no connection)"
        )

    with psycopg.connect(cluster.url) as db:
        rows = db.execute("SELECT unsure, COUNT(*) FROM pulse_answer GROUP BY unsure").fetchall()
    stored = Counter({text: count for text, count in rows})
    assert set(stored.values()) == {1}, "an answer stored twice"
    answered = {f"antwoord {n}" for n in stream.answered()}
    assert answered <= set(stored), "an acknowledged answer is missing"
    sent = {f"antwoord {n}" for _w, what, n, _s in stream.seen if what == "answer"}
    assert set(stored) <= sent
    assert len(answered) > 100, "the stream was not steady"
