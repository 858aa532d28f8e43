"""Measure the people import against its budgets and floors (docs/PERFORMANCE.md).

    .venv/bin/python benchmarks/import_people.py [--rows 100000]

Makes a fresh SQLite database in a temporary folder, a 10-column CSV and an XLSX of ROWS
made-up people, and measures in one run: the floors (csv.reader rows/s, bulk_create rows/s
into SQLite in one transaction, python-calamine XLSX rows/s), the CSV import, the re-import of
the same file (must write nothing), the XLSX import, the export of a wave of everyone as CSV
and XLSX, and the peak memory (RSS) of an import in a process of its own.
"""

import argparse
import csv
import io
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = Path(tempfile.mkdtemp(prefix="koers-bench-"))
os.environ.setdefault("KOERS_SECRET_KEY", "benchmark-only-" + "k" * 50)
os.environ.setdefault("KOERS_DATA_DIR", str(DATA))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koers.settings")
os.environ.setdefault("KOERS_STATIC_MANIFEST", "0")
os.environ.setdefault("KOERS_UPLOAD_LIMIT_MB", "200")

HEADER = [
    "Personeelsnummer", "Naam", "E-mail", "Afdeling", "Locatie", "Functie", "Manager",
    "Apparaat", "Kostenplaats", "Contract",
]  # fmt: skip
# The further columns a user ticks to keep: nothing is kept unless ticked, and these two
# keep the import writing all 10 columns, as the budget says.
KEEP = ["Kostenplaats", "Contract"]


def make_rows(count: int) -> list[list[str]]:
    rng = random.Random(1)
    departments = [f"Afdeling {n}" for n in range(40)]
    return [
        [
            f"E{n:06d}",
            f"Medewerker {n}",
            f"m{n}@example.com",
            rng.choice(departments),
            rng.choice(["Nijmegen", "Arnhem", "Tiel", "Utrecht", "Gent"]),
            rng.choice(["Monteur", "Adviseur", "Teamleider", "Planner", "Engineer"]),
            f"Manager {n % 500}",
            rng.choice(["Laptop", "Tablet", "Desktop"]),
            f"KP{n % 120:03d}",
            rng.choice(["vast", "tijdelijk"]),
        ]
        for n in range(count)
    ]


def csv_data(rows: list[list[str]]) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    return text.getvalue().encode("utf-8")


def xlsx_data(rows: list[list[str]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Medewerkers")
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def timed(label: str, results: dict, function):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    value = function()
    results[label] = round(time.perf_counter() - start, 3)
    print(f"  {label}: {results[label]:.3f} s", flush=True)
    return value


def setup_django():  # type: ignore[no-untyped-def]
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def memory_child(path: str) -> None:
    """Import one file in this process and print its peak RSS."""
    setup_django()
    from django_scopes import scopes_disabled

    from koers.rollout import services
    from koers.workspaces.models import Client, Workspace

    with scopes_disabled():
        workspace = Workspace.objects.create(slug="mem", name="Mem")
        client = Client.objects.create(workspace=workspace, slug="c", name="C")
        data = Path(path).read_bytes()
        found = services.read_people_file(data, Path(path).name, client=client, keep=KEEP)
        services.people_import(client=client, actor=None, rows=found.rows)
    print(json.dumps({"peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--memory-child")
    args = parser.parse_args()
    if args.memory_child:
        memory_child(args.memory_child)
        return
    setup_django()
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext
    from django_scopes import scopes_disabled
    from python_calamine import CalamineWorkbook

    from koers.projects.models import Project
    from koers.rollout import exports, services
    from koers.rollout.models import Person, Wave, WaveMember
    from koers.workspaces.models import Client, Workspace

    n = args.rows
    results: dict = {"rows": n, "columns": len(HEADER)}
    print(f"{n} rows x {len(HEADER)} columns; data in {DATA}")
    rows = make_rows(n)
    data = csv_data(rows)
    xlsx = xlsx_data(rows)
    results["csv_mb"] = round(len(data) / 2**20, 1)
    results["xlsx_mb"] = round(len(xlsx) / 2**20, 1)

    # Floors, measured in this run.
    def read_csv() -> int:
        return sum(1 for _row in csv.reader(io.StringIO(data.decode()), delimiter=";"))

    timed("floor_csv_reader_s", results, read_csv)
    results["floor_csv_reader_rows_per_s"] = round(n / results["floor_csv_reader_s"])
    with scopes_disabled():
        workspace = Workspace.objects.create(slug="bench", name="Bench")
        floor_client = Client.objects.create(workspace=workspace, slug="floor", name="Floor")
        client = Client.objects.create(workspace=workspace, slug="c", name="C")

        def bulk() -> None:
            with transaction.atomic():
                Person.objects.bulk_create(
                    Person(client=floor_client, key=r[0], name=r[1], email=r[2], department=r[3])
                    for r in rows
                )

        timed("floor_bulk_create_s", results, bulk)
        results["floor_bulk_create_rows_per_s"] = round(n / results["floor_bulk_create_s"])
        Person.objects.filter(client=floor_client).delete()

        def calamine() -> int:
            book = CalamineWorkbook.from_filelike(io.BytesIO(xlsx))
            return len(book.get_sheet_by_name("Medewerkers").to_python())

        timed("floor_calamine_s", results, calamine)
        results["floor_calamine_rows_per_s"] = round(n / results["floor_calamine_s"])

        # The import as the web and the command run it: read, check every row, compare the
        # keys and spellings with the people there, write in one transaction.
        def import_csv() -> object:
            found = services.read_people_file(data, "people.csv", client=client, keep=KEEP)
            return services.people_import(client=client, actor=None, rows=found.rows)

        result = timed("import_csv_s", results, import_csv)
        results["import_csv_created"] = result.created  # type: ignore[attr-defined]
        floor = (
            n / results["floor_csv_reader_rows_per_s"] + n / results["floor_bulk_create_rows_per_s"]
        )
        results["import_csv_vs_floor"] = round(results["import_csv_s"] / floor, 2)

        with CaptureQueriesContext(connection) as queries:
            again = timed("reimport_csv_s", results, import_csv)
        results["reimport_unchanged"] = again.unchanged  # type: ignore[attr-defined]
        results["reimport_writes"] = sum(
            1
            for q in queries.captured_queries
            if q["sql"].startswith(("INSERT", "UPDATE", "DELETE"))
        )

        xlsx_client = Client.objects.create(workspace=workspace, slug="x", name="X")

        def import_xlsx() -> object:
            found = services.read_people_file(xlsx, "people.xlsx", client=xlsx_client, keep=KEEP)
            return services.people_import(client=xlsx_client, actor=None, rows=found.rows)

        timed("import_xlsx_s", results, import_xlsx)

        # Export: one wave of everyone, for a mail merge.
        project = Project.objects.create(workspace=workspace, client=client, slug="p", name="P")
        from datetime import date

        wave = Wave.objects.create(
            project=project, number=1, label="Iedereen", kind="department",
            start_on=date(2030, 3, 4), end_on=date(2030, 3, 4), size=n,
        )  # fmt: skip
        WaveMember.objects.bulk_create(
            (WaveMember(wave=wave, person_id=pk, live_on=date(2030, 3, 4))
             for pk in Person.objects.filter(client=client).values_list("pk", flat=True)),
            batch_size=5000,
        )  # fmt: skip
        timed("export_csv_s", results, lambda: exports.wave_people(wave, "csv"))
        timed("export_xlsx_s", results, lambda: exports.wave_people(wave, "xlsx"))

    path = DATA / "people.csv"
    path.write_bytes(data)
    child = subprocess.run(
        [sys.executable, __file__, "--memory-child", str(path)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "KOERS_DATA_DIR": tempfile.mkdtemp(prefix="koers-bench-mem-")},
    )
    results.update(json.loads(child.stdout.strip().splitlines()[-1]))
    print(f"  peak_rss_mb: {results['peak_rss_mb']}")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
