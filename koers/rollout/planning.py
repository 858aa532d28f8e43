"""Writes that shape the wave plan: the phase that delivers it, blackout days, and departments
moved to another wave by hand.

Split from steering.py by subject; every verb checks its input first and writes in one
transaction.
"""

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from koers.core.errors import KoersError
from koers.projects.models import Project

from . import blackout, queries, steering, timeline
from .models import Rollout, Wave, WaveEvent, WaveMember, WavePin


def _blackout_days(rollout: Rollout) -> set[date]:
    return {date.fromisoformat(d) for d in rollout.blackout_dates}


def blackout_import(*, project: Project, actor: Any, data: bytes) -> blackout.Found:
    """Add the days off of an iCalendar file to the rollout's blackout days."""
    try:
        found = blackout.read_ics(data, today=timezone.localdate())
    except blackout.BlackoutError as error:
        raise KoersError(error.message, field="file") from error
    if not found.days:
        raise KoersError(
            _(
                "No day off in this calendar falls from today on: its all-day events are all "
                "in the past, and %(skipped)d timed events are shorter than a day."
            )
            % {"skipped": found.skipped},
            field="file",
        )
    rollout = queries.rollout_of(project)
    days = _blackout_days(rollout) | set(found.days)
    steering.rollout_update(project=project, actor=actor, blackout_dates=sorted(days))
    return found


def wave_department_move(*, project: Project, actor: Any, department: str, position: int) -> Wave:
    """Move a department to the wave at `position` after the pilot, and keep it there.

    The choice is stored, so planning the waves anew keeps it. Before the rollout starts the
    waves are planned anew at once; once it runs, a department moves only between waves
    that have not started, and the waves after them follow the new sizes.
    """
    waves = list(project.waves.filter(kind__in=timeline.MOVABLE_KINDS).order_by("number"))
    if not waves:
        raise KoersError(_("Plan the waves first."))
    if not 1 <= position <= len(waves):
        raise KoersError(
            _("Choose a wave from 1 to %(last)d.") % {"last": len(waves)}, field="position"
        )
    target = waves[position - 1]
    sources = [w for w in waves if department in w.departments and w.pk != target.pk]
    if not sources:
        if any(department in w.departments for w in waves):
            raise KoersError(
                _("%(department)s is in this wave already.") % {"department": department}
            )
        raise KoersError(
            _("No wave holds the department %(department)s.") % {"department": department},
            field="department",
        )
    started = project.waves.exclude(status=Wave.Status.PLANNED).exists()
    if started and any(w.status != Wave.Status.PLANNED for w in [target, *sources]):
        raise KoersError(_("A department moves only between waves that have not started."))
    with transaction.atomic():
        WavePin.objects.update_or_create(
            project=project,
            department=department,
            defaults={"position": position, "pinned_by": actor},
        )
        if not started:
            made = steering.waves_plan(project=project, actor=actor)
            moved = [
                w for w in made if department in w.departments and w.kind in timeline.MOVABLE_KINDS
            ]
            return moved[0] if moved else made[-1]
        return _move_members(project, actor, department, target, sources)


def _move_members(
    project: Project, actor: Any, department: str, target: Wave, sources: list[Wave]
) -> Wave:
    """Move the department's people between planned waves and give them new days."""
    WaveMember.objects.filter(wave__in=sources, person__department=department).update(wave=target)
    for wave in [target, *sources]:
        counts = dict(
            wave.members.values_list("person__department").annotate(n=Count("pk")).order_by()
        )
        wave.departments = sorted(counts)
        wave.size = sum(counts.values())
        wave.label = timeline.short_label(
            number=wave.number,
            kind=wave.kind,
            departments=wave.departments,
            percentage=wave.percentage,
        )
        wave.save(update_fields=["departments", "size", "label"])
    steering._event(
        target,
        WaveEvent.Kind.MOVED,
        actor,
        _("%(department)s moved here by hand") % {"department": department},
    )
    for wave in sources:
        if not wave.size:
            # An emptied wave has nobody to take live and no gate to pass.
            wave.delete()
    first = min([target, *sources], key=lambda w: w.number)
    for wave in sorted([target, *[w for w in sources if w.size]], key=lambda w: w.number):
        steering._reschedule(wave, wave.start_on, actor, WaveEvent.Kind.REPLANNED)
    steering._replan_after(first if first.pk else target, actor)
    target.refresh_from_db()
    return target
