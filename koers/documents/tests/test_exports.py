"""The calendar feed behind a revocable link, and the plan as XLSX."""

import re
from io import BytesIO

from django.test import Client as WebClient
from django.urls import reverse
from django_scopes import scope, scopes_disabled
from icalendar import Calendar
from openpyxl import load_workbook

from koers.core.spreadsheets import safe
from koers.population import services as people
from koers.population.tests.factories import csv_bytes, people_rows
from koers.roadmap import services
from koers.roadmap.models import ShareLink
from koers.rollout import steering


def test_calendar_feed_lists_phases_and_milestones_until_revoked(cast, plan):
    with scope(workspace=cast.workspace):
        link, token = services.share_link_create(
            project=cast.project, actor=cast.owner, kind=ShareLink.Kind.CALENDAR
        )
    web = cast.login(cast.outsider)
    web.logout()
    feed = reverse("plan_feed", args=[token])
    response = web.get(feed)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    summaries = [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")]
    assert len(summaries) == 6
    assert any("Fase 1" in s for s in summaries)
    assert any("Feedback 1" in s for s in summaries)
    uids = {str(e["UID"]) for e in calendar.walk("VEVENT")}
    assert len(uids) == 6
    # A roadmap token is not a calendar token, and a revoked link stops working.
    assert web.get(reverse("shared_roadmap", args=[token])).status_code == 404
    with scope(workspace=cast.workspace):
        services.share_link_revoke(link=link, actor=cast.owner)
    assert web.get(feed).status_code == 404


def test_xlsx_export_has_every_phase_kpi_and_milestone(cast, plan):
    with scope(workspace=cast.workspace):
        services.phase_update(phase=plan[0], actor=None, title='=HYPERLINK("x")')
    response = cast.login(cast.viewer).get(reverse("documents:plan_xlsx", args=["acme", "cloud"]))
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.content))
    phases, kpis, milestones = book.worksheets
    assert phases.max_row == 4 and kpis.max_row == 7 and milestones.max_row == 4
    assert phases["B2"].value == '=HYPERLINK("x")' and phases["B2"].data_type == "s"
    assert phases["I2"].value == 25000


def test_formula_like_cells_are_prefixed():
    for value in ["=1+1", "+31", "-2", "@SUM", "\tx", "\rx"]:
        assert safe(value) == "'" + value
    assert safe("Offerte") == "Offerte"
    assert safe(-2) == -2


def test_outsider_cannot_export(cast, plan):
    web = cast.login(cast.outsider)
    assert web.get(reverse("documents:plan_xlsx", args=["acme", "cloud"])).status_code == 404
    with scopes_disabled():
        assert not ShareLink.objects.exists()


def test_every_pdf_is_tagged_for_screen_readers_in_the_projects_language(cast, plan, tmp_path):
    """PDF/UA: a structure tree, marked content and the document's language (EN 301 549)."""
    import subprocess

    web = cast.login(cast.member)
    for name in (
        "documents:proposal",
        "documents:decision_log_pdf",
        "documents:closing_report",
        "pulse:report_pdf",
    ):
        response = web.get(reverse(name, args=["acme", "cloud"]))
        assert response.status_code == 200, name
        path = tmp_path / "file.pdf"
        path.write_bytes(response.content)
        info, meta = (
            subprocess.run(["pdfinfo", *flag, str(path)], capture_output=True, text=True).stdout
            for flag in ([], ["-meta"])
        )
        assert re.search(r"Tagged:\s+yes", info), (name, info)
        assert 'pdfuaid:part="1"' in meta, name  # declares PDF/UA-1
        assert re.search(r"Title:\s+\S+: Naar de cloud", info), name


def test_the_wave_calendar_is_a_feed_whose_events_stay_when_the_waves_are_planned_again(cast):
    with scope(workspace=cast.workspace):
        _link, token = services.share_link_create(
            project=cast.project, actor=cast.owner, kind=ShareLink.Kind.WAVES
        )
    web = WebClient()
    feed = reverse("waves_feed", args=[token])
    # No waves yet: still a calendar every client reads (RFC 5545 wants one component).
    empty = web.get(feed)
    assert empty.status_code == 200 and empty["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(empty.content)
    assert not calendar.walk("VEVENT") and calendar.walk("VTIMEZONE")

    with scopes_disabled():
        parsed, _m, _k = people.read_people(csv_bytes(people_rows(30)), "p.csv")
        people.people_import(client=cast.client, actor=None, rows=parsed)
        steering.rollout_update(project=cast.project, actor=None, capacity=10)
        steering.waves_plan(project=cast.project, actor=None)
    first = {str(e["UID"]) for e in Calendar.from_ical(web.get(feed).content).walk("VEVENT")}
    with scopes_disabled():
        steering.waves_plan(project=cast.project, actor=None)  # new wave rows, same numbers
    again = {str(e["UID"]) for e in Calendar.from_ical(web.get(feed).content).walk("VEVENT")}
    assert len(first) >= 2 and first == again
    # A plan feed's token is not a wave feed's.
    assert web.get(reverse("plan_feed", args=[token])).status_code == 404
