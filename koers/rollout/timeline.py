"""The rollout inside the plan: when it starts, its waves' names, and its steps as the month
roadmap and the status report show them.

Reads only. The roadmap (a lower app) never imports the rollout: its pages ask here, through
`roadmap_steps`, and get the roadmap's own drawing dataclasses back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import F, OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from koers.core import dates, formatting
from koers.projects.models import Project
from koers.roadmap import svg as roadmap_svg

from . import waves as wave_rules
from .models import GateDecision, Rollout, Wave, WavePin

# A department's name in a wave's name, up to this length; longer names are counted instead.
SHORT_NAME = 40
# Waves that pinned departments can move between: not the first ring or the pilot.
MOVABLE_KINDS = (Wave.Kind.DEPARTMENT, Wave.Kind.RING)


def first_day(rollout: Rollout) -> date:
    """Return the pilot's first day: as set, else with the phase that delivers the rollout.

    A phase that has begun already starts the waves tomorrow, not in the past.
    """
    tomorrow = timezone.localdate() + timedelta(days=1)
    if rollout.start_on:
        return rollout.start_on
    if rollout.phase is not None:
        return max(rollout.phase.start_month, tomorrow)
    return tomorrow


def pins_of(project: Project) -> dict[str, int]:
    """Return the departments moved by hand: department -> its position after the pilot."""
    return dict(WavePin.objects.filter(project=project).values_list("department", "position"))


def short_label(
    *,
    number: int,
    kind: str,
    departments: Sequence[str],
    percentage: float | Decimal | None = None,
    name: str = "",
) -> str:
    """Name a wave by its number and what it holds; the list of departments is on its page.

    `name` is the one department's name (with its part, "Finance (1/3)"); a wave of several
    departments, or of one with a long name, counts them.
    """
    if kind == "pilot":
        return _("Pilot")
    if kind == "first_ring":
        return _("First ring")
    if kind == "ring" and percentage is not None:
        return _("Ring %(number)d · %(share)s%%") % {
            "number": number,
            "share": f"{float(percentage):g}",
        }
    name = name or (departments[0] if len(departments) == 1 else "")
    if len(departments) == 1 and name and len(name) <= SHORT_NAME:
        return _("Wave %(number)d · %(name)s") % {"number": number, "name": name}
    count = len(departments)
    return ngettext(
        "Wave %(number)d · %(count)d department",
        "Wave %(number)d · %(count)d departments",
        count,
    ) % {"number": number, "count": count}


def planned_label(planned: wave_rules.PlannedWave) -> str:
    """Name a freshly planned wave (see `short_label`); other kinds keep the planner's name."""
    if planned.kind not in ("first_ring", "pilot", "ring", "department"):
        return planned.label
    return short_label(
        number=planned.number,
        kind=planned.kind,
        departments=planned.departments,
        percentage=planned.percentage,
        name=planned.label if len(planned.departments) == 1 else "",
    )


@dataclass(frozen=True)
class Step:
    """One ring, pilot or wave as the plan shows it, with its gate's last decision."""

    wave: Wave
    decision: str  # the last one recorded: go, no_go, or "" when none is
    decided_at: datetime | None
    is_late: bool

    @property
    def state(self) -> str:
        """go, no_go, paused, rolled_back or "" (nothing decided yet)."""
        if self.wave.status in (Wave.Status.PAUSED, Wave.Status.ROLLED_BACK):
            return str(self.wave.status)
        return self.decision

    @property
    def state_label(self) -> str:
        match self.state:
            case "go":
                return _("Go")
            case "no_go":
                return _("No go")
            case "paused":
                return _("Paused")
            case "rolled_back":
                return _("Rolled back")
        return ""


def _steps(project: Project) -> QuerySet[Wave]:
    """The project's waves in order, each with its last gate decision and the key of the
    phase that delivers the rollout: one query, however many waves and decisions."""
    last = GateDecision.objects.filter(gate__wave=OuterRef("pk")).order_by("-decided_at", "-pk")
    return (
        Wave.objects.filter(project=project)
        .only(
            "pk",
            "number",
            "label",
            "kind",
            "status",
            "start_on",
            "end_on",
            "size",
            "departments",
            "paused_reason",
        )
        .annotate(
            last_decision=Subquery(last.values("decision")[:1]),
            last_decided_at=Subquery(last.values("decided_at")[:1]),
            phase_key=F("project__rollout__phase__key"),
        )
        .order_by("number")
    )


def steps_of(project: Project) -> list[Step]:
    """Return the project's waves in order with their last gate decision and lateness."""
    today = timezone.localdate()
    return [_step(wave, today) for wave in _steps(project)]


def _step(wave: Any, today: date) -> Step:
    return Step(
        wave,
        wave.last_decision or "",
        wave.last_decided_at,
        dates.is_late(
            last_day=wave.end_on,
            is_finished=wave.status in (Wave.Status.DONE, Wave.Status.ROLLED_BACK),
            today=today,
        ),
    )


def _step_note(step: Step, *, shared: bool) -> str:
    wave = step.wave
    parts = [
        f"{wave.label}: {formatting.day(wave.start_on)} \u2013 {formatting.day(wave.end_on)} "
        f"({dates.iso_weeks(wave.start_on, wave.end_on)})",
        str(wave.get_status_display()),
    ]
    if step.state_label:
        parts.append(_("gate: %(decision)s") % {"decision": step.state_label})
    if step.is_late:
        parts.append(_("late"))
    if not shared and wave.status == Wave.Status.PAUSED and wave.paused_reason:
        parts.append(wave.paused_reason)
    return ", ".join(parts)


def roadmap_steps(project: Project, *, shared: bool = False) -> roadmap_svg.Rollout | None:
    """Return the rollout as the month roadmap draws it, under the phase that delivers it.

    `shared`: for the client's roadmap link, without what is internal to the team (why a
    wave was paused); dates, gate decisions and lateness are the client's to see.
    """
    waves: list[Any] = list(_steps(project))  # annotated with phase_key and the decisions
    if not waves:
        return None
    today = timezone.localdate()
    steps = [_step(wave, today) for wave in waves]
    return roadmap_svg.Rollout(
        phase_key=waves[0].phase_key or "",
        steps=tuple(
            roadmap_svg.Step(
                label=step.wave.label,
                start=step.wave.start_on,
                end=step.wave.end_on,
                kind=str(step.wave.kind),
                state=step.state,
                is_late=step.is_late,
                note=_step_note(step, shared=shared),
            )
            for step in steps
        ),
    )
