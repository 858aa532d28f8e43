"""The draft plan a plan file becomes: what Koers would save, before anyone accepted it.

Dataclasses only, and the conversions every reader shares: a task's first and last day
become a month and a number of weeks, the day itself kept in a note so the roadmap's month
never hides when the work really starts.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from koers.roadmap import guardrails

# More phases than this is a task list, not a plan of phases: the user is asked to mark
# the phases as summary tasks (or to import fewer rows).
MAX_PHASES = 100
MAX_ITEMS = 500  # milestones or scope items
MAX_WEEKS = 260  # models.MAX_PHASE_WEEKS; kept here so the package stays pure
MAX_BUDGET = Decimal("9999999999.99")  # Phase.budget: 12 digits, 2 after the point


class PlanFileError(ValueError):
    """A plan file Koers cannot read: says why and, when it knows, where (task or row),
    which field and which value."""

    def __init__(self, message: str, *, where: str = "", field: str = "", value: str = "") -> None:
        self.message, self.where, self.field, self.value = message, where, field, value
        super().__init__(self.text)

    @property
    def text(self) -> str:
        parts = [self.where] if self.where else []
        if self.field:
            parts.append(_("field %(field)s") % {"field": self.field})
        if self.value:
            parts.append(_("value “%(value)s”") % {"value": self.value[:80]})
        return f"{', '.join(parts)}: {self.message}" if parts else self.message


@dataclass(frozen=True)
class DraftPhase:
    ref: str  # the task's id in the file, or its row
    title: str
    start_month: date
    weeks: int
    budget: Decimal
    builds_on: str = ""  # the ref of the phase it builds on
    include: bool = True
    notes: tuple[str, ...] = ()

    @property
    def end(self) -> date:
        return self.start_month + timedelta(weeks=self.weeks)


@dataclass(frozen=True)
class DraftMilestone:
    ref: str
    title: str
    on: date
    kind: str = "coming"
    phase: str = ""  # the ref of the phase it belongs to
    include: bool = True


@dataclass(frozen=True)
class DraftScopeItem:
    ref: str
    title: str
    column: str  # "in", "out" or "later", as ScopeItem.Column
    reason: str
    include: bool = True


@dataclass(frozen=True)
class DraftPlan:
    source: str  # the format read: "mspdi", "gan", "jira", "csv"
    name: str = ""
    phases: tuple[DraftPhase, ...] = ()
    milestones: tuple[DraftMilestone, ...] = ()
    scope_items: tuple[DraftScopeItem, ...] = ()
    notes: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return asdict(self, dict_factory=_plain)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DraftPlan:
        return cls(
            source=data["source"],
            name=data["name"],
            phases=tuple(
                DraftPhase(
                    **(
                        p
                        | {
                            "start_month": date.fromisoformat(p["start_month"]),
                            "budget": Decimal(p["budget"]),
                            "notes": tuple(p["notes"]),
                        }
                    )
                )
                for p in data["phases"]
            ),
            milestones=tuple(
                DraftMilestone(**(m | {"on": date.fromisoformat(m["on"])}))
                for m in data["milestones"]
            ),
            scope_items=tuple(DraftScopeItem(**s) for s in data["scope_items"]),
            notes=tuple(data["notes"]),
        )

    def included(self) -> DraftPlan:
        """The draft with only what the user kept, and no link to a phase left out."""
        phases = tuple(p for p in self.phases if p.include)
        kept = {p.ref: p for p in phases}
        linked = tuple(
            replace(p, builds_on=p.builds_on if _can_build_on(p, kept.get(p.builds_on)) else "")
            for p in phases
        )
        return replace(
            self,
            phases=linked,
            milestones=tuple(
                replace(m, phase=m.phase if m.phase in kept else "")
                for m in self.milestones
                if m.include
            ),
            scope_items=tuple(s for s in self.scope_items if s.include),
        )


def _can_build_on(phase: DraftPhase, earlier: DraftPhase | None) -> bool:
    """Koers refuses a phase that starts before the phase it builds on starts."""
    return (
        earlier is not None
        and earlier.ref != phase.ref
        and earlier.start_month <= phase.start_month
    )


def _plain(items: list[tuple[str, Any]]) -> dict[str, Any]:
    return {
        k: v.isoformat() if isinstance(v, date) else str(v) if isinstance(v, Decimal) else v
        for k, v in items
    }


def day_text(day: date) -> str:
    return date_format(day, "j F Y")


def phase_from_days(
    *, ref: str, title: str, first: date, last: date, budget: Decimal, notes: list[str]
) -> DraftPhase:
    """A phase from its first and last day: the month it starts in, the weeks it lasts."""
    if not Decimal(0) <= budget <= MAX_BUDGET:
        raise PlanFileError(
            _("A budget is between 0 and 9,999,999,999.99 euros."),
            where=clean_title(title, ref),
            field=_("budget"),
            value=str(budget),
        )
    if last < first:
        last = first
    weeks = max(1, math.ceil(((last - first).days + 1) / 7))
    if first.day != 1 or weeks * 7 != (last - first).days + 1:
        notes.append(
            _("In the file: %(first)s to %(last)s.")
            % {"first": day_text(first), "last": day_text(last)}
        )
    if weeks > MAX_WEEKS:
        notes.append(
            _("Lasts %(weeks)d weeks; Koers keeps a phase to at most %(max)d: shortened.")
            % {"weeks": weeks, "max": MAX_WEEKS}
        )
        weeks = MAX_WEEKS
    return DraftPhase(
        ref=ref,
        title=clean_title(title, ref),
        start_month=first.replace(day=1),
        weeks=weeks,
        budget=budget,
        notes=tuple(notes),
    )


def clean_title(title: str, ref: str, limit: int = 120) -> str:
    """Collapse the spaces tools leave (non-breaking, doubled), and cut to the model's length."""
    text = " ".join(title.split())[:limit]
    return text or _("Task %(ref)s") % {"ref": ref}


LIVE_WORDS = ("live", "livegang", "go-live", "launch", "lancering", "in productie")


def milestone_kind(title: str) -> str:
    lowered = title.lower()
    return "live" if any(word in lowered for word in LIVE_WORDS) else "coming"


def check_size(draft: DraftPlan) -> DraftPlan:
    if len(draft.phases) > MAX_PHASES:
        raise PlanFileError(
            _(
                "The file has %(count)d top-level tasks; Koers imports at most %(max)d phases. "
                "Group the tasks under summary tasks (one per phase) and export again."
            )
            % {"count": len(draft.phases), "max": MAX_PHASES}
        )
    if len(draft.milestones) > MAX_ITEMS or len(draft.scope_items) > MAX_ITEMS:
        raise PlanFileError(
            _("The file has more than %(max)d milestones or scope items.") % {"max": MAX_ITEMS}
        )
    if not (draft.phases or draft.milestones or draft.scope_items):
        raise PlanFileError(_("The file holds no tasks, milestones or issues Koers can use."))
    return draft


def guardrail_plan(draft: DraftPlan) -> guardrails.Plan:
    """The draft as the guardrails see it: an imported phase has no standalone value, KPI or
    vision link yet, and those findings are meant to be seen before anything is saved."""
    kept = draft.included()
    return guardrails.Plan(
        phases=tuple(
            guardrails.Phase(
                key=p.ref,
                title=p.title,
                start=p.start_month,
                weeks=p.weeks,
                budget=p.budget,
                has_standalone_value=False,
                has_vision_link=False,
                builds_on=p.builds_on or None,
            )
            for p in kept.phases
        ),
        deliveries=tuple(m.on for m in kept.milestones if m.kind == "live"),
    )
