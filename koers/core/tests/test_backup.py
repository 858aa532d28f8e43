"""`koers backup` and `koers restore`: one file, both databases, every table row for row."""

import gzip
import json
import os
import resource
import secrets
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import timedelta
from io import StringIO
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone, translation
from django_scopes import scopes_disabled
from django_tasks_db.models import DBTaskResult

from koers.core import backup
from koers.core.models import RateCount
from koers.core.tests.snapshot import MIGRATE_MADE, SKIPPED_BY_DESIGN, snapshot
from koers.demo.builder import build_demo
from koers.population.models import ImportRun, Person
from koers.workspaces.models import Client, Workspace

pytestmark = pytest.mark.django_db
# Tests that hold a large client in memory run on one xdist worker, one after the other.
LARGE_DATA = "large-data"

# Tables the demo (with fill_the_corners) must fill, so the round trip proves something.
MUST_HOLD_ROWS = {
    "accounts.User",
    "accounts.User_groups",
    "accounts.User_user_permissions",
    "admin.LogEntry",
    "auth.Group",
    "auth.Group_permissions",
    "django_tasks_database.DBTaskResult",
    "population.ImportRun",
    "population.Person",
    "projects.Project",
    "pulse.Answer",
    "roadmap.Kpi",
    "roadmap.Phase",
    "roadmap.PlanRevision",
    "rollout.Gate",
    "rollout.Wave",
    "workspaces.Client",
}


# --- helpers -----------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Messages are matched in English, as the CLI speaks them on an English terminal."""
    with translation.override("en"):
        yield


def postgres_admin() -> Any:
    """A connection to the cluster of the test run (DATABASE_URL), to make databases."""
    import psycopg

    return psycopg.connect(os.environ["DATABASE_URL"], dbname="postgres", autocommit=True)


@pytest.fixture
def empty_database(tmp_path: Path) -> Iterator[dict[str, str]]:
    """The environment of a process whose database is new and has no tables at all.

    On SQLite a file in tmp_path; on PostgreSQL a second database on the same cluster.
    """
    env = {
        **os.environ,
        "KOERS_DATA_DIR": str(tmp_path / "restored"),
        "DJANGO_SETTINGS_MODULE": "koers.settings",
    }
    if connection.vendor != "postgresql":
        yield sqlite_database(tmp_path / "restored")
        return
    name = "koers_restore_" + secrets.token_hex(4)
    with postgres_admin() as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    env["DATABASE_URL"] = urlsplit(os.environ["DATABASE_URL"])._replace(path="/" + name).geturl()
    try:
        yield env
    finally:
        with postgres_admin() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def sqlite_database(folder: Path) -> dict[str, str]:
    """The environment of a process whose database is a new SQLite file in `folder`."""
    env = {**os.environ, "KOERS_DATA_DIR": str(folder), "DJANGO_SETTINGS_MODULE": "koers.settings"}
    env.pop("DATABASE_URL", None)
    return env


def koers(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "koers.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


def snapshot_of(env: dict[str, str], *, digest: bool = False) -> dict[str, Any]:
    """The snapshot of the database another process sees with `env`."""
    result = subprocess.run(
        [sys.executable, "-m", "koers.core.tests.snapshot", *(["--digest"] if digest else [])],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    return dict(json.loads(result.stdout))


def assert_same_tables(source: dict[str, Any], target: dict[str, Any]) -> None:
    assert set(target) == set(source)
    for name, rows in source.items():
        if name in MIGRATE_MADE:
            # migrate made these in the target too; the source's must all be there
            assert set(rows) <= set(target[name]), name
        else:
            assert target[name] == rows, f"{name} differs after the round trip"


def make_backup(path: Path) -> dict[str, Any]:
    out = StringIO()
    call_command("backup", str(path), "--json", stdout=out)
    return dict(json.loads(out.getvalue()))


def restore(path: Path, *args: str) -> dict[str, Any]:
    out = StringIO()
    call_command("restore", str(path), "--json", *args, stdout=out)
    return dict(json.loads(out.getvalue()))


def rewrite(source: Path, target: Path, change: Any) -> None:
    """Copy a backup, passing each of its lines (as JSON) through `change`."""
    with gzip.open(source, "rt", encoding="utf-8") as old, gzip.open(target, "wt") as new:
        for line in old:
            item = change(json.loads(line))
            if item is not None:
                new.write(json.dumps(item) + "\n")


def build_the_demo() -> Workspace:
    with scopes_disabled():
        workspace, created = build_demo()
        assert created
        fill_the_corners(workspace)
    return workspace


def fill_the_corners(workspace: Workspace) -> None:
    """Rows the demo does not make: permissions and groups, the admin log, task results,
    binary data, and content types whose ids a fresh `migrate` would not give them."""
    user = get_user_model().objects.get(email="demo@example.com")
    person = Person.objects.filter(client__workspace=workspace).order_by("pk").first()
    assert person is not None
    ContentType.objects.get(app_label="sessions", model="session").delete()
    ContentType.objects.clear_cache()
    renumbered = ContentType.objects.create(app_label="sessions", model="session")
    retired = ContentType.objects.create(app_label="retired", model="gadget")
    use_gadget = Permission.objects.create(
        content_type=retired, codename="use_gadget", name="Can use gadget"
    )
    auditors = Group.objects.create(name="Auditors")
    auditors.permissions.add(use_gadget, Permission.objects.get(codename="view_project"))
    user.groups.add(auditors)
    user.user_permissions.add(use_gadget, Permission.objects.get(codename="change_person"))
    LogEntry.objects.create(
        user=user,
        content_type=renumbered,
        object_id="abc",
        object_repr="a session",
        action_flag=ADDITION,
        change_message="[]",
    )
    LogEntry.objects.create(
        user=user,
        content_type=ContentType.objects.get_for_model(Person),
        object_id=str(person.pk),
        object_repr=str(person),
        action_flag=CHANGE,
        change_message=json.dumps([{"changed": {"fields": ["name"]}}]),
    )
    now = timezone.now()
    DBTaskResult.objects.create(
        task_path="koers.population.tasks.import_people",
        args_kwargs={"args": [person.client_id], "kwargs": {"mark_left": False}},
        backend_name="default",
        run_after=now,
        status="SUCCESSFUL",
        started_at=now - timedelta(seconds=3, microseconds=123457),
        finished_at=now,
        return_value={"created": 3, "ratio": 0.1},
        worker_ids=["worker-1"],
        exception_class_path="",
        traceback="",
    )
    ImportRun.objects.create(
        client=person.client,
        actor=user,
        file_name="medewerkers.csv",
        content=bytes(range(256)) * 4,
        header=["Personeelsnummer", "Naam"],
        preview=[["1", None, 2.5, {"x": "ë€"}]],
        mapping={"key": "Personeelsnummer"},
    )
    Session.objects.create(
        session_key="s" * 32, session_data="e30:1", expire_date=now + timedelta(days=1)
    )
    RateCount.objects.create(key="k" * 64, minute=29_000_000, hits=3)


# --- the round trips ---------------------------------------------------------------------


def test_the_skipped_models_are_the_documented_ones():
    assert set(backup.SKIPPED) == SKIPPED_BY_DESIGN
    production = (Path(__file__).resolve().parents[3] / "docs/production.md").read_text()
    for name in backup.SKIPPED:
        assert f"`{name}`" in production


@pytest.mark.slow
def test_the_demo_round_trips_into_an_empty_database_table_for_table(tmp_path, empty_database):
    build_the_demo()
    source = snapshot()
    assert {name for name, rows in source.items() if rows} >= MUST_HOLD_ROWS
    path = tmp_path / "demo.koers-backup"
    written = make_backup(path)
    assert written["tables"]["population.Person"] == len(source["population.Person"])
    assert "sessions.Session" not in written["tables"]

    targets = [empty_database]
    if connection.vendor == "postgresql":
        # the same file also moves the database to SQLite (and so, the format being one, back)
        targets.append(sqlite_database(tmp_path / "sqlite"))
    for target_env in targets:
        result = koers(target_env, "restore", str(path), "--json")

        assert result.returncode == 0, result.stderr
        restored = json.loads(result.stdout)
        assert restored["migrated"] is True  # the new database had no tables: migrated first
        assert restored["tables"] == written["tables"]
        assert_same_tables(source, snapshot_of(target_env))
    # sessions and rate counts stay behind; new rows are numbered after the restored ones
    check = koers(empty_database, "shell", "--no-imports", "-c", NEXT_IDS)
    assert check.returncode == 0, check.stderr
    assert check.stdout.split() == ["ok"]


NEXT_IDS = """
from django.contrib.sessions.models import Session
from django_scopes import scopes_disabled
from koers.core.models import RateCount
from koers.population.models import Person
from koers.workspaces.models import Workspace
assert not Session.objects.exists() and not RateCount.objects.exists()
with scopes_disabled():
    highest = Workspace.objects.order_by("-pk").first().pk
    made = Workspace.objects.create(slug="after-restore", name="After restore")
    assert made.pk > highest, (made.pk, highest)
    client = made.clients.create(slug="c", name="C")
    person = Person.objects.create(client=client, key="new")
    assert person.pk > Person.objects.exclude(pk=person.pk).order_by("-pk").first().pk
print("ok")
"""


@pytest.mark.slow
@pytest.mark.xdist_group(LARGE_DATA)
def test_a_client_of_100000_people_round_trips_by_count_and_checksum(tmp_path, empty_database):
    with scopes_disabled():
        workspace = Workspace.objects.create(slug="rijk", name="Rijksdienst")
        client = Client.objects.create(workspace=workspace, slug="ministerie", name="Ministerie")
        now = timezone.now()
        Person.objects.bulk_create(
            (
                Person(
                    client=client,
                    key=f"E{i:06d}",
                    name=f"Medewerker {i}",
                    email=f"medewerker{i}@ministerie.example",
                    department=f"Directie {i % 40}",
                    location=("Den Haag", "Utrecht", "Zwolle", "Groningen")[i % 4],
                    job_title=f"Functie {i % 120}",
                    manager=f"Leidinggevende {i % 900}",
                    device=("laptop", "desktop", "thin client")[i % 3],
                    attributes={"kostenplaats": f"KP{i % 97}", "schaal": 8 + i % 6},
                    is_ambassador=i % 50 == 0,
                    left_at=now - timedelta(days=i % 30) if i % 40 == 0 else None,
                )
                for i in range(100_000)
            ),
            batch_size=5000,
        )
    path = tmp_path / "big.koers-backup"

    started = time.monotonic()
    written = make_backup(path)
    backup_seconds = time.monotonic() - started
    started = time.monotonic()
    restoring = subprocess.Popen(
        [sys.executable, "-m", "koers.cli", "restore", str(path), "--json"],
        env=empty_database,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    source = snapshot(digest=True)  # meanwhile, on the other core
    out, err = restoring.communicate(timeout=600)
    restore_seconds = time.monotonic() - started

    assert restoring.returncode == 0, err
    assert json.loads(out)["tables"]["population.Person"] == 100_000
    target = snapshot_of(empty_database, digest=True)
    assert source["population.Person"][0] == target["population.Person"][0] == 100_000
    assert {k: v for k, v in target.items() if k not in MIGRATE_MADE} == {
        k: v for k, v in source.items() if k not in MIGRATE_MADE
    }
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    assert peak_mb < 500, f"a child process peaked at {peak_mb:.0f} MB"
    print(
        f"\n100,000 people: backup {backup_seconds:.1f} s, {written['bytes'] / 2**20:.1f} MB; "
        f"restore (with migrate) {restore_seconds:.1f} s; peak child memory {peak_mb:.0f} MB"
    )


# --- refusing, replacing, damaged files --------------------------------------------------


def test_restore_refuses_a_database_that_holds_rows_without_force(tmp_path):
    build_the_demo()
    path = tmp_path / "demo.koers-backup"
    make_backup(path)
    before = snapshot()

    with pytest.raises(CommandError, match=r"not empty.*--force"):
        restore(path)

    assert snapshot() == before


def test_force_replaces_everything_with_the_backup(tmp_path):
    build_the_demo()
    path = tmp_path / "demo.koers-backup"
    make_backup(path)
    before = snapshot()
    with scopes_disabled():
        Workspace.objects.get(slug="demo").projects.order_by("pk")[0].delete()
        other = Workspace.objects.create(slug="other", name="Other")
        Client.objects.create(workspace=other, slug="x", name="X")
        Person.objects.filter(pk=Person.objects.order_by("pk")[0].pk).update(name="Changed")
    assert snapshot() != before

    result = restore(path, "--force")

    assert result["migrated"] is False
    assert snapshot() == before
    assert not Session.objects.exists()
    assert not RateCount.objects.exists()


def test_the_demo_survives_a_restore_into_its_own_database(tmp_path):
    """Backup, --force restore, backup again: the two files hold the same rows."""
    build_the_demo()
    first, second = tmp_path / "first", tmp_path / "second"
    make_backup(first)
    restore(first, "--force")
    make_backup(second)

    def body(path: Path) -> list[str]:
        with gzip.open(path, "rt", encoding="utf-8") as stream:
            return stream.read().splitlines()[1:]

    assert body(first) == body(second)


def newer_format(item: Any) -> Any:
    if isinstance(item, dict) and item.get("format") == backup.FORMAT:
        item["version"] = backup.FORMAT_VERSION + 1
    return item


def another_migration_state(item: Any) -> Any:
    if isinstance(item, dict) and item.get("format") == backup.FORMAT:
        item["migrations"]["rollout"].append("9999_from_the_future")
    return item


def no_trailer(item: Any) -> Any:
    return None if isinstance(item, dict) and item.get("end") else item


def a_missing_row(item: Any) -> Any:
    if isinstance(item, dict) and item.get("format") == backup.FORMAT:
        item["tables"]["population.Person"] += 1
    return item


def person_of_no_client(state: dict[str, Any]) -> Any:
    def change(item: Any) -> Any:
        if isinstance(item, dict) and "model" in item:
            state["model"] = item["model"]
            state["fields"] = item["fields"]
        elif isinstance(item, list) and state.get("model") == "population.Person":
            item[state["fields"].index("client_id")] = 987654321
        return item

    return change


DAMAGES = {
    "a text file": ("text", "is not a Koers backup"),
    "a gzip of other JSON": ("other-json", "is not a Koers backup"),
    "a cut-off file": ("truncated", "damaged or incomplete"),
    "no end line": (no_trailer, "damaged or incomplete"),
    "a row count that does not add up": (a_missing_row, "damaged or incomplete"),
    "a newer format": (newer_format, "format 2"),
    "another migration state": (another_migration_state, "migration state.*9999_from_the_future"),
    "rows that break a foreign key": ("foreign-key", "could not be loaded, nothing was changed"),
}


@pytest.mark.parametrize("damage", DAMAGES)
def test_a_damaged_or_foreign_file_is_refused_and_changes_nothing(tmp_path, damage):
    build_the_demo()
    good = tmp_path / "good.koers-backup"
    make_backup(good)
    bad = tmp_path / "bad.koers-backup"
    how, message = DAMAGES[damage]
    if how == "text":
        bad.write_text("id,name\n1,Jan\n")
    elif how == "other-json":
        with gzip.open(bad, "wt") as stream:
            stream.write(json.dumps({"model": "population.Person"}) + "\n")
    elif how == "truncated":
        data = good.read_bytes()
        bad.write_bytes(data[: len(data) * 2 // 3])
    elif how == "foreign-key":
        rewrite(good, bad, person_of_no_client({}))
    else:
        rewrite(good, bad, how)
    before = snapshot()

    with pytest.raises(CommandError, match=message):
        restore(bad, "--force")

    assert snapshot() == before


def test_errors_go_to_stderr_with_a_non_zero_exit(tmp_path, empty_database):
    missing = koers(empty_database, "restore", str(tmp_path / "nothing-here"), "--json")
    foreign = tmp_path / "people.csv"
    foreign.write_text("id,name\n1,Jan\n")
    not_ours = koers(empty_database, "restore", str(foreign), "--json")

    assert missing.returncode == 1 and not_ours.returncode == 1
    assert "nothing-here: no such file" in missing.stderr
    assert "people.csv is not a Koers backup" in not_ours.stderr
    assert missing.stdout == not_ours.stdout == ""


def test_backup_says_where_it_cannot_write(tmp_path):
    with pytest.raises(CommandError, match="cannot write the backup"):
        make_backup(tmp_path / "no-such-folder" / "file.koers-backup")
    assert not list(tmp_path.iterdir())


MAKE_LINKS = """
import json
from django.urls import reverse
from django_scopes import scopes_disabled
from koers.pulse import services as pulse
from koers.pulse.models import Round
from koers.roadmap import services as plan
with scopes_disabled():
    round = Round.objects.filter(status=Round.Status.OPEN).select_related("project").first()
    answer = pulse.public_link_create(round=round, actor=None)
    _link, roadmap = plan.share_link_create(project=round.project, actor=None, kind="roadmap")
    _link, feed = plan.share_link_create(project=round.project, actor=None, kind="calendar")
print(json.dumps({
    "answer": reverse("pulse_answer", args=[answer.token]),
    "roadmap": reverse("shared_roadmap", args=[roadmap]),
    "feed": reverse("plan_feed", args=[feed]),
}))
"""

OPEN_LINKS = """
import json, os
from django.test import Client
links = json.loads(os.environ["KOERS_LINKS"])
web = Client(HTTP_HOST="localhost")
print(json.dumps({name: web.get(url).status_code for name, url in links.items()}))
"""


@pytest.mark.slow
@pytest.mark.xdist_group(LARGE_DATA)
def test_a_move_from_sqlite_keeps_every_link_handed_out_working(tmp_path, empty_database):
    """The guide's move, from a SQLite demo into a new database (PostgreSQL on that run)."""
    source = sqlite_database(tmp_path / "source")
    assert koers(source, "demo", "--no-serve").returncode == 0
    made = koers(source, "shell", "--no-imports", "-c", MAKE_LINKS)
    assert made.returncode == 0, made.stderr
    links = made.stdout.strip().splitlines()[-1]
    path = tmp_path / "move.koers-backup.gz"
    backed_up = koers(source, "backup", str(path), "--json")
    assert backed_up.returncode == 0, backed_up.stderr

    # Forgetting the old secret key is refused before anything is written.
    forgotten = {**empty_database, "KOERS_SECRET_KEY": "another-" + "k" * 50}
    refused = koers(forgotten, "restore", str(path))
    assert refused.returncode != 0
    assert "another secret key" in refused.stderr and "KOERS_SECRET_KEY" in refused.stderr
    restored = koers(empty_database, "restore", str(path), "--json")
    assert restored.returncode == 0, restored.stderr
    assert json.loads(restored.stdout)["tables"] == json.loads(backed_up.stdout)["tables"]
    opened = koers({**empty_database, "KOERS_LINKS": links}, "shell", "-c", OPEN_LINKS)
    assert opened.returncode == 0, opened.stderr
    assert json.loads(opened.stdout.strip().splitlines()[-1]) == {
        "answer": 200,
        "roadmap": 200,
        "feed": 200,
    }

    # Restoring on purpose under a new key: the data moves, the signed answer link does not.
    renewed = {**sqlite_database(tmp_path / "renewed"), "KOERS_SECRET_KEY": "new-" + "k" * 50}
    assert koers(renewed, "restore", str(path), "--new-secret-key").returncode == 0
    opened = koers({**renewed, "KOERS_LINKS": links}, "shell", "-c", OPEN_LINKS)
    assert json.loads(opened.stdout.strip().splitlines()[-1])["answer"] == 404


def test_a_backup_of_a_database_without_tables_says_which_database(tmp_path):
    elsewhere = sqlite_database(tmp_path / "forgotten-data-dir")
    result = koers(elsewhere, "backup", str(tmp_path / "x.koers-backup.gz"))
    assert result.returncode != 0
    assert "has no Koers tables" in result.stderr
    assert str(tmp_path / "forgotten-data-dir") in result.stderr
    assert "KOERS_DATA_DIR" in result.stderr
    assert "no such table" not in result.stderr
