"""Writes on the decision log. Views, the API, the CLI and the demo all come through here.

Every write checks the whole decision before it saves: what it concerns belongs to the same
project, and the status, date and replacement keep the rules of `validity`. A change of
status is kept in the decision's history with who made it and why.
"""

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from koers.core.errors import KoersError
from koers.projects.models import Project, ScopeItem
from koers.roadmap.models import Phase, PlanRevision
from koers.rollout.models import GateDecision, Wave
from koers.stakeholders.models import Stakeholder

from . import validity
from .models import Decision, DecisionChange

TEXT_FIELDS = ("title", "reasons", "alternatives", "decided_by", "communicated_how")
FIELDS = (
    *TEXT_FIELDS,
    "decided_on",
    "due_on",
    "status",
    "superseded_by",
    "communicated_on",
)
# What a decision can concern, each a model of the same project, and how to find that project.
LINKS: dict[str, tuple[type[models.Model], str]] = {
    "phase": (Phase, "project"),
    "wave": (Wave, "project"),
    "gate_decision": (GateDecision, "gate__wave__project"),
    "scope_item": (ScopeItem, "project"),
    "plan_revision": (PlanRevision, "project"),
}


def resolve_links(project: Project, ids: Mapping[str, int | None]) -> dict[str, Any]:
    """Return the objects of `ids` ({"phase": 12, "superseded_by": 4, ...}); an id of
    another project (or workspace) is refused, naming the field, as one that does not exist."""
    found: dict[str, Any] = {}
    kinds: dict[str, tuple[type[models.Model], str]] = {
        **LINKS,
        "superseded_by": (Decision, "project"),
    }
    for field, pk in ids.items():
        if pk is None:
            found[field] = None
            continue
        model, path = kinds[field]
        item = model._default_manager.filter(pk=pk, **{path: project}).first()
        if item is None:
            raise KoersError(_("There is no such item in this project."), field=field)
        found[field] = item
    return found


def project_deciders(project: Project, ids: Sequence[int]) -> list[Stakeholder]:
    """Return the stakeholders `ids`, each one of the project's; any other (of another
    project, client or workspace) is refused as one that does not exist."""
    found = list(Stakeholder.objects.filter(pk__in=set(ids), involvements__project=project))
    if len(found) != len(set(ids)):
        raise KoersError(_("There is no such stakeholder in this project."), field="deciders")
    return found


def _check(project: Project, decision: Decision) -> None:
    title = " ".join(decision.title.split())
    if not title:
        raise KoersError(_("Say the decision in one sentence."), field="title")
    decision.title = title
    if decision.status not in Decision.Status.values:
        raise KoersError(_("There is no such status."), field="status")
    for field in (*LINKS, "superseded_by"):
        linked = getattr(decision, field)
        if linked is not None:
            resolve_links(project, {field: linked.pk})
    successors = dict(project.decisions.values_list("pk", "superseded_by_id"))
    entry = validity.Entry(
        id=decision.pk,
        status=validity.Status(decision.status),
        decided_on=decision.decided_on,
        superseded_by=decision.superseded_by_id,
    )
    for problem in validity.problems(entry, successors):
        field, message = _MESSAGES[problem]
        raise KoersError(message(), field=field)


_MESSAGES = {
    validity.Problem.DATE_MISSING: (
        "decided_on",
        lambda: _("Give the date the decision was made."),
    ),
    validity.Problem.DATE_TOO_EARLY: (
        "decided_on",
        lambda: _("A proposed decision is not made yet: leave the date empty or choose a status."),
    ),
    validity.Problem.SUCCESSOR_MISSING: (
        "superseded_by",
        lambda: _("Choose the decision that replaces this one."),
    ),
    validity.Problem.SUCCESSOR_WITHOUT_STATUS: (
        "superseded_by",
        lambda: _("Only a superseded decision names the decision that replaces it."),
    ),
    validity.Problem.SUCCESSOR_IS_ITSELF: (
        "superseded_by",
        lambda: _("A decision cannot replace itself."),
    ),
    validity.Problem.SUCCESSOR_CYCLE: (
        "superseded_by",
        lambda: _("That decision is itself replaced, through others, by this one."),
    ),
}


def _clean(changes: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(changes) - {*FIELDS, *LINKS}
    if unknown:
        raise TypeError(f"unknown decision fields: {sorted(unknown)}")
    return {
        field: (value or "").strip() if field in TEXT_FIELDS else value
        for field, value in changes.items()
    }


@transaction.atomic
def decision_create(
    *,
    project: Project,
    actor: Any,
    title: str,
    note: str = "",
    logged_at: Any = None,
    deciders: Sequence[int] = (),
    **fields: Any,
) -> Decision:
    """Log a decision (proposed by default); its first status opens its history.
    `deciders`: ids of the project's stakeholders who decided."""
    who = project_deciders(project, deciders)
    decision = Decision(
        project=project,
        title=title,
        logged_by=actor,
        logged_at=logged_at or timezone.now(),
        **_clean(fields),
    )
    _check(project, decision)
    decision.save()
    decision.deciders.set(who)
    DecisionChange.objects.create(
        decision=decision,
        to_status=decision.status,
        note=note.strip(),
        actor=actor,
        at=decision.logged_at,
    )
    return decision


@transaction.atomic
def decision_update(
    *,
    decision: Decision,
    actor: Any,
    note: str = "",
    deciders: Sequence[int] | None = None,
    **changes: Any,
) -> Decision:
    """Change a decision; a new status is added to its history with `note`.
    `deciders`: the ids of the stakeholders who decided, all of them; None keeps them."""
    who = None if deciders is None else project_deciders(decision.project, deciders)
    # As saved: a model form has already set the new values on the instance it was given.
    before = Decision.objects.values_list("status", flat=True).get(pk=decision.pk)
    for field, value in _clean(changes).items():
        setattr(decision, field, value)
    _check(decision.project, decision)
    decision.save()
    if who is not None:
        decision.deciders.set(who)
    if decision.status != before:
        DecisionChange.objects.create(
            decision=decision,
            from_status=before,
            to_status=decision.status,
            note=note.strip(),
            actor=actor,
        )
    return decision
