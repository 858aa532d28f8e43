"""Pages: the import steps and the people list, in a member's browser without JavaScript;
the people page's query count does not grow with the data."""

import html
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scopes_disabled

from koers.population.models import ImportRun, Person
from koers.population.tests.factories import csv_bytes, import_people, people_rows

pytestmark = pytest.mark.django_db


def people_url(cast, name: str = "people:list", **kwargs) -> str:
    return reverse(name, kwargs={"workspace": "acme", "client": "bakkerij", **kwargs})


def test_a_csv_goes_through_the_mapping_step_into_the_people_list(cast) -> None:
    web = cast.login(cast.member)
    data = b"\xef\xbb\xbf" + csv_bytes(people_rows(12), delimiter=";")
    response = web.post(
        people_url(cast, "people:import"), {"file": SimpleUploadedFile("hr.csv", data)}
    )
    with scopes_disabled():
        run = ImportRun.objects.get()
    assert response["Location"] == people_url(cast, "people:import_run", run=run.pk)
    page = web.get(response["Location"]).content.decode()
    assert "CSV, UTF-8 (BOM), separated by semicolon · 12 rows" in page
    assert '<option value="Afdeling" selected>' in page
    form = {f"map_{f}": c for f, c in run.mapping.items()}
    response = web.post(people_url(cast, "people:import_run", run=run.pk), form)
    assert response.status_code == 302
    with scopes_disabled():
        run.refresh_from_db()
        assert (run.status, run.created) == ("done", 12)
    assert "Medewerker 3" in web.get(people_url(cast)).content.decode()


def test_errors_in_the_file_are_listed_with_row_column_and_value(cast) -> None:
    rows = people_rows(3)
    rows[2][0] = rows[0][0]
    web = cast.login(cast.member)
    web.post(
        people_url(cast, "people:import"), {"file": SimpleUploadedFile("hr.csv", csv_bytes(rows))}
    )
    with scopes_disabled():
        run = ImportRun.objects.get()
    form = {f"map_{f}": c for f, c in run.mapping.items()}
    page = web.post(
        people_url(cast, "people:import_run", run=run.pk), form, follow=True
    ).content.decode()
    assert "Nothing was imported" in page
    assert re.search(r"<td>4</td><td>Personeelsnummer</td><td><code>1000</code></td>", page)
    with scopes_disabled():
        assert not Person.objects.exists()


def test_a_file_over_the_limit_is_refused_stating_the_limit(cast, settings) -> None:
    settings.UPLOAD_LIMIT_MB = 1
    web = cast.login(cast.member)
    big = SimpleUploadedFile("hr.csv", b"a,b\r\n" + b"1,2\r\n" * 300_000)
    page = web.post(people_url(cast, "people:import"), {"file": big}).content.decode()
    assert "up to 1 MB" in page or "larger than 1 MB" in page
    with scopes_disabled():
        assert not ImportRun.objects.exists()


def test_the_people_page_pages_with_a_fixed_number_of_queries(cast) -> None:
    web = cast.login(cast.viewer)
    import_people(cast.client, 10)
    web.get(people_url(cast))  # the first visit stores the current workspace in the session
    with CaptureQueriesContext(connection) as small:
        assert web.get(people_url(cast)).status_code == 200
    import_people(cast.client, 400, seed=2)
    with CaptureQueriesContext(connection) as large:
        page = web.get(people_url(cast)).content.decode()
    assert len(large) == len(small)
    assert 'rel="next"' in page and "First page" not in page


def test_the_people_page_goes_on_by_key_to_the_last_person_without_offset(cast) -> None:
    web = cast.login(cast.viewer)
    import_people(cast.client, 120)
    url, seen, queries = people_url(cast), [], []
    while url:
        with CaptureQueriesContext(connection) as captured:
            page = web.get(url).content.decode()
        queries.append(len(captured))
        assert not any("OFFSET" in q["sql"] for q in captured.captured_queries)
        seen += re.findall(r"<tr>\s*<td>(\d+)</td>", page)
        following = re.search(r'href="(\?[^"]*)" rel="next"', page)
        url = people_url(cast) + html.unescape(following[1]) if following else ""
    with scopes_disabled():
        expected = list(Person.objects.order_by("name", "key").values_list("key", flat=True))
    assert seen == expected and len(seen) == 120
    assert len(set(queries[1:])) == 1  # every later page the same number of queries
    assert "First page" in page


def test_a_changed_page_link_starts_again_at_the_first_page(cast) -> None:
    import_people(cast.client, 60)
    web = cast.login(cast.viewer)
    response = web.get(people_url(cast) + "?cursor=made-up", headers={"accept-language": "en"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "That page link no longer works" in page and 'rel="next"' in page


def _second_page(web, cast) -> tuple[str, list[int]]:
    first = web.get(people_url(cast)).content.decode()
    following = re.search(r'href="(\?[^"]*)" rel="next"', first)
    assert following
    url = people_url(cast) + html.unescape(following[1])
    ids = [
        int(i) for i in re.findall(r'name="person" value="(\d+)"', web.get(url).content.decode())
    ]
    return url, ids


def test_a_member_marks_several_people_in_one_save_and_comes_back_to_the_same_page(cast) -> None:
    import_people(cast.client, 80)
    web = cast.login(cast.member)
    url, ids = _second_page(web, cast)
    ticked = ids[:3]

    response = web.post(
        people_url(cast, "people:marks"),
        {
            "person": ticked,
            "mark": "ambassador",
            "give": "1",
            "next": url.removeprefix("http://testserver"),
        },
    )

    assert response["Location"] == url + "#people"
    page = web.get(response["Location"]).content.decode()
    assert "Marked 3 people as “ambassador”." in page
    assert page.count('<span class="badge">ambassador</span>') == 3
    with scopes_disabled():
        assert set(Person.objects.filter(is_ambassador=True).values_list("pk", flat=True)) == set(
            ticked
        )
    web.post(
        people_url(cast, "people:marks"), {"person": ticked[:1], "mark": "ambassador", "give": "0"}
    )
    with scopes_disabled():
        assert Person.objects.filter(is_ambassador=True).count() == 2


def test_marking_takes_the_same_queries_for_three_people_as_for_fifty(cast) -> None:
    import_people(cast.client, 60)
    web = cast.login(cast.member)
    with scopes_disabled():
        ids = list(Person.objects.values_list("pk", flat=True))
    web.get(people_url(cast))  # the first visit stores the current workspace in the session
    counts = []
    for ticked in (ids[:3], ids[:50]):
        with CaptureQueriesContext(connection) as captured:
            web.post(
                people_url(cast, "people:marks"),
                {"person": ticked, "mark": "well_known", "give": "1"},
            )
        counts.append(len(captured))
    assert counts[0] == counts[1]
    with scopes_disabled():
        assert Person.objects.filter(is_well_known=True).count() == 50


def test_marks_reach_only_this_clients_people_and_only_for_members(cast) -> None:
    import_people(cast.client, 5)
    import_people(cast.other_client, 5, seed=3)
    with scopes_disabled():
        theirs = list(Person.objects.filter(client=cast.other_client).values_list("pk", flat=True))
        mine = list(Person.objects.filter(client=cast.client).values_list("pk", flat=True))
    post = {"person": mine[:1] + theirs, "mark": "constructive", "give": "1"}

    assert cast.login(cast.viewer).post(people_url(cast, "people:marks"), post).status_code == 403
    assert cast.login(cast.outsider).post(people_url(cast, "people:marks"), post).status_code == 404
    response = cast.login(cast.member).post(people_url(cast, "people:marks"), post, follow=True)

    assert "Marked 1 person as “constructive”." in response.content.decode()
    with scopes_disabled():
        assert (
            list(Person.objects.filter(is_constructive=True).values_list("pk", flat=True))
            == mine[:1]
        )


@pytest.mark.parametrize(
    ("post", "message"),
    [
        ({"mark": "ambassador", "give": "1"}, "Tick at least one person."),
        ({"person": ["x"], "mark": "ambassador", "give": "1"}, "Tick people in the list."),
        ({"person": ["1"], "mark": "boss", "give": "1"}, "Select a valid choice."),
    ],
)
def test_a_mark_without_people_or_with_an_unknown_mark_changes_nothing(cast, post, message) -> None:
    import_people(cast.client, 3)
    response = cast.login(cast.member).post(people_url(cast, "people:marks"), post, follow=True)
    assert message in response.content.decode()
    with scopes_disabled():
        assert not Person.objects.filter(is_ambassador=True).exists()
