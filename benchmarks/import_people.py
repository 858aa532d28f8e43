"""Measure the people import against its budgets and its floor (docs/PERFORMANCE.md).

    .venv/bin/python benchmarks/import_people.py [--rows 100000] [--memory-rows 1000000]
    scripts/with-postgres.sh .venv/bin/python benchmarks/import_people.py   # on PostgreSQL

Makes a fresh database (SQLite in a temporary folder, or the one DATABASE_URL names) and a
10-column CSV of ROWS made-up people that looks like a client's file: random employee
numbers in random order, names, e-mail addresses, 40 departments of uneven size, and per
person a cost centre and a start date, both kept as attributes (so nearly every person has
attributes of their own). It measures in one run:

- the floor: csv.reader over the same bytes and one `executemany` of the parsed rows into
  a table of the same 10 columns with a unique (client, key) index, in one transaction on
  the same connection (so with the same pragmas), as plain as the work can be done;
- the import as the web, the task worker and `koers import-people` run it (read, check
  every row, compare with the people there, write in one transaction), and its ratio to
  the floor (budget: within 4x);
- the re-import of the same file, which must write nothing;
- the XLSX import and the export of a wave of everyone as CSV and XLSX;
- the peak memory (RSS) of importing MEMORY_ROWS people and of importing that file again,
  each in a process of its own (budget: 500 MB).
"""

import argparse
import csv
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = Path(tempfile.mkdtemp(prefix="koers-bench-"))
os.environ.setdefault("KOERS_SECRET_KEY", "benchmark-only-" + "k" * 50)
os.environ.setdefault("KOERS_DATA_DIR", str(DATA))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koers.settings")
os.environ.setdefault("KOERS_STATIC_MANIFEST", "0")
# A file of 1,000,000 people is about 110 MB: over the default limit, as the limit says.
os.environ.setdefault("KOERS_UPLOAD_LIMIT_MB", "200")

HEADER = [
    "Personeelsnummer", "Naam", "E-mail", "Afdeling", "Locatie", "Functie", "Manager",
    "Apparaat", "Kostenplaats", "Startdatum",
]  # fmt: skip
# The further columns a user ticks to keep (nothing is kept unless ticked): with them the
# import writes all 10 columns, and their values differ from person to person.
KEEP = ["Kostenplaats", "Startdatum"]
FIRST = ["Anna", "Bram", "Chantal", "Daan", "Emma", "Finn", "Gijs", "Hanna", "Ilse", "Jan", "Kees",
         "Lotte", "Mohamed", "Noor", "Olaf", "Priya", "Roos", "Sem", "Tess", "Yusuf"]  # fmt: skip
LAST = ["de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder",
        "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker", "Brouwer",
        "El Amrani", "Yilmaz", "van Dijk", "Kaya"]  # fmt: skip


def make_rows(count: int, seed: int = 1) -> list[list[str]]:
    rng = random.Random(seed)
    departments = [f"Afdeling {n}" for n in range(40)]
    weights = [rng.randint(1, 30) for _ in departments]
    titles = [f"Functie {n}" for n in range(60)]
    managers = [f"{rng.choice(FIRST)} {rng.choice(LAST)} ({n})" for n in range(max(count // 12, 1))]
    cost_centres = [f"{rng.randint(1000, 9999)}.{rng.randint(10, 99)}" for _ in range(3000)]
    first_day = date(1980, 1, 1)
    keys = rng.sample(range(10_000_000, 99_999_999), count)  # random numbers, random order
    rows = []
    for key in keys:
        first, last = rng.choice(FIRST), rng.choice(LAST)
        started = first_day + timedelta(days=rng.randrange(16_000))
        rows.append([
            str(key),
            f"{first} {last}",
            f"{first.lower()}.{last.replace(' ', '').lower()}{key % 1000}@example.nl",
            rng.choices(departments, weights)[0],
            rng.choice(["Nijmegen", "Arnhem", "Tiel", "Utrecht", "Gent"]),
            rng.choice(titles),
            rng.choice(managers),
            rng.choice(["Laptop", "Tablet", "Desktop"]),
            rng.choice(cost_centres),
            started.strftime("%d-%m-%Y"),
        ])  # fmt: skip
    return rows


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
    """Time `function` by the clock and by this process's CPU (on SQLite all of the work is
    in this process, so the CPU seconds are less moved by the other work on the machine)."""
    start, cpu = time.perf_counter(), time.process_time()
    value = function()
    results[label] = round(time.perf_counter() - start, 3)
    results[label.replace("_s", "_cpu_s")] = round(time.process_time() - cpu, 3)
    print(f"  {label}: {results[label]:.3f} s (CPU {time.process_time() - cpu:.3f} s)", flush=True)
    return value


def setup_django():  # type: ignore[no-untyped-def]
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def floor(data: bytes, client_id: int) -> tuple[float, float, int]:
    """csv.reader over the file and one executemany of its rows into a table with a unique
    (client, key) index, in one transaction; return its seconds, CPU seconds and rows."""
    from django.db import connection, transaction

    columns = [f"c{n}" for n in range(1, len(HEADER))]
    identity = "INTEGER PRIMARY KEY"
    if connection.vendor == "postgresql":
        identity = "bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_floor")
        cursor.execute(
            f"CREATE TABLE bench_floor (id {identity}, client_id integer NOT NULL, "
            f"key varchar(150) NOT NULL, {', '.join(c + ' text NOT NULL' for c in columns)})"
        )
        cursor.execute("CREATE UNIQUE INDEX bench_floor_key ON bench_floor (client_id, key)")
    sql = "INSERT INTO bench_floor (client_id, key, {}) VALUES ({})".format(
        ", ".join(columns), ", ".join(["%s"] * (len(columns) + 2))
    )
    start, cpu = time.perf_counter(), time.process_time()
    reader = csv.reader(io.StringIO(data.decode("utf-8"), newline=""), delimiter=";")
    next(reader)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(sql, [(client_id, *row) for row in reader])
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM bench_floor")
        written = cursor.fetchone()[0]
        cursor.execute("DROP TABLE bench_floor")
    return seconds, cpu, written


def memory_child(path: str, slug: str) -> None:
    """Import one file in this process (for a client `slug`, made when new); print the peak
    RSS and what the import did."""
    setup_django()
    from django_scopes import scopes_disabled

    from koers.population import services
    from koers.workspaces.models import Client, Workspace

    with scopes_disabled():
        workspace, _made = Workspace.objects.get_or_create(slug="mem", defaults={"name": "Mem"})
        client, _made = Client.objects.get_or_create(
            workspace=workspace, slug=slug, defaults={"name": slug}
        )
        start = time.perf_counter()
        found = services.read_people_file(
            Path(path).read_bytes(), Path(path).name, client=client, keep=KEEP
        )
        result = services.people_import(client=client, actor=None, rows=found.rows)
        seconds = time.perf_counter() - start
    # VmHWM, not getrusage's ru_maxrss: that keeps the peak of the benchmark's own process
    # across the fork and exec of this one (with the 1,000,000 rows it made for the file).
    status = Path("/proc/self/status").read_text()
    peak_kb = int(status.split("VmHWM:")[1].split()[0])
    print(
        json.dumps({
            "peak_rss_mb": peak_kb // 1024,
            "seconds": round(seconds, 1),
            "created": result.created,
            "unchanged": result.unchanged,
        })
    )  # fmt: skip


def in_child(path: Path, slug: str) -> dict[str, object]:
    child = subprocess.run(
        [sys.executable, __file__, "--memory-child", str(path), "--client", slug],
        capture_output=True,
        text=True,
        check=True,
        env=os.environ,
    )
    return json.loads(child.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--memory-rows", type=int, default=1_000_000, help="0: skip")
    parser.add_argument("--no-xlsx", action="store_true", help="Skip the XLSX import/export.")
    parser.add_argument("--memory-child")
    parser.add_argument("--client", default="m")
    args = parser.parse_args()
    if args.memory_child:
        memory_child(args.memory_child, args.client)
        return
    setup_django()
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext
    from django_scopes import scopes_disabled

    from koers.population import services
    from koers.population.models import Person
    from koers.projects.models import Project
    from koers.rollout import exports
    from koers.rollout.models import Wave, WaveMember
    from koers.workspaces.models import Client, Workspace

    n = args.rows
    results: dict = {
        "database": connection.vendor,
        "rows": n,
        "columns": len(HEADER),
        "load_average_before": round(os.getloadavg()[0], 2),
    }
    print(f"{n} rows x {len(HEADER)} columns on {connection.vendor}; data in {DATA}")
    rows = make_rows(n)
    data = csv_data(rows)
    results["csv_mb"] = round(len(data) / 2**20, 1)
    with scopes_disabled():
        workspace = Workspace.objects.create(slug="bench", name="Bench")
        floor_client = Client.objects.create(workspace=workspace, slug="floor", name="Floor")
        client = Client.objects.create(workspace=workspace, slug="c", name="C")

        seconds, cpu, written = floor(data, floor_client.pk)
        assert written == n, written
        results["floor_s"], results["floor_cpu_s"] = round(seconds, 3), round(cpu, 3)
        print(f"  floor_s: {seconds:.3f} s (CPU {cpu:.3f} s)", flush=True)

        # The import as the web and the command run it: read, check every row, compare the
        # keys and spellings with the people there, write in one transaction.
        def import_csv() -> object:
            found = services.read_people_file(data, "people.csv", client=client, keep=KEEP)
            return services.people_import(client=client, actor=None, rows=found.rows)

        result = timed("import_csv_s", results, import_csv)
        assert result.created == n, result  # type: ignore[attr-defined]
        results["import_csv_vs_floor"] = round(results["import_csv_s"] / results["floor_s"], 2)
        results["import_csv_cpu_vs_floor_cpu"] = round(
            results["import_csv_cpu_s"] / results["floor_cpu_s"], 2
        )

        with CaptureQueriesContext(connection) as queries:
            again = timed("reimport_csv_s", results, import_csv)
        results["reimport_unchanged"] = again.unchanged  # type: ignore[attr-defined]
        results["reimport_writes"] = sum(
            1
            for q in queries.captured_queries
            if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE", "COPY"))
        )
        results["reimport_vs_floor"] = round(results["reimport_csv_s"] / results["floor_s"], 2)

        if not args.no_xlsx:
            xlsx = xlsx_data(rows)
            results["xlsx_mb"] = round(len(xlsx) / 2**20, 1)
            xlsx_client = Client.objects.create(workspace=workspace, slug="x", name="X")

            def import_xlsx() -> object:
                found = services.read_people_file(
                    xlsx, "people.xlsx", client=xlsx_client, keep=KEEP
                )
                return services.people_import(client=xlsx_client, actor=None, rows=found.rows)

            timed("import_xlsx_s", results, import_xlsx)

            # Export: one wave of everyone, for a mail merge.
            project = Project.objects.create(workspace=workspace, client=client, slug="p", name="P")
            wave = Wave.objects.create(
                project=project, number=1, label="Iedereen", kind="department",
                start_on=date(2030, 3, 4), end_on=date(2030, 3, 4), size=n,
            )  # fmt: skip
            with transaction.atomic():
                WaveMember.objects.bulk_create(
                    (WaveMember(wave=wave, person_id=pk, live_on=date(2030, 3, 4))
                     for pk in Person.objects.filter(client=client).values_list("pk", flat=True)),
                    batch_size=5000,
                )  # fmt: skip
            timed("export_csv_s", results, lambda: exports.wave_people(wave, "csv"))
            timed("export_xlsx_s", results, lambda: exports.wave_people(wave, "xlsx"))

    if args.memory_rows:
        path = DATA / "people-large.csv"
        path.write_bytes(csv_data(make_rows(args.memory_rows, seed=2)))
        results["memory_rows"] = args.memory_rows
        results["memory_csv_mb"] = round(path.stat().st_size / 2**20, 1)
        first = in_child(path, "large")
        print(f"  import of {args.memory_rows}: {first}", flush=True)
        again = in_child(path, "large")
        print(f"  re-import of {args.memory_rows}: {again}", flush=True)
        results["memory_import"] = first
        results["memory_reimport"] = again
    results["load_average_after"] = round(os.getloadavg()[0], 2)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
