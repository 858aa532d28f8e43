"""The first ring: IT and the service desk found by name, confirmed or changed by the user."""

import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from koers.rollout.ring import RingChoice, RingPerson, first_ring, is_it_or_service_desk


@pytest.mark.parametrize(
    "name",
    [
        "IT",
        "ICT",
        "Afdeling ICT",
        "IT/IS",
        "I&A",
        "Informatievoorziening",
        "Servicedesk",
        "Service Desk",
        "service-desk",
        "Helpdesk",
        "Help desk",
        "Functioneel beheer",
        "Functioneel beheerder",
        "Applicatiebeheerder",
        "Systeembeheerder",
        "Netwerkbeheer",
        "IT support",
        "IT-support",
        "IT Manager",
        "CVP of IT",
        "Information Technology",
        "Automatisering",
        "System administrator",
        "Sr. Network Administrator",
    ],
)
def test_it_and_service_desk_names_are_found_in_dutch_and_english(name: str) -> None:
    assert is_it_or_service_desk(name)


@pytest.mark.parametrize(
    "name",
    [
        "",
        "Finance",
        "Audit",
        "Digital Marketing",
        "Customer Support",
        "Make it happen",
        "Kwaliteit",
        "Facilitair beheer",
        "Split",
        "Beheer openbare ruimte",
        "Edit team",
    ],
)
def test_other_departments_and_titles_are_not(name: str) -> None:
    assert not is_it_or_service_desk(name)


PEOPLE = [
    RingPerson("1", "ICT", "Systeembeheerder"),
    RingPerson("2", "ICT", "Teamleider"),
    RingPerson("3", "Servicedesk", "Medewerker"),
    RingPerson("4", "Financiën", "Functioneel beheerder"),
    RingPerson("5", "Financiën", "Controller"),
    RingPerson("6", "Applicatiebeheer", "Adviseur"),
    RingPerson("7", "HR", "Adviseur"),
]


def test_all_of_them_are_in_unless_the_user_says_otherwise() -> None:
    ring = first_ring(PEOPLE)
    assert ring.keys == ("1", "2", "3", "4", "6")
    assert dict(ring.why)["4"] == "job_title"
    assert dict(ring.why)["1"] == "department"
    assert ring.departments == (
        ("ICT", 2),
        ("Applicatiebeheer", 1),
        ("Financiën", 1),
        ("Servicedesk", 1),
    )
    assert ring.found_departments == ("Applicatiebeheer", "ICT", "Servicedesk")
    assert ring.left_out == ()


def test_the_user_adds_and_removes_departments_and_people() -> None:
    choice = RingChoice(
        add_departments=frozenset({"HR"}),
        remove_departments=frozenset({"Applicatiebeheer", "ICT"}),
        add_people=frozenset({"2", "5"}),
        remove_people=frozenset({"4"}),
    )
    ring = first_ring(PEOPLE, choice)
    # One person's choice weighs more than their department's.
    assert ring.keys == ("2", "3", "5", "7")
    assert dict(ring.why) == {
        "2": "department",
        "3": "department",
        "5": "added",
        "7": "added_department",
    }
    assert ring.left_out == ("1", "4", "6")


def test_the_module_imports_no_django() -> None:
    code = (
        "import sys; import koers.rollout.ring; "
        "bad = [m for m in sys.modules if m.split('.')[0] == 'django']; assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


NAMES = st.sampled_from(
    ["ICT", "Servicedesk", "Helpdesk", "Financiën", "HR", "Verkoop", "Functioneel beheerder", ""]
)
people_lists = st.lists(
    st.builds(RingPerson, key=st.text(min_size=1, max_size=4), department=NAMES, job_title=NAMES),
    max_size=60,
    unique_by=lambda p: p.key,
)


@settings(max_examples=150, deadline=None)
@given(people_lists, st.data())
def test_the_ring_holds_every_it_or_service_desk_person_the_user_did_not_leave_out(
    people: list[RingPerson], data: st.DataObject
) -> None:
    keys = [p.key for p in people]
    some_keys = st.frozensets(st.sampled_from(keys)) if keys else st.just(frozenset[str]())
    choice = RingChoice(
        add_departments=data.draw(st.frozensets(NAMES)),
        remove_departments=data.draw(st.frozensets(NAMES)),
        add_people=data.draw(some_keys),
        remove_people=data.draw(some_keys),
    )
    ring = first_ring(people, choice)
    inside = set(ring.keys)
    assert len(inside) == len(ring.keys)
    for person in people:
        named = is_it_or_service_desk(person.department) or is_it_or_service_desk(person.job_title)
        if person.key in choice.add_people:
            assert person.key in inside
        elif person.key in choice.remove_people or person.department in choice.remove_departments:
            assert person.key not in inside
        elif named or person.department in choice.add_departments:
            assert person.key in inside
        else:
            assert person.key not in inside
        assert (person.key in ring.left_out) == (named and person.key not in inside)
    assert sum(n for _d, n in ring.departments) == len(inside)
