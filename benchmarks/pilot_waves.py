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
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = Path(tempfile.mkdtemp(prefix="koers-bench-"))
os.environ.setdefault("KOERS_SECRET_KEY", "benchmark-only-" + "k" * 50)
os.environ.setdefault("KOERS_DATA_DIR", str(DATA))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koers.settings")
os.environ.setdefault("KOERS_STATIC_MANIFEST", "0")

ATTRIBUTES = "department,location,job_title,device"
KOERS = str(Path(sys.executable).parent / "koers")


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

    from koers.projects.models import Project
    from koers.rollout import services, steering
    from koers.rollout.models import Person
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


def timed(*args: str) -> tuple[float, float, dict[str, object]]:
    """Run a koers command; return its wall-clock and CPU seconds and its JSON document."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([KOERS, *args], capture_output=True, check=True, env=os.environ)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return seconds, cpu, json.loads(done.stdout)


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
    args = parser.parse_args()
    setup(args.people)
    load = round(os.getloadavg()[0], 2)
    results: dict[str, object] = {"people": args.people, "runs": args.runs}
    select, select_cpu, plan, plan_cpu, start_only = [], [], [], [], []
    for _run in range(args.runs):
        seconds, cpu, document = timed("select-pilot", "bench/p", "--by", ATTRIBUTES, "--json")
        select.append(seconds)
        select_cpu.append(cpu)
        seconds, cpu, planned = timed("plan-waves", "bench/p", "--json")
        plan.append(seconds)
        plan_cpu.append(cpu)
        begin = time.perf_counter()
        subprocess.run([KOERS, "help", "select-pilot"], capture_output=True, check=True)
        start_only.append(time.perf_counter() - begin)
    results["select_pilot_command_s"] = summary(select)
    results["select_pilot_command_cpu_s"] = summary(select_cpu)
    results["plan_waves_command_s"] = summary(plan)
    results["plan_waves_command_cpu_s"] = summary(plan_cpu)
    results["start_only_s"] = summary(start_only)
    results["load_average_before_after"] = [load, round(os.getloadavg()[0], 2)]
    results["first_ring"] = document["first_ring"]["size"]  # type: ignore[index]
    results["left_out_as_left"] = len(document["left_out_as_left"])  # type: ignore[arg-type]
    results["pilot_size"] = document["size"]
    results["rest"] = document["population"]
    results["mean_tvd"] = document["mean_tvd"]
    results["random_median_tvd"] = document["random_median_tvd"]
    results["waves"] = len(planned["waves"])  # type: ignore[arg-type]
    results["planned_people"] = planned["people"]
    results["pure"] = pure(args.people)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
