"""Server time and SQL queries of every page and API list on a large workspace.

Run: .venv/bin/python benchmarks/pages_load.py [--passes 10] [--only NAME ...]
     KOERS_PG_DURABLE=1 scripts/with-postgres.sh .venv/bin/python benchmarks/pages_load.py
Budget (DESIGN.md): p95 <= 100 ms and p99 <= 300 ms for every page and API list, SQLite and
PostgreSQL; SQL queries per page do not grow with the data.

The workspace is the one of issue 14: the demo, plus clients up to 58 and projects up to 206,
and a client of 100,000 people (random keys, a start date and a cost centre each) whose
project has its first ring, pilot and waves, 40 phases, 200 plan revisions, pulse rounds of
12,000 / 6,000 / 3,000 / 500 answers, 300 feedback items and 60 status updates. Building it
takes minutes, so the built database is kept in `var/bench-cache/`, named by a hash of this
file, the demo and every migration: a SQLite file copied for each run, or a `pg_dump` that is
restored. Every run works on its own copy.

The routes are read as the access tests read them (tests/access/walk.py): every URL pattern
with <workspace> from the URL configuration and every GET operation of the OpenAPI document,
so a new page or list is measured without touching this file. Each is requested `--passes`
times as the demo owner (web pages with the session, the API with a token). Server time is
the time Django's handler takes for the request with the real middleware, in this process,
through `django.test.Client` (no network, no gunicorn): from the request object to the full
response.
Downloads (CSV, XLSX, PDF, calendars) have their own budgets and are listed apart.
"""

import argparse
import hashlib
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CACHE = ROOT / "var" / "bench-cache"
os.environ.setdefault("KOERS_SECRET_KEY", "benchmark-only-" + "k" * 40)
os.environ.setdefault("KOERS_DATA_DIR", tempfile.mkdtemp(prefix="koers-bench-"))
os.environ.setdefault("KOERS_STATIC_MANIFEST", "0")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koers.settings")

PEOPLE = 100_000
CLIENTS = 58
PROJECTS = 206
PHASES = 40
REVISIONS = 200
ANSWERS = (12_000, 6_000, 3_000, 500)
FEEDBACK = 300
STATUS_UPDATES = 60
STAKEHOLDERS, COMMUNICATIONS, DECISIONS, WINS, MEETINGS = 60, 400, 300, 60, 24
SYSTEMS, INTEGRATIONS, LESSONS = 60, 120, 80
DEPARTMENTS = [f"Afdeling {n}" for n in range(40)]
LOCATIONS = ["Utrecht", "Gent", "Zwolle", "Antwerpen", "Eindhoven", "Brugge"]
DEVICES = ["laptop", "desktop", "tablet"]
JOBS = [f"Functie {n}" for n in range(20)] + ["Servicedesk medewerker"]
BIG_CLIENT, BIG_PROJECT = "grootbedrijf", "groot-uitrol"
# fmt: off
PERSON_COLUMNS = [
    "client", "key", "name", "email", "department", "location", "job_title", "manager",
    "device", "attributes", "is_well_known", "is_constructive", "is_ambassador", "left_at",
    "leaving_on", "created_at", "updated_at",
]
ANSWER_COLUMNS = [
    "round", "source", "department", "language", "submitted_on", "awareness", "desire",
    "knowledge", "ability", "reinforcement", "unsure", "unclear", "risky", "own", "form_key",
    "edit_key",
]
# fmt: on
DOWNLOADS = (
    "text/csv",
    "application/vnd",
    "application/pdf",
    "text/calendar",
    "application/zip",
    "image/png",
)


def fingerprint() -> str:
    """Hash of everything the built database depends on."""
    digest = hashlib.sha256()
    files = [Path(__file__), *sorted((ROOT / "koers").glob("*/migrations/*.py"))]
    files += sorted((ROOT / "koers" / "demo").glob("*.py"))
    for path in files:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def is_postgres() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith("postgres")


def pg_tool(name: str) -> str:
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    return str(found[-1]) if found else name


def restore_cached() -> bool:
    """Put the cached database in place, if there is one for this fingerprint."""
    key = fingerprint()
    if is_postgres():
        dump = CACHE / f"pages-{key}.pgdump"
        if not dump.exists():
            return False
        url = os.environ["DATABASE_URL"]
        subprocess.run([pg_tool("pg_restore"), "--no-owner", "-d", url, str(dump)], check=True)
        return True
    cached = CACHE / f"pages-{key}.sqlite3"
    if not cached.exists():
        return False
    shutil.copyfile(cached, Path(os.environ["KOERS_DATA_DIR"]) / "koers.sqlite3")
    return True


def store_cached() -> None:
    CACHE.mkdir(parents=True, exist_ok=True)
    key = fingerprint()
    for old in CACHE.glob("pages-*.pgdump" if is_postgres() else "pages-*.sqlite3"):
        old.unlink()
    if is_postgres():
        dump = CACHE / f"pages-{key}.pgdump"
        url = os.environ["DATABASE_URL"]
        subprocess.run([pg_tool("pg_dump"), "-Fc", "-f", str(dump), url], check=True)
    else:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        shutil.copyfile(
            Path(os.environ["KOERS_DATA_DIR"]) / "koers.sqlite3", CACHE / f"pages-{key}.sqlite3"
        )


def build() -> None:
    """Build the large workspace (see the module's docstring)."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone
    from django_scopes import scopes_disabled

    from koers.core.bulk import insert_rows
    from koers.demo.builder import DEMO_USERS, build_demo
    from koers.population.models import Person
    from koers.projects.models import Project
    from koers.pulse import services as pulse_services
    from koers.pulse.models import Answer, FeedbackItem, StatusUpdate
    from koers.roadmap import services as plan_services
    from koers.rollout import selection, steering
    from koers.workspaces.models import Client

    rng = random.Random(14)
    call_command("migrate", verbosity=0)
    with scopes_disabled():
        workspace, _ = build_demo(reset=True)
        owner = get_user_model().objects.get(email=DEMO_USERS[0].email)
        extra = CLIENTS - workspace.clients.count() - 1
        Client.objects.bulk_create(
            Client(workspace=workspace, slug=f"klant-{n:03d}", name=f"Klant {n:03d}")
            for n in range(extra)
        )
        big = Client.objects.create(workspace=workspace, slug=BIG_CLIENT, name="Grootbedrijf")
        clients = list(workspace.clients.order_by("pk"))
        statuses = [s for s, _ in Project.Status.choices]
        Project.objects.bulk_create(
            Project(
                workspace=workspace,
                client=clients[n % len(clients)],
                slug=f"project-{n:03d}",
                name=f"Project {n:03d}",
                status=statuses[n % len(statuses)],
                manager=owner,
            )
            for n in range(PROJECTS - workspace.projects.count() - 1)
        )
        project = Project.objects.create(
            workspace=workspace, client=big, slug=BIG_PROJECT, name="Groot: uitrol", manager=owner
        )
        now = timezone.now()
        keys = rng.sample(range(10**7, 10**8), PEOPLE)
        with transaction.atomic():
            insert_rows(
                Person,
                PERSON_COLUMNS,
                (
                    (
                        big.pk,
                        f"K{key}",
                        f"Medewerker {key}",
                        f"m{key}@grootbedrijf.example",
                        DEPARTMENTS[rng.randrange(len(DEPARTMENTS))],
                        LOCATIONS[rng.randrange(len(LOCATIONS))],
                        JOBS[rng.randrange(len(JOBS))],
                        f"Leidinggevende {rng.randrange(900)}",
                        DEVICES[rng.randrange(len(DEVICES))],
                        {
                            "start_date": (
                                date(2000, 1, 1) + timedelta(days=rng.randrange(9000))
                            ).isoformat(),
                            "cost_centre": f"KP{rng.randrange(10**5):05d}",
                        },
                        rng.random() < 0.02,
                        rng.random() < 0.02,
                        False,
                        None,
                        None,
                        now,
                        now,
                    )
                    for key in keys
                ),
            )
        selection.pilot_select(
            project=project, actor=owner, attributes=["department", "location", "device"], seed=1
        )
        steering.rollout_update(
            project=project, actor=owner, start_on=date.today(), capacity=1500, wave_days=3
        )
        waves = steering.waves_plan(project=project, actor=owner)
        phases = [
            plan_services.phase_create(
                project=project,
                actor=owner,
                title=f"Fase {n + 1}",
                start_month=date(2026, 1 + n % 12, 1),
                weeks=6,
                budget=10_000 + n,
                kpis=[{"name": "Tickets", "baseline": 9, "target": 4}],
            )
            for n in range(PHASES)
        ]
        for n in range(REVISIONS):
            plan_services.phase_update(phase=phases[n % PHASES], actor=owner, budget=20_000 + n)
            plan_services.revision_record(project=project, actor=owner, reason=f"Wijziging {n}")
        texts = ["Waar vind ik mijn bestanden?", "Wie helpt mij?", "Te snel.", ""]
        key = 0
        for index, size in enumerate(ANSWERS):
            round = pulse_services.round_create(
                project=project,
                actor=owner,
                title=f"Ronde {index + 1}",
                closes_at=now + timedelta(days=7),
                wave=waves[index] if index < len(waves) else None,
                ask_department=True,
                departments="\n".join(DEPARTMENTS),
            )
            pulse_services.round_open(round=round, actor=owner)
            rows = []
            for _ in range(size):
                key += 1
                rows.append(
                    (
                        round.pk,
                        "public",
                        DEPARTMENTS[rng.randrange(40)],
                        "nl",
                        date.today(),
                        *(rng.randint(1, 5) for _ in range(5)),
                        *(rng.choice(texts) for _ in range(3)),
                        {},
                        f"bench-{key}",
                        None,
                    )
                )
            with transaction.atomic():
                insert_rows(
                    Answer,
                    ANSWER_COLUMNS,
                    rows,
                )
            if index:
                pulse_services.round_close(round=round)
                # As a client's earlier rounds: closed weeks ago, not seconds before the clock.
                round.__class__.objects.filter(pk=round.pk).update(
                    closed_at=now - timedelta(weeks=4 * index)
                )
        FeedbackItem.objects.bulk_create(
            FeedbackItem(
                project=project,
                source=FeedbackItem.Source.PILOT,
                text=f"Opmerking {n}: de laptop vergrendelt te snel.",
                actor=owner,
            )
            for n in range(FEEDBACK)
        )
        monday = date.today() - timedelta(days=date.today().weekday())
        StatusUpdate.objects.bulk_create(
            StatusUpdate(
                project=project,
                week=monday - timedelta(weeks=n),
                status="green",
                highlights=f"Week {n}",
                actor=owner,
            )
            for n in range(STATUS_UPDATES)
        )
        people_and_decisions(project, owner, phases, rng)
        print(
            f"built: {Client.objects.count()} clients, {Project.objects.count()} projects,"
            f" {PEOPLE:,} people, {len(waves)} waves, {PHASES} phases, {REVISIONS} revisions,"
            f" answers {'/'.join(map(str, ANSWERS))}"
        )


def people_and_decisions(project: Any, owner: Any, phases: list[Any], rng: random.Random) -> None:
    """The large project's stakeholders, communications, decisions, wins, steering meetings,
    landscape and lessons, so their pages are measured loaded rather than empty."""
    from koers.aftercare.models import Handover, HandoverItem, Lesson
    from koers.decisions.models import Decision
    from koers.landscape.models import Integration, PhaseSystem, System
    from koers.stakeholders.models import Communication, Involvement, Stakeholder, StanceChange
    from koers.steering.models import Meeting
    from koers.wins.models import Win

    client, today = project.client, date.today()
    stances = ["champion", "supporter", "neutral", "sceptic", "opponent"]
    people = Stakeholder.objects.bulk_create(
        Stakeholder(
            client=client,
            name=f"Belanghebbende {n}",
            organisation="Grootbedrijf",
            job_title=f"Functie {n % 12}",
            email=f"b{n}@grootbedrijf.example",
            channel=["call", "mail", "meeting", "demo"][n % 4],
            contact_every_days=14 + n % 30,
        )
        for n in range(STAKEHOLDERS)
    )
    roles = Involvement.objects.bulk_create(
        Involvement(
            project=project,
            stakeholder=person,
            is_steering_member=n < 8,
            is_decision_maker=n == 0,
            stance=stances[rng.randrange(5)],
            influence=rng.randint(1, 5),
            interest=rng.randint(1, 5),
        )
        for n, person in enumerate(people[: STAKEHOLDERS * 2 // 3])
    )
    StanceChange.objects.bulk_create(
        StanceChange(
            involvement=role,
            before=stances[n % 5],
            after=role.stance,
            on=today - timedelta(days=n),
            reason="Na de demo",
            actor=owner,
        )
        for n, role in enumerate(roles * 3)
    )
    talks = Communication.objects.bulk_create(
        Communication(
            project=project,
            kind=["update", "demo", "call", "meeting", "steering"][n % 5],
            status="done" if n % 7 else "planned",
            on=today - timedelta(days=rng.randrange(400)),
            subject=f"Update {n}",
            content="Wat er deze week veranderde, en wat volgt.",
            actor=owner,
        )
        for n in range(COMMUNICATIONS)
    )
    Through = Communication.audience.through
    Through.objects.bulk_create(
        Through(communication_id=talk.pk, stakeholder_id=person.pk)
        for talk in talks
        for person in rng.sample(people, 3)
    )
    decisions = Decision.objects.bulk_create(
        Decision(
            project=project,
            title=f"Besluit {n}: de uitrol per afdeling",
            reasons="Kleiner risico, sneller leren.",
            decided_by="Stuurgroep",
            decided_on=None if n % 10 == 0 else today - timedelta(days=rng.randrange(400)),
            due_on=today + timedelta(days=n % 30) if n % 10 == 0 else None,
            status="proposed" if n % 10 == 0 else "decided",
            phase=phases[n % len(phases)],
            logged_by=owner,
        )
        for n in range(DECISIONS)
    )
    Win.objects.bulk_create(
        Win(
            project=project,
            key=f"bench-{n}",
            kind=["kpi", "live", "decision"][n % 3],
            status="celebrated",
            title=f"Mijlpaal {n} gehaald",
            on=today - timedelta(days=rng.randrange(400)),
            actor=owner,
        )
        for n in range(WINS)
    )
    meetings = Meeting.objects.bulk_create(
        Meeting(
            project=project,
            on=today - timedelta(weeks=n * 2),
            minutes="Besproken: voortgang, risico's en de volgende fase.",
            actor=owner,
        )
        for n in range(MEETINGS)
    )
    Taken = Meeting.decisions.through
    Taken.objects.bulk_create(
        Taken(meeting_id=meeting.pk, decision_id=decision.pk)
        for meeting, decision in zip(meetings * 2, decisions, strict=False)
    )
    systems = System.objects.bulk_create(
        System(
            client=client,
            name=f"Systeem {n}",
            capability=f"Functie {n % (SYSTEMS // 2)}",  # every capability twice
            users=rng.randrange(5000),
            hosting=["on_premises", "hosted", "saas", "cloud", "desktop"][n % 5],
            lifecycle=["keep", "improve", "replace", "retire"][n % 4],
            debt=rng.randint(1, 5),
        )
        for n in range(SYSTEMS)
    )
    Integration.objects.bulk_create(
        [
            Integration(
                client=client,
                source=source,
                target=target,
                kind=["api", "file", "manual", "none"][n % 4],
                data="orders",
            )
            for n, (source, target) in enumerate(
                rng.sample(systems[:-6], 2)
                for _ in range(INTEGRATIONS)  # the last six: islands
            )
        ],
        ignore_conflicts=True,  # a pair drawn twice of one kind
    )
    PhaseSystem.objects.bulk_create(
        PhaseSystem(phase=phase, system=systems[n], change="changes")
        for n, phase in enumerate(phases)
    )
    Lesson.objects.bulk_create(
        Lesson(
            project=project,
            phase=phases[n % len(phases)],
            title=f"Les {n}: eerst de pilot, dan de golven",
            went_well="De ambassadeurs per afdeling.",
            could_be_better="Eerder communiceren over de planning.",
            try_next="Een demo per golf.",
            tags="uitrol, communicatie",
            recorded_by=owner,
        )
        for n in range(LESSONS)
    )
    Handover.objects.create(project=project, shadow_start=today, shadow_end=today + timedelta(14))
    HandoverItem.objects.bulk_create(
        HandoverItem(project=project, kind=kind, owner="Beheer", state="open")
        for kind in ["documentation", "access", "monitoring", "support", "known_issues", "runbook"]
    )


def analyse() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if is_postgres() else "ANALYZE")


KWARG = re.compile(r"<(?:[^>:]+:)?(?P<name>[^>]+)>")
OPENAPI_PARAM = re.compile(r"{(?P<name>[^}]+)}")


def kwargs_of_workspace() -> dict[str, Any]:
    """One value per URL kwarg, naming objects of the large project."""
    from django_scopes import scopes_disabled

    from koers.demo.builder import DEMO_SLUG
    from koers.outbox.models import Message
    from koers.projects.models import Project
    from koers.workspaces.models import Invitation, Membership, Role

    with scopes_disabled():
        project = Project.objects.get(workspace__slug=DEMO_SLUG, slug=BIG_PROJECT)
        workspace = project.workspace
        invitation = Invitation.objects.filter(workspace=workspace).first()
        if invitation is None:
            invitation = Invitation(workspace=workspace, email="new@example.com", role=Role.MEMBER)
            invitation.new_token()
            invitation.save()
        message = Message.objects.filter(workspace=workspace).first()
        phase = project.phases.order_by("position").first()
        demo = Project.objects.filter(workspace=workspace).exclude(pk=project.pk)
        values: dict[str, Any] = {
            "workspace": workspace.slug,
            "client": project.client.slug,
            "project": project.slug,
            "member": Membership.objects.filter(workspace=workspace).first().pk,  # type: ignore[union-attr]
            "invitation": invitation.pk,
            "phase": phase.pk,  # type: ignore[union-attr]
            "kpi": phase.kpis.first().pk,  # type: ignore[union-attr]
            "number": project.plan_revisions.first().number,  # type: ignore[union-attr]
            "person": project.client.people.order_by("key").first().pk,  # type: ignore[attr-defined]
            "key": project.client.people.order_by("key").first().key,  # type: ignore[attr-defined]
            "wave": project.waves.order_by("number").first().pk,  # type: ignore[attr-defined]
            "round": project.pulse_rounds.order_by("number").first().number,  # type: ignore[attr-defined]
            "feedback": project.feedback_items.first().pk,  # type: ignore[attr-defined]
            "template": "pulse-invitation",
            "language": "nl",
        }
        if message is not None:
            values["message"] = message.pk
        # The large project's own: stakeholders, decisions, wins, meetings, landscape, lessons.
        for name, found in (
            ("stakeholder", project.client.stakeholders.first()),  # type: ignore[attr-defined]
            ("communication", project.communications.first()),  # type: ignore[attr-defined]
            ("decision", project.decisions.first()),  # type: ignore[attr-defined]
            ("win", project.wins.first()),  # type: ignore[attr-defined]
            ("meeting", project.steering_meetings.first()),  # type: ignore[attr-defined]
            ("system", project.client.systems.first()),  # type: ignore[attr-defined]
            ("integration", project.client.integrations.first()),  # type: ignore[attr-defined]
            ("lesson", project.lessons.first()),  # type: ignore[attr-defined]
            ("system_change", phase.system_changes.first()),  # type: ignore[union-attr]
        ):
            if found is not None:
                values[name] = found.pk
        # Objects the large project has none of: take the demo's, in a demo project.
        for name, relation in (
            ("item", "scope_items"),
            ("milestone", "milestones"),
            ("deviation", "deviations"),
            ("link", "share_links"),
        ):
            for other in demo:
                found = getattr(other, relation).first()
                if found is not None:
                    values[name] = found.pk
                    values[f"{name}:project"] = other.slug
                    break
        contact = workspace.clients.exclude(contacts=None).first()
        if contact is not None:
            values["contact"] = contact.contacts.first().pk
            values["contact:client"] = contact.slug
        run = project.client.import_runs.first()  # type: ignore[attr-defined]
        if run is not None:
            values["run"] = run.pk
    return values


def fill(route: str, values: dict[str, Any], pattern: re.Pattern[str]) -> str | None:
    names = pattern.findall(route)
    if any(name not in values for name in names):
        return None
    local = dict(values)
    for name in names:  # an object borrowed from another project or client brings its own
        for owner in ("project", "client"):
            if f"{name}:{owner}" in values:
                local[owner] = values[f"{name}:{owner}"]
    return pattern.sub(lambda m: str(local[m["name"]]), route)


def targets(web: Any, values: dict[str, Any]) -> tuple[list[tuple[str, str, str]], list[str]]:
    """(kind, label, url) of every GET page and API route; and the routes left out, why."""
    from django.urls import get_resolver

    from tests.access.walk import API_NAMESPACES, walk  # the same walk as the access tests

    found, left = [], []
    for namespace, route, name, _pattern in walk(get_resolver()):
        if "workspace" not in KWARG.findall(route) or namespace.split(":")[0] in API_NAMESPACES:
            continue
        url = fill(route, values, KWARG)
        if url is None:
            left.append(f"{name}: no value for its kwargs")
        else:
            found.append(("page", name, "/" + url))
    document = web.get("/api/v1/openapi.json").json()
    for path, operations in document["paths"].items():
        if "get" not in operations or "{workspace}" not in path:
            continue
        url = fill(path, values, OPENAPI_PARAM)
        label = "api " + path.removeprefix("/api/v1/w/{workspace}/")
        if url is None:
            left.append(f"{label}: no value for its parameters")
        else:
            found.append(("api", label, url))
    return found, left


@contextmanager
def counting() -> Iterator[Callable[[], int]]:
    from django.db import connection

    count = [0]

    def wrapper(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        count[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield lambda: count[0]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--passes", type=int, default=10)
    parser.add_argument("--only", nargs="*", default=[], help="labels containing any of these")
    parser.add_argument("--rebuild", action="store_true", help="build anew, ignore the cache")
    args = parser.parse_args()
    passes = max(1, min(args.passes, 100))

    started = time.monotonic()
    cached = not args.rebuild and restore_cached()
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client as WebClient
    from django_scopes import scopes_disabled

    from koers.demo.builder import DEMO_USERS
    from koers.workspaces.models import ApiToken

    if cached:
        call_command("migrate", verbosity=0)
        print(f"data: from the cache in {time.monotonic() - started:.1f} s")
    else:
        build()
        analyse()
        store_cached()
        print(f"data: built in {time.monotonic() - started:.1f} s (cached for the next run)")
    analyse()
    # No setup_test_environment(): it makes every rendering copy its context for the test
    # client (84,000 objects a form page), garbage a server never makes, whose collection
    # paused requests 100-170 ms. The test client's handler runs every middleware of settings.
    settings.ALLOWED_HOSTS = ["*"]
    with scopes_disabled():
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.get(email=DEMO_USERS[0].email)
        token = ApiToken(user=user, name="benchmark")
        secret = token.new_token()
        token.save()
    web = WebClient()
    web.force_login(user)
    api = WebClient(headers={"Authorization": f"Bearer {secret}"})
    found, left = targets(web, kwargs_of_workspace())
    # As a worker starts (koers/wsgi.py): every view, template and language loaded, and what
    # the process made so far kept out of the collector's full passes; the requests below are
    # timed as a running worker serves them.
    from koers.core.warmup import load_and_freeze

    load_and_freeze()
    if args.only:
        found = [t for t in found if any(word in t[1] for word in args.only)]
    engine = connection.vendor
    print(f"{engine}, {passes} passes, server time in Django's handler (test client)")
    rows, skipped, downloads = [], [], []
    for kind, label, url in found:
        client = api if kind == "api" else web
        first = client.get(url)  # warm: the view's imports and caches
        if first.status_code != 200:
            skipped.append(f"{label}: HTTP {first.status_code}")
            continue
        content_type = first.get("Content-Type", "")
        times, queries = [], 0
        for _ in range(passes):
            with counting() as count:
                begin = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - begin) * 1000)
                queries = count()
            assert response.status_code == 200, f"{label}: HTTP {response.status_code}"
        size = len(response.content)
        row = (label, url, times, queries, size)
        (downloads if content_type.startswith(DOWNLOADS) else rows).append(row)

    def show(title: str, table: list[Any], *, budget: bool = True) -> list[float]:
        print(f"\n{title}")
        print(f"  {'route':52s} {'p50':>7s} {'p95':>7s} {'p99':>7s} {'SQL':>5s} {'KB':>6s}")
        every = []
        for label, _url, times, queries, size in sorted(table, key=lambda r: -max(r[2])):
            every += times
            over = percentile(times, 0.95) > 100 or percentile(times, 0.99) > 300
            flag = " OVER" if budget and over else ""
            print(
                f"  {label[:52]:52s} {statistics.median(times):7.1f} {percentile(times, 0.95):7.1f}"
                f" {percentile(times, 0.99):7.1f} {queries:5d} {size / 1024:6.0f}{flag}"
            )
        return every

    every = show("pages and API routes (ms)", rows)
    show("downloads (own budgets, not in the figures below)", downloads, budget=False)
    if skipped or left:
        print("\nnot measured:")
        for line in skipped + left:
            print(f"  {line}")
    p50, p95, p99 = (percentile(every, s) for s in (0.5, 0.95, 0.99))
    over = [r[0] for r in rows if percentile(r[2], 0.95) > 100 or percentile(r[2], 0.99) > 300]
    print(
        f"\nall {len(rows)} routes, {len(every)} requests: p50 {p50:.1f} ms, p95 {p95:.1f} ms,"
        f" p99 {p99:.1f} ms; over budget: {len(over)}"
    )
    verdict = "OK" if p95 <= 100 and p99 <= 300 and not over else "OVER"
    print(f"budget: p95 <= 100 ms, p99 <= 300 ms (all requests and each route): {verdict}")


if __name__ == "__main__":
    main()
