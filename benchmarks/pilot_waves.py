"""Measure pilot selection and wave planning for 100,000 people (budget: 1 s each).

    .venv/bin/python benchmarks/pilot_waves.py [--people 100000]

Pure modules only: no database. Also measures the random baseline (1,000 picks of the
method's pilot size, as the page and `koers select-pilot` compute it, with their cap).
"""

import argparse
import json
import os
import random
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("KOERS_SECRET_KEY", "benchmark-only-" + "k" * 50)

from koers.rollout.pilot import Candidate, default_size, random_baseline, select_pilot
from koers.rollout.waves import Member, WorkCalendar, plan_departments, plan_rings

ATTRIBUTES = ["department", "location", "job_title", "device"]


def population(count: int) -> list[Candidate]:
    rng = random.Random(1)
    departments = [f"D{n}" for n in range(40)]
    weights = [rng.randint(1, 20) for _ in departments]
    functions = [f"F{n}" for n in range(20)]
    return [
        Candidate(
            key=f"E{n:06d}",
            values={
                "department": rng.choices(departments, weights)[0],
                "location": rng.choices(["Nijmegen", "Arnhem", "Tiel", "Gent"], [5, 3, 2, 1])[0],
                "job_title": rng.choice(functions),
                "device": rng.choices(["Laptop", "Tablet", "Desktop"], [6, 3, 1])[0],
            },
            preference=int(rng.random() < 0.1),
            is_first=n < 60,
        )
        for n in range(count)
    ]


def best_of(runs: int, function):  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        value = function()
        times.append(time.perf_counter() - start)
    return min(times), value


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=100_000)
    args = parser.parse_args()
    people = population(args.people)
    size = default_size(len(people))
    results: dict = {"people": len(people), "pilot_size": size}
    seconds, selection = best_of(
        3, lambda: select_pilot(people, size=size, attributes=ATTRIBUTES, seed=1, first=True)
    )
    results["select_pilot_s"] = round(seconds, 3)
    results["pilot_mean_tvd"] = round(selection.measure.mean_tvd, 4)
    draws = max(100, min(1000, 250_000 // size))  # as services.baseline_draws
    seconds, median = best_of(
        1, lambda: random_baseline(people, size=size, attributes=ATTRIBUTES, draws=draws)
    )
    results["random_baseline_draws"] = draws
    results["random_baseline_s"] = round(seconds, 3)
    results["random_median_tvd"] = round(median, 4)
    members = [Member(c.key, c.values["department"]) for c in people]
    calendar = WorkCalendar("NL", frozenset({date(2030, 3, 15)}))
    seconds, plan = best_of(
        3,
        lambda: plan_departments(
            members, start=date(2030, 3, 4), capacity=2000, calendar=calendar, pilot=selection.keys
        ),
    )
    results["plan_departments_s"] = round(seconds, 3)
    results["department_waves"] = len(plan.waves)
    seconds, _rings = best_of(
        3,
        lambda: plan_rings(
            members, start=date(2030, 3, 4), capacity=2000, calendar=calendar, pilot=selection.keys
        ),
    )
    results["plan_rings_s"] = round(seconds, 3)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
