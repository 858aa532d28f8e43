"""Pages: pilot, waves and gates, in a member's browser
without JavaScript; the query count of the list pages does not grow with the data."""

import csv
import io
import re
from html import unescape

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from koers.population import services
from koers.population.models import Person
from koers.population.tests.factories import csv_bytes, import_people, people_rows
from koers.rollout import queries, selection, steering
from koers.rollout.models import GateDecision, Wave

pytestmark = pytest.mark.django_db


def people_url(cast, name: str = "people:list", **kwargs) -> str:
    return reverse(name, kwargs={"workspace": "acme", "client": "bakkerij", **kwargs})


def rollout_url(cast, name: str = "rollout:board", **kwargs) -> str:
    return reverse(name, kwargs={"workspace": "acme", "project": "cloud", **kwargs})


def _plan(cast, people: int) -> list[Wave]:
    import_people(cast.client, people)
    with scopes_disabled():
        selection.pilot_select(project=cast.project, actor=cast.owner, size=max(4, people // 10))
        steering.rollout_update(project=cast.project, actor=None, capacity=10)
        return steering.waves_plan(project=cast.project, actor=cast.owner)


def test_the_wave_pages_use_a_fixed_number_of_queries(cast) -> None:
    web = cast.login(cast.viewer)
    waves = _plan(cast, 30)
    web.get(rollout_url(cast))  # the first visit stores the current workspace in the session
    with CaptureQueriesContext(connection) as small_board:
        assert web.get(rollout_url(cast)).status_code == 200
    with CaptureQueriesContext(connection) as small_wave:
        assert web.get(rollout_url(cast, "rollout:wave", wave=waves[0].pk)).status_code == 200
    with scopes_disabled():
        Wave.objects.all().delete()
    waves = _plan(cast, 300)
    with CaptureQueriesContext(connection) as large_board:
        assert web.get(rollout_url(cast)).status_code == 200
    with CaptureQueriesContext(connection) as large_wave:
        assert web.get(rollout_url(cast, "rollout:wave", wave=waves[0].pk)).status_code == 200
    assert len(large_board) == len(small_board)
    assert len(large_wave) == len(small_wave)


def test_the_pilot_page_pages_its_users_in_a_fixed_number_of_queries(cast) -> None:
    import_people(cast.client, 300)
    with scopes_disabled():
        selection.pilot_select(project=cast.project, actor=cast.owner, size=8)
    web = cast.login(cast.viewer)
    web.get(rollout_url(cast, "rollout:pilot"))  # notes the workspace, measures the pilot
    with CaptureQueriesContext(connection) as small:
        web.get(rollout_url(cast, "rollout:pilot"))
    with scopes_disabled():
        selection.pilot_select(project=cast.project, actor=cast.owner, size=60)
    web.get(rollout_url(cast, "rollout:pilot"))  # the new pilot is measured once, then kept
    with CaptureQueriesContext(connection) as large:
        first = web.get(rollout_url(cast, "rollout:pilot")).content.decode()
    assert len(large) == len(small)
    assert "60 pilot users" in first
    assert first.count('class="inline-form swap"') == 0  # a viewer swaps nobody
    rows = first.split('<table class="table pilot-members">')[1].split("</table>")[0]
    assert rows.count("<tr>") == 51  # the header and 50 users
    following = re.search(r'href="(\?cursor=[^"]+)#pilot-users-h" rel="next"', first)
    assert following, "a link to the next page of pilot users"
    with CaptureQueriesContext(connection) as deep:
        second = web.get(rollout_url(cast, "rollout:pilot") + unescape(following[1]))
    assert len(deep) == len(small)
    rows = second.content.decode().split('<table class="table pilot-members">')[1]
    assert rows.split("</table>")[0].count("<tr>") == 11  # the header and the last 10
    assert 'rel="next"' not in second.content.decode().split("pilot-members")[1]


def test_a_waves_people_are_paged_by_key_in_a_fixed_number_of_queries(cast) -> None:
    waves = _plan(cast, 600)
    with scopes_disabled():
        wave = max(waves, key=lambda w: w.members.count())
        names = list(
            wave.members.order_by("live_on", "person__name", "person__key").values_list(
                "person__name", flat=True
            )
        )
    assert len(names) > 50, "a wave of more than one page (50 people)"
    web = cast.login(cast.viewer)
    url = rollout_url(cast, "rollout:wave", wave=wave.pk)
    web.get(url)
    seen: list[str] = []
    counts = set()
    link: str | None = url
    while link:
        with CaptureQueriesContext(connection) as asked:
            page = web.get(link).content.decode()
        counts.add(len(asked))
        table = page.split('<h3 id="people-h">')[1].split("</table>")[0]
        seen += [unescape(name) for name in re.findall(r"</td><td>([^<]*)</td><td>", table)]
        following = re.search(r'href="(\?cursor=[^"]+)#people-h" rel="next"', page)
        link = url + unescape(following[1]) if following else None
    assert seen == names  # every member once, in order, page after page
    assert len(counts) == 1  # a deep page asks what the first does


def test_choose_a_pilot_swap_one_plan_and_pass_a_gate_without_javascript(cast) -> None:
    import_people(cast.client, 80)
    web = cast.login(cast.member)
    # The first ring is found, and IT left out of it by hand: this test goes from the pilot.
    web.post(rollout_url(cast, "rollout:first_ring"), {"action": "find"})
    web.post(
        rollout_url(cast, "rollout:first_ring"), {"action": "remove_department", "value": "IT"}
    )
    response = web.post(
        rollout_url(cast, "rollout:pilot_select"),
        {"size": 4, "attributes": ["department", "location"], "seed": 3},
    )
    assert response.status_code == 302
    page = web.get(rollout_url(cast, "rollout:pilot")).content.decode()
    assert "4 pilot users" in page and 'data-testid="likeness"' in page
    assert "TVD" not in page and "Left out by you" in page
    with scopes_disabled():
        member = (
            Person.objects.filter(pilot_memberships__isnull=False).exclude(department="IT").first()
        )
    assert member is not None
    web.post(rollout_url(cast, "rollout:pilot_swap"), {"out": member.pk})
    with scopes_disabled():
        assert not Person.objects.filter(pk=member.pk, pilot_memberships__isnull=False).exists()
    web.post(
        rollout_url(cast, "rollout:settings"),
        {
            "start_on": "2030-03-04",
            "capacity": 20,
            "template": "departments",
            "pilot_soak_days": 3,
            "wave_days": 2,
            "ticket_rate": "15",
            "desk_capacity": "20",
        },
    )
    web.post(rollout_url(cast, "rollout:plan"))
    with scopes_disabled():
        pilot = Wave.objects.get(kind="pilot")
    assert "Pilot" in web.get(rollout_url(cast)).content.decode()
    web.post(rollout_url(cast, "rollout:wave_start", wave=pilot.pk))
    web.post(rollout_url(cast, "rollout:wave_evaluate", wave=pilot.pk))
    why = "Geen pulsmeting bij vier pilotgebruikers; zij melden zich bij de servicedesk."
    web.post(
        rollout_url(cast, "rollout:gate_decide", wave=pilot.pk),
        {"decision": "go", "notes": "Goed", "justification": why},
    )
    with scopes_disabled():
        pilot.refresh_from_db()
        assert pilot.status == "done"
        decision = GateDecision.objects.get()
        assert decision.decided_by == cast.member
    page = web.get(rollout_url(cast, "rollout:wave", wave=pilot.pk)).content.decode()
    assert "Goed" in page and why in page


def test_the_wave_csv_has_the_separator_of_the_readers_excel_and_a_first_name(cast) -> None:
    with scopes_disabled():
        parsed, _m, _k = services.read_people(csv_bytes(people_rows(12)), "p.csv")
        services.people_import(client=cast.client, actor=None, rows=parsed)
        steering.rollout_update(project=cast.project, actor=None, capacity=50)
        wave = steering.waves_plan(project=cast.project, actor=None)[-1]
        member = wave.members.select_related("person").first()
        assert member is not None
        name = member.person.name
    web = cast.login(cast.viewer)
    address = rollout_url(cast, "rollout:wave_csv", wave=wave.pk)
    dutch = web.get(address, HTTP_ACCEPT_LANGUAGE="nl").content
    english = web.get(address, HTTP_ACCEPT_LANGUAGE="en").content
    chosen = web.get(address + "?sep=comma", HTTP_ACCEPT_LANGUAGE="nl").content
    assert dutch.startswith(b"\xef\xbb\xbf")  # UTF-8 with a byte order mark: Excel reads accents
    assert dutch.decode("utf-8-sig").splitlines()[0].count(";") == 10
    assert english.decode("utf-8-sig").splitlines()[0].count(",") == 10
    assert chosen.decode("utf-8-sig").splitlines()[0].count(",") == 10
    rows = list(csv.reader(io.StringIO(english.decode("utf-8-sig"))))
    assert rows[0][1:3] == ["Name", "E-mail address"] and rows[0][-1] == "First name"
    assert name.split()[0] in [row[-1] for row in rows[1:]]
    page = web.get(rollout_url(cast, "rollout:wave", wave=wave.pk)).content.decode()
    assert "?sep=semicolon" in page and "?sep=comma" in page


def test_exports_make_formula_cells_harmless_and_the_calendar_lists_the_waves(cast) -> None:
    # Nobody of IT: no first ring, so the one wave holds all 20.
    rows = [[*row[:3], "HR" if row[3] == "IT" else row[3], *row[4:]] for row in people_rows(20)]
    rows[5][1] = "=cmd|' /C calc'!A0"
    rows[6][1] = "@SUM(1)"
    with scopes_disabled():
        parsed, _m, _k = services.read_people(csv_bytes(rows), "p.csv")
        services.people_import(client=cast.client, actor=None, rows=parsed)
        steering.rollout_update(project=cast.project, actor=None, capacity=50)
        (wave,) = steering.waves_plan(project=cast.project, actor=None)
    web = cast.login(cast.viewer)
    text = web.get(rollout_url(cast, "rollout:wave_csv", wave=wave.pk)).content.decode("utf-8-sig")
    assert "'=cmd|' /C calc'!A0" in text and "'@SUM(1)" in text
    assert "\n=" not in text and ";=" not in text
    from io import BytesIO

    from openpyxl import load_workbook

    body = web.get(rollout_url(cast, "rollout:wave_xlsx", wave=wave.pk)).content
    found = [c for row in load_workbook(BytesIO(body)).active.iter_rows() for c in row]
    # As typed, in text cells: shown, never run.
    assert "=cmd|' /C calc'!A0" in [c.value for c in found]
    assert not any(c.data_type == "f" for c in found)
    ical = web.get(rollout_url(cast, "rollout:calendar")).content.decode()
    assert ical.count("BEGIN:VEVENT") == 1 and "20 people live" in ical


def test_the_big_bang_comparison_draws_a_chart_and_a_paragraph(cast) -> None:
    _plan(cast, 60)
    page = cast.login(cast.guest).get(rollout_url(cast, "rollout:big_bang")).content.decode()
    assert "<svg" in page and "style=" not in page.split("<svg", 1)[1].split("</svg>")[0]
    assert "one defect found late would hit all 60 at once" in page


def test_the_big_bang_compares_with_the_kept_waves_not_a_new_plan(cast) -> None:
    """Once waves are kept the comparison reads them (as the board does), in a number of
    queries that does not grow with the people; before, it shows the plan Koers would make."""
    web = cast.login(cast.guest)
    import_people(cast.client, 40)
    unplanned = web.get(rollout_url(cast, "rollout:big_bang")).content.decode()
    assert "would hit all 40 at once" in unplanned
    _plan(cast, 60)  # 60 people now, all in the kept waves
    with CaptureQueriesContext(connection) as small:
        web.get(rollout_url(cast, "rollout:big_bang"))
    import_people(cast.client, 300)  # joiners after planning: not in the kept waves
    with CaptureQueriesContext(connection) as large:
        page = web.get(rollout_url(cast, "rollout:big_bang")).content.decode()
    assert "would hit all 60 at once" in page
    assert len(large) == len(small)


def test_a_wave_names_a_few_ambassadors_per_department_marked_ones_first(cast) -> None:
    waves = _plan(cast, 300)
    with scopes_disabled():
        pilot_people = Person.objects.filter(pilot_memberships__pilot__project=cast.project)
        department, count = (
            pilot_people.values_list("department").annotate(n=Count("pk")).order_by("-n")[0]
        )
        marked = pilot_people.filter(department=department).order_by("-name").first()
        assert marked is not None
        Person.objects.filter(pk=marked.pk).update(is_ambassador=True)
        wave = next(w for w in waves if w.kind != "pilot" and department in w.departments)
    assert count > queries.AMBASSADORS_SHOWN
    with scopes_disabled():
        (group,) = queries.ambassadors(cast.project, [department])
    assert group.shown[0] == marked and len(group.shown) == queries.AMBASSADORS_SHOWN
    page = cast.login(cast.guest).get(rollout_url(cast, "rollout:wave", wave=wave.pk))
    assert f"and {count - queries.AMBASSADORS_SHOWN} more pilot users in {department}" in (
        page.content.decode()
    )


def test_the_first_rings_people_are_paged_by_key_and_left_out_from_one_form(cast) -> None:
    import_people(cast.client, 120)
    with scopes_disabled():
        desk = list(Person.objects.exclude(department="IT").order_by("key")[:30])
        Person.objects.filter(pk__in=[p.pk for p in desk]).update(
            job_title="Servicedesk medewerker"
        )
        selection.first_ring_refresh(project=cast.project)
    web = cast.login(cast.owner)
    url = rollout_url(cast, "rollout:pilot")
    web.get(url)
    with CaptureQueriesContext(connection) as first_page:
        first = web.get(url).content.decode()
    table = first.split('<table class="table ring-people">')[1].split("</table>")[0]
    assert table.count("<tr>") == 26  # the header and 25 people
    assert first.count('name="action" value="remove_person"') == 1  # one form for the list
    following = re.search(r'href="(\?ring=[^"]+)#ring-people-h" rel="next"', first)
    assert following, "a link to the next page of the first ring"
    with CaptureQueriesContext(connection) as deep:
        second = web.get(url + unescape(following[1])).content.decode()
    assert len(deep) == len(first_page)
    table = second.split('<table class="table ring-people">')[1].split("</table>")[0]
    assert table.count("<tr>") == 6  # the header and the last 5
    shown = set(re.findall(r'name="value" value="([^"]+)"', first + second))
    assert {p.key for p in desk} <= shown
    web.post(
        rollout_url(cast, "rollout:first_ring"), {"action": "remove_person", "value": desk[0].key}
    )
    with scopes_disabled():
        assert desk[0].key in queries.ring_choice(cast.project).remove_people
    tampered = web.get(url + "?ring=not-a-cursor", follow=True).content.decode()
    assert (
        "That page link no longer works" in tampered or "Die paginalink werkt niet meer" in tampered
    )


def test_the_rings_departments_are_kept_and_counted_again_when_people_change(cast) -> None:
    import_people(cast.client, 60)
    with scopes_disabled():
        selection.first_ring_refresh(project=cast.project)
        member = Person.objects.filter(department="IT").order_by("key").first()
    assert member is not None
    web = cast.login(cast.owner)
    url = rollout_url(cast, "rollout:pilot")
    web.get(url)  # counts the ring's departments and keeps them
    with CaptureQueriesContext(connection) as again:
        page = web.get(url).content.decode()
    assert not [
        q for q in again.captured_queries if "GROUP BY" in q["sql"] and "reason" in q["sql"]
    ]
    assert "<td>IT</td>" in page
    with scopes_disabled():
        Person.objects.filter(pk=member.pk).update(
            department="ICT-beheer", updated_at=timezone.now()
        )
    page = web.get(url).content.decode()
    assert "<td>ICT-beheer</td>" in page


def test_the_boards_charts_say_their_key_figures_and_have_their_figures_as_tables(cast) -> None:
    waves = _plan(cast, 60)
    web = cast.login(cast.viewer)
    page = web.get(rollout_url(cast), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    planned = sum(wave.size for wave in waves)
    assert f"Planned: {planned} people live by" in page
    table = page.split('<details class="chart-table">')[1].split("</details>")[0]
    assert '<th scope="col">Planned</th><th scope="col">Live</th>' in table
    last_row = table.split("<tr>")[-1]
    assert f"<td>{planned}</td>" in last_row  # the running total reaches everyone planned
    assert 'class="chart-figure" tabindex="0"' in page
