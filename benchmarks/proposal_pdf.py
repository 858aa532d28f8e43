"""Measure the one-A4 proposal PDF for the largest allowed project (20 phases, 30 scope items).

Run: .venv/bin/python benchmarks/proposal_pdf.py [--runs 15]
Budget (DESIGN.md): <= 1 s, never above 2 s. Prints the median and the slowest run.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = tempfile.mkdtemp(prefix="koers-bench-")
os.environ.setdefault("KOERS_SECRET_KEY", "benchmark-only-" + "k" * 40)
os.environ["KOERS_DATA_DIR"] = DATA
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koers.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django_scopes import scope, scopes_disabled  # noqa: E402

from koers.accounts.models import User  # noqa: E402
from koers.documents.proposal import render_proposal  # noqa: E402
from koers.documents.tests.conftest import fill_largest_project, pdf_pages  # noqa: E402
from koers.workspaces.models import Client, Workspace  # noqa: E402
from tests.factories import make_project  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    call_command("migrate", verbosity=0, interactive=False)
    with scopes_disabled():
        workspace = Workspace.objects.create(slug="bench", name="Benchmark")
        client = Client.objects.create(workspace=workspace, slug="klant", name="Klant")
        owner = User.objects.create_user("bench@example.com", "x" * 12, name="Bench")
        project = make_project(client, slug="groot")
        fill_largest_project(project, owner)
    with scope(workspace=workspace):
        first = time.perf_counter()
        pdf = render_proposal(project)
        cold = time.perf_counter() - first
        assert len(pdf_pages(pdf)) == 1
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            render_proposal(project)
            times.append(time.perf_counter() - start)
    median = statistics.median(times)
    print(f"proposal PDF, largest allowed project (20 phases, 30 scope items), {runs} runs")
    print(f"  first render (fonts loaded): {cold:.3f} s")
    print(f"  median: {median:.3f} s   slowest: {max(times):.3f} s   fastest: {min(times):.3f} s")
    print(f"  budget: <= 1 s (never above 2 s): {'OK' if max(times) <= 2 else 'OVER'}")
    sys.exit(0 if median <= 2 else 1)


if __name__ == "__main__":
    main()
