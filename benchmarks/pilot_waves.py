"""Measure the first ring, pilot selection and wave planning for 100,000 people.

    .venv/bin/python benchmarks/pilot_waves.py [--people 100000] [--runs 5]

Budget (DESIGN.md): pilot selection and wave planning for 100,000 people <= 1 s each, timed
as the command runs: start, read, compute, write. So this makes a fresh SQLite database in a
temporary folder with a client of PEOPLE made-up people (40 departments of uneven size, IT
and a service desk among them, functional administrators spread over the others, 4 offices,
20 job titles, 3 devices; 10% marked well known, constructive or ambassador; 5% who have
left), and runs `koers select-pilot ... --json` and `koers plan-waves ... --json` as a user
would, each in a process of its own, timed from before the process starts to after it exits
(the JSON document is read in full). The pure modules are timed alone too, for comparison:
that is what the old version of this script reported, and not what the user waits for.

Each command is compared with its floor, measured in the same run and timed the same way: a
process of its own (this script with --floor) that starts Django as `koers` does
(django.setup()), reads the same people with one plain SQL select of the columns the
command needs, and writes as many rows as the command writes (first ring and pilot members,
or first ring and wave members) with one `executemany` of plain tuples on a plain cursor, in
one transaction, after deleting the rows of the run before (the command replaces its rows
too), into tables shaped and indexed like the real ones. The budget is 1 s or 3x the floor,
whichever is larger; the result says which applied and whether it was met.

    scripts/with-postgres.sh .venv/bin/python benchmarks/pilot_waves.py   # on PostgreSQL
"""

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = Path(tempfile.mkdtemp(prefix="koers-bench-"))
os.environ.setdefault("KOERS_SECRET_KEY", "benchmark-only-" + "k" * 50)
os.environ.setdefault("KOERS_DATA_DIR", str(DATA))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koers.settings")
os.environ.setdefault("KOERS_STATIC_MANIFEST", "0")

ATTRIBUTES = "department,location,job_title,device"
KOERS = str(Path(sys.executable).parent / "koers")
# The floors' tables, shaped and indexed like the members' tables: a unique (group, person)
# index and an index on the person.
FLOOR_TABLES = {
    "bench_floor_ring": "reason varchar(16) NOT NULL",
    "bench_floor_pilot": "source varchar(16) NOT NULL",
    "bench_floor_wave": "live_on date NOT NULL",
}
# The columns each command reads of the people (the floor reads them in one select).
FLOOR_COLUMNS = {
    "select": "id, key, name, department, location, job_title, device, is_well_known, "
    "is_constructive, is_ambassador, leaving_on, left_at",
    "plan": "id, key, department, job_title, leaving_on, left_at",
}


def people_rows(count: int) -> list[object]:
    from koers.population.reading import PersonRow

    rng = random.Random(1)
    departments = ["ICT", "Servicedesk", *(f"Afdeling {n}" for n in range(38))]
    weights = [6, 3, *(rng.randint(1, 20) for _ in range(38))]
    titles = [f"Functie {n}" for n in range(19)] + ["Functioneel beheerder"]
    title_weights = [10] * 19 + [1]
    return [
        PersonRow(
            row=n + 2,
            key=f"E{n:06d}",
            name=f"Medewerker {n}",
            email=f"m{n}@example.com",
            department=rng.choices(departments, weights)[0],
            location=rng.choices(["Nijmegen", "Arnhem", "Tiel", "Gent"], [5, 3, 2, 1])[0],
            job_title=rng.choices(titles, title_weights)[0],
            device=rng.choices(["Laptop", "Tablet", "Desktop"], [6, 3, 1])[0],
        )
        for n in range(count)
    ]


def setup(count: int) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone
    from django_scopes import scopes_disabled

    from koers.population import services
    from koers.population.models import Person
    from koers.projects.models import Project
    from koers.rollout import steering
    from koers.workspaces.models import Client, Workspace

    call_command("migrate", verbosity=0)
    with scopes_disabled():
        workspace = Workspace.objects.create(slug="bench", name="Bench")
        client = Client.objects.create(workspace=workspace, slug="c", name="C")
        project = Project.objects.create(workspace=workspace, client=client, slug="p", name="P")
        services.people_import(client=client, actor=None, rows=people_rows(count))  # type: ignore[arg-type]
        rng = random.Random(2)
        keys = [f"E{n:06d}" for n in range(count)]
        for field in ("is_well_known", "is_constructive", "is_ambassador"):
            marked = rng.sample(keys, count // 30)
            Person.objects.filter(client=client, key__in=marked).update(**{field: True})
        Person.objects.filter(client=client, key__in=rng.sample(keys, count // 20)).update(
            left_at=timezone.now()
        )
        steering.rollout_update(
            project=project, actor=None, start_on=date(2030, 3, 4), capacity=2000
        )
    from django.db import connection

    identity = "INTEGER PRIMARY KEY"
    if connection.vendor == "postgresql":
        identity = "bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"
    with connection.cursor() as cursor:
        for table, column in FLOOR_TABLES.items():
            cursor.execute(
                f"CREATE TABLE {table} (id {identity}, group_id integer NOT NULL, "
                f"person_id integer NOT NULL, {column})"
            )
            cursor.execute(f"CREATE UNIQUE INDEX {table}_group ON {table} (group_id, person_id)")
            cursor.execute(f"CREATE INDEX {table}_person ON {table} (person_id)")


def floor_child(which: str, client_id: int, ring: int, members: int) -> None:
    """The floor of a command, run in a process of its own: start Django, read the people
    with one select, write `ring` first ring rows and `members` pilot or wave rows with
    executemany, in one transaction."""
    import django

    django.setup()
    from django.db import connection, transaction

    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {FLOOR_COLUMNS[which]} FROM rollout_person WHERE client_id = %s ORDER BY key",
            [client_id],
        )
        people = cursor.fetchall()
    ids = [row[0] for row in people if row[-1] is None]
    table, value = (
        ("bench_floor_pilot", "chosen") if which == "select" else ("bench_floor_wave", "2030-03-04")
    )
    with transaction.atomic(), connection.cursor() as cursor:
        for name in ("bench_floor_ring", table):
            cursor.execute(f"DELETE FROM {name}")
        cursor.executemany(
            "INSERT INTO bench_floor_ring (group_id, person_id, reason) VALUES (%s, %s, %s)",
            [(1, pk, "department") for pk in ids[:ring]],
        )
        column = FLOOR_TABLES[table].split()[0]
        cursor.executemany(
            f"INSERT INTO {table} (group_id, person_id, {column}) VALUES (%s, %s, %s)",
            [(n // 3000, pk, value) for n, pk in enumerate(ids[:members])],
        )


def timed(*args: str, command: Sequence[str] = (KOERS,)) -> tuple[float, float, dict[str, Any]]:
    """Run a koers command; return its wall-clock and CPU seconds and its JSON document."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([*command, *args], capture_output=True, check=True, env=os.environ)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return seconds, cpu, json.loads(done.stdout or "{}")


def floor_timed(which: str, client_id: int, ring: int, members: int) -> float:
    seconds, _cpu, _document = timed(
        "--floor", which, str(client_id), str(ring), str(members),
        command=(sys.executable, __file__),
    )  # fmt: skip
    return seconds


def verdict(command: list[float], floor: list[float]) -> dict[str, object]:
    """The command's median against 1 s or 3x its floor's median, whichever is larger."""
    median, floor_median = statistics.median(command), statistics.median(floor)
    budget = max(1.0, 3 * floor_median)
    return {
        "command_median_s": round(median, 3),
        "floor_median_s": round(floor_median, 3),
        "ratio_to_floor": round(median / floor_median, 2),
        "budget_s": round(budget, 3),
        "budget_applied": "1 s" if budget == 1.0 else "3x floor",
        "met": median <= budget,
    }


def summary(values: list[float]) -> dict[str, float]:
    return {"median": round(statistics.median(values), 3), "max": round(max(values), 3)}


def pure(count: int) -> dict[str, float]:
    """Time the pure modules alone on the same kind of people (no database, no start)."""
    from koers.rollout.pilot import Candidate, default_size, random_baseline, select_pilot
    from koers.rollout.ring import RingPerson, first_ring
    from koers.rollout.waves import Member, WorkCalendar, plan_departments

    rows = people_rows(count)
    people = [
        Candidate(r.key, {a: getattr(r, a) for a in ATTRIBUTES.split(",")})  # type: ignore[attr-defined]
        for r in rows
    ]
    start = time.perf_counter()
    ring = first_ring(
        RingPerson(c.key, c.values["department"], c.values["job_title"]) for c in people
    )
    size = default_size(len(people) - ring.size)
    selection = select_pilot(people, size=size, attributes=ATTRIBUTES.split(","), ring=ring.keys)
    compute = time.perf_counter() - start
    start = time.perf_counter()
    random_baseline(people, size=size, attributes=ATTRIBUTES.split(","), draws=100, ring=ring.keys)
    baseline = time.perf_counter() - start
    members = [Member(c.key, c.values["department"]) for c in people]
    start = time.perf_counter()
    plan_departments(
        members,
        start=date(2030, 3, 4),
        capacity=2000,
        calendar=WorkCalendar("NL"),
        pilot=selection.keys,
        ring=ring.keys,
    )
    plan = time.perf_counter() - start
    return {
        "ring_and_pilot_s": round(compute, 3),
        "random_baseline_100_draws_s": round(baseline, 3),
        "plan_departments_s": round(plan, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--floor", nargs=4, metavar=("COMMAND", "CLIENT", "RING", "MEMBERS"))
    args = parser.parse_args()
    if args.floor:
        which, *numbers = args.floor
        floor_child(which, *(int(n) for n in numbers))
        return
    setup(args.people)
    from django.db import connection
    from django_scopes import scopes_disabled

    from koers.workspaces.models import Client

    with scopes_disabled():
        client_id = Client.objects.get(slug="c").pk
    load = round(os.getloadavg()[0], 2)
    results: dict[str, object] = {"people": args.people, "runs": args.runs}
    results["database"] = connection.vendor
    select, select_cpu, plan, plan_cpu, start_only = [], [], [], [], []
    select_floor: list[float] = []
    plan_floor: list[float] = []
    for _run in range(args.runs):
        seconds, cpu, document = timed("select-pilot", "bench/p", "--by", ATTRIBUTES, "--json")
        select.append(seconds)
        select_cpu.append(cpu)
        ring = document["first_ring"]["size"]
        select_floor.append(floor_timed("select", client_id, ring, document["size"]))
        seconds, cpu, planned = timed("plan-waves", "bench/p", "--json")
        plan.append(seconds)
        plan_cpu.append(cpu)
        # Everyone planned is a wave member, the first ring too (wave 0), besides its own rows.
        in_waves = sum(w["people"] for w in planned["waves"])
        plan_floor.append(floor_timed("plan", client_id, ring, in_waves))
        begin = time.perf_counter()
        subprocess.run([KOERS, "help", "select-pilot"], capture_output=True, check=True)
        start_only.append(time.perf_counter() - begin)
    results["select_pilot_command_s"] = summary(select)
    results["select_pilot_command_cpu_s"] = summary(select_cpu)
    results["plan_waves_command_s"] = summary(plan)
    results["plan_waves_command_cpu_s"] = summary(plan_cpu)
    results["start_only_s"] = summary(start_only)
    results["select_pilot_floor_s"] = summary(select_floor)
    results["plan_waves_floor_s"] = summary(plan_floor)
    results["select_pilot"] = verdict(select, select_floor)
    results["plan_waves"] = verdict(plan, plan_floor)
    results["load_average_before_after"] = [load, round(os.getloadavg()[0], 2)]
    results["first_ring"] = document["first_ring"]["size"]
    results["left_out_as_left"] = len(document["left_out_as_left"])
    results["pilot_size"] = document["size"]
    results["rest"] = document["population"]
    results["mean_tvd"] = document["mean_tvd"]
    results["random_median_tvd"] = document["random_median_tvd"]
    results["waves"] = len(planned["waves"])
    results["planned_people"] = planned["people"]
    results["pure"] = pure(args.people)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
