"""Health: what /healthz says, pages while the database is read-only, workers that go silent."""

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.db import OperationalError, connection
from django.test import Client as WebClient
from django.urls import reverse
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from koers.core import health, workers
from koers.core.management.commands import db_worker
from koers.core.models import Heartbeat
from koers.workspaces.models import ApiToken
from tests.factories import Cast

pytestmark = pytest.mark.django_db


@contextmanager
def read_only_database() -> Iterator[None]:
    """Make the database refuse writes, as a failed-over or full-disk database does.

    For tests without a transaction around them: PostgreSQL applies the setting to the
    transactions that follow.
    """
    read_only = "SET default_transaction_read_only"
    statement = {
        "postgresql": (f"{read_only} = on", f"{read_only} = off"),
        "sqlite": ("PRAGMA query_only = ON", "PRAGMA query_only = OFF"),
    }[connection.vendor]
    with connection.cursor() as cursor:
        cursor.execute(statement[0])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(statement[1])


read_only_test = pytest.mark.django_db(transaction=True)


def test_healthz_says_the_database_takes_writes_and_no_worker_beat_yet() -> None:
    body = WebClient().get("/healthz").json()
    assert body == {
        "status": "ok",
        "database": "ok",
        "worker": "silent",
        "worker_last_beat_seconds": None,
    }
    assert WebClient().get("/healthz/worker").status_code == 503
    health.beat(health.WORKER + "w1")
    assert WebClient().get("/healthz").json()["worker"] == "ok"
    assert WebClient().get("/healthz/worker").status_code == 200


def test_a_worker_silent_for_a_lease_shows_as_silent() -> None:
    Heartbeat.objects.create(
        name=health.WORKER + "w1", beat_at=timezone.now() - timedelta(seconds=health.LEASE + 5)
    )
    body = WebClient().get("/healthz").json()
    assert body["worker"] == "silent" and body["worker_last_beat_seconds"] >= health.LEASE


@read_only_test
def test_healthz_answers_503_when_the_database_is_read_only() -> None:
    with read_only_database():
        response = WebClient().get("/healthz")
        live = WebClient().get("/healthz/live")
    assert response.status_code == 503
    assert response.json()["database"] == "read-only"
    assert live.status_code == 200  # the process itself is fine


@read_only_test
@pytest.mark.parametrize(
    ("language", "words"),
    [("en", "accepts no changes"), ("nl", "neemt op dit moment geen wijzigingen aan")],
)
def test_a_change_while_the_database_is_read_only_gets_a_503_page_saying_so(
    cast: Cast, language: str, words: str
) -> None:
    web = WebClient(headers={"accept-language": language}, raise_request_exception=False)
    with read_only_database():
        response = web.post(
            reverse("accounts:login"), {"username": cast.owner.email, "password": "x" * 12}
        )
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert words in response.content.decode()
    assert f'<html lang="{language}">' in response.content.decode()


@read_only_test
def test_the_api_answers_503_as_json_while_the_database_is_read_only(cast: Cast) -> None:
    token = ApiToken(user=cast.owner, name="script")
    secret = token.new_token()
    token.save()
    web = WebClient(headers={"Authorization": f"Bearer {secret}"}, raise_request_exception=False)
    url = f"/api/v1/w/acme/projects/{cast.project.slug}/scope"
    item = {"text": "Mail naar de cloud", "kind": "in", "reason": "Eerst"}
    with read_only_database():
        response = web.post(url, json.dumps(item), content_type="application/json")
    assert response.status_code == 503
    assert response.json()["database"] == "read-only"


def test_a_bad_request_gets_koers_own_page_in_the_visitors_language() -> None:
    response = WebClient(headers={"accept-language": "en"}).get("/", HTTP_HOST="bad host")
    assert response.status_code == 400
    assert "Koers could not handle this request" in response.content.decode()
    dutch = WebClient(headers={"accept-language": "nl"}).get("/", HTTP_HOST="bad host")
    assert "Koers kon dit verzoek niet verwerken" in dutch.content.decode()


def running_task(worker: str) -> DBTaskResult:
    return DBTaskResult.objects.create(
        task_path="koers.outbox.tasks.send_message",
        args_kwargs={"args": [0], "kwargs": {}},
        status=TaskResultStatus.RUNNING,
        worker_ids=[worker],
        backend_name="default",
        run_after=get_date_max(),
    )


def test_tasks_of_a_worker_that_stopped_beating_fail_and_others_keep_running() -> None:
    beating, silent, restored = "a:b:1:1", "c:d:2:2", "e:f:3:3"
    health.beat(health.WORKER + beating)
    Heartbeat.objects.create(
        name=health.WORKER + silent, beat_at=timezone.now() - timedelta(seconds=health.LEASE * 2)
    )
    tasks = [running_task(worker) for worker in (beating, silent, restored)]
    lost = workers.recover_lost_tasks(workers.beats_lately())
    assert {task.pk for task in lost} == {tasks[1].pk, tasks[2].pk}
    statuses = [DBTaskResult.objects.get(pk=task.pk).status for task in tasks]
    assert statuses == ["RUNNING", "FAILED", "FAILED"]


def pause_at_most(times: int, pauses: list[float]) -> Callable[[float], None]:
    """A stand-in for time.sleep that notes the pauses and stops a loop that never ends."""

    def pause(seconds: float) -> None:
        pauses.append(seconds)
        assert len(pauses) <= times, f"still pausing after {times} pauses: {pauses}"

    return pause


# Without a test transaction: the worker closes its connection, as it does in production,
# which PostgreSQL would not allow inside one.
@pytest.mark.django_db(transaction=True)
def test_a_worker_that_loses_its_database_waits_and_fails_the_task_it_was_running(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    me = "a:b:9:9"
    task = running_task(me)
    pauses: list[float] = []
    monkeypatch.setattr(db_worker.time, "sleep", pause_at_most(5, pauses))
    calls = iter([OperationalError("server closed the connection"), None])

    def loop(self: db_worker.SteadyWorker) -> None:
        outcome = next(calls)
        if outcome is not None:
            raise outcome

    monkeypatch.setattr(db_worker.Worker, "run", loop)
    worker = db_worker.SteadyWorker(
        queue_names=["default"],
        interval=1,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=me,
        excluded_queue_names=[],
    )
    worker.run()  # returns instead of raising: it carried on after the outage
    assert pauses == [db_worker.FIRST_PAUSE]
    assert DBTaskResult.objects.get(pk=task.pk).status == "FAILED"


@pytest.mark.django_db(transaction=True)
def test_patiently_pauses_longer_each_time_until_the_database_answers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pauses: list[float] = []
    monkeypatch.setattr(db_worker.time, "sleep", pause_at_most(10, pauses))
    answers = iter([OperationalError("down")] * 6 + ["up"])

    def work() -> str:
        found = next(answers)
        if isinstance(found, Exception):
            raise found
        return found

    assert db_worker.patiently("test", work) == "up"
    assert pauses == [0.5, 1.0, 2.0, 4.0, 8.0, 10.0]


@pytest.mark.parametrize(
    ("message", "trouble"),
    [
        ("attempt to write a readonly database", "read-only"),
        ("database or disk is full", "full"),
        ("unable to open database file", "unreachable"),
        ("UNIQUE constraint failed: x.y", None),
        ("database is locked", None),
    ],
)
def test_sqlite_errors_are_read_for_what_they_say_about_the_database(
    message: str, trouble: str | None
) -> None:
    import sqlite3

    error = OperationalError(message)
    error.__cause__ = sqlite3.OperationalError(message)
    assert health.trouble(error) == trouble
    assert health.trouble(ValueError(message)) is None
