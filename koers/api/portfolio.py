"""API routes for the portfolio (the workspace home) and a person's own digest setting."""

from datetime import date
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from koers.accounts.services import weekly_digest_set
from koers.core.paging import page_sorted
from koers.portfolio import queries, records
from koers.projects.queries import visible_projects

from .auth import workspace_route
from .errors import Error
from .inputs import Input
from .paging import PageIn, page_of

router = Router(tags=["portfolio"])
ProjectStatus = Literal["intake", "planning", "delivery", "aftercare", "closed"]
Rag = Literal["red", "amber", "green"]


class MomentOut(Schema):
    kind: Literal["gate", "feedback", "milestone"]
    on: date
    title: str


class ReasonOut(Schema):
    reason: str = Field(description="What needs attention, as a code: watermelon, gate-due, ...")
    text: str = Field(description="The same in words, in the reader's language.")


class PortfolioRowOut(Schema):
    project: str
    name: str
    client: str
    client_name: str
    status: ProjectStatus
    manager: str | None = Field(description="The project manager's e-mail address.")
    phase: str | None = Field(description="The active phase, else the next planned one.")
    reported: Rag | None
    measured: Rag | None
    watermelon: bool
    guardrail_errors: int | None = Field(description="Null for a client guest.")
    guardrail_warnings: int | None = Field(description="Null for a client guest.")
    next_moment: MomentOut | None
    late_phases: int
    late_waves: int
    decisions_waiting: int | None = Field(description="Null for a client guest.")
    stakeholders_overdue: int | None = Field(description="Null for a client guest.")
    score: int = Field(description="How much needs attention; the list is by it, highest first.")
    reasons: list[ReasonOut]


class PortfolioFilter(Schema):
    client: str | None = Field(None, description="Only this client's projects (its short name).")
    manager: int | None = Field(None, description="Only the projects this user manages (id).")
    status: ProjectStatus | None = Field(
        None, description="Only projects with this status; left out: all but closed ones."
    )


@router.get(
    "w/{workspace}/portfolio", response={200: page_of(PortfolioRowOut), 400: Error, 404: Error}
)
@workspace_route(guests=True)
def portfolio(
    request: HttpRequest, workspace: str, paging: Query[PageIn], filters: Query[PortfolioFilter]
) -> Any:
    """The workspace home as a list: every active project the member may see, what needs
    attention first, with the reasons. A client guest gets their client's projects only,
    without the team's own counts."""
    today = timezone.localdate()
    membership = request.membership  # type: ignore[attr-defined]
    rows = queries.portfolio(
        visible_projects(request),  # type: ignore[arg-type]
        workspace=membership.workspace,
        guest=membership.is_guest,
        filters=queries.filters_from(
            membership.workspace,
            filters.dict(),
            guest_of=membership.client if membership.is_guest else None,
        ),
    )
    found = page_sorted(rows, key=lambda row: row.order, name="portfolio", **paging.dict())
    return {
        "count": found.count,
        "next": found.next,
        "items": [records.row_record(row, today) for row in found.items],
    }


class DigestOut(Schema):
    weekly_digest: bool = Field(
        description="Whether a mail of what needs attention comes on Monday morning."
    )


class DigestIn(Input):
    weekly_digest: bool


@router.get("me/digest", response=DigestOut)
def digest(request: HttpRequest) -> Any:
    """The token's own person's digest setting."""
    return {"weekly_digest": request.user.weekly_digest}  # type: ignore[union-attr]


@router.put("me/digest", response={200: DigestOut, 400: Error})
def digest_write(request: HttpRequest, body: DigestIn) -> Any:
    """Switch the token's own person's weekly digest on or off."""
    user = weekly_digest_set(user=request.user, on=body.weekly_digest)  # type: ignore[arg-type]
    return {"weekly_digest": user.weekly_digest}
