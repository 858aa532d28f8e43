"""One record per lesson, match and handover: the API and the CLI's --json share them."""

from typing import Any

from .models import Handover, HandoverItem, Lesson
from .queries import Found


def lesson_record(lesson: Lesson) -> dict[str, Any]:
    return {
        "id": lesson.pk,
        "project": lesson.project.slug,
        "phase": lesson.phase_id,
        "phase_title": lesson.phase.title if lesson.phase else None,
        "title": lesson.title,
        "went_well": lesson.went_well,
        "could_be_better": lesson.could_be_better,
        "try_next": lesson.try_next,
        "tags": lesson.tag_list,
        "recorded_at": lesson.recorded_at,
    }


def match_record(found: Found) -> dict[str, Any]:
    return {
        "lesson": lesson_record(found.lesson),
        "client": found.lesson.project.client.name,
        "score": found.match.score,
        "same_client": found.match.same_client,
        "shared_tags": list(found.match.shared_tags),
        "shared_words": list(found.match.shared_words),
        "taken": found.taken,
    }


def handover_record(items: list[HandoverItem], handover: Handover) -> dict[str, Any]:
    return {
        "checklist": [
            {"kind": i.kind, "notes": i.notes, "owner": i.owner, "state": i.state} for i in items
        ],
        "open": [i.kind for i in items if i.state != HandoverItem.State.DONE],
        "shadow_start": handover.shadow_start,
        "shadow_end": handover.shadow_end,
        "backup": handover.backup,
        "closed_open_reason": handover.closed_open_reason,
    }
