"""Writes on aftercare: lessons learned, the lessons a plan takes along, the handover to
operations, the client's evaluation and the reference case. Views, the API, the CLI and the
demo all come through here.

Koers keeps where secrets are, never a secret: every text is refused when it looks like one.
"""

from typing import Any

from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from koers.core.errors import KoersError
from koers.projects.models import Project
from koers.roadmap.models import Phase

from . import matching, secret_shapes
from .models import Evaluation, Handover, HandoverItem, Lesson, ReferenceCase, TakenLesson

LESSON_TEXTS = ("title", "went_well", "could_be_better", "try_next", "tags")
LESSON_FIELDS = (*LESSON_TEXTS, "phase")


def refuse_secrets(fields: dict[str, Any]) -> None:
    """Raise KoersError on the first text of `fields` that looks like a password or key."""
    for field, value in fields.items():
        if isinstance(value, str) and secret_shapes.looks_secret(value):
            raise KoersError(
                _(
                    "This looks like a password, key or token. Koers never keeps secrets: "
                    "say where it is kept (e.g. 'in the team vault, entry Portal admin')."
                ),
                field=field,
            )


def _check_lesson(lesson: Lesson) -> None:
    lesson.title = " ".join(lesson.title.split())
    if not lesson.title:
        raise KoersError(_("Say the lesson in one sentence."), field="title")
    if lesson.phase is not None and lesson.phase.project_id != lesson.project_id:
        raise KoersError(_("There is no such item in this project."), field="phase")
    lesson.tags = ",".join(matching.tags(lesson.tags))
    if len(lesson.tags) > Lesson._meta.get_field("tags").max_length:  # type: ignore[operator]
        raise KoersError(_("Fewer or shorter tags, please."), field="tags")
    refuse_secrets({f: getattr(lesson, f) for f in LESSON_TEXTS})


def phase_of(project: Project, pk: int | None) -> Phase | None:
    """Return the project's phase `pk`; one of another project is refused as not there."""
    if pk is None:
        return None
    phase = project.phases.filter(pk=pk).first()
    if phase is None:
        raise KoersError(_("There is no such item in this project."), field="phase")
    return phase


def _clean(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(LESSON_FIELDS)
    if unknown:
        raise TypeError(f"unknown lesson fields: {sorted(unknown)}")
    return {f: (v or "").strip() if f in LESSON_TEXTS else v for f, v in fields.items()}


def lesson_create(*, project: Project, actor: Any, title: str, **fields: Any) -> Lesson:
    lesson = Lesson(project=project, recorded_by=actor, title=title, **_clean(fields))
    _check_lesson(lesson)
    lesson.save()
    return lesson


def lesson_update(*, lesson: Lesson, **changes: Any) -> Lesson:
    for field, value in _clean(changes).items():
        setattr(lesson, field, value)
    _check_lesson(lesson)
    lesson.save()
    return lesson


def lesson_delete(*, lesson: Lesson) -> None:
    """Remove a lesson; the plans that took it along lose it with it."""
    lesson.delete()


def _lesson_of_workspace(project: Project, pk: int) -> Lesson:
    # Explicit, not only by scope: a lesson of another workspace does not exist here.
    lesson = Lesson.objects.filter(pk=pk, project__workspace_id=project.workspace_id).first()
    if lesson is None:
        raise KoersError(_("There is no such lesson in this workspace."), field="lesson")
    return lesson


def lesson_take(*, project: Project, lesson: int, actor: Any) -> TakenLesson:
    """Mark an earlier lesson (by id) as one the project's plan takes along."""
    found = _lesson_of_workspace(project, lesson)
    if found.project_id == project.pk and found.phase_id is None:
        raise KoersError(
            _("A project's own lesson is not taken along: it is there."), field="lesson"
        )
    taken, _made = TakenLesson.objects.get_or_create(
        project=project, lesson=found, defaults={"taken_by": actor}
    )
    return taken


def lesson_drop(*, project: Project, lesson: int) -> None:
    project.taken_lessons.filter(lesson_id=lesson).delete()


@transaction.atomic
def handover_item_save(
    *, project: Project, kind: str, notes: str = "", owner: str = "", state: str = "open"
) -> HandoverItem:
    """Save one item of the handover checklist (made on its first save)."""
    if kind not in HandoverItem.Kind.values:
        raise KoersError(_("There is no such item on the checklist."), field="kind")
    if state not in HandoverItem.State.values:
        raise KoersError(_("There is no such state."), field="state")
    notes, owner = notes.strip(), " ".join(owner.split())
    refuse_secrets({"notes": notes, "owner": owner})
    item, _made = HandoverItem.objects.update_or_create(
        project=project, kind=kind, defaults={"notes": notes, "owner": owner, "state": state}
    )
    return item


def shadow_save(
    *, project: Project, shadow_start: Any = None, shadow_end: Any = None, backup: str = ""
) -> Handover:
    """Save the shadow period: from, until, and who backs up whom."""
    if shadow_start and shadow_end and shadow_end < shadow_start:
        raise KoersError(_("The shadow period ends after it starts."), field="shadow_end")
    backup = backup.strip()
    refuse_secrets({"backup": backup})
    handover, _made = Handover.objects.update_or_create(
        project=project,
        defaults={"shadow_start": shadow_start, "shadow_end": shadow_end, "backup": backup},
    )
    return handover


def open_kinds(project: Project) -> list[HandoverItem.Kind]:
    """Return the checklist's items that are not done, in the checklist's order."""
    done = set(project.handover_items.filter(state="done").values_list("kind", flat=True))
    return [kind for kind in HandoverItem.Kind if kind.value not in done]


def handover_guard(project: Project, reason: str) -> None:
    """Refuse to close a project with an open handover checklist, unless `reason` says why;
    then keep the reason with the handover."""
    still_open = open_kinds(project)
    if not still_open:
        return
    if not reason:
        raise KoersError(
            _(
                "The handover checklist is still open (%(items)s). Finish it on the handover "
                "page, or say there why the project closes anyway."
            )
            % {"items": ", ".join(str(kind.label) for kind in still_open)},
            field="reason",
        )
    refuse_secrets({"reason": reason})
    Handover.objects.update_or_create(
        project=project,
        defaults={"closed_open_reason": f"{timezone.localdate():%Y-%m-%d}: {reason}"},
    )


def _max_length(model: type[Model], field: str) -> int:
    return getattr(model._meta.get_field(field), "max_length", None) or 0


# The client's evaluation.

EVALUATION_TEXTS = ("went_well", "could_be_better", "what_next")
MAX_SCORE = 10


def evaluation_send(*, project: Project, actor: Any) -> tuple[Evaluation, str]:
    """Make a new evaluation link for the client; return it and its token (shown once)."""
    evaluation = Evaluation(project=project, actor=actor)
    token = evaluation.new_token()
    evaluation.save()
    return evaluation, token


def evaluation_revoke(*, evaluation: Evaluation) -> None:
    """Close the link; an answer already given stays."""
    if evaluation.revoked_at is None:
        evaluation.revoked_at = timezone.now()
        evaluation.save(update_fields=["revoked_at"])


def evaluation_answer(
    *,
    evaluation: Evaluation,
    score: int | None,
    went_well: str = "",
    could_be_better: str = "",
    what_next: str = "",
    language: str = "",
) -> Evaluation:
    """Keep the client's answer: once per link, never on a revoked one."""
    if score is None or not 0 <= score <= MAX_SCORE:
        raise KoersError(_("Choose a score from 0 to 10."), field="score")
    texts = {"went_well": went_well, "could_be_better": could_be_better, "what_next": what_next}
    for field, text in texts.items():
        if len(text) > _max_length(Evaluation, field):
            raise KoersError(_("Please keep this under 4000 characters."), field=field)
    answer = {f: t.strip() for f, t in texts.items()} | {"score": score, "language": language}
    # One conditional statement: two answers sent at once cannot both land.
    taken = Evaluation.objects.filter(
        pk=evaluation.pk, answered_at__isnull=True, revoked_at__isnull=True
    ).update(answered_at=timezone.now(), **answer)
    if not taken:
        raise KoersError(_("This evaluation was already answered."), field="score")
    evaluation.refresh_from_db()
    return evaluation


# Reference cases.

REFERENCE_TEXTS = ("summary", "rollout_story", "tags")
REFERENCE_FLAGS = ("show_client", "show_figures", "show_rollout", "show_score")


def may_become_reference(project: Project) -> bool:
    """A closed project, or one that delivered a phase: there is something to show."""
    return project.status == Project.Status.CLOSED or project.phases.filter(status="done").exists()


def reference_save(*, project: Project, summary: str, **fields: Any) -> ReferenceCase:
    """Make or change the project's reference case."""
    unknown = set(fields) - {*REFERENCE_TEXTS, *REFERENCE_FLAGS}
    if unknown:
        raise TypeError(f"unknown reference case fields: {sorted(unknown)}")
    if not may_become_reference(project):
        raise KoersError(
            _("A project becomes a reference case once it is closed or has delivered a phase."),
            field="summary",
        )
    summary = summary.strip()
    if not summary:
        raise KoersError(_("Say in a few sentences what the change was."), field="summary")
    values = {"summary": summary, **fields}
    for field in ("rollout_story", "tags"):
        values[field] = (values.get(field) or "").strip()
    values["tags"] = ",".join(matching.tags(values["tags"]))
    for field in REFERENCE_TEXTS:
        if len(values.get(field) or "") > _max_length(ReferenceCase, field):
            raise KoersError(_("Please write less here."), field=field)
    refuse_secrets(values)
    case, _made = ReferenceCase.objects.update_or_create(project=project, defaults=values)
    return case


def reference_delete(*, project: Project) -> None:
    ReferenceCase.objects.filter(project=project).delete()
