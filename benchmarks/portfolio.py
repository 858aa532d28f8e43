"""Server time and SQL queries of the portfolio (the workspace home) at 200 projects over 50
clients, every project shaped like a client's.

Run: .venv/bin/python benchmarks/portfolio.py [--passes 30] [--projects 200] [--clients 50]
     scripts/with-postgres.sh .venv/bin/python benchmarks/portfolio.py
Budget (DESIGN.md): p95 <= 100 ms and p99 <= 300 ms; the SQL queries do not grow with the
projects (the tests assert it at 3 and 30).

The workspace: the demo (its five cases as built), plus clients up to `--clients` and
projects up to `--projects`, each with what the portfolio reads of a real one: four phases
with a KPI each (one of them late in a third of the projects), two milestones, eight weekly
status updates, an open pulse round of 40 answers, three waves with a gate (one late in a
fifth), three decisions (one proposed and past its day), five stakeholders with their
contacts, and a blocking feedback item in every seventh project (some become watermelons).
Timed as pages_load.py times pages: `django.test.Client` through every middleware, in this
process, as the demo owner, after a warm-up request and `load_and_freeze`, each route
`--passes` times: the first page, a page filtered by client, the second page (cursor) and the
API's first page.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
os.environ.setdefault("KOERS_SECRET_KEY", "benchmark-only-" + "k" * 40)
os.environ.setdefault("KOERS_DATA_DIR", tempfile.mkdtemp(prefix="koers-bench-"))
os.environ.setdefault("KOERS_STATIC_MANIFEST", "0")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koers.settings")

from pages_load import counting, percentile  # noqa: E402

ANSWERS = 40
DEPARTMENTS = [f"Afdeling {n}" for n in range(8)]


def months_from(today: date, months: int) -> date:
    year, month = divmod(today.month - 1 + months, 12)
    return date(today.year + year, month + 1, 1)


def build(projects: int, clients: int) -> str:
    """Build the workspace; return its short name."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.utils import timezone
    from django_scopes import scopes_disabled

    from koers.decisions.models import Decision
    from koers.demo.builder import DEMO_USERS, build_demo
    from koers.projects.models import Project
    from koers.pulse import services as pulse_services
    from koers.pulse.models import Answer, FeedbackItem, StatusUpdate
    from koers.roadmap.models import Kpi, Milestone, Phase
    from koers.rollout.models import Gate, Wave
    from koers.stakeholders.models import Communication, Involvement, Stakeholder
    from koers.workspaces.models import Client

    rng = random.Random(18)
    call_command("migrate", verbosity=0)
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    with scopes_disabled():
        workspace, _ = build_demo(reset=True)
        owner = get_user_model().objects.get(email=DEMO_USERS[0].email)
        Client.objects.bulk_create(
            Client(workspace=workspace, slug=f"klant-{n:03d}", name=f"Klant {n:03d}")
            for n in range(clients - workspace.clients.count())
        )
        every_client = list(workspace.clients.order_by("pk"))
        statuses = ["planning", "delivery", "delivery", "aftercare", "intake"]
        made = Project.objects.bulk_create(
            Project(
                workspace=workspace,
                client=every_client[n % len(every_client)],
                slug=f"project-{n:03d}",
                name=f"Project {n:03d}",
                status=statuses[n % len(statuses)],
                manager=owner,
            )
            for n in range(projects - workspace.projects.count())
        )
        for index, project in enumerate(made):
            late = index % 3 == 0
            phases = Phase.objects.bulk_create(
                Phase(
                    project=project,
                    position=n,
                    title=f"Fase {n + 1}",
                    goal="Sneller offreren",
                    standalone_value="Waarde op zich",
                    vision_horizon=24,
                    vision_contribution="Order-to-cash",
                    start_month=months_from(today, 3 * n - (8 if late else 1)),
                    weeks=8,
                    budget=Decimal(25_000),
                    status="active" if n == 0 else "planned",
                )
                for n in range(4)
            )
            Kpi.objects.bulk_create(
                Kpi(phase=phase, name="Doorlooptijd", unit="dagen", baseline=10, target=5)
                for phase in phases
            )
            Milestone.objects.bulk_create(
                Milestone(
                    project=project,
                    phase=phases[n],
                    kind="live",
                    title=f"Oplevering {n + 1}",
                    on=today + timedelta(days=5 + 30 * n),
                )
                for n in range(2)
            )
            StatusUpdate.objects.bulk_create(
                StatusUpdate(
                    project=project,
                    week=monday - timedelta(weeks=n),
                    status=rng.choice(["green", "green", "amber", "red"]),
                    actor=owner,
                )
                for n in range(8)
            )
            waves = Wave.objects.bulk_create(
                Wave(
                    project=project,
                    number=n + 1,
                    label=f"Golf {n + 1}",
                    kind=Wave.Kind.DEPARTMENT,
                    status="active" if n == 0 else "planned",
                    start_on=today + timedelta(days=14 * n - (30 if index % 5 == 0 else 0)),
                    end_on=today + timedelta(days=14 * n + 3 - (30 if index % 5 == 0 else 0)),
                    days=[],
                    size=50,
                )
                for n in range(3)
            )
            Gate.objects.bulk_create(Gate(wave=wave) for wave in waves)
            round = pulse_services.round_create(
                project=project,
                actor=owner,
                title="Ronde 1",
                closes_at=timezone.now() + timedelta(days=rng.randrange(1, 12)),
                wave=waves[0],
            )
            pulse_services.round_open(round=round, actor=owner)
            Answer.objects.bulk_create(
                Answer(
                    round=round,
                    source="public",
                    department=rng.choice(DEPARTMENTS),
                    language="nl",
                    submitted_on=today,
                    awareness=rng.randint(1, 5),
                    desire=rng.randint(1, 5),
                    knowledge=rng.randint(1, 5),
                    ability=rng.randint(1, 5),
                    reinforcement=rng.randint(1, 5),
                    form_key=f"bench-{project.pk}-{n}",
                )
                for n in range(ANSWERS)
            )
            if index % 7 == 0:
                FeedbackItem.objects.bulk_create(
                    FeedbackItem(
                        project=project,
                        source=FeedbackItem.Source.PILOT,
                        text=f"Blokkerend {n}",
                        is_blocking=True,
                        actor=owner,
                    )
                    for n in range(3)
                )
            Decision.objects.bulk_create(
                Decision(
                    project=project,
                    title=f"Besluit {n}",
                    status="proposed" if n == 0 else "decided",
                    due_on=today - timedelta(days=3) if n == 0 else None,
                    logged_by=owner,
                    logged_at=timezone.now(),
                )
                for n in range(3)
            )
            people = Stakeholder.objects.bulk_create(
                Stakeholder(client=project.client, name=f"Stakeholder {project.pk}-{n}")
                for n in range(5)
            )
            Involvement.objects.bulk_create(
                Involvement(project=project, stakeholder=person, stance="neutral")
                for person in people
            )
            done = Communication.objects.create(
                project=project,
                kind="meeting",
                subject="Overleg",
                on=today - timedelta(days=rng.randrange(5, 60)),
                status="done",
            )
            done.audience.set(people[:3])
    return workspace.slug


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--passes", type=int, default=30)
    parser.add_argument("--projects", type=int, default=200)
    parser.add_argument("--clients", type=int, default=50)
    args = parser.parse_args()
    passes = max(1, min(args.passes, 200))
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client as WebClient
    from django_scopes import scopes_disabled

    from koers.core.warmup import load_and_freeze
    from koers.demo.builder import DEMO_USERS
    from koers.workspaces.models import ApiToken

    started = time.monotonic()
    slug = build(args.projects, args.clients)
    print(
        f"data: {args.projects} projects over {args.clients} clients in "
        f"{time.monotonic() - started:.1f} s, {connection.vendor}"
    )
    settings.ALLOWED_HOSTS = ["*"]
    with scopes_disabled():
        user = get_user_model().objects.get(email=DEMO_USERS[0].email)
        token = ApiToken(user=user, name="benchmark")
        secret = token.new_token()
        token.save()
        client = user.memberships.get(workspace__slug=slug).workspace.clients.order_by("pk")[7]
    web = WebClient()
    web.force_login(user)
    api = WebClient(headers={"Authorization": f"Bearer {secret}"})
    home = f"/w/{slug}/"
    load_and_freeze()
    first = web.get(home)
    cursor = first.content.decode().split('rel="next"')[0].rsplit("cursor=", 1)[-1].split('"')[0]
    routes = [
        ("home", web, home),
        ("home, one client", web, f"{home}?client={client.slug}"),
        ("home, second page", web, f"{home}?cursor={cursor.replace('&amp;', '&')}"),
        ("api portfolio", api, f"/api/v1/w/{slug}/portfolio"),
    ]
    print(f"  {'route':24s} {'p50':>7s} {'p95':>7s} {'p99':>7s} {'SQL':>5s}")
    every: list[float] = []
    for label, browser, url in routes:
        assert browser.get(url).status_code == 200, label  # warm
        times, queries = [], 0
        for _ in range(passes):
            with counting() as count:
                begin = time.perf_counter()
                response = browser.get(url)
                times.append((time.perf_counter() - begin) * 1000)
                queries = count()
            assert response.status_code == 200, label
        every += times
        print(
            f"  {label:24s} {statistics.median(times):7.1f} {percentile(times, 0.95):7.1f}"
            f" {percentile(times, 0.99):7.1f} {queries:5d}"
        )
    p95, p99 = percentile(every, 0.95), percentile(every, 0.99)
    verdict = "OK" if p95 <= 100 and p99 <= 300 else "OVER"
    print(f"all: p95 {p95:.1f} ms, p99 {p99:.1f} ms; budget p95 <= 100, p99 <= 300: {verdict}")


if __name__ == "__main__":
    main()
