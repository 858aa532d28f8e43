"""One record per lesson, match, handover, evaluation and reference case: the API and the
CLI's --json share them."""

from dataclasses import asdict
from typing import Any

from .models import Evaluation, Handover, HandoverItem, Lesson, ReferenceCase
from .queries import Citation, Found
from .scores import Trend


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


def evaluation_record(evaluation: Evaluation) -> dict[str, Any]:
    """An evaluation link and its answer; never its token, which is shown once when made."""
    state = "answered" if evaluation.answered_at else "revoked" if evaluation.revoked_at else "open"
    return {
        "id": evaluation.pk,
        "project": evaluation.project.slug,
        "state": state,
        "sent_at": evaluation.created_at,
        "answered_at": evaluation.answered_at,
        "revoked_at": evaluation.revoked_at,
        "score": evaluation.score,
        "went_well": evaluation.went_well,
        "could_be_better": evaluation.could_be_better,
        "what_next": evaluation.what_next,
        "language": evaluation.language,
    }


def reference_record(case: ReferenceCase) -> dict[str, Any]:
    """The team's view of the case: everything, with what other clients may see of it."""
    return {
        "project": case.project.slug,
        "summary": case.summary,
        "rollout_story": case.rollout_story,
        "tags": [t for t in case.tags.split(",") if t],
        "show_client": case.show_client,
        "show_figures": case.show_figures,
        "show_rollout": case.show_rollout,
        "show_score": case.show_score,
        "updated_at": case.updated_at,
    }


def citation_record(citation: Citation) -> dict[str, Any]:
    return asdict(citation) | {"kpis": list(citation.kpis)}


def trend_record(trend: Trend) -> dict[str, Any]:
    return asdict(trend)
