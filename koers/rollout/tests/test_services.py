"""Services: the people import, pilot choice and swaps, waves, gates, pauses, support load."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_scopes import scopes_disabled

from koers.core.errors import KoersError
from koers.rollout import queries, selection, services, steering
from koers.rollout.models import GateDecision, Person, Rollout, Wave, WaveEvent

from .conftest import csv_bytes, import_people, people_rows, person_row

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_scopes():  # type: ignore[no-untyped-def]
    with scopes_disabled():
        yield


def test_a_clean_file_is_imported_and_the_same_file_again_writes_nothing(cast) -> None:  # type: ignore[no-untyped-def]
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


def test_a_newer_file_updates_by_key_and_marks_left_only_when_confirmed(cast) -> None:  # type: ignore[no-untyped-def]
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


def test_a_file_with_errors_writes_nothing(cast) -> None:  # type: ignore[no-untyped-def]
    rows = people_rows(5)
    rows[2][0] = rows[1][0]
    with pytest.raises(services.ImportRefused) as refused:
        services.read_people(csv_bytes(rows), "p.csv")
    assert refused.value.total == 1
    assert refused.value.errors[0].row == 4
    assert not Person.objects.exists()


def test_people_import_refuses_repeated_keys(cast) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(KoersError):
        services.people_import(
            client=cast.client, actor=None, rows=[person_row("1"), person_row("1")]
        )
    assert not Person.objects.exists()


def test_a_dry_run_counts_and_writes_nothing(cast) -> None:  # type: ignore[no-untyped-def]
    rows, _m, _k = services.read_people(csv_bytes(people_rows(12)), "p.csv")
    result = services.people_import(client=cast.client, actor=None, rows=rows, dry_run=True)
    assert result.created == 12
    assert not Person.objects.exists()


def test_a_large_import_runs_as_a_task_and_records_its_progress(cast, monkeypatch) -> None:  # type: ignore[no-untyped-def]
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


def test_an_import_run_with_errors_records_them_and_keeps_the_file(cast) -> None:  # type: ignore[no-untyped-def]
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


def _planned(cast, people: int = 120) -> list[Wave]:  # type: ignore[no-untyped-def]
    import_people(cast.client, people)
    # The user leaves IT out of the first ring: these tests are about the pilot and the waves
    # (test_selection.py has the first ring before the pilot).
    selection.first_ring_set(project=cast.project, actor=cast.owner, remove_departments={"IT"})
    selection.pilot_select(
        project=cast.project, actor=cast.owner, size=6, attributes=["department"]
    )
    steering.rollout_update(
        project=cast.project,
        actor=cast.owner,
        start_on=date(2030, 3, 4),
        capacity=20,
        blackout_dates=[date(2030, 3, 6)],
    )
    return steering.waves_plan(project=cast.project, actor=cast.owner)


def test_waves_are_planned_after_the_pilot_with_gates_between(cast) -> None:  # type: ignore[no-untyped-def]
    waves = _planned(cast)
    assert waves[0].kind == "pilot" and waves[0].size == 6
    assert sum(w.size for w in waves) == 120
    assert all(date(2030, 3, 6) not in [date.fromisoformat(d) for d, _n in w.days] for w in waves)
    assert all(hasattr(w, "gate") for w in waves)
    # Pilot users stand by their colleagues as ambassadors.
    by_department = queries.ambassadors(cast.project)
    assert sum(len(p) for p in by_department.values()) == 6


def test_a_gate_decision_is_recorded_with_who_when_and_the_criteria(cast) -> None:  # type: ignore[no-untyped-def]
    pilot, first, *_rest = _planned(cast)
    with pytest.raises(KoersError, match="has not passed"):
        steering.wave_start(wave=first, actor=cast.owner)
    steering.wave_start(wave=pilot, actor=cast.owner)
    steering.support_record(wave=pilot, actor=cast.owner, day=pilot.start_on, tickets=1)
    with pytest.raises(KoersError, match="Say why"):
        steering.gate_decide(gate=pilot.gate, actor=cast.owner, decision="no_go")
    steering.gate_decide(
        gate=pilot.gate, actor=cast.owner, decision="no_go", notes="Uitlogtijd veel te kort"
    )
    with pytest.raises(KoersError, match=r"justification\. Not met: tickets per 100 users: 16\.7"):
        steering.gate_decide(gate=pilot.gate, actor=cast.manager, decision="go")
    decision = steering.gate_decide(
        gate=pilot.gate,
        actor=cast.manager,
        decision="go",
        justification="Eén ticket te veel bij zes mensen; de oorzaak is opgelost.",
    )
    assert decision.decided_by == cast.manager and decision.outcome == "failed"
    assert decision.justification.startswith("Eén ticket")
    tickets = next(c for c in decision.criteria if c["code"] == "tickets")
    assert tickets == {
        "code": "tickets",
        "outcome": "failed",
        "value": "16.7",
        "limit": "15.00",
        "is_met": False,
    }
    assert list(GateDecision.objects.values_list("decision", flat=True)) == ["go", "no_go"]
    pilot.refresh_from_db()
    assert pilot.status == Wave.Status.DONE
    steering.wave_start(wave=first, actor=cast.owner)


def test_pausing_needs_a_reason_and_re_plans_the_later_waves(cast) -> None:  # type: ignore[no-untyped-def]
    waves = _planned(cast)
    pilot, first, second = waves[0], waves[1], waves[2]
    with pytest.raises(KoersError):
        steering.wave_pause(wave=first, actor=cast.owner, reason=" ")
    steering.wave_move(wave=first, actor=cast.owner, start_on=date(2030, 4, 1))
    second.refresh_from_db()
    first.refresh_from_db()
    assert first.start_on == date(2030, 4, 1)
    assert second.start_on > first.end_on
    assert first.members.filter(live_on__lt=date(2030, 4, 1)).count() == 0
    steering.wave_pause(wave=pilot, actor=cast.owner, reason="Wachten op de leverancier")
    pilot.refresh_from_db()
    assert pilot.status == Wave.Status.PAUSED and pilot.paused_reason
    with pytest.raises(KoersError):
        steering.wave_start(wave=pilot, actor=cast.owner)
    steering.wave_resume(wave=pilot, actor=cast.owner)
    pilot.refresh_from_db()
    assert pilot.status == Wave.Status.PLANNED
    kinds = list(pilot.events.values_list("kind", flat=True))
    assert kinds[:3] == [WaveEvent.Kind.PLANNED, WaveEvent.Kind.PAUSED, WaveEvent.Kind.RESUMED]


def test_pausing_a_wave_in_the_past_pushes_the_later_ones_after_tomorrow(cast) -> None:  # type: ignore[no-untyped-def]
    waves = _planned(cast)
    past = timezone.localdate() - timedelta(days=30)
    Rollout.objects.filter(project=cast.project).update(start_on=past)
    Wave.objects.filter(pk=waves[0].pk).update(start_on=past, end_on=past, status="active")
    waves[0].refresh_from_db()
    steering.wave_pause(wave=waves[0], actor=cast.owner, reason="Storing")
    waves[1].refresh_from_db()
    assert waves[1].start_on > timezone.localdate() + timedelta(days=1)


def test_a_rolled_back_wave_keeps_its_people_and_history(cast) -> None:  # type: ignore[no-untyped-def]
    pilot = _planned(cast)[0]
    with pytest.raises(KoersError):
        steering.wave_roll_back(wave=pilot, actor=cast.owner, reason="x")
    steering.wave_start(wave=pilot, actor=cast.owner)
    steering.wave_roll_back(wave=pilot, actor=cast.owner, reason="Inloggen faalt")
    pilot.refresh_from_db()
    assert pilot.status == Wave.Status.ROLLED_BACK
    assert pilot.members.count() == 6
    assert pilot.events.filter(kind="rolled_back", note="Inloggen faalt").exists()


def test_waves_cannot_be_planned_anew_once_one_started(cast) -> None:  # type: ignore[no-untyped-def]
    pilot = _planned(cast)[0]
    steering.wave_start(wave=pilot, actor=cast.owner)
    with pytest.raises(KoersError, match="Waves have started"):
        steering.waves_plan(project=cast.project, actor=cast.owner)


def test_support_load_from_csv_is_all_or_nothing(cast) -> None:  # type: ignore[no-untyped-def]
    pilot = _planned(cast)[0]
    good = b"wave;day;tickets\r\n0;2030-03-04;3\r\n0;2030-03-05;2\r\n"
    assert steering.support_import(project=cast.project, actor=cast.owner, data=good) == 2
    bad = b"wave,day,tickets\r\n0,2030-03-07,1\r\n9,2030-03-08,1\r\n"
    with pytest.raises(KoersError, match="row 3"):
        steering.support_import(project=cast.project, actor=cast.owner, data=bad)
    assert sorted(pilot.support_load.values_list("tickets", flat=True)) == [2, 3]
    assert queries.pilot_ticket_rate(cast.project) == Decimal("83.3")


def test_own_ring_percentages_must_add_up_to_100(cast) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(KoersError, match="add up to 100"):
        steering.rollout_update(project=cast.project, actor=None, percentages=[10, 20])
