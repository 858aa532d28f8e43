"""Writes on the rollout plan: settings, waves, their gates, pauses and support load.

Split from services.py by subject: people and pilot there, steering the waves here. Every
verb checks its input before it writes and writes in one transaction.
"""

import csv
import io
import re
from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, TypeVar

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from koers.core.bulk import insert_rows, prepare
from koers.core.errors import KoersError
from koers.population.models import Person
from koers.population.queries import active_people, leaving_dates
from koers.projects.models import Project

from . import describe, gates, queries, timeline
from . import ring as ring_rules
from . import waves as wave_rules
from .models import (
    Gate,
    GateDecision,
    PilotMember,
    Rollout,
    SupportLoad,
    Wave,
    WaveEvent,
    WaveMember,
)
from .selection import write_first_ring

# A day, or a day as the database takes it.
Day = TypeVar("Day")

# Rollout settings and the wave plan.

ROLLOUT_FIELDS = (
    "phase",
    "start_on",
    "capacity",
    "template",
    "percentages",
    "soak_days",
    "pilot_soak_days",
    "wave_days",
    "blackout_dates",
    "ticket_rate",
    "desk_capacity",
)


def rollout_update(*, project: Project, actor: Any, **fields: Any) -> Rollout:
    """Save the rollout settings of a project."""
    unknown = set(fields) - set(ROLLOUT_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {', '.join(sorted(unknown))}")
    if "capacity" in fields and int(fields["capacity"]) < 1:
        raise KoersError(_("At least 1 person per working day."), field="capacity")
    percentages = fields.get("percentages")
    if percentages:
        total = sum(Decimal(str(p)) for p in percentages)
        if any(Decimal(str(p)) <= 0 for p in percentages) or total != 100:
            raise KoersError(
                _("The ring percentages must each be above 0 and add up to 100, not %(total)s.")
                % {"total": total},
                field="percentages",
            )
    phase = fields.get("phase")
    if phase is not None and phase.project_id != project.pk:
        raise KoersError(_("Choose a phase of this project."), field="phase")
    rollout = queries.rollout_of(project)
    for name, value in fields.items():
        if name == "blackout_dates":
            value = sorted({d.isoformat() if isinstance(d, date) else str(d) for d in value})
        setattr(rollout, name, value)
    rollout.save()
    return rollout


def _members(project: Project, on: date) -> list[wave_rules.Member]:
    return [
        wave_rules.Member(key, department)
        for key, department in active_people(project.client, on=on)
        .order_by("key")
        .values_list("key", "department")
    ]


def plan_for(
    project: Project,
    rollout: Rollout,
    *,
    start: date | None = None,
    ring: ring_rules.Ring | None = None,
) -> wave_rules.Plan:
    """Compute the wave plan (no writes; see `_plan_for`), without whoever has left by the
    first day or leaves before their day in a wave."""
    first_day = start or timeline.first_day(rollout)
    plan = _plan_for(project, rollout, start=first_day, ring=ring)
    leaving = leaving_dates(project.client, after=first_day)
    return wave_rules.without_leavers(plan, leaving)[0]


def _plan_for(
    project: Project,
    rollout: Rollout,
    *,
    start: date,
    ring: ring_rules.Ring | None = None,
) -> wave_rules.Plan:
    """Compute the wave plan from the project's people, first ring, pilot and settings (no
    writes). The first ring is found anew, so whoever joined IT or the service desk since the
    pilot was chosen goes live with them, and whoever left does not."""
    members = _members(project, on=start)
    if not members:
        raise KoersError(_("Import the client's people first."))
    ring_keys = (ring or queries.first_ring(project)).keys
    pilot = list(
        PilotMember.objects.filter(pilot__project=project)
        .order_by("person__key")
        .values_list("person__key", flat=True)
    )
    calendar = queries.calendar_for(project, rollout)
    first_day = start
    pins = timeline.pins_of(project)
    try:
        if rollout.template == Rollout.Template.DEPARTMENTS:
            return wave_rules.plan_departments(
                members,
                start=first_day,
                capacity=rollout.capacity,
                calendar=calendar,
                pilot=pilot,
                ring=ring_keys,
                pilot_soak_days=rollout.pilot_soak_days,
                max_size=rollout.capacity * rollout.wave_days,
                pins=pins,
            )
        percentages = (
            [float(p) for p in rollout.percentages]
            if rollout.template == Rollout.Template.CUSTOM and rollout.percentages
            else list(wave_rules.RING_TEMPLATE)
        )
        soak = [int(d) for d in rollout.soak_days] or list(wave_rules.RING_SOAK_DAYS)
        return wave_rules.plan_rings(
            members,
            start=first_day,
            capacity=rollout.capacity,
            calendar=calendar,
            pilot=pilot,
            ring=ring_keys,
            pilot_soak_days=rollout.pilot_soak_days,
            percentages=percentages,
            soak_days=soak,
            seed=rollout.seed,
            pins=pins,
        )
    except wave_rules.PlanError as error:
        raise KoersError(str(error)) from error


def waves_plan(
    *,
    project: Project,
    actor: Any,
    ring: ring_rules.Ring | None = None,
    plan: wave_rules.Plan | None = None,
) -> list[Wave]:
    """Plan the waves anew from the settings; only while no wave has started.

    The first ring is written anew with them. `ring` and `plan`: what the caller found and
    computed just before (queries.first_ring, plan_for), so the command does it once.
    """
    if project.waves.exclude(status=Wave.Status.PLANNED).exists():
        raise KoersError(
            _("Waves have started; move or pause a wave instead of planning them all anew.")
        )
    rollout = queries.rollout_of(project)
    ring = ring or queries.first_ring(project)
    plan = plan or plan_for(project, rollout, ring=ring)
    # Everyone's id: a plan from a first day in the past may hold someone who left since.
    ids = dict(Person.objects.filter(client=project.client).values_list("key", "pk"))
    with transaction.atomic():
        write_first_ring(project, ring, ids)
        if rollout.pk is None:
            # Saved as planned, but without a start of its own: it keeps following its phase.
            rollout.save()
        project.waves.all().delete()
        made = []
        for planned in plan.waves:
            wave = Wave.objects.create(
                project=project,
                number=planned.number,
                label=timeline.planned_label(planned),
                kind=planned.kind,
                departments=list(planned.departments),
                percentage=planned.percentage,
                start_on=planned.start,
                end_on=planned.end,
                days=[[d.isoformat(), n] for d, n in planned.days],
                size=planned.size,
                soak_days=planned.soak_days,
            )
            # One row per person: the day is made ready for the database once per day.
            days = [(prepare(WaveMember, "live_on", d), n) for d, n in planned.days]
            insert_rows(
                WaveMember,
                ("wave", "person", "live_on"),
                (
                    (wave.pk, ids[key], day)
                    for key, day in zip(planned.keys, _day_of_each(days), strict=True)
                ),
                prepared={"live_on"},
            )
            WaveEvent.objects.create(wave=wave, kind=WaveEvent.Kind.PLANNED, actor=actor)
            made.append(wave)
        # A gate after every wave: before the next one, and after the last to close it.
        for wave in made:
            Gate.objects.create(wave=wave, max_tickets_per_100=rollout.ticket_rate)
    return made


def _day_of_each(days: Iterable[tuple[Day, int]]) -> Iterable[Day]:
    for day, count in days:
        yield from [day] * count


def _event(wave: Wave, kind: str, actor: Any, note: str = "") -> None:
    WaveEvent.objects.create(wave=wave, kind=kind, actor=actor, note=note)


def _previous(wave: Wave) -> Wave | None:
    return (
        Wave.objects.filter(project=wave.project_id, number__lt=wave.number)
        .exclude(status=Wave.Status.ROLLED_BACK)
        .order_by("-number")
        .first()
    )


def _refused(action: gates.Action) -> str:
    return {
        gates.Action.START: _("Only a planned wave can start."),
        gates.Action.MOVE: _("Only a planned wave can be moved."),
        gates.Action.EVALUATE: _("Only an active wave can be evaluated."),
        gates.Action.DECIDE: _("A gate is decided while its wave is active or evaluated."),
        gates.Action.PAUSE: _("This wave cannot be paused."),
        gates.Action.RESUME: _("Only a paused wave can be resumed."),
        gates.Action.ROLL_BACK: _("Only a wave that went live can be rolled back."),
    }[action]


def _require(wave: Wave, action: gates.Action) -> None:
    """Refuse an action the wave's state does not allow (gates.ACTIONS, as the pages show)."""
    if action not in gates.allowed(wave.status):
        raise KoersError(
            _("%(refusal)s This wave is %(status)s.")
            % {"refusal": _refused(action), "status": wave.get_status_display().lower()}
        )


def wave_start(*, wave: Wave, actor: Any) -> Wave:
    """Start a planned wave: the one before it must have passed its gate."""
    _require(wave, gates.Action.START)
    before = _previous(wave)
    if before is not None and before.status != Wave.Status.DONE:
        raise KoersError(
            _("%(wave)s has not passed its go/no-go gate yet.") % {"wave": before.label}
        )
    with transaction.atomic():
        wave.status = Wave.Status.ACTIVE
        wave.started_at = timezone.now()
        wave.save(update_fields=["status", "started_at"])
        _event(wave, WaveEvent.Kind.STARTED, actor)
    return wave


def wave_evaluate(*, wave: Wave, actor: Any) -> Wave:
    """The wave's people are live: evaluate before the gate."""
    _require(wave, gates.Action.EVALUATE)
    with transaction.atomic():
        wave.status = Wave.Status.EVALUATING
        wave.save(update_fields=["status"])
        _event(wave, WaveEvent.Kind.EVALUATING, actor)
    return wave


def gate_update(*, gate: Gate, actor: Any, **fields: Any) -> Gate:
    """Change a gate's criteria, what was measured, and the evaluation notes."""
    allowed = {
        "max_blocking",
        "open_blocking",
        "max_tickets_per_100",
        "min_understanding",
        "understanding",
        "notes",
    }
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"unknown fields: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(gate, name, value)
    gate.save()
    return gate


def gate_decide(
    *, gate: Gate, actor: Any, decision: str, notes: str = "", justification: str = ""
) -> GateDecision:
    """Record a go or no-go with who, when, why and the verdict; go closes the wave.

    A go over criteria that were not met (failed, or not measured) needs a written
    justification, kept with the decision and shown wherever the gate is shown.
    """
    wave = gate.wave
    if decision not in GateDecision.Decision.values:
        raise KoersError(_("Decide go or no go."), field="decision")
    _require(wave, gates.Action.DECIDE)
    notes, justification = notes.strip(), justification.strip()
    if decision == GateDecision.Decision.NO_GO and not notes:
        raise KoersError(_("Say why the next wave may not go yet."), field="notes")
    verdict = queries.gate_states([wave])[wave.pk].verdict
    if decision == GateDecision.Decision.GO and not verdict.is_met and not justification:
        raise KoersError(
            _("A go over criteria that were not met needs a written justification. %(why)s")
            % {"why": describe.verdict_text(verdict)},
            field="justification",
        )
    if decision == GateDecision.Decision.NO_GO or verdict.is_met:
        justification = ""  # nothing to justify: only a go over unmet criteria takes one
    with transaction.atomic():
        made = GateDecision.objects.create(
            gate=gate,
            decision=decision,
            notes=notes,
            justification=justification,
            decided_by=actor,
            criteria=verdict.as_records(),
            outcome=verdict.outcome.value,
        )
        if decision == GateDecision.Decision.GO:
            wave.status = Wave.Status.DONE
            wave.finished_at = timezone.now()
            wave.save(update_fields=["status", "finished_at"])
            _event(wave, WaveEvent.Kind.DONE, actor, justification or notes)
    return made


def wave_pause(*, wave: Wave, actor: Any, reason: str) -> Wave:
    """Pause a wave for a stated reason; it stays paused until someone resumes it."""
    if not reason.strip():
        raise KoersError(_("Say why the wave is paused."), field="reason")
    _require(wave, gates.Action.PAUSE)
    with transaction.atomic():
        wave.paused_from = wave.status
        wave.status = Wave.Status.PAUSED
        wave.paused_reason = reason.strip()
        wave.save(update_fields=["status", "paused_from", "paused_reason"])
        _event(wave, WaveEvent.Kind.PAUSED, actor, reason.strip())
        _replan_after(wave, actor)
    return wave


def wave_resume(*, wave: Wave, actor: Any) -> Wave:
    """Resume a paused wave where it was; a wave that had not started gets new dates."""
    _require(wave, gates.Action.RESUME)
    with transaction.atomic():
        wave.status = wave.paused_from or Wave.Status.PLANNED
        wave.paused_from = ""
        wave.paused_reason = ""
        wave.save(update_fields=["status", "paused_from", "paused_reason"])
        _event(wave, WaveEvent.Kind.RESUMED, actor)
        if wave.status == Wave.Status.PLANNED:
            tomorrow = timezone.localdate() + timedelta(days=1)
            _reschedule(wave, max(wave.start_on, tomorrow), actor, WaveEvent.Kind.REPLANNED)
        _replan_after(wave, actor)
    return wave


def wave_move(*, wave: Wave, actor: Any, start_on: date) -> Wave:
    """Give a planned wave a new first day; the later planned waves follow it."""
    _require(wave, gates.Action.MOVE)
    before = _previous(wave)
    if before is not None and start_on <= before.end_on:
        raise KoersError(
            _("The wave starts after %(wave)s, which ends on %(day)s.")
            % {"wave": before.label, "day": before.end_on.isoformat()},
            field="start_on",
        )
    with transaction.atomic():
        _reschedule(wave, start_on, actor, WaveEvent.Kind.MOVED)
        _replan_after(wave, actor)
    return wave


def wave_roll_back(*, wave: Wave, actor: Any, reason: str) -> Wave:
    """Roll a wave back; its people, decisions and history stay on record."""
    if not reason.strip():
        raise KoersError(_("Say why the wave is rolled back."), field="reason")
    _require(wave, gates.Action.ROLL_BACK)
    with transaction.atomic():
        wave.status = Wave.Status.ROLLED_BACK
        wave.rolled_back_at = timezone.now()
        wave.save(update_fields=["status", "rolled_back_at"])
        _event(wave, WaveEvent.Kind.ROLLED_BACK, actor, reason.strip())
    return wave


def _reschedule(wave: Wave, start: date, actor: Any, kind: str) -> None:
    rollout = queries.rollout_of(wave.project)
    calendar = queries.calendar_for(wave.project, rollout)
    group = wave_rules.Group(wave.label, tuple(wave.departments), ("x",) * wave.size, wave.kind)
    (planned,) = wave_rules.schedule(
        [group], start=start, capacity=rollout.capacity, calendar=calendar
    )
    old = wave.start_on
    wave.days = [[d.isoformat(), n] for d, n in planned.days]
    wave.start_on, wave.end_on = planned.start, planned.end
    wave.save(update_fields=["days", "start_on", "end_on"])
    members = list(wave.members.order_by("person__key").values_list("pk", flat=True))
    at = 0
    for day, count in planned.days:
        WaveMember.objects.filter(pk__in=members[at : at + count]).update(live_on=day)
        at += count
    if old != wave.start_on:
        _event(wave, kind, actor, f"{old.isoformat()} → {wave.start_on.isoformat()}")


def _replan_after(wave: Wave, actor: Any) -> None:
    """Move the planned waves after `wave` so they follow it, as far as they must."""
    rollout = queries.rollout_of(wave.project)
    calendar = queries.calendar_for(wave.project, rollout)
    end = wave.end_on
    if wave.status == Wave.Status.PAUSED:
        # Nobody knows when it resumes: the earliest is tomorrow, with all its days still ahead.
        tomorrow = timezone.localdate() + timedelta(days=1)
        if wave.start_on < tomorrow:
            end = calendar.add_working_days(tomorrow, max(len(wave.days) - 1, 0))
    soak = wave.soak_days
    for later in Wave.objects.filter(project=wave.project_id, number__gt=wave.number).order_by(
        "number"
    ):
        if later.status != Wave.Status.PLANNED:
            end, soak = later.end_on, later.soak_days
            continue
        earliest = calendar.add_working_days(end, 1 + soak)
        if later.start_on < earliest:
            _reschedule(later, earliest, actor, WaveEvent.Kind.REPLANNED)
        end, soak = later.end_on, later.soak_days


# Support load.


def support_record(*, wave: Wave, actor: Any, day: date, tickets: int) -> SupportLoad:
    """Record the tickets of one day for one wave (replacing what was recorded)."""
    if tickets < 0:
        raise KoersError(_("Tickets cannot be negative."), field="tickets")
    load, _created = SupportLoad.objects.update_or_create(
        wave=wave,
        day=day,
        defaults={"project": wave.project, "tickets": tickets, "actor": actor},
    )
    return load


MAX_TICKETS = 1_000_000  # a day's tickets, as the form and the API allow


def _shown(value: str) -> str:
    """A cell as an error message shows it: control characters replaced, at most 60 long."""
    clean = "".join(c if c.isprintable() else "\ufffd" for c in value)
    return clean[:60] + "…" if len(clean) > 60 else clean


def support_import(*, project: Project, actor: Any, data: bytes) -> int:
    """Record support load from a CSV with the columns wave, day, tickets; all or nothing."""
    if b"\x00" in data[:8192]:  # a spreadsheet, zip or image named .csv
        raise KoersError(_("This is not a text file, so it cannot be a CSV file."), field="file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    first = text.splitlines()[0] if text.strip() else ""
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows = list(reader)
    except csv.Error as error:  # a cell over the csv module's limit, a stray quote
        raise KoersError(
            _("Line %(line)d of the file cannot be read as CSV: %(error)s")
            % {"line": reader.line_num, "error": str(error)},
            field="file",
        ) from error
    filled = [n for n, row in enumerate(rows) if any(cell.strip() for cell in row)]
    if len(filled) < 2:
        raise KoersError(_("The file has no rows of support load."), field="file")
    header = [h.strip().lower() for h in rows[0]]
    names = {
        "wave": ("wave", "golf"),
        "day": ("day", "dag", "date", "datum"),
        "tickets": ("tickets",),
    }
    at: dict[str, int] = {}
    for name, words in names.items():
        found = [i for i, h in enumerate(header) if h in words]
        if not found:
            raise KoersError(
                _("The file needs the columns wave, day and tickets; %(name)s is missing.")
                % {"name": name},
                field="file",
            )
        at[name] = found[0]
    waves = {str(w.number): w for w in project.waves.all()}
    errors: list[str] = []
    records = []
    seen: dict[tuple[int, date], int] = {}
    for number, row in enumerate(rows[1:], 2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            errors.append(
                _("row %(row)d: %(found)d fields, the header has %(expected)d")
                % {"row": number, "found": len(row), "expected": len(header)}
            )
            continue
        cells = {name: row[i].strip() for name, i in at.items()}
        bad = []
        wave = waves.get(cells["wave"])
        if wave is None:
            bad.append("wave")
        try:
            day = date.fromisoformat(cells["day"])
        except ValueError:
            bad.append("day")
        tickets = int(cells["tickets"]) if re.fullmatch(r"[0-9]{1,7}", cells["tickets"]) else -1
        if not 0 <= tickets <= MAX_TICKETS:
            bad.append("tickets")
        if bad or wave is None:
            errors.extend(
                _("row %(row)d, column %(column)s: %(value)s")
                % {"row": number, "column": rows[0][at[name]].strip(), "value": _shown(cells[name])}
                for name in bad
            )
            continue
        earlier = seen.setdefault((wave.pk, day), number)
        if earlier != number:
            errors.append(
                _("row %(row)d repeats wave %(wave)s on %(day)s of row %(first)d")
                % {"row": number, "wave": wave.number, "day": day.isoformat(), "first": earlier}
            )
            continue
        records.append((wave, day, tickets))
    if errors:
        raise KoersError(
            _(
                "Nothing was recorded. These rows need a wave number, an ISO date and a "
                "number: %(rows)s"
            )
            % {"rows": "; ".join(errors[:10])},
            field="file",
        )
    with transaction.atomic():
        for wave, day, tickets in records:
            support_record(wave=wave, actor=actor, day=day, tickets=tickets)
    return len(records)
