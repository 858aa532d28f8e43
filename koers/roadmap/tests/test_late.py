"""Late is late: a phase past its end that is not done says so on every face; an empty plan
in delivery is a guardrail finding, not "all met"."""

import json
import subprocess
from datetime import date, timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from koers.api.tests.test_roadmap_api import Api
from koers.projects.models import Project
from koers.pulse import report

from .conftest import make_phase


def months_ago(months: int) -> date:
    today = timezone.localdate().replace(day=1)
    year, month = divmod(today.month - 1 - months, 12)
    return date(today.year + year, month + 1, 1)


@pytest.fixture
def mixed(cast: Any) -> dict[str, Any]:
    """One phase late (ended months ago, still active), one done, one still running."""
    return {
        "late": make_phase(
            cast.project, title="Offertetool", start_month=months_ago(8), status="active"
        ),
        "done": make_phase(
            cast.project, title="Bestelportaal", start_month=months_ago(6), status="done"
        ),
        "running": make_phase(
            cast.project, title="Facturatie", start_month=months_ago(1), weeks=12, status="active"
        ),
    }


def english(web: Any) -> Any:
    web.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return web


def deliver(project: Project) -> None:
    with scopes_disabled():
        project.status = Project.Status.DELIVERY
        project.save()


def test_the_plan_page_marks_the_late_phase_and_counts_it(cast, mixed):
    page = english(cast.login(cast.member)).get(reverse("roadmap:plan", args=["acme", "cloud"]))
    html = page.content.decode()
    assert "1 phase past its end and not done" in html
    assert html.count('<span class="badge bad">Late</span>') == 1
    assert "its last day was" in html


def test_the_roadmap_draws_the_late_phase_and_lists_it_as_late(cast, mixed):
    page = english(cast.login(cast.guest)).get(reverse("roadmap:roadmap", args=["acme", "cloud"]))
    html = page.content.decode()
    assert "⚠ late" in html
    assert "1 phase is late." in html
    # In the list under the drawing: only "Offertetool"; the running phase is not late.
    assert html.count('<span class="badge bad">Active, late</span>') == 1


def test_overview_and_dashboard_show_late_phases(cast, mixed):
    web = english(cast.login(cast.viewer))
    overview = web.get(reverse("projects:overview", args=["acme", "cloud"])).content.decode()
    assert "1 phase is past its end and not done" in overview
    assert "Offertetool" in overview and "Facturatie" not in overview
    dashboard = web.get(reverse("workspaces:dashboard", args=["acme"])).content.decode()
    assert "1 phase late" in dashboard


def test_an_empty_plan_in_delivery_is_a_finding_everywhere(cast):
    web = english(cast.login(cast.member))
    plan_url = reverse("roadmap:plan", args=["acme", "cloud"])
    assert "all met" in web.get(plan_url).content.decode()  # intake: no plan expected yet
    deliver(cast.project)
    plan = web.get(plan_url).content.decode()
    assert "all met" not in plan
    assert "No phases while delivering" in plan
    dashboard = web.get(reverse("workspaces:dashboard", args=["acme"])).content.decode()
    assert "no phases" in dashboard
    overview = web.get(reverse("projects:overview", args=["acme", "cloud"])).content.decode()
    assert "its plan has no phases" in overview
    guardrails = Api(cast.member).get("/guardrails").json()
    assert guardrails["ok"] is False
    assert [f["rule"] for f in guardrails["findings"]] == ["empty-plan"]
    out = StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("check_plan", "acme/cloud", "--json", stdout=out)
    assert exit_.value.code == 1
    assert json.loads(out.getvalue())["errors"] == 1


def test_api_and_command_name_the_late_phases(cast, mixed):
    api = Api(cast.member)
    late = {p["title"]: p["is_late"] for p in api.get("/phases").json()["items"]}
    assert late == {"Offertetool": True, "Bestelportaal": False, "Facturatie": False}
    assert api.get("/guardrails").json()["late_phases"] == [mixed["late"].pk]
    out = StringIO()
    call_command("check_plan", "acme/cloud", "--json", stdout=out)
    assert json.loads(out.getvalue())["late_phases"] == ["Offertetool"]


def test_the_status_report_says_which_phase_is_late(cast, mixed, tmp_path: Path):
    with scopes_disabled():
        cast.project.language = "en"
        cast.project.save()
    html = cast.login(cast.member).get(reverse("pulse:report", args=["acme", "cloud"]))
    body = html.content.decode()
    assert "1 phase is past its end and not done." in body
    assert body.count(', <strong class="late">late</strong>') == 1
    with scope(workspace=cast.workspace):
        pdf = report.render_pdf(cast.project)
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True)
    words = " ".join(text.stdout.decode().split())
    assert "Active, late" in words
    assert "1 phase is past its end and not done." in words


def test_a_phase_is_not_late_on_its_last_day(cast):
    start = months_ago(0)
    last_day = start + timedelta(weeks=4) - timedelta(days=1)
    phase = make_phase(cast.project, start_month=start, weeks=4, status="active")
    assert not phase.is_late_on(last_day)
    assert phase.is_late_on(last_day + timedelta(days=1))
