"""Load on the public answer page: gunicorn on PostgreSQL, answers for a bounded time.

Run: scripts/with-postgres.sh .venv/bin/python benchmarks/pulse_load.py [--seconds 60]
Budget (DESIGN.md): >= 300 answers/s for 60 s, p95 <= 200 ms, none lost, none counted twice.

It migrates the throwaway database, makes one open round with a public link, starts gunicorn
on 127.0.0.1 (only there: the script refuses any other host), and sends answers from many
worker processes for `--seconds` (at most 120) or `--max-answers`, whichever comes first.
Each answer is a POST of the public form with its own single-use form key; the keys are
minted here with the server's secret, as the form page would hand them out, so the load is
the answers themselves. Requests leave from 250 loopback source addresses (127.0.1.x), like
respondents at different addresses, so the rate limit per link and address stays on at its
default. At the end the answers stored are counted against the 2xx responses, and one form
key is sent twice to check it is refused.
"""

import argparse
import http.client
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
HOST = "127.0.0.1"
SOURCES = [f"127.0.1.{n}" for n in range(1, 251)]
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
    call_command("createcachetable", verbosity=0)
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


def send(path: str, body: bytes, port: int, source: str) -> tuple[int, float]:
    started = time.perf_counter()
    connection = http.client.HTTPConnection(HOST, port, timeout=30, source_address=(source, 0))
    try:
        connection.request(
            "POST",
            path,
            body=body,
            headers={"Content-Type": "application/x-www-form-urlencoded", "Accept-Language": "nl"},
        )
        response = connection.getresponse()
        response.read()
        status = response.status
    except OSError:
        status = 0
    finally:
        connection.close()
    return status, time.perf_counter() - started


def worker(args: tuple[int, str, str, int, float, int, int]) -> list[tuple[int, float]]:
    """Send answers back to back until the deadline or this worker's share of the maximum."""
    number, path, key, port, deadline, share, workers = args
    results = []
    values = {step.value: str(1 + (number % 5)) for step in STEPS} | {
        "unsure": "Waar staan mijn bestanden straks?",
        "department": "Service",
    }
    sent = 0
    while time.time() < deadline and sent < share:
        body = urllib.parse.urlencode(values | {"form_key": services.form_key_issue(key)}).encode()
        source = SOURCES[(number + sent * workers) % len(SOURCES)]
        results.append(send(path, body, port, source))
        sent += 1
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--max-answers", type=int, default=40_000)
    parser.add_argument("--clients", type=int, default=24, help="concurrent senders")
    parser.add_argument("--web-workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--port", type=int, default=8765)
    options = parser.parse_args()
    seconds = min(max(options.seconds, 1), 120)
    if not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        sys.exit("Run under scripts/with-postgres.sh: the budget is for PostgreSQL.")
    round, path, key = prepare()
    env = os.environ | {"KOERS_DEBUG": "0"}
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "koers.wsgi:application",
            "--bind",
            f"{HOST}:{options.port}",
            "--workers",
            str(options.web_workers),
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
        connections.close_all()  # the senders are forked: they must not share a connection
        share = -(-options.max_answers // options.clients)
        deadline = time.time() + seconds
        started = time.perf_counter()
        jobs = [
            (n, path, key, options.port, deadline, share, options.clients)
            for n in range(options.clients)
        ]
        with multiprocessing.get_context("fork").Pool(options.clients) as pool:
            parts = pool.map(worker, jobs)
        elapsed = time.perf_counter() - started
        results = [result for part in parts for result in part]
        ok = [latency for status, latency in results if 200 <= status < 300]
        statuses: dict[int, int] = {}
        for status, _latency in results:
            statuses[status] = statuses.get(status, 0) + 1
        # A form key sent twice is refused: nothing counted twice.
        twice = services.form_key_issue(key)
        body = urllib.parse.urlencode(
            {step.value: "3" for step in STEPS} | {"form_key": twice}
        ).encode()
        first, _l = send(path, body, options.port, "127.0.2.1")
        second, _l = send(path, body, options.port, "127.0.2.2")
    finally:
        server.terminate()
        server.wait(timeout=30)
    with scopes_disabled():
        stored = Answer.objects.filter(round=round).count()
    latencies = sorted(ok)
    p95 = latencies[int(len(latencies) * 0.95) - 1] if latencies else float("nan")
    print(f"answers sent: {len(results)} in {elapsed:.1f} s; statuses: {statuses}")
    print(f"throughput: {len(ok) / elapsed:.0f} answers/s (2xx)")
    print(
        f"latency: median {statistics.median(latencies) * 1000:.0f} ms, "
        f"p95 {p95 * 1000:.0f} ms, max {latencies[-1] * 1000:.0f} ms"
    )
    print(f"stored answers: {stored}; 2xx responses + the duplicate check: {len(ok) + 1}")
    print(f"same form twice: {first} then {second}")
    assert stored == len(ok) + 1, "answers lost or counted twice"
    assert (first, second) == (200, 409)


if __name__ == "__main__":
    main()
