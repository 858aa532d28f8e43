"""A plan revision keeps which phase changes which system; restoring it brings the links
back, and names a system deleted since instead of failing."""

from django.urls import reverse
from django_scopes import scope, scopes_disabled

from koers.landscape import services
from koers.landscape.models import PhaseSystem
from koers.roadmap import services as plan_services
from koers.roadmap.models import PlanRevision

from .conftest import add_system


def links(project) -> set[tuple[str, str, str]]:
    with scopes_disabled():
        return {
            (link.phase.title, link.system.name, link.change)
            for link in PhaseSystem.objects.filter(phase__project=project)
        }


def test_a_restore_brings_the_links_back_and_names_a_system_deleted_since(cast, plan):
    client = cast.project.client
    crm, erp, wms = (add_system(client, name) for name in ("CRM", "ERP", "WMS"))
    with scope(workspace=cast.workspace):
        services.phase_system_save(phase=plan[0], system=crm, change="introduces")
        services.phase_system_save(phase=plan[1], system=erp, change="retires")
        services.phase_system_save(phase=plan[2], system=wms, change="changes")
        first = plan_services.revision_record(project=cast.project, actor=None, reason="Gedeeld")
        kept = links(cast.project)
        # Since then: a link changed, one removed, one added, a phase and a system deleted.
        services.phase_system_save(phase=plan[0], system=crm, change="changes")
        services.phase_system_remove(link=PhaseSystem.objects.get(system=erp))
        services.phase_system_save(phase=plan[1], system=wms, change="introduces")
        plan_services.phase_delete(phase=plan[2], actor=None)
        services.system_delete(system=erp)
        plan_services.revision_record(project=cast.project, actor=None, reason="Anders")

        restored = plan_services.revision_restore(
            project=cast.project, actor=cast.owner, revision=first, reason="Terug"
        )

    assert restored.reason == (
        "Terug Not brought back: ERP for phase Fase 2 (the system was deleted)."
    )
    assert links(cast.project) == kept - {("Fase 2", "ERP", "retires")}
    assert ("Fase 3", "WMS", "changes") in links(cast.project)


def test_a_link_change_alone_is_a_change_worth_a_revision(cast, plan):
    crm = add_system(cast.project.client, "CRM")
    with scope(workspace=cast.workspace):
        plan_services.revision_record(project=cast.project, actor=None, reason="Gedeeld")
        services.phase_system_save(phase=plan[0], system=crm, change="introduces")
        second = plan_services.revision_record(project=cast.project, actor=None, reason="CRM")
    assert second.snapshot["parts"]["systems"] == [
        {"phase": plan[0].key, "system": crm.pk, "name": "CRM", "change": "introduces"}
    ]


def test_restoring_a_revision_older_than_the_links_leaves_them_as_they_are(cast, plan):
    crm = add_system(cast.project.client, "CRM")
    with scope(workspace=cast.workspace):
        old = plan_services.revision_record(project=cast.project, actor=None, reason="Oud")
        PlanRevision.objects.filter(pk=old.pk).update(
            snapshot={k: v for k, v in old.snapshot.items() if k != "parts"}
        )
        services.phase_system_save(phase=plan[0], system=crm, change="introduces")
        old.refresh_from_db()
        plan_services.revision_restore(project=cast.project, actor=None, revision=old)
    assert links(cast.project) == {("Fase 1", "CRM", "introduces")}


def test_the_restore_page_says_what_was_not_brought_back(cast, plan):
    erp = add_system(cast.project.client, "ERP")
    with scope(workspace=cast.workspace):
        services.phase_system_save(phase=plan[1], system=erp, change="retires")
        plan_services.revision_record(project=cast.project, actor=None, reason="Gedeeld")
        services.system_delete(system=erp)
    path = reverse("roadmap:revision_restore", args=["acme", "cloud", 1])
    assert cast.login(cast.viewer).post(path, {"reason": ""}).status_code == 403
    response = cast.login(cast.member).post(path, {"reason": ""}, follow=True)
    assert "ERP for phase Fase 2 (the system was deleted)" in response.content.decode()
