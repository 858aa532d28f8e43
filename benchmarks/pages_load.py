"""Server time of the main pages: gunicorn on PostgreSQL, the demo plus a 100,000-person client.

Run: scripts/with-postgres.sh .venv/bin/python benchmarks/pages_load.py [--passes 20]
Budget (DESIGN.md): pages p95 <= 100 ms and p99 <= 300 ms; queries per page do not grow
with the data (the test suite asserts those counts).

It migrates the throwaway database, builds the demo, adds a client with 100,000 people to it,
starts gunicorn on 127.0.0.1 only, logs in as the demo owner and requests every page in the
list `--passes` times (at most 100) over one keep-alive connection, one request at a time,
so each time measured is the server's time plus loopback, without queueing.
"""

import argparse
import contextlib
import http.client
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
HOST = "127.0.0.1"
os.environ.setdefault("KOERS_SECRET_KEY", "benchmark-only-" + "k" * 40)
os.environ.setdefault("KOERS_DATA_DIR", tempfile.mkdtemp(prefix="koers-bench-"))
os.environ.setdefault("KOERS_STATIC_MANIFEST", "0")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koers.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402
from django.urls import reverse  # noqa: E402
from django_scopes import scopes_disabled  # noqa: E402

from koers.demo.builder import DEMO_PASSWORD, DEMO_USERS, build_demo  # noqa: E402
from koers.rollout.models import Person, Wave  # noqa: E402
from koers.workspaces.models import Client  # noqa: E402

PEOPLE = 100_000
DEPARTMENTS = [f"Afdeling {n}" for n in range(40)]
LOCATIONS = ["Utrecht", "Gent", "Zwolle", "Antwerpen", "Eindhoven", "Brugge"]


def build_data() -> list[tuple[str, str]]:
    """Build the data; return (label, path) for every page to measure."""
    call_command("migrate", verbosity=0)
    with scopes_disabled():
        workspace, _ = build_demo(reset=True)
        big = Client.objects.create(workspace=workspace, slug="grootbedrijf", name="Grootbedrijf")
        Person.objects.bulk_create(
            (
                Person(
                    client=big,
                    key=f"E{n:06d}",
                    name=f"Medewerker {n}",
                    email=f"m{n}@grootbedrijf.example",
                    department=DEPARTMENTS[n % len(DEPARTMENTS)],
                    location=LOCATIONS[n % len(LOCATIONS)],
                    job_title="Medewerker",
                )
                for n in range(PEOPLE)
            ),
            batch_size=5000,
        )
        wave = Wave.objects.filter(project__workspace=workspace).order_by("pk").first()
    with connections["default"].cursor() as cursor:
        # Fresh planner statistics, as autovacuum keeps them in a running database.
        cursor.execute("VACUUM ANALYZE")
    ws = workspace.slug
    pages = [
        ("dashboard", reverse("workspaces:dashboard", args=[ws])),
        ("clients", reverse("workspaces:clients", args=[ws])),
        ("client, 100,000 people", reverse("workspaces:client", args=[ws, "grootbedrijf"])),
        ("people, 100,000", reverse("people:list", args=[ws, "grootbedrijf"])),
        ("project overview", reverse("projects:overview", args=[ws, "order-to-cash"])),
        ("scope canvas", reverse("projects:scope", args=[ws, "order-to-cash"])),
        ("plan", reverse("roadmap:plan", args=[ws, "order-to-cash"])),
        ("roadmap", reverse("roadmap:roadmap", args=[ws, "order-to-cash"])),
        ("revisions", reverse("roadmap:revisions", args=[ws, "moderne-werkplek"])),
        ("wave board", reverse("rollout:board", args=[ws, "moderne-werkplek"])),
        ("pilot", reverse("rollout:pilot", args=[ws, "moderne-werkplek"])),
        ("pulse rounds", reverse("pulse:rounds", args=[ws, "moderne-werkplek"])),
    ]
    if wave is not None:
        pages.append(("wave", reverse("rollout:wave", args=[ws, "moderne-werkplek", wave.pk])))
    connections.close_all()
    return pages


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def request(
    conn: http.client.HTTPConnection, method: str, path: str, cookies: dict[str, str], body=""
) -> http.client.HTTPResponse:
    headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
    if body:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        headers["Referer"] = f"http://{conn.host}:{conn.port}{path}"
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    for header, value in response.getheaders():
        if header.lower() == "set-cookie":
            name, _, rest = value.partition("=")
            cookies[name] = rest.split(";", 1)[0]
    return response


def log_in(conn: http.client.HTTPConnection) -> dict[str, str]:
    cookies: dict[str, str] = {}
    page = request(conn, "GET", "/accounts/login/", cookies).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token, "no CSRF token on the login page"
    form = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": token.group(1),
            "username": DEMO_USERS[0].email,
            "password": DEMO_PASSWORD,
        }
    )
    response = request(conn, "POST", "/accounts/login/", cookies, form)
    response.read()
    assert response.status == 302, f"log-in failed: {response.status}"
    return cookies


def wait_until_up(port: int, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((HOST, port), timeout=1):
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("the server did not start")


@contextlib.contextmanager
def serving() -> Iterator[int]:
    """Run gunicorn (`koers serve`, 2 workers x 2 threads) on a free loopback port; yield it."""
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "koers.cli",
            "serve",
            "--no-worker",
            "--port",
            str(port),
            "--workers",
            "2",
            "--threads",
            "2",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        wait_until_up(port)
        yield port
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=30)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--passes", type=int, default=20)
    args = parser.parse_args()
    passes = max(1, min(args.passes, 100))
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("Run under scripts/with-postgres.sh: the budget is for PostgreSQL.")
    started = time.monotonic()
    pages = build_data()
    print(f"data: demo + {PEOPLE:,} people in {time.monotonic() - started:.1f} s")
    with serving() as port:
        conn = http.client.HTTPConnection(HOST, port, timeout=30)
        cookies = log_in(conn)
        for _label, path in pages:  # warm up every worker's caches once
            request(conn, "GET", path, cookies).read()
        times: dict[str, list[float]] = {label: [] for label, _ in pages}
        for _ in range(passes):
            for label, path in pages:
                begin = time.perf_counter()
                response = request(conn, "GET", path, cookies)
                response.read()
                times[label].append((time.perf_counter() - begin) * 1000)
                assert response.status == 200, f"{label}: HTTP {response.status}"
    every = [t for values in times.values() for t in values]
    print(f"{len(every)} requests over {len(pages)} pages, {passes} passes, one at a time")
    for label, values in times.items():
        print(
            f"  {label:26s} median {statistics.median(values):6.1f} ms"
            f"   p95 {percentile(values, 0.95):6.1f} ms"
        )
    p95, p99 = percentile(every, 0.95), percentile(every, 0.99)
    print(
        f"all pages: median {statistics.median(every):.1f} ms, p95 {p95:.1f} ms, p99 {p99:.1f} ms"
    )
    verdict = "OK" if p95 <= 100 and p99 <= 300 else "OVER"
    print(f"budget: p95 <= 100 ms, p99 <= 300 ms: {verdict}")


if __name__ == "__main__":
    main()
