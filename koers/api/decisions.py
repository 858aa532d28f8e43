"""API routes for the decision log: a project's own decisions, listed, read, logged, changed.

Gate decisions and accepted guardrail deviations stay at their own routes (rollout, plan);
the web log and the CLI show them merged. The decision log is the team's: guests get 404.
"""

from datetime import date, datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from koers.core.errors import KoersError
from koers.core.paging import page
from koers.decisions import queries, records, services
from koers.decisions.models import Decision
from koers.projects.models import Project
from koers.projects.queries import project_for
from koers.workspaces.models import Role

from .auth import workspace_route
from .errors import Error
from .inputs import Input, unchanged
from .paging import PageIn, page_of

router = Router(tags=["decisions"])
DecisionStatus = Literal["proposed", "decided", "revisited", "superseded"]
BASE = "w/{workspace}/projects/{project}"
LINKS_HELP = {
    "superseded_by": "The id of the decision that replaces this one (status superseded).",
    "phase": "The id of a phase of the plan.",
    "wave": "The id of a wave.",
    "gate_decision": "The id of a go/no-go decision of a gate.",
    "scope_item": "The id of a scope item.",
    "plan_revision": "The number of a plan revision.",
}


class DeciderOut(Schema):
    id: int = Field(description="The stakeholder's id.")
    name: str


DECIDERS_HELP = (
    "The ids of the project's stakeholders who decided; `decided_by` names the others in words."
)


class LoggedDecisionOut(Schema):
    id: int
    title: str
    status: DecisionStatus
    reasons: str
    alternatives: str
    deciders: list[DeciderOut] = Field(description="The project's stakeholders who decided.")
    decided_by: str = Field(description="Who else decided, in words.")
    decided_on: date | None
    due_on: date | None = Field(description="When a proposed decision is needed.")
    superseded_by: int | None
    phase: int | None
    wave: int | None
    gate_decision: int | None
    scope_item: int | None
    plan_revision: int | None = Field(description="The revision's number.")
    communicated_on: date | None
    communicated_how: str
    communicated: bool | None = Field(
        description="Whether a made decision was communicated; null while it is proposed."
    )
    logged_at: datetime


class DecisionChangeOut(Schema):
    from_status: DecisionStatus | None
    to_status: DecisionStatus
    note: str
    by: str | None
    at: datetime


class LoggedDecisionDetailOut(LoggedDecisionOut):
    history: list[DecisionChangeOut]


class LoggedDecisionIn(Input):
    title: str = Field(..., min_length=1, max_length=300)
    status: DecisionStatus = "proposed"
    reasons: str = Field("", max_length=4000)
    alternatives: str = Field("", max_length=4000)
    deciders: list[int] = Field([], max_length=50, description=DECIDERS_HELP)
    decided_by: str = Field("", max_length=200)
    decided_on: date | None = None
    due_on: date | None = None
    superseded_by: int | None = Field(None, description=LINKS_HELP["superseded_by"])
    phase: int | None = Field(None, description=LINKS_HELP["phase"])
    wave: int | None = Field(None, description=LINKS_HELP["wave"])
    gate_decision: int | None = Field(None, description=LINKS_HELP["gate_decision"])
    scope_item: int | None = Field(None, description=LINKS_HELP["scope_item"])
    plan_revision: int | None = Field(None, description=LINKS_HELP["plan_revision"])
    communicated_on: date | None = None
    communicated_how: str = Field("", max_length=300)
    note: str = Field("", max_length=500, description="Kept in the history with the status.")


class LoggedDecisionPatch(Input):
    # Fields that cannot be empty are not nullable: leave one out to keep it, null is refused.
    title: str = unchanged(min_length=1, max_length=300)
    status: DecisionStatus = unchanged()
    reasons: str = unchanged(max_length=4000)
    alternatives: str = unchanged(max_length=4000)
    deciders: list[int] = unchanged(
        max_length=50, description=DECIDERS_HELP + " All of them: the list replaces the one before."
    )
    decided_by: str = unchanged(max_length=200)
    decided_on: date | None = None
    due_on: date | None = None
    superseded_by: int | None = Field(None, description=LINKS_HELP["superseded_by"])
    phase: int | None = Field(None, description=LINKS_HELP["phase"])
    wave: int | None = Field(None, description=LINKS_HELP["wave"])
    gate_decision: int | None = Field(None, description=LINKS_HELP["gate_decision"])
    scope_item: int | None = Field(None, description=LINKS_HELP["scope_item"])
    plan_revision: int | None = Field(None, description=LINKS_HELP["plan_revision"])
    communicated_on: date | None = None
    communicated_how: str = unchanged(max_length=300)
    note: str = Field("", max_length=500, description="Kept in the history with the status.")


class DecisionFilter(Schema):
    needed: bool = Field(False, description="Only the decisions still to be made (proposed).")


def _project(request: HttpRequest, slug: str) -> Project:
    return project_for(request, slug)  # type: ignore[arg-type]


def _by_number(project: Project, fields: dict[str, Any]) -> dict[str, Any]:
    """Turn a revision's number (the API names revisions by number) into its id; a number
    the project lacks is refused, naming the field."""
    found = dict(fields)
    if found.get("plan_revision") is not None:
        revisions = project.plan_revisions.filter(number=found["plan_revision"])
        pk = revisions.values_list("pk", flat=True).first()
        if pk is None:
            raise KoersError(_("There is no such item in this project."), field="plan_revision")
        found["plan_revision"] = pk
    return found


def _links(project: Project, fields: dict[str, Any]) -> dict[str, Any]:
    found = _by_number(project, fields)
    ids = {name: found.pop(name) for name in LINKS_HELP if name in found}
    return found | services.resolve_links(project, ids)


def _detail(project: Project, pk: int) -> dict[str, Any]:
    decision = get_object_or_404(queries.with_deciders(queries.decision_rows(project)), pk=pk)
    history = [records.change_record(c) for c in decision.changes.select_related("actor")]
    return records.decision_record(decision) | {"history": history}


@router.get(f"{BASE}/decisions", response={200: page_of(LoggedDecisionOut), 404: Error})
@workspace_route()
def decision_list(
    request: HttpRequest,
    workspace: str,
    project: str,
    paging: Query[PageIn],
    filters: Query[DecisionFilter],
) -> Any:
    """The project's own decisions, the last logged first; `needed=true`: the proposed ones."""
    rows = queries.with_deciders(queries.decision_rows(_project(request, project)))
    if filters.needed:
        rows = rows.filter(status=Decision.Status.PROPOSED)
    found = page(rows, name="decisions", ordering=["-logged_at", "-id"], **paging.dict())
    return {
        "count": found.count,
        "next": found.next,
        "items": [records.decision_record(d) for d in found.items],
    }


@router.get(f"{BASE}/decisions/{{decision}}", response={200: LoggedDecisionDetailOut, 404: Error})
@workspace_route()
def decision_read(request: HttpRequest, workspace: str, project: str, decision: int) -> Any:
    """One decision with the history of its status."""
    return _detail(_project(request, project), decision)


@router.post(
    f"{BASE}/decisions", response={201: LoggedDecisionDetailOut, 400: Error, 403: Error, 404: Error}
)
@workspace_route(Role.MEMBER)
def decision_add(request: HttpRequest, workspace: str, project: str, body: LoggedDecisionIn) -> Any:
    found = _project(request, project)
    made = services.decision_create(project=found, actor=request.user, **_links(found, body.dict()))
    return Status(201, _detail(found, made.pk))


@router.patch(
    f"{BASE}/decisions/{{decision}}",
    response={200: LoggedDecisionDetailOut, 400: Error, 403: Error, 404: Error},
)
@workspace_route(Role.MEMBER)
def decision_change(
    request: HttpRequest, workspace: str, project: str, decision: int, body: LoggedDecisionPatch
) -> Any:
    """Change a decision; a new status goes into its history with `note`."""
    found = _project(request, project)
    existing = get_object_or_404(found.decisions, pk=decision)
    services.decision_update(
        decision=existing, actor=request.user, **_links(found, body.dict(exclude_unset=True))
    )
    return _detail(found, decision)
