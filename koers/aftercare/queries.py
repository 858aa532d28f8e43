"""Reads on aftercare that pages, the API and the CLI share."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.utils.translation import gettext as _

from koers.core.formatting import number
from koers.projects.models import Project
from koers.roadmap.describe import kpi_line
from koers.roadmap.models import Kpi, Phase
from koers.workspaces.models import Client

from . import matching, scores
from .models import Evaluation, Handover, HandoverItem, Lesson, ReferenceCase, TakenLesson

MATCHES_SHOWN = 10


def lesson_rows(project: Project) -> QuerySet[Lesson]:
    return project.lessons.select_related("phase", "project__workspace")


def taken_rows(project: Project) -> QuerySet[TakenLesson]:
    return project.taken_lessons.select_related(
        "lesson__project__workspace", "lesson__project__client", "lesson__phase"
    )


LESSON_TEXT = ("title", "went_well", "could_be_better", "try_next")


def lesson_text(row: dict[str, Any]) -> str:
    """Return what a lesson says, of its row of values, as one text to match words in."""
    return " ".join(row[field] for field in LESSON_TEXT)


@dataclass(frozen=True)
class Found:
    """An earlier lesson that matches a project, why, and whether its plan takes it along."""

    lesson: Lesson
    match: matching.Match
    taken: bool


def subject_of(project: Project) -> matching.Subject:
    goals = " ".join(project.goals.values_list("text", flat=True))
    own_tags = {
        t for tags in project.lessons.values_list("tags", flat=True) for t in tags.split(",")
    }
    return matching.Subject(
        client=project.client_id,
        text=" ".join(
            [
                project.name,
                project.request,
                project.current_situation,
                project.bottleneck,
                project.behaviour_change,
                goals,
            ]
        ),
        tags=frozenset(own_tags - {""}),
    )


def matches(project: Project, limit: int = MATCHES_SHOWN) -> list[Found]:
    """Return the earlier lessons of the workspace that fit `project`, best first.

    Candidates: every lesson of the workspace's other projects, and the project's own lessons
    of a phase (for the phases after it). Six queries whatever the number of lessons.
    """
    rows = Lesson.objects.filter(project__workspace_id=project.workspace_id).exclude(
        project=project, phase__isnull=True
    )
    fields = (
        "id",
        "project__client_id",
        "tags",
        "title",
        "went_well",
        "could_be_better",
        "try_next",
    )
    candidates = [
        matching.Candidate(
            id=row["id"],
            client=row["project__client_id"],
            text=lesson_text(row),
            tags=frozenset(row["tags"].split(",")) - {""},
        )
        for row in rows.values(*fields)
    ]
    best = matching.ranked(subject_of(project), candidates, limit)
    lessons = Lesson.objects.select_related(
        "project__workspace", "project__client", "phase"
    ).in_bulk([m.id for m in best])
    taken = set(project.taken_lessons.values_list("lesson_id", flat=True))
    return [Found(lessons[m.id], m, m.id in taken) for m in best]


def checklist(project: Project) -> list[HandoverItem]:
    """Return every item of the handover checklist in its order, unsaved ones as open."""
    saved = {item.kind: item for item in project.handover_items.all()}
    return [
        saved.get(k.value) or HandoverItem(project=project, kind=k.value) for k in HandoverItem.Kind
    ]


def handover_of(project: Project) -> Handover:
    return Handover.objects.filter(project=project).first() or Handover(project=project)


# The client's evaluation.


def evaluation_rows(project: Project) -> QuerySet[Evaluation]:
    return project.evaluations.select_related("project__workspace")


def client_evaluation_rows(client: Client) -> QuerySet[Evaluation]:
    """The client's answered evaluations over all its projects."""
    return Evaluation.objects.filter(project__client=client, answered_at__isnull=False)


def client_trend(client: Client) -> scores.Trend:
    answered = client_evaluation_rows(client).order_by("answered_at", "id")
    return scores.trend([s for s in answered.values_list("score", flat=True) if s is not None])


def last_evaluation(project: Project) -> Evaluation | None:
    return project.evaluations.filter(answered_at__isnull=False).order_by("-answered_at").first()


# Reference cases, as the reader of another client may see them.

CITED = 3


@dataclass(frozen=True)
class Citation:
    """What a page or document shows of a reference case; only what its reader may see.

    `client` and `project` are None when the case is anonymised for the reader; `kpis`,
    `rollout` and `score` are empty or None when its client did not allow them.
    """

    id: int
    client: str | None
    project: str | None
    summary: str
    phases: int
    phases_done: int
    kpis_met: int
    kpis_measured: int
    kpis: tuple[str, ...]
    rollout: str
    score: int | None


def _last_score() -> Subquery:
    answered = Evaluation.objects.filter(
        project=OuterRef("project"), answered_at__isnull=False
    ).order_by("-answered_at", "-id")
    return Subquery(answered.values("score")[:1])


def reference_rows() -> QuerySet[ReferenceCase]:
    """Reference cases with what a citation reads: four queries for any number of them."""
    kpis = Prefetch("kpis", queryset=Kpi.objects.order_by("id"))
    phases = Phase.objects.exclude(status="stopped").order_by("position", "id")
    return (
        ReferenceCase.objects.select_related("project__client", "project__workspace")
        .prefetch_related(
            Prefetch(
                "project__phases", queryset=phases.prefetch_related(kpis), to_attr="cited_phases"
            )
        )
        .annotate(last_score=_last_score())
    )


def citation(case: ReferenceCase, *, reader: int) -> Citation:
    """Return `case` as the client `reader` (a client id) may see it.

    The case's own client sees all of it; another client only what the case allows.
    """
    own = case.project.client_id == reader
    phases: list[Phase] = case.project.cited_phases  # type: ignore[attr-defined]
    kpis = [k for p in phases for k in p.kpis.all()]
    measured = [k for k in kpis if k.is_met is not None]
    return Citation(
        id=case.pk,
        client=case.project.client.name if own or case.show_client else None,
        project=case.project.name if own or case.show_client else None,
        summary=case.summary,
        phases=len(phases),
        phases_done=sum(p.status == "done" for p in phases),
        kpis_met=sum(bool(k.is_met) for k in measured),
        kpis_measured=len(measured),
        kpis=tuple(kpi_text(k) for k in kpis) if own or case.show_figures else (),
        rollout=case.rollout_story if own or case.show_rollout else "",
        score=case.last_score if own or case.show_score else None,  # type: ignore[attr-defined]
    )


def kpi_text(kpi: Kpi) -> str:
    def text(value: Decimal | None) -> str | None:
        return None if value is None else str(value)

    line = kpi_line(
        {
            "name": kpi.name,
            "unit": kpi.unit,
            "baseline": text(kpi.baseline),
            "target": text(kpi.target),
        }
    )
    if kpi.actual is None:
        return line
    return _("%(kpi)s, reached %(actual)s") % {"kpi": line, "actual": number(kpi.actual)}


def citations(project: Project, limit: int = CITED) -> list[Citation]:
    """Return the reference cases of the workspace that fit `project`, best first, as the
    project's client may see them. Six queries whatever the number of cases."""
    rows = ReferenceCase.objects.filter(project__workspace_id=project.workspace_id).exclude(
        project=project
    )
    candidates = [
        matching.Candidate(
            id=row["id"],
            client=row["project__client_id"],
            text=" ".join(
                [
                    row["summary"],
                    row["rollout_story"],
                    row["project__name"],
                    row["project__request"],
                ]
            ),
            tags=frozenset(row["tags"].split(",")) - {""},
        )
        for row in rows.values(
            "id",
            "project__client_id",
            "tags",
            "summary",
            "rollout_story",
            "project__name",
            "project__request",
        )
    ]
    best = matching.ranked(subject_of(project), candidates, limit)
    cases = reference_rows().in_bulk([m.id for m in best])
    return [citation(cases[m.id], reader=project.client_id) for m in best]
