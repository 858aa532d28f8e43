"""Reads on aftercare that pages, the API and the CLI share."""

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from koers.projects.models import Project

from . import matching
from .models import Handover, HandoverItem, Lesson, TakenLesson

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
