"""The commands select-pilot and plan-waves, with --json and errors."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from django_scopes import scopes_disabled

from koers.population.models import Person
from koers.population.tests.factories import csv_bytes, people_rows
from koers.rollout.models import Wave, WaveMember

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_select_pilot_and_plan_waves_list_the_first_ring_and_who_left(cast, tmp_path: Path) -> None:
    path = tmp_path / "hr.csv"
    path.write_bytes(csv_bytes(people_rows(200)))
    run("import_people", "acme/bakkerij", str(path))
    with scopes_disabled():
        left = Person.objects.filter(department="Installatie").order_by("key")[:3]
        gone = sorted(p.key for p in left)
        Person.objects.filter(key__in=gone).update(left_at=timezone.now())
        it = set(Person.objects.filter(department="IT").values_list("key", flat=True))
    args = ["select_pilot", "acme/cloud", "--size", "8", "--by", "department,location"]
    out, _err = run(*args, "--seed", "4", "--json")
    document = json.loads(out)
    assert document["size"] == 8 and len(document["people"]) == 8
    assert document["mean_tvd"] <= document["random_median_tvd"] / 2
    ring = document["first_ring"]
    assert {p["key"] for p in ring["people"]} == it and ring["size"] == len(it) > 0
    assert ring["departments"] == [{"department": "IT", "people": len(it)}]
    assert document["population"] == 200 - 3 - len(it)
    assert [p["key"] for p in document["left_out_as_left"]] == gone
    chosen = {p["key"] for p in document["people"]}
    assert not chosen & it and not chosen & set(gone)
    assert {m["mark"] for m in document["marks"]} == {"well_known", "constructive", "ambassador"}
    again, _err = run(*args, "--seed", "4", "--json")
    assert json.loads(again)["people"] == document["people"]
    with pytest.raises(CommandError, match="no attribute shoe_size"):
        run("select_pilot", "acme/cloud", "--by", "shoe_size")
    out, _err = run("plan_waves", "acme/cloud", "--json")
    plan = json.loads(out)
    assert plan["people"] == 200 - 3
    first, pilot = plan["waves"][:2]
    assert (first["kind"], first["people"], pilot["kind"]) == ("first_ring", len(it), "pilot")
    assert first["start"] < pilot["start"]
    assert plan["first_ring"]["size"] == len(it)
    assert [p["key"] for p in plan["left_out_as_left"]] == gone
    assert first["iso_weeks"].startswith(str(plan["start"][:4]))
    with scopes_disabled():
        assert Wave.objects.count() == len(plan["waves"])
        planned = set(WaveMember.objects.values_list("person__key", flat=True))
        assert not planned & set(gone) and len(planned) == 197
