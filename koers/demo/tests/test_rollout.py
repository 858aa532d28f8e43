"""The demo's rollouts: 800 people live in three weeks, and the care pilot's finding."""

import pytest
from django_scopes import scopes_disabled

from koers.demo.cases import MODERNE_WERKPLEK, ZORG_UITROL
from koers.demo.cases.moderne_werkplek import waalborg_people
from koers.rollout import queries
from koers.rollout.models import Wave
from koers.rollout.waves import WorkCalendar
from koers.workspaces.models import Workspace


@pytest.fixture
def workspace(db: None, demo: Workspace) -> Workspace:
    return demo


def test_the_population_is_the_same_every_time_and_fictional() -> None:
    people = waalborg_people()
    assert people == waalborg_people()
    assert len(people) == len({p.key for p in people}) == 800
    assert all(p.email.endswith("@waalborg.example") for p in people)
    departments = {p.department for p in people}
    assert len(departments) == 14 and {"IT", "Servicedesk"} <= departments


def test_it_and_the_service_desk_first_then_a_pilot_of_20_then_everyone_in_three_weeks(
    workspace,
) -> None:
    with scopes_disabled():
        project = workspace.projects.get(slug=MODERNE_WERKPLEK)
        members = project.pilot.members.select_related("person")
        departments = {m.person.department for m in members}
        assert members.count() == 20
        assert not {"IT", "Servicedesk"} & departments  # they are the first ring
        measure = queries.pilot_measure(project.pilot)
        # The method's bar: at most half as far from the organisation as a typical random pick.
        assert measure.mean_tvd <= project.pilot.random_median / 2
        waves = list(project.waves.order_by("number"))
    assert waves[0].kind == Wave.Kind.FIRST_RING and set(waves[0].departments) == {
        "IT",
        "Servicedesk",
    }
    assert waves[1].kind == Wave.Kind.PILOT and waves[1].status == Wave.Status.DONE
    assert sum(w.size for w in waves) == 800
    assert all(w.kind == Wave.Kind.DEPARTMENT for w in waves[2:])
    calendar = WorkCalendar("NL")
    days = 0
    day = waves[1].start_on  # from the pilot: the first ring is live some days before
    while day <= waves[-1].end_on:
        days += calendar.is_working_day(day)
        day = day.fromordinal(day.toordinal() + 1)
    assert days <= 15  # three working weeks from pilot to everyone


def test_the_care_pilot_found_the_log_out_far_too_short_and_it_was_fixed_first(
    workspace,
) -> None:
    with scopes_disabled():
        project = workspace.projects.get(slug=ZORG_UITROL)
        pilot = project.waves.get(kind=Wave.Kind.PILOT)
        decisions = list(pilot.gate.decisions.order_by("decided_at", "pk"))
        later = project.waves.exclude(pk=pilot.pk)
        assert [d.decision for d in decisions] == ["no_go", "go"]
        assert "uitlogbeleid" in decisions[0].notes
        assert "30 minuten" in pilot.gate.notes
        assert pilot.status == Wave.Status.DONE
        assert all(w.status == Wave.Status.PLANNED for w in later)
