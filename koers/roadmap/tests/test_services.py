"""Plan services: validation with field errors, nothing half-saved, revisions and restore."""

from datetime import date
from decimal import Decimal

import pytest
from django_scopes import scope

from koers.core.errors import KoersError
from koers.projects.models import Project
from koers.roadmap import services
from koers.roadmap.models import Kpi, Phase, PlanRevision
from koers.roadmap.queries import plan_state

from .conftest import good_kpi, make_phase


@pytest.fixture
def scoped(cast):
    with scope(workspace=cast.workspace):
        yield cast


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"budget": Decimal(-1)}, "budget"),
        ({"weeks": 0}, "weeks"),
        ({"title": "  "}, "title"),
    ],
)
def test_bad_phase_input_is_refused_on_its_field(scoped, fields, field):
    with pytest.raises(KoersError) as error:
        make_phase(scoped.project, **fields)
    assert error.value.field == field
    assert not scoped.project.phases.exists()


@pytest.mark.parametrize(
    ("kpi", "field"),
    [
        ({"target": Decimal(50)}, "target"),  # equal to the baseline
        ({"target": Decimal(60)}, "target"),  # lower is better, so above is wrong
        ({"actual": Decimal(30), "actual_on": date(2024, 12, 1)}, "actual_on"),  # before baseline
        ({"actual": Decimal(30), "actual_on": None}, "actual_on"),
    ],
)
def test_bad_kpi_leaves_no_phase_behind(scoped, kpi, field):
    with pytest.raises(KoersError) as error:
        make_phase(scoped.project, kpis=[good_kpi(), good_kpi(**kpi)])
    assert error.value.field == field
    assert not Phase.objects.filter(project=scoped.project).exists()
    assert not Kpi.objects.filter(phase__project=scoped.project).exists()


def test_a_failing_update_changes_nothing(scoped):
    phase = make_phase(scoped.project)
    with pytest.raises(KoersError):
        services.phase_update(
            phase=phase,
            actor=scoped.owner,
            title="Nieuw",
            kpis=[good_kpi(name="Ander", target=Decimal(50))],
        )
    phase.refresh_from_db()
    assert phase.title == "Offertetool"
    assert phase.kpis.count() == 1


def test_the_first_phase_moves_a_project_from_intake_to_planning_and_no_further(scoped):
    project = scoped.project
    assert project.status == Project.Status.INTAKE
    make_phase(project)
    project.refresh_from_db()
    assert project.status == Project.Status.PLANNING
    project.status = Project.Status.DELIVERY
    project.save()
    make_phase(project, title="Tweede")
    project.refresh_from_db()
    assert project.status == Project.Status.DELIVERY


def test_a_phase_cannot_start_before_the_phase_it_builds_on(scoped):
    first = make_phase(scoped.project, start_month=date(2025, 5, 1))
    with pytest.raises(KoersError) as error:
        make_phase(scoped.project, start_month=date(2025, 3, 1), builds_on=first)
    assert error.value.field == "start_month"


def test_a_phase_cannot_build_on_a_later_phase_that_builds_on_it(scoped):
    first = make_phase(scoped.project)
    second = make_phase(scoped.project, builds_on=first, start_month=date(2025, 4, 1))
    with pytest.raises(KoersError) as error:
        services.phase_update(phase=first, actor=None, builds_on=second)
    assert error.value.field == "builds_on"


def test_start_month_is_kept_as_the_first_of_the_month(scoped):
    phase = make_phase(scoped.project, start_month=date(2025, 3, 17))
    assert phase.start_month == date(2025, 3, 1)


def test_accepting_a_deviation_needs_a_justification_and_stays_visible(scoped):
    phase = make_phase(scoped.project, weeks=14)
    with pytest.raises(KoersError):
        services.deviation_accept(
            project=scoped.project,
            actor=scoped.owner,
            rule="phase-too-long",
            subject=phase.key,
            justification=" ",
        )
    services.deviation_accept(
        project=scoped.project,
        actor=scoped.owner,
        rule="phase-too-long",
        subject=phase.key,
        justification="Leverancier levert in week 14",
    )
    state = plan_state(scoped.project)
    [finding] = [f for f in state.findings if f.rule.value == "phase-too-long"]
    assert finding.accepted and finding.justification == "Leverancier levert in week 14"


def test_revisions_are_numbered_and_need_a_reason_and_a_change(scoped, english):
    phase = make_phase(scoped.project)
    with pytest.raises(KoersError):
        services.revision_record(project=scoped.project, actor=None, reason="")
    first = services.revision_record(project=scoped.project, actor=None, reason="Gedeeld")
    with pytest.raises(KoersError, match="Nothing changed"):
        services.revision_record(project=scoped.project, actor=None, reason="Niets")
    services.phase_update(phase=phase, actor=None, weeks=10)
    assert plan_state(scoped.project).has_unrecorded_changes
    second = services.revision_record(
        project=scoped.project, actor=None, reason="Pilot: uitlogtijd veel te kort"
    )
    assert (first.number, second.number) == (1, 2)
    assert not plan_state(scoped.project).has_unrecorded_changes


def test_restoring_brings_back_removed_phases_as_a_new_revision(scoped, english):
    keep = make_phase(scoped.project, title="Houden")
    gone = make_phase(scoped.project, title="Weg", start_month=date(2025, 4, 1), builds_on=keep)
    services.milestone_create(
        project=scoped.project,
        actor=None,
        kind="feedback",
        title="Pilot",
        on=date(2025, 3, 1),
        phase=gone,
    )
    first = services.revision_record(project=scoped.project, actor=None, reason="Gedeeld")
    kpi = keep.kpis.get()
    services.kpi_update(kpi=kpi, actor=None, actual=Decimal(18), actual_on=date(2025, 4, 1))
    services.phase_delete(phase=gone, actor=None)
    services.phase_update(phase=keep, actor=None, budget=Decimal(40_000))
    services.revision_record(project=scoped.project, actor=None, reason="Fase 2 geschrapt")

    restored = services.revision_restore(
        project=scoped.project, actor=scoped.owner, revision=first, reason=""
    )

    assert restored.number == 3 and restored.restored_from == 1
    assert "revision 1" in restored.reason
    titles = list(scoped.project.phases.values_list("title", flat=True))
    assert titles == ["Houden", "Weg"]
    back = scoped.project.phases.get(title="Weg")
    assert back.key == gone.key and back.builds_on_id == keep.pk
    assert back.kpis.count() == 1
    assert scoped.project.milestones.get().phase_id == back.pk
    keep.refresh_from_db()
    assert keep.budget == Decimal(25_000)
    # Measured results are not undone by going back to an older plan.
    assert keep.kpis.get().actual == Decimal(18)
    assert PlanRevision.objects.filter(project=scoped.project).count() == 3


def test_sharing_a_draft_plan_records_revision_one(scoped):
    make_phase(scoped.project)
    link, token = services.share_link_create(project=scoped.project, actor=None, kind="roadmap")
    assert len(token) >= 43  # 256 bits in URL-safe base64
    assert link.token_hash != token
    assert scoped.project.plan_revisions.get().number == 1


def test_limits_refuse_a_minimum_above_the_maximum(scoped):
    with pytest.raises(KoersError) as error:
        services.limits_update(
            workspace=scoped.workspace,
            max_phase_weeks=12,
            min_phase_budget=Decimal(60_000),
            max_phase_budget=Decimal(50_000),
            first_delivery_weeks=12,
        )
    assert error.value.field == "max_phase_budget"
