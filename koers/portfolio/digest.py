"""The weekly digest: on Monday morning each member gets, in their language, what needs
attention in the projects they may see, from the portfolio's own ranking.

One mail per member (a person in two workspaces gets one for each, each of its own
workspace) and week, sent through the outbox with a key of both: run twice, or by a timer
that catches up, nobody gets it twice. A member who switched it off on their account page,
and a member with nothing that needs attention, gets none.
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import capfirst
from django_scopes import scope, scopes_disabled

from koers.outbox.models import Message
from koers.outbox.services import mail_send
from koers.projects.queries import projects_visible_to
from koers.workspaces.models import Membership

from . import describe
from .queries import portfolio

SHOWN = 10  # projects in a digest; the portfolio page has the rest
TEMPLATE = "portfolio/mail/digest"


def week_key(membership: Membership, today: date) -> str:
    year, week, _day = today.isocalendar()
    return f"portfolio-digest:{membership.pk}:{year}-W{week:02d}"


@dataclass(frozen=True)
class Sent:
    mailed: int = 0  # new mails this run
    before: int = 0  # already sent this week
    quiet: int = 0  # nothing needs attention
    off: int = 0  # switched off


def _members() -> QuerySet[Membership]:
    return Membership.objects.select_related("workspace", "client", "user").filter(
        user__is_active=True
    )


def membership_digest(membership: Membership, *, today: date, base_url: str) -> Message | None:
    """Send `membership` its digest of the week of `today`, once; None when there is nothing
    to say or it is switched off."""
    user = membership.user
    if not user.weekly_digest:
        return None
    language = user.language or settings.LANGUAGE_CODE
    workspace = membership.workspace
    with scope(workspace=workspace), translation.override(language):
        rows = portfolio(
            projects_visible_to(membership),
            workspace=workspace,
            guest=membership.is_guest,
            today=today,
        )
        needing = [row for row in rows if row.attention.needs_attention]
        if not needing:
            return None
        home = base_url + reverse("workspaces:dashboard", args=[workspace.slug])
        items = [
            {
                "project": row.project.name,
                "client": row.project.client.name,
                "reasons": capfirst(describe.reasons(row.attention, today)),
                "link": base_url + row.project.get_absolute_url(),
            }
            for row in needing[:SHOWN]
        ]
        return mail_send(
            to=user.email,
            template=TEMPLATE,
            context={
                "name": user.name,
                "workspace": workspace.name,
                "items": items,
                "more": len(needing) - len(items),
                "home": home,
                "settings": base_url + reverse("accounts:profile"),
            },
            language=language,
            workspace=workspace,
            key=week_key(membership, today),
        )


def digest_send(*, today: date | None = None, base_url: str | None = None) -> Sent:
    """Send every member their digest of this week: safe to run again (see the module)."""
    today = today or timezone.localdate()
    base_url = (base_url or settings.BASE_URL).rstrip("/")
    counts = {"mailed": 0, "before": 0, "quiet": 0, "off": 0}
    with scopes_disabled():
        members = list(_members().order_by("pk"))
        done = set(
            Message.objects.filter(key__in=[week_key(m, today) for m in members]).values_list(
                "key", flat=True
            )
        )
    for membership in members:
        if not membership.user.weekly_digest:
            counts["off"] += 1
        elif week_key(membership, today) in done:
            counts["before"] += 1
        elif membership_digest(membership, today=today, base_url=base_url) is None:
            counts["quiet"] += 1
        else:
            counts["mailed"] += 1
    return Sent(**counts)
