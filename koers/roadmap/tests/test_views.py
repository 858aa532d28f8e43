"""Plan pages: access for the cast, forms with field errors, deviations, fixed query counts."""

import io
import re
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client as WebClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scope, scopes_disabled
from PIL import Image

from koers.roadmap import services
from koers.roadmap.guardrails import Rule
from koers.roadmap.models import Deviation, Phase, PlanRevision, ShareLink
from koers.roadmap.queries import plan_state

from .conftest import make_phase, make_plan

PAGES = ["plan", "roadmap", "revisions"]
# Session, user, membership, project, limits, phases, KPIs, milestones, deviations, latest
# revision, the workspace switcher; the revisions page adds the list of revisions.
# The roadmap asks for the rollout drawn under its phase: one query more than the plan.
# The revisions page asks for the numbers (to compare any two) and then one page of them.
# The plan's 11, 1 for the client's vision, and 1 for the landscape panel (which phases change
# which system).
QUERY_LIMITS = {"plan": 13, "roadmap": 13, "revisions": 14}


def url(name: str, *args: object) -> str:
    return reverse(f"roadmap:{name}", args=["acme", "cloud", *args])


# The first KPI row left as the form shows it: empty, with the default direction.
EMPTY_KPI = {f"kpi-0-{name}": "" for name in ("name", "unit", "baseline", "baseline_on", "target")}


def phase_post(**fields: object) -> dict[str, object]:
    data: dict[str, object] = {
        "title": "Offertetool",
        "goal": "Sneller offreren",
        "standalone_value": "Offertes in minuten",
        "vision_horizon": "24",
        "vision_contribution": "Order-to-cash",
        "start_month": "2025-02",
        "weeks": "8",
        "budget": "25000",
        "status": "planned",
        "builds_on": "",
        "kpi-TOTAL_FORMS": "1",
        "kpi-INITIAL_FORMS": "0",
        "kpi-MIN_NUM_FORMS": "0",
        "kpi-MAX_NUM_FORMS": "10",
        "kpi-0-name": "Tijd per offerte",
        "kpi-0-unit": "min",
        "kpi-0-direction": "lower",
        "kpi-0-baseline": "50",
        "kpi-0-baseline_on": "2025-01-10",
        "kpi-0-target": "20",
        "kpi-0-actual": "",
        "kpi-0-actual_on": "",
    }
    data.update(fields)
    return data


@pytest.mark.parametrize("name", PAGES)
def test_outsider_gets_404_and_guest_and_viewer_can_read(cast, plan, name):
    assert cast.login(cast.outsider).get(url(name)).status_code == 404
    assert cast.login(cast.viewer).get(url(name)).status_code == 200
    assert cast.login(cast.guest).get(url(name)).status_code == 200


def test_viewer_cannot_change_the_plan(cast, plan):
    viewer = cast.login(cast.viewer)
    assert viewer.get(url("phase_create")).status_code == 403
    assert viewer.post(url("phase_create"), phase_post()).status_code == 403
    assert viewer.post(url("phase_remove", plan[0].pk)).status_code == 403
    assert viewer.post(url("revision_record"), {"reason": "x"}).status_code == 403
    assert viewer.get(url("sharing")).status_code == 403
    with scopes_disabled():
        assert Phase.objects.filter(project=cast.project).count() == 3


def test_outsider_gets_404_on_every_change(cast, plan):
    outsider = cast.login(cast.outsider)
    assert outsider.post(url("phase_create"), phase_post()).status_code == 404
    assert outsider.post(url("phase_remove", plan[0].pk)).status_code == 404
    assert outsider.get(reverse("roadmap_limits", args=["acme"])).status_code == 404


def test_member_adds_a_phase_with_its_kpi(cast):
    web = cast.login(cast.member)
    response = web.post(url("phase_create"), phase_post(), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    with scope(workspace=cast.workspace):
        phase = cast.project.phases.get()
        assert phase.start_month == date(2025, 2, 1)
        assert phase.kpis.get().target == Decimal(20)
    page = web.get(url("plan"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Offertetool" in page and "Tijd per offerte" in page
    assert "The plan is being made: the project moved on to planning." in page


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"budget": "-5"}, "The budget cannot be negative."),
        ({"weeks": "0"}, "A phase lasts at least 1 and at most 260 weeks."),
        ({"kpi-0-target": "50"}, "The target equals the baseline"),
        ({"kpi-0-actual": "10", "kpi-0-actual_on": "2024-12-01"}, "measured before the baseline"),
        (EMPTY_KPI, "at least one KPI"),
        ({"kpi-0-name": ""}, "This field is required."),
    ],
)
def test_bad_input_is_shown_on_the_form_and_nothing_is_saved(cast, fields, message):
    web = cast.login(cast.member)
    response = web.post(url("phase_create"), phase_post(**fields), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert message in response.content.decode()
    with scopes_disabled():
        assert not Phase.objects.filter(project=cast.project).exists()


def kpi_row(number: int, name: str) -> dict[str, str]:
    return {
        f"kpi-{number}-name": name,
        f"kpi-{number}-unit": "min",
        f"kpi-{number}-direction": "lower",
        f"kpi-{number}-baseline": "40",
        f"kpi-{number}-target": "10",
    }


def test_several_kpis_are_added_in_one_save_and_empty_rows_are_left_out(cast):
    web = cast.login(cast.member)
    form = web.get(url("phase_create")).content.decode()
    assert form.count('name="kpi-2-name"') == 1  # three empty rows to fill in
    data = phase_post(
        **{"kpi-TOTAL_FORMS": "3", **kpi_row(1, "Fouten per offerte"), "kpi-2-direction": "lower"}
    )

    assert web.post(url("phase_create"), data).status_code == 302

    with scope(workspace=cast.workspace):
        names = sorted(cast.project.phases.get().kpis.values_list("name", flat=True))
    assert names == ["Fouten per offerte", "Tijd per offerte"]


def test_a_phase_without_kpi_is_saved_with_the_reason_as_an_accepted_finding(cast):
    web = cast.login(cast.member)
    no_kpi = phase_post(**EMPTY_KPI)
    refused = web.post(url("phase_create"), no_kpi, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.context["form"].errors["no_kpi_justification"] == [
        "Give the phase at least one KPI: how will we know it worked? Or write here why it "
        "has none."
    ]

    reason = "Een wettelijke verplichting: niets te meten."
    response = web.post(url("phase_create"), no_kpi | {"no_kpi_justification": reason})

    assert response.status_code == 302
    with scope(workspace=cast.workspace):
        phase = cast.project.phases.get()
        deviation = cast.project.deviations.get()
        assert not phase.kpis.exists()
        assert (deviation.rule, deviation.subject) == ("no-kpi", phase.key)
        assert deviation.justification == reason and deviation.accepted_by == cast.member
    page = web.get(url("plan"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert reason in page and "deviation accepted" in page
    # Accepted once, the phase is changed without a KPI and without asking again.
    again = web.post(url("phase", phase.pk), no_kpi | {"title": "Wet", "kpi-TOTAL_FORMS": "1"})
    assert again.status_code == 302


def test_a_reason_given_beside_a_kpi_accepts_nothing(cast):
    web = cast.login(cast.member)
    web.post(url("phase_create"), phase_post(no_kpi_justification="Toch maar wel een KPI"))
    with scope(workspace=cast.workspace):
        assert cast.project.phases.get().kpis.count() == 1
        assert not cast.project.deviations.exists()


def test_a_phase_that_starts_before_the_one_it_builds_on_ends_gets_a_guardrail_warning(cast):
    first = make_phase(cast.project, title="Fundament", start_month=date(2025, 2, 1), weeks=8)
    web = cast.login(cast.member)
    data = phase_post(title="Bovenbouw", start_month="2025-03", builds_on=str(first.pk))
    warning = (
        "This phase builds on Fundament, but starts before it ends (its last day is 28 Mar 2025)."
    )

    response = web.post(url("phase_create"), data, HTTP_ACCEPT_LANGUAGE="en", follow=True)

    page = response.content.decode()
    assert page.count(warning) == 1 and "Starts before what it builds on ends" in page
    web.post(
        url("phase_create"), phase_post(title="Dak", start_month="2025-04", builds_on=str(first.pk))
    )
    with scopes_disabled():
        findings = plan_state(cast.project).findings
        warned = [f.subject for f in findings if f.rule == Rule.BUILDS_ON_OVERLAP]
        assert warned == [cast.project.phases.get(title="Bovenbouw").key]


def test_changing_a_phase_edits_removes_and_adds_kpis_together(cast):
    phase = make_phase(cast.project)
    with scopes_disabled():
        kpi = phase.kpis.get()
    data = phase_post(
        title="Offertetool 2",
        **{
            "kpi-TOTAL_FORMS": "2",
            "kpi-INITIAL_FORMS": "1",
            "kpi-0-id": str(kpi.pk),
            "kpi-0-phase": str(phase.pk),
            "kpi-0-DELETE": "on",
            "kpi-1-name": "Fouten per offerte",
            "kpi-1-direction": "lower",
            "kpi-1-baseline": "4",
            "kpi-1-target": "1",
        },
    )
    response = cast.login(cast.member).post(url("phase", phase.pk), data)
    assert response.status_code == 302
    with scopes_disabled():
        phase.refresh_from_db()
        assert phase.title == "Offertetool 2"
        assert list(phase.kpis.values_list("name", flat=True)) == ["Fouten per offerte"]


def test_a_guardrail_warning_is_shown_and_accepted_with_a_visible_reason(cast):
    phase = make_phase(cast.project, weeks=14)
    web = cast.login(cast.member)
    page = web.get(url("plan"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Phase longer than the limit" in page
    assert "This phase lasts 14 weeks; the method allows at most 12." in page
    response = web.post(
        url("deviation_accept"),
        {"rule": "phase-too-long", "subject": phase.key, "justification": "Leverancier: week 14"},
    )
    # Back at the finding, not at the top of a long plan.
    anchor = f"finding-phase-too-long-{phase.key}"
    assert response["Location"] == url("plan") + "#" + anchor
    page = web.get(url("plan"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "deviation accepted" in page and "Leverancier: week 14" in page
    assert page.count(f'id="{anchor}"') == 1
    with scopes_disabled():
        deviation = Deviation.objects.get(project=cast.project)
    withdrawn = web.post(url("deviation_withdraw", deviation.pk))
    assert withdrawn["Location"] == url("plan") + "#" + anchor
    with scopes_disabled():
        assert not Deviation.objects.filter(project=cast.project).exists()


def test_accepting_a_deviation_of_another_workspace_phase_is_refused(cast):
    other = make_phase(cast.project)
    response = cast.login(cast.member).post(
        url("deviation_accept"),
        {"rule": "no-kpi", "subject": other.key + "x", "justification": "Waarom niet"},
    )
    assert response.status_code == 302
    with scopes_disabled():
        assert not Deviation.objects.exists()


def test_record_compare_and_restore_revisions(cast, plan):
    web = cast.login(cast.member)
    web.post(url("revision_record"), {"reason": "Gedeeld met de klant"})
    with scope(workspace=cast.workspace):
        services.phase_update(phase=plan[0], actor=None, weeks=10, budget=Decimal(30_000))
    page = web.get(url("plan"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Fase 1 now lasts 10 weeks instead of 8" in page
    web.post(url("revision_record"), {"reason": "Pilot: uitlogtijd veel te kort"})
    page = web.get(url("revisions") + "?a=1&b=2", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Pilot: uitlogtijd veel te kort" in page
    assert "Fase 1 re-budgeted: €25,000 → €30,000" in page
    response = web.post(url("revision_restore", 1), {"reason": ""})
    assert response.status_code == 302
    with scopes_disabled():
        assert PlanRevision.objects.filter(project=cast.project).count() == 3
        plan[0].refresh_from_db()
        assert plan[0].weeks == 8


def test_roadmap_page_draws_the_svg_with_today_and_findings(cast, plan):
    make_phase(cast.project, title="Grote ERP", weeks=78, budget=Decimal(180_000))
    page = cast.login(cast.viewer).get(url("roadmap"), HTTP_ACCEPT_LANGUAGE="en")
    body = page.content.decode()
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in body
    assert "2. Grote ERP" in body  # numbered in the order the phases start
    assert "One phase of 78 weeks and €180,000 tries to solve everything" in body
    assert 'style="' not in body.split("<svg", 1)[1].split("</svg>", 1)[0]
    # On a phone or zoomed in the drawing scrolls sideways: a keyboard can reach it to scroll.
    assert '<figure class="roadmap" tabindex="0" role="region" aria-label="Roadmap">' in body


def test_shared_roadmap_shows_the_latest_revision_until_revoked(cast, plan):
    web = cast.login(cast.member)
    web.post(url("sharing"), {"kind": "roadmap"})
    page = web.get(url("sharing")).content.decode()
    link = page.split("/shared/roadmap/", 1)[1].split("/", 1)[0]
    with scope(workspace=cast.workspace):
        services.phase_update(phase=plan[0], actor=None, title="Nog niet gedeeld")
    anonymous = cast.login(cast.outsider)
    anonymous.logout()
    shared = anonymous.get(reverse("shared_roadmap", args=[link]))
    assert shared.status_code == 200
    body = shared.content.decode()
    assert "Fase 1" in body and "Nog niet gedeeld" not in body
    assert "/w/acme/" not in body
    # Dates as inside Koers (Dutch: month in lower case), in the list and the drawing alike.
    assert '<time datetime="2025-01-20">20 jan 2025</time> · Feedback 1' in body
    assert "2025-01-20" not in body.replace('datetime="2025-01-20"', "")
    with scopes_disabled():
        share = ShareLink.objects.get(project=cast.project)
    web.post(url("share_link_revoke", share.pk))
    assert anonymous.get(reverse("shared_roadmap", args=[link])).status_code == 404
    assert anonymous.get(reverse("shared_roadmap", args=["x" * 43])).status_code == 404


def test_the_client_is_shown_the_plan_not_the_guardrails(cast, plan):
    make_phase(cast.project, title="Grote ERP", weeks=78, budget=Decimal(180_000))
    with scope(workspace=cast.workspace):
        services.revision_record(project=cast.project, actor=None, reason="Groot plan")
    web = cast.login(cast.member)
    inside = web.get(url("roadmap"), HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "bevinding spelregel" in inside  # the team sees its guardrails
    web.post(url("sharing"), {"kind": "roadmap"})
    page = web.get(url("sharing")).content.decode()
    link = page.split("/shared/roadmap/", 1)[1].split("/", 1)[0]
    web.logout()
    body = web.get(reverse("shared_roadmap", args=[link])).content.decode()
    assert "Grote ERP" in body
    for internal in ["bevinding spelregel", "afwijking geaccepteerd", "bevinding", "spelregel"]:
        assert internal not in body.lower(), internal


def shown_links(page: str) -> list[str]:
    return re.findall(r'<code class="token" id="address-\d+">([^<]+)</code>', page)


def test_members_can_copy_every_working_link_again_and_guests_never_see_them(cast, plan, settings):
    web = cast.login(cast.member)
    web.post(url("sharing"), {"kind": "roadmap"})
    made = web.post(url("sharing"), {"kind": "calendar"})
    with scopes_disabled():
        calendar, roadmap = ShareLink.objects.filter(project=cast.project)

    assert made["Location"] == url("sharing") + f"#link-{calendar.pk}"
    page = web.get(url("sharing"))
    assert page["Cache-Control"] == "private, no-store"
    calendar_url, roadmap_url = shown_links(page.content.decode())  # newest first
    assert "/feeds/plan/" in calendar_url and "/shared/roadmap/" in roadmap_url
    anonymous = WebClient()
    for address in (roadmap_url, calendar_url):
        assert anonymous.get(address.removeprefix("http://testserver")).status_code == 200
    for who in (cast.guest, cast.viewer, cast.outsider):
        response = cast.login(who).get(url("sharing"))
        assert response.status_code in (403, 404)
        assert roadmap_url not in response.content.decode()

    web.post(url("share_link_revoke", roadmap.pk))
    assert shown_links(web.get(url("sharing")).content.decode()) == [calendar_url]
    assert anonymous.get(roadmap_url.removeprefix("http://testserver")).status_code == 404


def test_a_link_that_cannot_be_made_again_is_not_shown_but_keeps_working(cast, plan, settings):
    with scope(workspace=cast.workspace):
        old, old_token = services.share_link_create(
            project=cast.project, actor=None, kind="roadmap"
        )
        ShareLink.objects.filter(pk=old.pk).update(key=None)  # made before keys were kept
        services.share_link_create(project=cast.project, actor=None, kind="calendar")
    settings.SECRET_KEY = "replaced-" + settings.SECRET_KEY  # a signed key no longer matches

    response = cast.login(cast.member).get(url("sharing"), HTTP_ACCEPT_LANGUAGE="en")
    page = response.content.decode()

    assert shown_links(page) == []
    assert page.count("cannot show it again") == 2
    assert WebClient().get(reverse("shared_roadmap", args=[old_token])).status_code == 200


def test_manager_changes_the_workspace_limits(cast):
    make_phase(cast.project, weeks=10)
    limits = reverse("roadmap_limits", args=["acme"])
    assert cast.login(cast.member).get(limits).status_code == 403
    web = cast.login(cast.manager)
    response = web.post(
        limits,
        {
            "max_phase_weeks": "8",
            "min_phase_budget": "10000",
            "max_phase_budget": "40000",
            "first_delivery_weeks": "12",
        },
    )
    assert response.status_code == 302
    page = web.get(url("plan"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "This phase lasts 10 weeks; the method allows at most 8." in page


def _queries(web, path: str) -> int:
    web.get(path)  # the first visit stores the current workspace in the session
    with CaptureQueriesContext(connection) as captured:
        assert web.get(path).status_code == 200
    return len(captured)


def _grow(cast, phases: int) -> None:
    """Give the project `phases` phases with two KPIs, a milestone and a revision each."""
    with scopes_disabled():
        cast.project.phases.all().delete()
        cast.project.plan_revisions.all().delete()
    made = make_plan(cast.project, phases)
    with scope(workspace=cast.workspace):
        for phase in made:
            services.deviation_accept(
                project=cast.project,
                actor=None,
                rule="no-kpi",
                subject=phase.key,
                justification="test",
            )
            services.revision_record(project=cast.project, actor=None, reason=phase.title)


@pytest.mark.parametrize("name", PAGES)
def test_plan_pages_use_a_fixed_number_of_queries(cast, name):
    web = cast.login(cast.owner)
    path = url(name)
    _grow(cast, 3)
    small = _queries(web, path)
    _grow(cast, 40)
    large = _queries(web, path)
    assert small == large, (small, large)
    assert large <= QUERY_LIMITS[name]


def test_revisions_are_paged_and_each_shows_its_changes_against_the_one_before(cast):
    _grow(cast, 25)  # 25 revisions, each adding one phase
    web = cast.login(cast.owner)
    first = web.get(url("revisions"), headers={"accept-language": "en"}).content.decode()
    second = web.get(url("revisions") + "?page=2", headers={"accept-language": "en"}).content
    second = second.decode()
    assert first.count('class="card" id="revision-') == 20 and "Page 1 of 2" in first
    assert second.count('class="card" id="revision-') == 5 and "Page 2 of 2" in second
    # The page's last (revision 6) counts its changes against revision 5, on the next page.
    sixth = first.split('id="revision-6"')[1].split("</li>")[0]
    assert "change since the revision before" in sixth
    # Every revision but the newest may be restored, whichever page it is on.
    assert 'name="reason" id="restore-25"' not in first
    assert 'id="restore-24"' in first and 'id="restore-1"' in second
    # Any two revisions can be compared, also across pages.
    compared = web.get(url("revisions") + "?a=1&b=25", headers={"accept-language": "en"})
    assert compared.status_code == 200 and compared.context["comparison"]["a"].number == 1


def test_the_roadmap_downloads_as_an_svg_for_a_slide_without_the_teams_marks(cast):
    long = make_phase(cast.project, title="Alles tegelijk", weeks=30, budget=Decimal(90_000))
    page = cast.login(cast.guest).get(url("roadmap")).content.decode()
    assert url("roadmap_svg") in page
    response = cast.login(cast.guest).get(url("roadmap_svg"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    assert "attachment" in response["Content-Disposition"]
    body = response.content.decode()
    assert body.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<svg')
    assert long.title in body
    # The team sees the guardrail marks on its page; the slide does not carry them.
    assert "guardrail" not in body and "bevinding" not in body


def test_the_roadmap_downloads_as_a_png_twice_the_drawings_size(cast):
    make_phase(cast.project, title="Basis", weeks=8, budget=Decimal(30_000))
    guest = cast.login(cast.guest)
    assert url("roadmap_png") in guest.get(url("roadmap")).content.decode()
    drawing = guest.get(url("roadmap_svg")).content.decode()
    response = guest.get(url("roadmap_png"))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].endswith('.png"')
    size = re.search(r'width="(\d+)" height="(\d+)"', drawing)
    assert size, "the drawing says its size"
    width, height = int(size[1]), int(size[2])
    image = Image.open(io.BytesIO(response.content))
    assert image.format == "PNG"
    assert image.size == (2 * width, 2 * height)
    # Drawn, not blank: white paper, and the bars and texts in dark ink on it.
    grey = image.convert("L")
    dark = sum(grey.histogram()[:100])  # pixels darker than 100 of 255
    assert grey.getpixel((0, 0)) == 255
    assert dark > 0.002 * image.size[0] * image.size[1]
