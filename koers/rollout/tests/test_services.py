"""Services: pilot choice and swaps, waves, gates, pauses, support load."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from koers.core.errors import KoersError
from koers.population.tests.factories import import_people
from koers.rollout import queries, selection, steering
from koers.rollout.models import GateDecision, Rollout, Wave, WaveEvent

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_scopes():
    with scopes_disabled():
        yield


def _planned(cast, people: int = 120) -> list[Wave]:
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


def test_waves_are_planned_after_the_pilot_with_gates_between(cast) -> None:
    waves = _planned(cast)
    assert waves[0].kind == "pilot" and waves[0].size == 6
    assert sum(w.size for w in waves) == 120
    assert all(date(2030, 3, 6) not in [date.fromisoformat(d) for d, _n in w.days] for w in waves)
    assert all(hasattr(w, "gate") for w in waves)
    # Pilot users stand by their colleagues as ambassadors.
    departments = {d for w in waves for d in w.departments}
    assert sum(g.count for g in queries.ambassadors(cast.project, departments)) == 6


def test_a_gate_decision_is_recorded_with_who_when_and_the_criteria(cast) -> None:
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


def test_pausing_needs_a_reason_and_re_plans_the_later_waves(cast) -> None:
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


def test_pausing_a_wave_in_the_past_pushes_the_later_ones_after_tomorrow(cast) -> None:
    waves = _planned(cast)
    past = timezone.localdate() - timedelta(days=30)
    Rollout.objects.filter(project=cast.project).update(start_on=past)
    Wave.objects.filter(pk=waves[0].pk).update(start_on=past, end_on=past, status="active")
    waves[0].refresh_from_db()
    steering.wave_pause(wave=waves[0], actor=cast.owner, reason="Storing")
    waves[1].refresh_from_db()
    assert waves[1].start_on > timezone.localdate() + timedelta(days=1)


def test_a_rolled_back_wave_keeps_its_people_and_history(cast) -> None:
    pilot = _planned(cast)[0]
    with pytest.raises(KoersError):
        steering.wave_roll_back(wave=pilot, actor=cast.owner, reason="x")
    steering.wave_start(wave=pilot, actor=cast.owner)
    steering.wave_roll_back(wave=pilot, actor=cast.owner, reason="Inloggen faalt")
    pilot.refresh_from_db()
    assert pilot.status == Wave.Status.ROLLED_BACK
    assert pilot.members.count() == 6
    assert pilot.events.filter(kind="rolled_back", note="Inloggen faalt").exists()


def test_waves_cannot_be_planned_anew_once_one_started(cast) -> None:
    pilot = _planned(cast)[0]
    steering.wave_start(wave=pilot, actor=cast.owner)
    with pytest.raises(KoersError, match="Waves have started"):
        steering.waves_plan(project=cast.project, actor=cast.owner)


def test_support_load_from_csv_is_all_or_nothing(cast) -> None:
    pilot = _planned(cast)[0]
    good = b"wave;day;tickets\r\n0;2030-03-04;3\r\n0;2030-03-05;2\r\n"
    assert steering.support_import(project=cast.project, actor=cast.owner, data=good) == 2
    bad = b"wave,day,tickets\r\n0,2030-03-07,1\r\n9,2030-03-08,1\r\n"
    with pytest.raises(KoersError, match="row 3"):
        steering.support_import(project=cast.project, actor=cast.owner, data=bad)
    assert sorted(pilot.support_load.values_list("tickets", flat=True)) == [2, 3]
    assert queries.pilot_ticket_rate(cast.project) == Decimal("83.3")


def test_own_ring_percentages_must_add_up_to_100(cast) -> None:
    with pytest.raises(KoersError, match="add up to 100"):
        steering.rollout_update(project=cast.project, actor=None, percentages=[10, 20])
