"""Measure the landscape audit for 1,000 systems and 5,000 integrations.

    .venv/bin/python benchmarks/landscape_analysis.py [--systems 1000] [--integrations 5000]

Budget (issue 16): the whole audit of one client, `koers.landscape.analysis.audit` (groups
and digital islands, duplicated capabilities, manual integrations and the modernisation
ranking), in <= 1 s for 1,000 systems and 5,000 integrations. The module is pure Python
without Django, so it is timed alone, in this process, as the median of RUNS runs on the
same made-up landscape: 60 capabilities of uneven size (so some are served many times), debt
1-5, 0-2,000 users, lifecycles mixed; integrations between random systems, 60% API, 20% file
transfer, 15% manual re-typing and 5% none, with one system in ten left without any link so
the islands are many.

The floor is the plainest work the audit cannot skip: building the undirected adjacency of
the API and file links as a dict of lists and a breadth-first walk from every unvisited
system (the connected groups and nothing else), timed the same way. The ratio says what the
rest of the audit (capabilities, scores with their parts, sorting) costs on top.
"""

import argparse
import json
import random
import statistics
import sys
import time
from collections import defaultdict, deque
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from koers.landscape.analysis import Kind, Lifecycle, Link, System, audit  # noqa: E402

KINDS = [Kind.API] * 12 + [Kind.FILE] * 4 + [Kind.MANUAL] * 3 + [Kind.NONE]
BUDGET_S = 1.0


def landscape(systems: int, integrations: int, seed: int = 16) -> tuple[list[System], list[Link]]:
    rng = random.Random(seed)
    made = [
        System(
            key=n,
            name=f"Systeem {n:04}",
            capability=f"Capability {int(rng.paretovariate(1.2)) % 60}",
            users=rng.randrange(0, 2000),
            debt=rng.randint(1, 5),
            lifecycle=rng.choice(list(Lifecycle)),
        )
        for n in range(1, systems + 1)
    ]
    linked = [s.key for s in made if s.key % 10]  # one in ten talks to nothing
    links = [
        Link(n, rng.choice(linked), rng.choice(linked), rng.choice(KINDS))
        for n in range(1, integrations + 1)
    ]
    return made, links


def floor(systems: list[System], links: list[Link]) -> int:
    near: dict[int, list[int]] = defaultdict(list)
    for link in links:
        if link.kind in (Kind.API, Kind.FILE):
            near[link.source].append(link.target)
            near[link.target].append(link.source)
    seen: set[int] = set()
    groups = 0
    for system in systems:
        if system.key in seen:
            continue
        groups += 1
        seen.add(system.key)
        todo = deque([system.key])
        while todo:
            for other in near[todo.popleft()]:
                if other not in seen:
                    seen.add(other)
                    todo.append(other)
    return groups


def timed(work: Callable[[], Any], runs: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--systems", type=int, default=1000)
    parser.add_argument("--integrations", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    systems, links = landscape(args.systems, args.integrations)
    audit_s, found = timed(lambda: audit(systems, links), args.runs)
    floor_s, groups = timed(lambda: floor(systems, links), args.runs)
    assert groups == len(found.groups), "the floor and the audit disagree on the groups"
    results = {
        "systems": args.systems,
        "integrations": args.integrations,
        "runs": args.runs,
        "audit_ms": round(audit_s * 1000, 1),
        "floor_ms": round(floor_s * 1000, 1),
        "ratio_to_floor": round(audit_s / floor_s, 1),
        "groups": len(found.groups),
        "islands": len(found.islands),
        "duplicated_capabilities": len(found.duplicates),
        "manual_integrations": len(found.manual),
        "budget_s": BUDGET_S,
        "met": audit_s <= BUDGET_S,
    }
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
