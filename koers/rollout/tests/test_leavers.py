"""Only people who are there, and only what is needed: leavers from every kind of export are
stored as left and never planned; sensitive columns are named and kept only when ticked;
names are composed; keys that match nobody and spellings that differ only in case are
said before anything is written. Files are made here, in the shape of real HR exports."""

import json
from datetime import date, timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from koers.population import services
from koers.population.models import ImportRun, Person
from koers.population.queries import active_people, leavers
from koers.population.tests.factories import csv_bytes, import_people
from koers.rollout import selection, steering
from koers.rollout import waves as wave_rules
from koers.rollout.models import PilotMember, Rollout, WaveMember
from tests.factories import Cast

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
DEPARTMENTS = ("Production", "Sales", "IT/IS", "Admin Offices", "Software Engineering")


def us(day: date) -> str:
    return f"{day.month}/{day.day}/{day.year}"


def hr_export(active: int = 40, left: int = 12) -> bytes:
    """An HR system's export: EmploymentStatus and DateofTermination, US dates, and the
    columns nobody needs for a rollout (DOB, RaceDesc, Salary)."""
    header = [
        "Employee_Name",
        "EmpID",
        "Department",
        "Position",
        "DOB",
        "RaceDesc",
        "Salary",
        "DateofTermination",
        "EmploymentStatus",
    ]
    rows = []
    for n in range(active + left):
        gone = n >= active
        status = ("Voluntarily Terminated", "Terminated for Cause")[n % 2] if gone else "Active"
        ended = us(date(2015 + n % 8, 1 + n % 12, 13 + n % 15)) if gone else ""
        rows.append(
            [
                f"Person {n}",
                str(10_000 + n),
                DEPARTMENTS[n % 5] + (" " * (n % 3)),
                "Technician",
                us(date(1970 + n % 30, 1 + n % 12, 1 + n % 28)),
                "White",
                str(50_000 + n),
                ended,
                status,
            ]
        )
    return csv_bytes(rows, header)


def entra_export() -> bytes:
    """A Microsoft Entra ID user export: accountEnabled and an object id per user."""
    header = ["id", "displayName", "mail", "department", "jobTitle", "accountEnabled"]
    rows = [
        [
            f"b7de08a6-8417-491b-be62-85945a53{n:04d}",
            f"User {n}",
            f"u{n}@contoso.com",
            DEPARTMENTS[n % 5],
            "Engineer",
            "False" if n % 4 == 0 else "True",
        ]
        for n in range(20)
    ]
    return csv_bytes(rows, header)


def dutch_export() -> bytes:
    past = TODAY - timedelta(days=40)
    future = TODAY + timedelta(days=60)
    header = [
        "Personeelsnummer",
        "Voornaam",
        "Tussenvoegsel",
        "Achternaam",
        "Afdeling",
        "Uit dienst",
        "Datum uit dienst",
    ]
    rows = [
        ["1", "Jan", "van der", "Berg", "Financiën", "nee", ""],
        ["2", "Els", "", "Jansen", "Financiën", "ja", ""],
        ["3", "Piet", "de", "Vries", "ICT", "nee", past.strftime("%d-%m-%Y")],
        ["4", "Anna", "", "Bakker", "ICT", "nee", future.strftime("%d-%m-%Y")],
        ["5", "Kees", "", "Smit", "Zorg", "", ""],
    ]
    return csv_bytes(rows, header, delimiter=";")


def import_bytes(client: Any, data: bytes, name: str = "p.csv", **options: Any) -> Any:
    with scopes_disabled():
        found = services.read_people_file(data, name, client=client, **options)
        result = services.people_import(client=client, actor=None, rows=found.rows)
        return found, result


def planned_keys(cast: Cast) -> set[str]:
    with scopes_disabled():
        pilot = set(
            PilotMember.objects.filter(pilot__project=cast.project).values_list(
                "person__key", flat=True
            )
        )
        waves = set(
            WaveMember.objects.filter(wave__project=cast.project).values_list(
                "person__key", flat=True
            )
        )
    return pilot | waves


def left_keys(cast: Cast) -> set[str]:
    with scopes_disabled():
        return set(
            Person.objects.filter(client=cast.client, left_at__isnull=False).values_list(
                "key", flat=True
            )
        )


def plan_everything(cast: Cast, size: int = 6) -> None:
    with scopes_disabled():
        selection.pilot_select(project=cast.project, actor=None, size=size)
        steering.waves_plan(project=cast.project, actor=None)


def test_an_hr_export_with_employment_status_and_termination_date_stores_leavers_as_left(
    cast: Cast,
) -> None:
    found, result = import_bytes(cast.client, hr_export(40, 12))
    assert found.mapping["status"] == "EmploymentStatus"
    assert found.mapping["leaving_on"] == "DateofTermination"
    assert (result.created, result.leavers) == (52, 12)
    gone = {str(10_000 + n) for n in range(40, 52)}
    assert left_keys(cast) == gone
    with scopes_disabled():
        person = Person.objects.get(client=cast.client, key="10040")
    # Month first, as the file writes it (9/24/2012): 5/23/2015 is 23 May.
    assert person.leaving_on == date(2015, 5, 23)
    assert timezone.localtime(person.left_at).date() == date(2015, 5, 23)
    with scopes_disabled():
        assert active_people(cast.client).count() == 40
    plan_everything(cast)
    planned = planned_keys(cast)
    assert planned and not planned & gone
    assert len(planned) == 40


def test_an_entra_id_export_with_account_enabled_false_stores_leavers_as_left(
    cast: Cast,
) -> None:
    found, result = import_bytes(cast.client, entra_export())
    assert found.mapping["status"] == "accountEnabled"
    assert result.leavers == 5
    gone = {f"b7de08a6-8417-491b-be62-85945a53{n:04d}" for n in range(0, 20, 4)}
    assert left_keys(cast) == gone
    plan_everything(cast, size=3)
    assert not planned_keys(cast) & gone
    # The object ids are keys here, and named as directory ids all the same.
    assert ("id", "guid") in {(f.column, f.kind) for f in found.sensitive}


def test_a_dutch_export_with_uit_dienst_and_datum_and_names_in_parts(cast: Cast) -> None:
    found, result = import_bytes(cast.client, dutch_export())
    assert found.mapping["status"] == "Uit dienst"
    assert found.mapping["leaving_on"] == "Datum uit dienst"
    assert result.leavers == 2
    with scopes_disabled():
        people = {p.key: p for p in Person.objects.filter(client=cast.client)}
    assert people["1"].name == "Jan van der Berg"
    assert people["3"].name == "Piet de Vries"
    assert left_keys(cast) == {"2", "3"}
    assert people["3"].leaving_on == TODAY - timedelta(days=40)
    # Leaving in two months: there now, with the date kept.
    assert (people["4"].left_at, people["4"].leaving_on) == (None, TODAY + timedelta(days=60))
    with scopes_disabled():
        assert set(active_people(cast.client).values_list("key", flat=True)) == {
            "1",
            "4",
            "5",
        }
        later = TODAY + timedelta(days=61)
        assert "4" not in set(active_people(cast.client, on=later).values_list("key", flat=True))
        assert "4" in set(leavers(cast.client, on=later).values_list("key", flat=True))


def test_someone_leaving_before_their_wave_is_not_planned_in_it(cast: Cast) -> None:
    rows = [[str(n), f"P{n}", f"p{n}@x.nl", DEPARTMENTS[n % 5], "", "", ""] for n in range(60)]
    import_bytes(cast.client, csv_bytes(rows))
    start = TODAY + timedelta(days=7)
    with scopes_disabled():
        Rollout.objects.create(project=cast.project, start_on=start, capacity=5)
        # Everyone of Sales leaves on the first day: after it they are gone.
        Person.objects.filter(client=cast.client, department="Sales").update(leaving_on=start)
        selection.pilot_select(project=cast.project, actor=None, size=5)
        steering.waves_plan(project=cast.project, actor=None)
        leaving = WaveMember.objects.filter(
            wave__project=cast.project, person__leaving_on__isnull=False
        ).values_list("person__leaving_on", "live_on")
        assert all(last_day and live_on <= last_day for last_day, live_on in leaving)
        planned = WaveMember.objects.filter(wave__project=cast.project).count()
        sales = Person.objects.filter(client=cast.client, department="Sales").count()
    assert planned < 60
    assert planned >= 60 - sales


def test_a_plan_from_a_first_day_in_the_past_skips_who_left_since(cast: Cast) -> None:
    rows = [[str(n), f"P{n}", f"p{n}@x.nl", "Sales", "", "", ""] for n in range(30)]
    import_bytes(cast.client, csv_bytes(rows))
    start = TODAY - timedelta(days=20)
    with scopes_disabled():
        Rollout.objects.create(project=cast.project, start_on=start, capacity=50)
        # Their leaving date was still to come at the import; it has passed since.
        Person.objects.filter(client=cast.client, key="7").update(leaving_on=start)
        steering.waves_plan(project=cast.project, actor=None)
        planned = set(
            WaveMember.objects.filter(wave__project=cast.project).values_list(
                "person__key", flat=True
            )
        )
    assert len(planned) == 30  # on the first day they were there, and went live that day
    assert "7" in planned


def test_without_leavers_takes_out_whoever_leaves_before_their_day() -> None:
    day = date(2026, 3, 2)
    days = tuple((day + timedelta(days=n), 2) for n in range(3))
    plan = wave_rules.Plan(
        waves=(
            wave_rules.PlannedWave(0, "Pilot", "pilot", ("A",), ("a", "b"), days[:1], 2),
            wave_rules.PlannedWave(1, "B", "department", ("B",), ("c", "d", "e", "f"), days[1:], 0),
            wave_rules.PlannedWave(
                2, "C", "department", ("C",), ("g",), ((day + timedelta(9), 1),), 0
            ),
            wave_rules.PlannedWave(
                3, "D", "department", ("D",), ("h",), ((day + timedelta(12), 1),), 0
            ),
        ),
        capacity=2,
        country="NL",
        closed=(),
    )
    leaving = {"a": day, "c": day, "e": day + timedelta(days=1), "g": day}
    kept, gone = wave_rules.without_leavers(plan, leaving)
    assert set(gone) == {"c", "e", "g"}
    assert [w.keys for w in kept.waves] == [("a", "b"), ("d", "f"), ("h",)]
    assert [w.days for w in kept.waves][1] == ((day + timedelta(1), 1), (day + timedelta(2), 1))
    assert [w.number for w in kept.waves] == [0, 1, 2]  # the emptied wave's place is taken
    assert wave_rules.without_leavers(plan, {}) == (plan, ())


# Keep only what is needed.


def sensitive_file() -> bytes:
    header = [
        "Personeelsnummer",
        "Naam",
        "Afdeling",
        "Geboortedatum",
        "Nummer",
        "IBAN",
        "objectSid",
        "Team",
    ]
    rows = [
        [
            str(n),
            f"P{n}",
            "HR",
            f"{1970 + n}-05-0{1 + n % 9}",
            "111222333",
            "NL91ABNA0417164300",
            f"S-1-5-21-3313-2650-2422-{1700 + n}",
            "Blauw",
        ]
        for n in range(8)
    ]
    return csv_bytes(rows, header)


def people_url(name: str = "people:list", **kwargs: Any) -> str:
    return reverse(name, kwargs={"workspace": "acme", "client": "bakkerij", **kwargs})


def upload(web: Any, data: bytes, name: str = "hr.csv") -> ImportRun:
    web.post(people_url("people:import"), {"file": SimpleUploadedFile(name, data)})
    with scopes_disabled():
        return ImportRun.objects.latest("created_at")


def test_the_mapping_step_names_sensitive_columns_and_ticks_nothing(cast: Cast) -> None:
    web = cast.login(cast.member)
    run = upload(web, sensitive_file())
    assert run.keep == []
    page = web.get(people_url("people:import_run", run=run.pk)).content.decode()
    assert 'data-testid="sensitive-warning"' in page
    for text in (
        "Geboortedatum looks like a birth date or age (by its name)",
        "Nummer looks like a national number (BSN, rijksregisternummer) (by what it holds)",
        "IBAN looks like a bank account (IBAN) (by its name)",
        "objectSid looks like a security identifier (SID) (by its name)",
    ):
        assert text in page, text
    assert 'name="keep"' in page and " checked" not in page.split('name="keep"', 1)[1][:2000]
    form = {f"map_{f}": c for f, c in run.mapping.items()}
    web.post(people_url("people:import_run", run=run.pk), form)
    with scopes_disabled():
        assert {p.key: p.attributes for p in Person.objects.all()}["3"] == {}
    run = upload(web, sensitive_file())
    web.post(people_url("people:import_run", run=run.pk), {**form, "keep": ["Team"]})
    with scopes_disabled():
        assert {p.key: p.attributes for p in Person.objects.all()}["3"] == {"Team": "Blauw"}


def run_command(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_people_keeps_no_further_column_unless_told_with_keep(
    cast: Cast, tmp_path: Path
) -> None:
    path = tmp_path / "hr.csv"
    path.write_bytes(sensitive_file())
    out, err = run_command("import_people", "acme/bakkerij", str(path), "--json")
    document = json.loads(out)
    assert document["kept"] == [] and document["created"] == 8
    assert "Left out: Geboortedatum looks like a birth date or age" in err
    with scopes_disabled():
        assert not Person.objects.exclude(attributes={}).exists()
    out, err = run_command(
        "import_people", "acme/bakkerij", str(path), "--keep", "Team,Geboortedatum", "--json"
    )
    assert json.loads(out)["kept"] == ["Team", "Geboortedatum"]
    assert "Warning: Geboortedatum looks like a birth date or age (by its name). It is kept" in err
    with scopes_disabled():
        assert Person.objects.get(key="0").attributes == {
            "Team": "Blauw",
            "Geboortedatum": "1970-05-01",
        }
    with pytest.raises(CommandError, match="no column Nope"):
        run_command("import_people", "acme/bakkerij", str(path), "--keep", "Nope")


def test_a_file_whose_keys_match_nobody_is_refused_before_anything_is_written(
    cast: Cast, tmp_path: Path
) -> None:
    import_bytes(
        cast.client, csv_bytes([[str(n), f"P{n}", "", "HR", "", "", ""] for n in range(1, 6)])
    )
    path = tmp_path / "hr.csv"
    path.write_bytes(csv_bytes([[f"{n:05d}", f"P{n}", "", "HR", "", "", ""] for n in range(1, 6)]))
    with pytest.raises(CommandError) as refused:
        run_command("import_people", "acme/bakkerij", str(path))
    assert "Not one of the 5 keys in column Personeelsnummer" in str(refused.value)
    assert "00001 in the file against 1 already there" in str(refused.value)
    with scopes_disabled():
        assert Person.objects.count() == 5
    out, _err = run_command("import_people", "acme/bakkerij", str(path), "--new-keys", "--json")
    assert json.loads(out)["created"] == 5
    # The mapping step says so too, and goes on only when the user confirms.
    web = cast.login(cast.member)
    path.write_bytes(csv_bytes([[f"x{n}", f"P{n}", "", "HR", "", "", ""] for n in range(1, 4)]))
    run = upload(web, path.read_bytes())
    page = web.get(people_url("people:import_run", run=run.pk)).content.decode()
    assert 'data-testid="key-warning"' in page and "Not one of the 3 keys" in page
    form = {f"map_{f}": c for f, c in run.mapping.items()}
    page = web.post(people_url("people:import_run", run=run.pk), form).content.decode()
    assert "Not one of the 3 keys" in page
    with scopes_disabled():
        assert Person.objects.count() == 10
    web.post(people_url("people:import_run", run=run.pk), {**form, "new_keys": "on"})
    with scopes_disabled():
        assert Person.objects.count() == 13


def test_values_that_differ_only_in_case_or_spaces_are_merged_with_a_note(
    cast: Cast, tmp_path: Path
) -> None:
    rows = [
        [str(n), f"P{n}", "", dept, "", "", ""]
        for n, dept in enumerate(["Finance ", "finance", "Finance", "FINANCE", "HR", " hr"])
    ]
    path = tmp_path / "hr.csv"
    path.write_bytes(csv_bytes(rows))
    out, _err = run_command("import_people", "acme/bakkerij", str(path))
    assert "Merged: Department: “finance”, “FINANCE” written as “Finance” (2 people)." in out
    assert "Merged: Department: “hr” written as “HR” (1 person)." in out
    with scopes_disabled():
        assert set(Person.objects.values_list("department", flat=True)) == {"Finance", "HR"}
    # A later file keeps the spelling already there.
    path.write_bytes(csv_bytes([*rows, ["9", "P9", "", "FINANCE", "", "", ""]]))
    out, _err = run_command("import_people", "acme/bakkerij", str(path), "--json")
    assert json.loads(out)["merged"][0]["value"] == "Finance"


def test_the_people_page_shows_who_left_apart(cast: Cast) -> None:
    import_bytes(cast.client, dutch_export())
    web = cast.login(cast.viewer)
    page = web.get(people_url()).content.decode()
    assert "Jan van der Berg" in page and "Els Jansen" not in page
    assert "3 people" in page and "2 left" in page
    left = web.get(people_url() + "?left=1").content.decode()
    assert "Els Jansen" in left and "Piet de Vries" in left and "Jan van der Berg" not in left
    assert (TODAY - timedelta(days=40)).strftime("%Y") in left


def test_a_pilot_member_marked_left_by_an_import_is_not_planned_in_a_wave(cast: Cast) -> None:
    from koers.population.tests.factories import people_rows
    from koers.rollout import steering
    from koers.rollout.models import PilotMember

    rows = people_rows(40)
    import_people(cast.client, 40)
    with scopes_disabled():
        selection.pilot_select(project=cast.project, actor=None, size=6)
        gone = PilotMember.objects.filter(pilot__project=cast.project)[0].person.key
        data = csv_bytes([row for row in rows if row[0] != gone])
        found, _mapping, _kept = services.read_people(data, "p.csv")
        result = services.people_import(client=cast.client, actor=None, rows=found, mark_left=True)
        assert result.left == 1
        waves = steering.waves_plan(project=cast.project, actor=None)
        planned = [m.person.key for wave in waves for m in wave.members.select_related("person")]
    assert gone not in planned
    assert len(planned) == 39
