"""Services: the people import, here or by the task worker, all or nothing."""

import pytest
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled

from koers.core.errors import KoersError
from koers.population import services
from koers.population.models import Person
from koers.population.tests.factories import csv_bytes, import_people, people_rows, person_row

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_scopes():
    with scopes_disabled():
        yield


def test_a_clean_file_is_imported_and_the_same_file_again_writes_nothing(cast) -> None:
    first = import_people(cast.client, 30)
    assert (first.created, first.updated, first.unchanged) == (30, 0, 0)
    data = csv_bytes(people_rows(30))
    rows, _m, _k = services.read_people(data, "p.csv")
    with CaptureQueriesContext(connection) as queries_run:
        again = services.people_import(client=cast.client, actor=None, rows=rows)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 30)
    writes = [
        q["sql"]
        for q in queries_run.captured_queries
        if q["sql"].startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []


def test_a_newer_file_updates_by_key_and_marks_left_only_when_confirmed(cast) -> None:
    import_people(cast.client, 10)
    rows = people_rows(10)
    rows[0][3] = "Planning"  # moved department
    newer = [*rows[:8], ["2001", "Nieuw", "n@example.com", "HR", "Tiel", "Adviseur", "Laptop"]]
    parsed, _m, _k = services.read_people(csv_bytes(newer), "p.csv")
    result = services.people_import(client=cast.client, actor=None, rows=parsed)
    assert (result.created, result.updated, result.unchanged, result.missing, result.left) == (
        1,
        1,
        7,
        2,
        0,
    )
    assert Person.objects.get(client=cast.client, key="1000").department == "Planning"
    assert Person.objects.filter(client=cast.client, left_at__isnull=False).count() == 0
    confirmed = services.people_import(client=cast.client, actor=None, rows=parsed, mark_left=True)
    assert (confirmed.left, confirmed.unchanged) == (2, 9)
    assert set(Person.objects.filter(left_at__isnull=False).values_list("key", flat=True)) == {
        "1008",
        "1009",
    }
    # Someone who is back in a later file is no longer marked as left.
    back, _m, _k = services.read_people(csv_bytes(people_rows(10)), "p.csv")
    services.people_import(client=cast.client, actor=None, rows=back)
    assert not Person.objects.filter(left_at__isnull=False).exists()


def test_a_file_with_errors_writes_nothing(cast) -> None:
    rows = people_rows(5)
    rows[2][0] = rows[1][0]
    with pytest.raises(services.ImportRefused) as refused:
        services.read_people(csv_bytes(rows), "p.csv")
    assert refused.value.total == 1
    assert refused.value.errors[0].row == 4
    assert not Person.objects.exists()


def test_people_import_refuses_repeated_keys(cast) -> None:
    with pytest.raises(KoersError):
        services.people_import(
            client=cast.client, actor=None, rows=[person_row("1"), person_row("1")]
        )
    assert not Person.objects.exists()


def test_a_dry_run_counts_and_writes_nothing(cast) -> None:
    rows, _m, _k = services.read_people(csv_bytes(people_rows(12)), "p.csv")
    result = services.people_import(client=cast.client, actor=None, rows=rows, dry_run=True)
    assert result.created == 12
    assert not Person.objects.exists()


def test_a_large_import_runs_as_a_task_and_records_its_progress(cast, monkeypatch) -> None:
    run = services.import_upload(
        client=cast.client, actor=cast.owner, file_name="p.csv", data=csv_bytes(people_rows(60))
    )
    assert run.mapping["key"] == "Personeelsnummer"
    monkeypatch.setattr(services, "BACKGROUND_ROWS", 50)
    with TestCase.captureOnCommitCallbacks(execute=False) as callbacks:
        services.import_configure(run=run, mapping=run.mapping, keep=[], mark_left=False)
    run.refresh_from_db()
    assert run.status == "queued"  # the page shows the bar until the worker is done
    assert len(callbacks) == 1
    callbacks[0]()  # enqueue: the test suite's task backend runs it at once
    run.refresh_from_db()
    assert (run.status, run.created, run.rows_done, run.rows_total) == ("done", 60, 60, 60)
    assert run.content == b"" and run.preview == []
    assert Person.objects.filter(client=cast.client).count() == 60


def test_an_import_run_with_errors_records_them_and_keeps_the_file(cast) -> None:
    rows = people_rows(4)
    rows[3][0] = ""
    run = services.import_upload(
        client=cast.client, actor=cast.owner, file_name="p.csv", data=csv_bytes(rows)
    )
    run = services.import_configure(run=run, mapping=run.mapping, keep=[], mark_left=False)
    assert run.status == "failed"
    assert run.errors == [
        {
            "row": 5,
            "column": "Personeelsnummer",
            "value": "",
            "message": "Every person needs a value here.",
        }
    ]
    assert run.content
    assert not Person.objects.exists()


def test_an_import_in_batches_compares_each_person_with_their_own_stored_values(
    cast, monkeypatch
) -> None:
    """Batches of 3 keys in key order, each read as one range (SQLite) or array
    (PostgreSQL) of the people there: people of the client who are not in the file fall in
    those ranges and must be neither matched nor changed, but counted as missing."""
    monkeypatch.setattr(services, "WRITE_BATCH", 3)
    services.people_import(
        client=cast.client,
        actor=None,
        rows=[person_row(k, name=f"Was {k}", attributes={"Kostenplaats": k}) for k in "bdfhj"],
    )
    rows = [
        person_row("a", name="New a"),
        person_row("b", name="Was b", attributes={"Kostenplaats": "b"}),  # unchanged
        person_row("c", name="New c"),
        person_row("d", name="Now d", attributes={"Kostenplaats": "d"}),  # name changed
        person_row("f", name="Was f", attributes={"Kostenplaats": "F"}),  # attribute changed
        person_row("g", name="New g"),
        person_row("j", name="Was j", attributes={"Kostenplaats": "j"}),  # unchanged
    ]
    with CaptureQueriesContext(connection) as queries_run:
        result = services.people_import(client=cast.client, actor=None, rows=list(reversed(rows)))
    assert (result.created, result.updated, result.unchanged, result.missing) == (3, 2, 2, 1)
    stored = dict(
        Person.objects.filter(client=cast.client).values_list("key", "name").order_by("key")
    )
    assert stored == {
        "a": "New a", "b": "Was b", "c": "New c", "d": "Now d", "f": "Was f", "g": "New g",
        "h": "Was h", "j": "Was j",
    }  # fmt: skip
    assert Person.objects.get(client=cast.client, key="f").attributes == {"Kostenplaats": "F"}
    # One read of the people there per batch of 3 (the only reads of their attributes).
    sql = [q["sql"] for q in queries_run.captured_queries]
    assert len([q for q in sql if q.startswith("SELECT") and '"attributes"' in q]) == 3
