"""The first ring before the pilot, through the services, the pages and the API: IT and the
service desk found and changed, the pilot chosen from the rest, leavers in neither."""

import json
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test import Client as WebClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from koers.core.errors import KoersError
from koers.population import services
from koers.population.models import Person
from koers.population.tests.factories import import_people, person_row
from koers.rollout import queries, selection, steering
from koers.rollout.models import FirstRingMember, PilotMember, WaveMember
from koers.workspaces.models import ApiToken

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_scopes():
    with scopes_disabled():
        yield


def keys(queryset: Any) -> set[str]:
    return set(queryset.values_list("key", flat=True))


def test_the_pilot_is_chosen_from_the_rest_after_the_first_ring(cast) -> None:
    import_people(cast.client, 200)
    it = keys(Person.objects.filter(department="IT"))
    choice = selection.pilot_select(
        project=cast.project, actor=cast.owner, size=10, attributes=["department", "location"]
    )
    assert set(choice.ring.keys) == it and it
    assert keys(queries.first_ring_members(cast.project)) == it
    chosen = keys(Person.objects.filter(pilot_memberships__pilot=choice.pilot))
    assert len(chosen) == 10 and not chosen & it
    # Measured against the rest: everyone there but the first ring.
    with CaptureQueriesContext(connection) as measured:
        measure = queries.pilot_measure(choice.pilot)
    assert (measure.size, measure.population) == (10, 200 - len(it))
    # Kept when chosen, so not counted again; and the same as counting gives.
    assert not [q for q in measured.captured_queries if "GROUP BY" in q["sql"]]
    assert measure == choice.selection.measure == queries._count_pilot_measure(choice.pilot)
    assert choice.random_median > 0
    again = selection.pilot_select(
        project=cast.project, actor=cast.owner, size=10, attributes=["department", "location"]
    )
    assert again.selection.keys == choice.selection.keys


def test_the_user_changes_the_first_ring_and_the_pilot_follows(cast) -> None:
    import_people(cast.client, 200)
    selection.pilot_select(project=cast.project, actor=cast.owner, size=10)
    hr = Person.objects.filter(department="HR").order_by("key").first()
    assert hr is not None
    pilot_users = keys(Person.objects.filter(pilot_memberships__isnull=False))
    joining = Person.objects.get(key=sorted(pilot_users)[0])
    change = selection.first_ring_change(
        project=cast.project, actor=cast.manager, action="add_person", value=joining.key
    )
    assert joining.key in change.ring.keys
    assert change.pilot is not None and len(change.pilot.selection.keys) == 10
    assert joining.key not in change.pilot.selection.keys
    change = selection.first_ring_change(
        project=cast.project, actor=cast.manager, action="remove_department", value="IT"
    )
    assert change.ring.keys == (joining.key,)
    change = selection.first_ring_change(
        project=cast.project, actor=cast.manager, action="add_department", value="HR"
    )
    assert hr.key in change.ring.keys
    ring = cast.project.first_ring
    ring.refresh_from_db()
    assert (ring.confirmed_by, ring.add_departments, ring.remove_departments) == (
        cast.manager,
        ["HR"],
        ["IT"],
    )
    # Putting IT back removes it from the departments left out.
    change = selection.first_ring_change(
        project=cast.project, actor=cast.manager, action="add_department", value="IT"
    )
    ring.refresh_from_db()
    assert ring.remove_departments == [] and ring.add_departments == ["HR"]
    assert keys(Person.objects.filter(department="IT")) <= set(change.ring.keys)


def test_a_change_of_the_first_ring_names_what_is_wrong(cast) -> None:
    import_people(cast.client, 40)
    gone = Person.objects.order_by("key").first()
    assert gone is not None
    gone.left_at = timezone.now()
    gone.save()
    with pytest.raises(KoersError, match="department Kantine"):
        selection.first_ring_set(
            project=cast.project, actor=cast.owner, add_departments={"Kantine"}
        )
    with pytest.raises(KoersError, match="employee id 9999"):
        selection.first_ring_set(project=cast.project, actor=cast.owner, add_people={"9999"})
    with pytest.raises(KoersError, match=f"{gone.key} has left"):
        selection.first_ring_set(project=cast.project, actor=cast.owner, add_people={gone.key})
    with pytest.raises(KoersError, match="both in and out"):
        selection.first_ring_set(
            project=cast.project,
            actor=cast.owner,
            add_departments={"HR"},
            remove_departments={"HR"},
        )
    with pytest.raises(KoersError, match="Unknown change"):
        selection.first_ring_change(project=cast.project, actor=cast.owner, action="drop")


def test_nobody_of_the_first_ring_is_swapped_into_the_pilot_and_a_leaver_can_be_swapped_out(
    cast,
) -> None:
    import_people(cast.client, 200)
    choice = selection.pilot_select(project=cast.project, actor=cast.owner, size=10)
    out = Person.objects.get(key=choice.selection.keys[0])
    it_person = Person.objects.filter(department="IT").first()
    with pytest.raises(KoersError, match="first ring"):
        selection.pilot_swap(pilot=choice.pilot, actor=cast.owner, out=out, into=it_person)
    out.left_at = timezone.now()
    out.save()
    came = selection.pilot_swap(pilot=choice.pilot, actor=cast.owner, out=out)
    assert came.department == out.department and came.department != "IT"
    assert choice.pilot.members.count() == 10
    choice.pilot.refresh_from_db()
    assert [m["mark"] for m in choice.pilot.marks] == ["well_known", "constructive", "ambassador"]


def test_the_first_ring_goes_live_first_and_no_one_of_it_in_a_later_wave(cast) -> None:
    import_people(cast.client, 120)
    selection.pilot_select(project=cast.project, actor=cast.owner, size=6)
    # Someone joins the service desk after the pilot was chosen: they go with the first ring.
    newcomer = Person.objects.exclude(department="IT").exclude(pilot_memberships__isnull=False)[0]
    newcomer.job_title = "Servicedesk medewerker"
    newcomer.save()
    steering.rollout_update(
        project=cast.project, actor=cast.owner, start_on=date(2030, 3, 4), capacity=20
    )
    ring, pilot, *later = steering.waves_plan(project=cast.project, actor=cast.owner)
    assert (ring.kind, ring.number, pilot.kind, pilot.number) == ("first_ring", 0, "pilot", 1)
    assert ring.end_on < pilot.start_on
    first = keys(Person.objects.filter(wave_memberships__wave=ring))
    assert first == keys(Person.objects.filter(department="IT")) | {newcomer.key}
    assert keys(queries.first_ring_members(cast.project)) == first
    for wave in later:
        assert not keys(Person.objects.filter(wave_memberships__wave=wave)) & first
    assert WaveMember.objects.filter(wave__project=cast.project).count() == 120


names = st.sampled_from(["ICT", "Servicedesk", "Financiën", "HR", "Verkoop", "Planning"])
titles = st.sampled_from(["Medewerker", "Adviseur", "Functioneel beheerder", "Teamleider"])


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    people=st.lists(st.tuples(names, titles, st.booleans()), min_size=8, max_size=60),
    removed=st.sets(names, max_size=2),
    seed=st.integers(0, 1000),
)
def test_no_leaver_is_ever_in_the_ring_the_pilot_or_a_wave(
    cast,
    people: list[tuple[str, str, bool]],
    removed: set[str],
    seed: int,
) -> None:
    Person.objects.filter(client=cast.client).delete()
    cast.project.waves.all().delete()
    rows = [
        person_row(f"P{n:03d}", name=f"P {n}", department=department, job_title=title)
        for n, (department, title, _left) in enumerate(people)
    ]
    services.people_import(client=cast.client, actor=None, rows=rows)
    gone = {f"P{n:03d}" for n, (_d, _t, left) in enumerate(people) if left}
    Person.objects.filter(client=cast.client, key__in=gone).update(left_at=timezone.now())
    present = {d for n, (d, _t, _l) in enumerate(people) if f"P{n:03d}" not in gone}
    try:
        selection.first_ring_set(
            project=cast.project, actor=cast.owner, remove_departments=removed & present
        )
        choice = selection.pilot_select(project=cast.project, actor=cast.owner, seed=seed)
    except KoersError as error:
        # Only when nobody is left for a pilot after the first ring.
        assert "nobody is left" in str(error.message) or "Import" in str(error.message)
        return
    steering.rollout_update(project=cast.project, actor=cast.owner, start_on=date(2030, 3, 4))
    steering.waves_plan(project=cast.project, actor=cast.owner)
    ring = keys(queries.first_ring_members(cast.project))
    pilot = keys(Person.objects.filter(pilot_memberships__pilot=choice.pilot))
    planned = keys(Person.objects.filter(wave_memberships__wave__project=cast.project))
    assert not (ring | pilot | planned) & gone
    assert not ring & pilot
    assert planned == {f"P{n:03d}" for n in range(len(people))} - gone
    for n, (department, title, _left) in enumerate(people):
        key = f"P{n:03d}"
        found = department in {"ICT", "Servicedesk"} or title == "Functioneel beheerder"
        if key not in gone and found and department not in removed:
            assert key in ring


def pilot_url(name: str = "rollout:pilot") -> str:
    return reverse(name, kwargs={"workspace": "acme", "project": "cloud"})


def test_the_pilot_page_shows_the_ring_and_marks_in_plain_words(cast) -> None:
    import_people(cast.client, 200)
    Person.objects.filter(key__in=["1000", "1001", "1002", "1003"]).update(is_ambassador=True)
    web = cast.login(cast.member)
    page = web.get(pilot_url()).content.decode()
    assert "Not found yet" in page and "Find IT and the service desk" in page
    response = web.post(
        pilot_url("rollout:pilot_select"), {"size": 5, "attributes": ["department"], "seed": 1}
    )
    assert response.status_code == 302
    page = web.get(pilot_url()).content.decode()
    it = Person.objects.filter(department="IT").count()
    assert f'data-testid="ring-size">{it}</strong>' in page
    assert "not confirmed yet" in page
    assert "How close the pilot is to the whole organisation" in page
    assert "TVD" not in page and "tvd" not in page
    assert "of 4 ambassadors are in the pilot" in page
    web.post(pilot_url("rollout:first_ring"), {"action": "confirm"})
    page = web.get(pilot_url()).content.decode()
    assert f"Confirmed by {cast.member}" in page
    response = web.post(pilot_url("rollout:first_ring"), {"action": "add_person", "value": "nope"})
    assert response.status_code == 302
    page = web.get(pilot_url()).content.decode()
    assert "Nobody of this client has the employee id nope." in page
    viewer = cast.login(cast.viewer)
    assert viewer.post(pilot_url("rollout:first_ring"), {"action": "confirm"}).status_code == 403


def test_the_pilot_page_uses_a_fixed_number_of_queries(cast) -> None:
    web = cast.login(cast.viewer)
    import_people(cast.client, 40)
    selection.first_ring_change(
        project=cast.project, actor=cast.owner, action="add_person", value="1003"
    )
    selection.pilot_select(project=cast.project, actor=cast.owner, size=4)
    web.get(pilot_url())  # stores the current workspace in the session, measures the pilot
    with CaptureQueriesContext(connection) as small:
        assert web.get(pilot_url()).status_code == 200
    import_people(cast.client, 600, seed=2)
    Person.objects.filter(department__in=["HR", "Financiën", "Installatie"]).update(
        job_title="Functioneel beheerder"
    )
    selection.pilot_select(project=cast.project, actor=cast.owner, size=30)
    web.get(pilot_url())  # the new pilot is measured once, then kept
    with CaptureQueriesContext(connection) as large:
        page = web.get(pilot_url()).content.decode()
    assert len(large) == len(small)
    assert "30 pilot users" in page and 'rel="next"' in page  # more by job title than listed


def token_client(user: Any) -> WebClient:
    token = ApiToken(user=user, name="ring")
    secret = token.new_token()
    token.save()
    return WebClient(headers={"Authorization": f"Bearer {secret}", "Accept-Language": "en"})


RING = "/api/v1/w/acme/projects/cloud/first-ring"


def test_the_first_ring_through_the_api(cast) -> None:
    import_people(cast.client, 120)
    api = token_client(cast.member)
    found = api.get(RING).json()
    members = api.get(f"{RING}/members").json()["items"]
    it = keys(Person.objects.filter(department="IT"))
    assert {p["key"] for p in members} == it and found["confirmed_at"] is None
    assert {p["why"] for p in members} == {"department"}
    selection.pilot_select(project=cast.project, actor=cast.owner, size=5)
    body = {"remove_departments": ["IT"], "add_departments": ["HR"]}
    changed = api.put(RING, data=json.dumps(body), content_type="application/json")
    assert changed.status_code == 200, changed.content
    document = changed.json()
    hr = keys(Person.objects.filter(department="HR"))
    assert {p["key"] for p in api.get(f"{RING}/members").json()["items"]} == hr
    assert document["confirmed_by"] == cast.member.email
    pilot = api.get("/api/v1/w/acme/projects/cloud/pilot").json()
    piloted = api.get("/api/v1/w/acme/projects/cloud/pilot/members").json()["items"]
    assert not {p["key"] for p in piloted} & hr and pilot["population"] == 120 - len(hr)
    assert FirstRingMember.objects.filter(ring__project=cast.project).count() == len(hr)
    bad = api.put(
        RING, data=json.dumps({"add_departments": ["Kantine"]}), content_type="application/json"
    )
    assert bad.status_code == 400 and "Kantine" in bad.json()["detail"]
    viewer = token_client(cast.viewer)
    refused = viewer.put(RING, data=json.dumps(body), content_type="application/json")
    assert refused.status_code == 403
    assert token_client(cast.outsider).get(RING).status_code == 404
    assert PilotMember.objects.filter(pilot__project=cast.project).count() == 5


def test_the_pilots_measure_is_kept_until_people_pilot_or_ring_change(cast) -> None:
    import_people(cast.client, 200)
    choice = selection.pilot_select(
        project=cast.project, actor=cast.owner, size=10, attributes=["department", "location"]
    )
    pilot = choice.pilot
    first = queries.pilot_measure(pilot)
    with CaptureQueriesContext(connection) as kept:
        assert queries.pilot_measure(pilot) == first
    assert not [q for q in kept.captured_queries if "GROUP BY" in q["sql"]]  # not counted again

    def fresh() -> Any:
        pilot.refresh_from_db()
        return queries.pilot_measure(pilot), queries._count_pilot_measure(pilot)

    # Someone moves to another department: measured again, as counting now would give.
    person = Person.objects.filter(pilot_memberships__pilot=pilot).first()
    assert person is not None
    Person.objects.filter(pk=person.pk).update(department="Nieuw", updated_at=timezone.now())
    shown, counted = fresh()
    assert shown == counted != first
    # Someone swapped out of the pilot, and the first ring changed: measured again each time.
    into = Person.objects.exclude(pilot_memberships__pilot=pilot).exclude(department="IT").first()
    selection.pilot_swap(pilot=pilot, actor=cast.owner, out=person, into=into)
    shown, counted = fresh()
    assert shown == counted and shown.size == 10
    selection.first_ring_set(project=cast.project, actor=cast.owner, remove_departments={"IT"})
    pilot = cast.project.pilot
    pilot.refresh_from_db()
    assert queries.pilot_measure(pilot) == queries._count_pilot_measure(pilot)
