"""No import stays "running" for ever: a run inside a web request holds a lease that expires
to failed (start again or throw away), one import per client at a time, and two imports that
meet in the database give a clear message, not a crash."""

import threading
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone, translation
from django_scopes import scope, scopes_disabled

from koers.core.errors import KoersError
from koers.population import services
from koers.population.models import ImportRun, Person
from koers.population.tests.factories import csv_bytes, people_rows

from .test_views import people_url

pytestmark = pytest.mark.django_db


def uploaded(cast: Any, rows: int = 12) -> ImportRun:
    web = cast.login(cast.member)
    data = csv_bytes(people_rows(rows))
    web.post(people_url(cast, "people:import"), {"file": SimpleUploadedFile("hr.csv", data)})
    with scopes_disabled():
        return ImportRun.objects.latest("pk")


def mapping_form(run: ImportRun) -> dict[str, str]:
    return {f"map_{field}": column for field, column in run.mapping.items()}


def cut_off(run: ImportRun, *, ago: timedelta) -> None:
    """What a web worker killed mid-import leaves: the run importing, its lease from then."""
    with scopes_disabled():
        ImportRun.objects.filter(pk=run.pk).update(
            status=ImportRun.Status.RUNNING,
            rows_done=5,
            lease_until=timezone.now() - ago,
        )


def test_an_import_in_the_request_holds_a_lease_as_long_as_a_request_may_last(
    cast: Any, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.WEB_TIMEOUT = 30
    run = uploaded(cast)
    seen: list[Any] = []
    real = services.import_execute

    def watch(*, run: ImportRun) -> ImportRun:
        lease = ImportRun.objects.get(pk=run.pk).lease_until
        assert lease is not None
        seen.append(lease - timezone.now())
        return real(run=run)

    monkeypatch.setattr(services, "import_execute", watch)
    cast.login(cast.member).post(
        people_url(cast, "people:import_run", run=run.pk), mapping_form(run)
    )
    assert timedelta(seconds=30) < seen[0] <= timedelta(seconds=35)
    with scopes_disabled():
        assert ImportRun.objects.get(pk=run.pk).status == ImportRun.Status.DONE


def test_a_cut_off_import_fails_once_its_lease_is_over_and_can_be_thrown_away(
    cast: Any,
) -> None:
    run = uploaded(cast)
    web = cast.login(cast.member)
    cut_off(run, ago=-timedelta(seconds=20))  # the lease runs for another 20 s
    page = web.get(people_url(cast, "people:import_run", run=run.pk)).content.decode()
    assert "Importing…" in page
    refused = web.post(people_url(cast, "people:import_discard", run=run.pk), follow=True)
    assert "This import is running" in refused.content.decode()

    cut_off(run, ago=timedelta(seconds=1))
    page = web.get(people_url(cast, "people:import_run", run=run.pk)).content.decode()
    assert 'data-testid="stopped"' in page and "The import stopped before it was finished" in page
    assert "Check and import" in page  # start again, with the file still there
    with translation.override("nl"):
        dutch = web.get(
            people_url(cast, "people:import_run", run=run.pk), headers={"accept-language": "nl"}
        ).content.decode()
    assert "De import is gestopt voordat hij klaar was" in dutch
    with scopes_disabled():
        run.refresh_from_db()
        assert (run.status, run.errors, run.lease_until) == ("failed", [{"kind": "stopped"}], None)
    thrown = web.post(people_url(cast, "people:import_discard", run=run.pk), follow=True)
    assert "The uploaded file is thrown away." in thrown.content.decode()
    with scopes_disabled():
        assert ImportRun.objects.get(pk=run.pk).content == b""
        assert not Person.objects.exists()


def test_the_people_page_shows_a_cut_off_import_as_failed(cast: Any) -> None:
    run = uploaded(cast)
    cut_off(run, ago=timedelta(minutes=5))
    cast.login(cast.member).get(people_url(cast))
    with scopes_disabled():
        assert ImportRun.objects.get(pk=run.pk).status == ImportRun.Status.FAILED


def test_a_second_import_of_the_client_waits_for_the_first(cast: Any) -> None:
    first = uploaded(cast)
    second = uploaded(cast)
    cut_off(first, ago=-timedelta(seconds=20))
    web = cast.login(cast.member)
    page = web.post(
        people_url(cast, "people:import_run", run=second.pk), mapping_form(second)
    ).content.decode()
    assert "Another import of this client is running" in page
    with scopes_disabled():
        assert ImportRun.objects.get(pk=second.pk).status == ImportRun.Status.UPLOADED
        assert not Person.objects.exists()

    cut_off(first, ago=timedelta(seconds=1))  # the first was cut off: no longer in the way
    web.post(people_url(cast, "people:import_run", run=second.pk), mapping_form(second))
    with scopes_disabled():
        assert ImportRun.objects.get(pk=second.pk).status == ImportRun.Status.DONE
        assert Person.objects.count() == 12


@pytest.mark.django_db(transaction=True)
def test_two_imports_of_one_file_at_the_same_moment_never_crash(
    cast: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On PostgreSQL both have read "nobody there yet" before either writes (a barrier): one
    imports everyone, the other is refused with a message. On SQLite the second reads after
    the first committed and finds everyone there."""
    rows, _mapping, _kept = services.read_people(csv_bytes(people_rows(30)), "hr.csv")
    read_both = threading.Barrier(2, timeout=10)
    real = services._insert_people

    def read_then_insert(client: Any, batch: Any) -> None:
        if connection.vendor == "postgresql":
            read_both.wait()
        real(client, batch)

    monkeypatch.setattr(services, "_insert_people", read_then_insert)
    outcomes: list[str] = []

    def import_once() -> None:
        try:
            with scope(workspace=cast.workspace):
                result = services.people_import(client=cast.client, actor=None, rows=rows)
            outcomes.append(f"created {result.created}")
        except KoersError as error:
            outcomes.append(str(error.message))
        finally:
            connection.close()

    threads = [threading.Thread(target=import_once) for _ in range(2)]
    for thread in threads:
        thread.start()
        if connection.vendor != "postgresql":
            # SQLite runs one writer at a time (immediate transactions; the fault tests show
            # it on a file), and the suite's in-memory database cannot hold two at all.
            thread.join()
    for thread in threads:
        thread.join()
    if connection.vendor == "postgresql":
        assert sorted(outcomes) == sorted(
            [
                "created 30",
                "The people of this client were changed by another import at the same moment;"
                " nothing of this one was written. Start it again.",
            ]
        )
    else:
        assert sorted(outcomes) == ["created 0", "created 30"]
    with scopes_disabled():
        assert Person.objects.filter(client=cast.client).count() == 30
