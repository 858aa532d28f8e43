"""Importing a plan file into a project's plan, and exporting it: services, pages, commands."""

import json
import re
from dataclasses import replace
from datetime import date
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from koers.core.errors import KoersError
from koers.projects.models import ScopeItem
from koers.roadmap import services
from koers.roadmap.forms import DRAFT_SALT, sign_draft
from koers.roadmap.models import Milestone, Phase
from koers.roadmap.queries import plan_as_mspdi
from tests.factories import make_project

from .conftest import make_phase
from .planfile_samples import jira, mspdi, mspdi_task

PLAN = mspdi(
    [
        mspdi_task(1, "Verkenning", 1, "2027-03-15", "2027-04-09", summary=True, cost="2000000"),
        mspdi_task(2, "Interviews", 2, "2027-03-15", "2027-04-09", cost="2000000"),
        mspdi_task(3, "Pilot loket", 1, "2027-04-12", "2027-06-04", cost="4000000", links=[(2, 1)]),
        mspdi_task(4, "Livegang pilot", 1, "2027-06-07", "2027-06-07", milestone=True),
    ]
)
SCOPE = jira(
    [
        "Must have,W2-1,100,Epic,To Do,Medium,,,,,,",
        "Inloggen met DigiD,W2-3,102,Story,To Do,Medium,,,,,100,Must have",
    ]
)


def url(name: str, project: str = "cloud") -> str:
    return reverse(f"roadmap:{name}", args=["acme", project])


def upload(data: bytes = PLAN, name: str = "plan.xml") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def saved(cast) -> list[tuple[str, date, int, Decimal, str | None]]:
    with scopes_disabled():
        return [
            (p.title, p.start_month, p.weeks, p.budget, p.builds_on.title if p.builds_on else None)
            for p in Phase.objects.filter(project=cast.project).select_related("builds_on")
        ]


# The service.


def test_the_import_adds_phases_links_milestones_and_scope_items(cast):
    with scope(workspace=cast.workspace):
        draft = services.plan_file_read(PLAN, "plan.xml")
        added = services.plan_import(project=cast.project, actor=cast.member, draft=draft)
        scope_draft = services.plan_file_read(SCOPE, "jira.csv")
        services.plan_import(project=cast.project, actor=cast.member, draft=scope_draft)
        milestone = Milestone.objects.get(project=cast.project)
        items = list(ScopeItem.objects.filter(project=cast.project).values_list("title", "column"))
    assert added == {"phases": 2, "milestones": 1, "scope_items": 0}
    assert saved(cast) == [
        ("Verkenning", date(2027, 3, 1), 4, Decimal(20000), None),
        ("Pilot loket", date(2027, 4, 1), 8, Decimal(40000), "Verkenning"),
    ]
    assert (milestone.title, milestone.kind, milestone.on) == (
        "Livegang pilot",
        "live",
        date(2027, 6, 7),
    )
    assert ("Inloggen met DigiD", "in") in items


def test_a_phase_the_plan_refuses_saves_nothing(cast, english):
    with scope(workspace=cast.workspace):
        draft = services.plan_file_read(PLAN, "plan.xml")
    broken = replace(draft, phases=(draft.phases[0], replace(draft.phases[1], title=" ")))
    with scope(workspace=cast.workspace), pytest.raises(KoersError, match="Give the phase a title"):
        services.plan_import(project=cast.project, actor=cast.member, draft=broken)
    assert saved(cast) == []


def test_an_unreadable_file_is_a_koers_error_on_the_file_field(english):
    with pytest.raises(KoersError, match="row 2") as caught:
        services.plan_file_read(b"name,start,end\nBouw,morgen,2027-01-01\n", "p.csv")
    assert caught.value.field == "file"


def test_the_export_reads_back_as_the_same_plan(cast):
    first = make_phase(cast.project, title="Offertetool", start_month=date(2027, 2, 1), weeks=8)
    make_phase(
        cast.project,
        title="Orderportaal",
        start_month=date(2027, 4, 1),
        weeks=10,
        budget=Decimal("33333.33"),
        builds_on=first,
    )
    with scope(workspace=cast.workspace):
        draft = services.plan_file_read(plan_as_mspdi(cast.project), "export.xml")
    assert [(p.title, p.start_month, p.weeks, p.budget) for p in draft.phases] == [
        ("Offertetool", date(2027, 2, 1), 8, Decimal(25000)),
        ("Orderportaal", date(2027, 4, 1), 10, Decimal("33333.33")),
    ]
    assert draft.phases[1].builds_on == draft.phases[0].ref


# The pages.


def review_post(page: str, **changes: str) -> dict[str, Any]:
    """The review form as the browser would send it back, from the page's own fields."""
    data: dict[str, Any] = dict(
        re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page)
    )
    for match in re.finditer(
        r'<input type="(?:text|number|month)" name="([^"]+)" value="([^"]*)"', page
    ):
        data[match[1]] = match[2]
    for match in re.finditer(
        r'<input type="checkbox" name="(phase-\d+-include)"[^>]*checked', page
    ):
        data[match[1]] = "on"
    milestones = re.findall(r'name="milestones" value="([^"]+)"[^>]*checked', page)
    return data | {"milestones": milestones, **changes}


def test_member_uploads_adjusts_and_saves_a_plan(cast):
    web = cast.login(cast.member)
    page = web.post(url("plan_import"), {"file": upload()}, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Verkenning" in text and "Pilot loket" in text and "No KPI" in text
    assert saved(cast) == []  # nothing before the user accepts
    data = review_post(text, **{"phase-1-title": "Pilot digitale balie", "phase-1-budget": "45000"})
    checked = web.post(url("plan_import_review"), data | {"check": "1"}, HTTP_ACCEPT_LANGUAGE="en")
    assert checked.status_code == 200 and "Pilot digitale balie" in checked.content.decode()
    assert saved(cast) == []
    data.pop("phase-0-include", None)  # leave the first phase out
    response = web.post(url("plan_import_review"), data | {"save": "1"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    assert saved(cast) == [("Pilot digitale balie", date(2027, 4, 1), 8, Decimal(45000), None)]
    with scopes_disabled():
        assert Milestone.objects.filter(project=cast.project).count() == 1


def test_an_unreadable_upload_says_why_on_the_form(cast):
    web = cast.login(cast.member)
    page = web.post(
        url("plan_import"), {"file": upload(b"", "leeg.csv")}, HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "The submitted file is empty." in page or "The file is empty." in page
    page = web.post(
        url("plan_import"),
        {"file": upload(b"<!DOCTYPE x [<!ENTITY a 'b'>]><Project>&a;</Project>")},
        HTTP_ACCEPT_LANGUAGE="en",
    ).content.decode()
    assert "XML entities" in page


def test_a_changed_or_foreign_draft_is_refused(cast):
    web = cast.login(cast.member)
    text = web.post(url("plan_import"), {"file": upload()}).content.decode()
    data = review_post(text)
    tampered = data | {"draft": data["draft"][:-2] + "xx", "save": "1"}
    response = web.post(url("plan_import_review"), tampered)
    assert response.status_code == 302 and response["Location"].endswith("/import/")
    # A draft signed for another user, or for another project, is no good either.
    with scopes_disabled():
        other = make_project(cast.client, slug="andere")
        draft = services.plan_file_read(PLAN, "plan.xml")
    for token in (
        sign_draft(draft, project=cast.project, user_pk=cast.owner.pk),
        sign_draft(draft, project=other, user_pk=cast.member.pk),
    ):
        response = web.post(url("plan_import_review"), data | {"draft": token, "save": "1"})
        assert response.status_code == 302
    # More phase forms than the draft has phases.
    response = web.post(url("plan_import_review"), data | {"phase-TOTAL_FORMS": "1", "save": "1"})
    assert response.status_code == 200
    assert saved(cast) == []


def test_only_members_with_edit_rights_import(cast):
    for user, status in ((cast.viewer, 403), (cast.guest, 404), (cast.outsider, 404)):
        web = cast.login(user)
        assert web.get(url("plan_import")).status_code == status
        assert web.post(url("plan_import"), {"file": upload()}).status_code == status
        assert web.post(url("plan_import_review"), {"save": "1"}).status_code == status
    assert saved(cast) == []


def test_the_plan_downloads_as_ms_project_xml_for_guests_too(cast):
    make_phase(cast.project)
    response = cast.login(cast.guest).get(url("plan_mspdi"))
    assert response.status_code == 200 and response["Content-Type"] == "application/xml"
    assert b"<Name>Offertetool</Name>" in response.content
    assert cast.login(cast.outsider).get(url("plan_mspdi")).status_code == 404


# The commands.


def test_import_plan_dry_run_prints_the_draft_and_writes_nothing(cast, tmp_path):
    path = tmp_path / "plan.xml"
    path.write_bytes(PLAN)
    out = StringIO()
    call_command("import_plan", "acme/cloud", str(path), "--dry-run", "--json", stdout=out)
    document = json.loads(out.getvalue())
    assert document["source"] == "mspdi" and document["added"] is None
    assert [p["title"] for p in document["phases"]] == ["Verkenning", "Pilot loket"]
    assert {f["rule"] for f in document["findings"]} >= {"no-kpi", "no-standalone-value"}
    assert saved(cast) == []
    out = StringIO()
    call_command("import_plan", "acme/cloud", str(path), stdout=out)
    assert "Added 2 phase(s), 1 milestone(s)" in out.getvalue()
    assert len(saved(cast)) == 2


def test_import_plan_says_why_a_file_cannot_be_read(cast, tmp_path):
    path = tmp_path / "plan.csv"
    path.write_bytes(b"name;start;end\nBouw;2027-01-01;gisteren\n")
    # In the project's language (Dutch here): row, field and value.
    with pytest.raises(CommandError, match="rij 2, veld end, waarde “gisteren”"):
        call_command("import_plan", "acme/cloud", str(path), stdout=StringIO())
    with pytest.raises(CommandError, match="no such file"):
        call_command("import_plan", "acme/cloud", str(tmp_path / "none.xml"), stdout=StringIO())


def test_export_plan_writes_ms_project_xml(cast, tmp_path):
    make_phase(cast.project)
    target = tmp_path / "out.xml"
    call_command("export_plan", "acme/cloud", "--output", str(target))
    with scope(workspace=cast.workspace):
        draft = services.plan_file_read(target.read_bytes(), "out.xml")
    assert [p.title for p in draft.phases] == ["Offertetool"]


def test_a_draft_that_no_longer_fits_is_refused_not_a_server_error(cast):
    token = signing.dumps(
        {"source": "csv"}, salt=f"{DRAFT_SALT}:{cast.project.pk}:{cast.member.pk}", compress=True
    )
    response = cast.login(cast.member).post(url("plan_import_review"), {"draft": token})
    assert response.status_code == 302 and response["Location"].endswith("/import/")
