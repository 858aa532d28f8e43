from datetime import date

import pytest
from django_scopes import scopes_disabled

from koers.aftercare import services
from koers.aftercare.models import Handover, HandoverItem
from koers.core.errors import KoersError
from koers.projects import services as project_services
from koers.projects.models import Project
from koers.roadmap import services as plan_services
from koers.roadmap.models import Phase
from tests.factories import Cast

from .conftest import url

pytestmark = pytest.mark.django_db


def phase_of(project: Project, title: str = "Pilot") -> Phase:
    with scopes_disabled():
        return plan_services.phase_create(
            project=project,
            actor=None,
            title=title,
            start_month=date(2030, 1, 1),
            weeks=10,
            budget=10_000,
        )


def _in_aftercare(project: Project) -> None:
    with scopes_disabled():
        Project.objects.filter(pk=project.pk).update(status=Project.Status.AFTERCARE)
        project.refresh_from_db()


def _all_done(project: Project) -> None:
    with scopes_disabled():
        for kind in HandoverItem.Kind.values:
            services.handover_item_save(project=project, kind=kind, owner="Sam", state="done")


def test_a_project_with_an_open_checklist_does_not_close_without_a_reason(cast: Cast):
    _in_aftercare(cast.project)
    with scopes_disabled():
        services.handover_item_save(project=cast.project, kind="runbook", state="done")
        with pytest.raises(KoersError) as error:
            project_services.project_move(project=cast.project, to_status="closed")
    assert error.value.field == "reason" and "Monitoring" in str(error.value)
    assert "Runbook" not in str(error.value)
    cast.project.refresh_from_db()
    assert cast.project.status == Project.Status.AFTERCARE


def test_with_a_reason_it_closes_and_the_reason_is_kept(cast: Cast):
    _in_aftercare(cast.project)
    response = cast.login(cast.member).post(
        url("projects:status"), {"status": "closed", "reason": "Beheer neemt het runbook mee"}
    )
    assert response.status_code == 302
    with scopes_disabled():
        cast.project.refresh_from_db()
        assert cast.project.status == Project.Status.CLOSED
        assert "Beheer neemt het runbook mee" in Handover.objects.get().closed_open_reason


def test_a_done_checklist_closes_without_a_reason(cast: Cast):
    _in_aftercare(cast.project)
    _all_done(cast.project)
    with scopes_disabled():
        project_services.project_move(project=cast.project, to_status="closed")
    assert cast.project.status == Project.Status.CLOSED


def test_the_checklist_refuses_a_secret_and_keeps_where_it_is(cast: Cast):
    with scopes_disabled():
        with pytest.raises(KoersError) as error:
            services.handover_item_save(
                project=cast.project, kind="access", notes="root password=Welkom01!"
            )
        assert error.value.field == "notes"
        item = services.handover_item_save(
            project=cast.project, kind="access", notes="In de teamkluis, map Portal"
        )
    assert item.notes == "In de teamkluis, map Portal"


def test_the_shadow_period_ends_after_it_starts(cast: Cast):
    with scopes_disabled(), pytest.raises(KoersError) as error:
        services.shadow_save(
            project=cast.project, shadow_start=date(2030, 2, 1), shadow_end=date(2030, 1, 1)
        )
    assert error.value.field == "shadow_end"


def test_a_member_fills_the_handover_on_its_page(cast: Cast):
    web = cast.login(cast.member)
    data = {f"{kind}-state": "open" for kind in HandoverItem.Kind.values}
    data |= {
        "access-notes": "Teamkluis, map Portal",
        "access-owner": "Sam",
        "access-state": "done",
        "shadow-shadow_start": "2030-03-01",
        "shadow-shadow_end": "2030-03-14",
        "shadow-backup": "Sam vangt de servicedesk op",
    }
    assert web.post(url("aftercare:handover_edit"), data).status_code == 302
    page = web.get(url("aftercare:handover")).content.decode()
    assert "Teamkluis, map Portal" in page and "Sam vangt de servicedesk op" in page
    assert "5 open" in page


def test_a_secret_on_the_handover_page_is_refused_and_nothing_is_saved(cast: Cast):
    data = {f"{kind}-state": "done" for kind in HandoverItem.Kind.values}
    data["known_issues-notes"] = "-----BEGIN RSA PRIVATE KEY-----"
    response = cast.login(cast.member).post(url("aftercare:handover_edit"), data)
    assert response.status_code == 200
    assert "never keeps secrets" in response.content.decode()
    with scopes_disabled():
        assert not HandoverItem.objects.exists()


def test_a_viewer_reads_the_handover_but_does_not_change_it(cast: Cast):
    viewer = cast.login(cast.viewer)
    assert viewer.get(url("aftercare:handover")).status_code == 200
    assert viewer.post(url("aftercare:handover_edit"), {}).status_code == 403
    assert cast.login(cast.guest).get(url("aftercare:handover")).status_code == 404
