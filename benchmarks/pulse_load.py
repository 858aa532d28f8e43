"""Load on the public answer page: gunicorn on PostgreSQL, answers for a bounded time.

Run: KOERS_PG_DURABLE=1 scripts/with-postgres.sh .venv/bin/python benchmarks/pulse_load.py
(KOERS_PG_DURABLE=1: PostgreSQL flushes every commit to disk, as in production.)
Budget (DESIGN.md): >= 300 answers/s for 60 s, p95 <= 200 ms, none lost, none counted twice.

It migrates the throwaway database, makes one open round with a public link, starts gunicorn
(gthread workers, keep-alive) on 127.0.0.1 only, and sends answers for `--seconds` (at most
120) or `--max-answers` (at most 100,000), whichever comes first. Each answer is a POST of
the public form with its own single-use form key; the keys are minted and the requests built
before the timed window (with the server's secret, as the form page hands them out), so the
window is the answers themselves. The load is light on purpose, as it shares the machine's
cores with the server: a few processes of threads writing prebuilt requests on raw sockets.
A connection carries `--reuse` answers, then the next opens from the next of 1,000 loopback
source addresses (127.0.10-13.x), like respondents coming and going, so the rate limit per
link and address stays on at its default. At the end the answers stored are counted against
the 2xx responses, and one form key is sent twice to check it is refused.
"""

import argparse
import http.client
import multiprocessing
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
HOST = "127.0.0.1"
SOURCES = [f"127.0.{a}.{b}" for a in range(10, 14) for b in range(1, 251)]
REQUESTS: list[bytes] = []  # the answers to send, built before the timed window
os.environ.setdefault("KOERS_SECRET_KEY", "benchmark-only-" + "k" * 40)
os.environ.setdefault("KOERS_DATA_DIR", tempfile.mkdtemp(prefix="koers-bench-"))
os.environ.setdefault("KOERS_STATIC_MANIFEST", "0")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koers.settings")

import django  # noqa: E402

django.setup()

from datetime import timedelta  # noqa: E402

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_scopes import scopes_disabled  # noqa: E402

from koers.projects import services as project_services  # noqa: E402
from koers.pulse import services  # noqa: E402
from koers.pulse.models import Answer, Round  # noqa: E402
from koers.pulse.signals import STEPS  # noqa: E402
from koers.workspaces.models import Client, Workspace  # noqa: E402


def create_database() -> None:
    """Make the database DATABASE_URL names, if the throwaway cluster does not have it yet."""
    import psycopg

    database = settings.DATABASES["default"]
    params = connections["default"].get_connection_params() | {"dbname": "postgres"}
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params, autocommit=True) as connection:
        found = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [database["NAME"]]
        ).fetchone()
        if not found:
            connection.execute(f'CREATE DATABASE "{database["NAME"]}"')


def prepare() -> tuple[Round, str, str]:
    """Return an open round, its answer path and its link's key."""
    create_database()
    call_command("migrate", verbosity=0, interactive=False)
    with scopes_disabled():
        Workspace.objects.filter(slug="bench").delete()
        workspace = Workspace.objects.create(slug="bench", name="Bench")
        client = Client.objects.create(workspace=workspace, slug="c", name="Client")
        project = project_services.project_create(
            workspace=workspace, client=client, slug="p", name="P", request="R", goals=[]
        )
        round = services.round_create(
            project=project,
            actor=None,
            title="Load",
            closes_at=timezone.now() + timedelta(hours=2),
            ask_department=True,
            departments="Verkoop\nService",
        )
        services.round_open(round=round)
        link = round.public_links.get()
        return round, f"/a/{link.token}/", link.key


def build_requests(path: str, key: str, count: int) -> list[bytes]:
    """Mint `count` single-use form keys and build each answer's whole HTTP request up front."""
    requests = []
    for n in range(count):
        values = {step.value: str(1 + (n % 5)) for step in STEPS} | {
            "unsure": "Waar staan mijn bestanden straks?",
            "department": "Service",
            "form_key": services.form_key_issue(key),
        }
        body = urllib.parse.urlencode(values).encode()
        head = (
            f"POST {path} HTTP/1.1\r\nHost: {HOST}\r\nAccept-Language: nl\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        )
        requests.append(head.encode() + body)
    return requests


def read_response(sock: socket.socket, buffer: bytes) -> tuple[int, bytes, bool]:
    """Read one response; return its status, what was read past it, and whether to close."""
    while b"\r\n\r\n" not in buffer:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed before the headers")
        buffer += chunk
    head, _sep, rest = buffer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        name, _colon, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0"))
    while len(rest) < length:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed in the body")
        rest += chunk
    return status, rest[length:], headers.get("connection", "").lower() == "close"


def connect(port: int, source: str) -> socket.socket:
    sock = socket.create_connection((HOST, port), timeout=30, source_address=(source, 0))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def sender(
    number: int, senders: int, requests: list[bytes], port: int, deadline: float, reuse: int
) -> list[tuple[int, float]]:
    """Send this sender's share of the answers back to back, until done or the deadline.

    One connection answers at most `reuse` times, then the next opens from the next source
    address, like respondents coming and going.
    """
    results: list[tuple[int, float]] = []
    mine = requests[number::senders]
    visit = number
    sock: socket.socket | None = None
    used = 0
    buffer = b""
    for request in mine:
        if time.time() >= deadline:
            break
        started = time.perf_counter()
        try:
            if sock is None or used >= reuse:
                if sock is not None:
                    sock.close()
                sock = connect(port, SOURCES[visit % len(SOURCES)])
                visit += senders
                used, buffer = 0, b""
            sock.sendall(request)
            status, buffer, close = read_response(sock, buffer)
            used += 1
            if close:
                sock.close()
                sock = None
        except OSError:
            status = 0
            if sock is not None:
                sock.close()
            sock = None
        results.append((status, time.perf_counter() - started))
    if sock is not None:
        sock.close()
    return results


def process(args: tuple[int, int, int, int, float, int]) -> list[tuple[int, float]]:
    """One load process: `threads` senders, each on its own keep-alive connection."""
    first, threads, senders, port, deadline, reuse = args
    requests = REQUESTS
    with ThreadPoolExecutor(threads) as pool:
        parts = pool.map(
            lambda n: sender(n, senders, requests, port, deadline, reuse),
            range(first, first + threads),
        )
        return [result for part in parts for result in part]


def post_once(request: bytes, port: int, source: str) -> int:
    """Send one request on a connection of its own; return the status."""
    with connect(port, source) as sock:
        sock.sendall(request)
        return read_response(sock, b"")[0]


def percentile(ordered: list[float], fraction: float) -> float:
    return ordered[max(0, int(len(ordered) * fraction) - 1)] if ordered else float("nan")


def main() -> None:
    global REQUESTS
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--max-answers", type=int, default=40_000)
    parser.add_argument("--processes", type=int, default=2, help="load processes")
    parser.add_argument("--threads", type=int, default=8, help="senders per load process")
    parser.add_argument("--reuse", type=int, default=20, help="answers per connection")
    parser.add_argument("--web-workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument("--web-threads", type=int, default=4, help="threads per gunicorn worker")
    parser.add_argument("--port", type=int, default=8765)
    options = parser.parse_args()
    seconds = min(max(options.seconds, 1), 120)
    count = min(max(options.max_answers, 1), 100_000)
    if not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        sys.exit("Run under scripts/with-postgres.sh: the budget is for PostgreSQL.")
    round, path, key = prepare()
    with connections["default"].cursor() as cursor:
        cursor.execute("SHOW fsync")
        fsync = cursor.fetchone()[0]
    # The form keys are minted before the timed window; the window is the answers alone.
    REQUESTS = build_requests(path, key, count)
    twice = build_requests(path, key, 1)[0]
    env = os.environ | {"KOERS_DEBUG": "0"}
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "koers.wsgi:application",
            "--bind",
            f"{HOST}:{options.port}",
            "--workers",
            str(options.web_workers),
            "--threads",
            str(options.web_threads),
            "--worker-class",
            "gthread" if options.web_threads > 1 else "sync",
            "--keep-alive",
            "5",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )
    try:
        for _ in range(100):
            try:
                connection = http.client.HTTPConnection(HOST, options.port, timeout=2)
                connection.request("GET", "/healthz")
                if connection.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.1)
        else:
            sys.exit("gunicorn did not start")
        connections.close_all()  # the load processes are forked: no shared connection
        senders = options.processes * options.threads
        load = os.getloadavg()[0]
        deadline = time.time() + seconds
        jobs = [
            (n * options.threads, options.threads, senders, options.port, deadline, options.reuse)
            for n in range(options.processes)
        ]
        started = time.perf_counter()
        with multiprocessing.get_context("fork").Pool(options.processes) as pool:
            parts = pool.map(process, jobs)
        elapsed = time.perf_counter() - started
        results = [result for part in parts for result in part]
        # A form sent twice is refused: nothing counted twice.
        first = post_once(twice, options.port, "127.0.2.1")
        second = post_once(twice, options.port, "127.0.2.2")
    finally:
        server.terminate()
        server.wait(timeout=30)
    with scopes_disabled():
        stored = Answer.objects.filter(round=round).count()
    ok = sorted(latency for status, latency in results if 200 <= status < 300)
    statuses: dict[int, int] = {}
    for status, _latency in results:
        statuses[status] = statuses.get(status, 0) + 1
    print(
        f"config: {options.processes} load processes x {options.threads} senders, "
        f"{options.reuse} answers per connection; gunicorn {options.web_workers} workers x "
        f"{options.web_threads} threads; PostgreSQL fsync {fsync}; nproc {os.cpu_count()}, "
        f"load average before {load:.2f}"
    )
    print(f"answers sent: {len(results)} in {elapsed:.1f} s; statuses: {statuses}")
    print(f"throughput: {len(ok) / elapsed:.0f} answers/s (2xx)")
    print(
        f"latency: median {statistics.median(ok) * 1000:.0f} ms, "
        f"p95 {percentile(ok, 0.95) * 1000:.0f} ms, p99 {percentile(ok, 0.99) * 1000:.0f} ms, "
        f"max {ok[-1] * 1000:.0f} ms"
    )
    print(f"stored answers: {stored}; 2xx responses + the duplicate check: {len(ok) + 1}")
    print(f"same form twice: {first} then {second}")
    assert stored == len(ok) + 1, "answers lost or counted twice"
    assert (first, second) == (200, 409)


if __name__ == "__main__":
    main()
