"""Reads on small wins that pages, the API and the CLI share: what Koers proposes now (four
queries, whatever the size of the project) and the wins that were handled."""

from datetime import date, timedelta

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from koers.core.paging import DEFAULT_LIMIT, Page, page_sorted
from koers.decisions.models import Decision
from koers.projects.models import Project
from koers.roadmap.models import Kpi
from koers.rollout.models import Wave

from . import rules
from .models import Win

SHOWN = 50  # proposals are fresh ones only; more than this is no small win any more


def _kpis_met(project: Project, since: date) -> list[rules.Fact]:
    rows = (
        Kpi.objects.filter(
            phase__project=project, actual__isnull=False, target__isnull=False, actual_on__gte=since
        )
        .select_related("phase")
        .order_by("id")
    )
    return [
        rules.Fact(
            key=f"kpi:{kpi.key}",
            source=rules.Source.KPI,
            title=_("KPI met: %(kpi)s (%(phase)s)") % {"kpi": kpi.name, "phase": kpi.phase.title},
            on=kpi.actual_on,  # type: ignore[arg-type]  # filtered on above
        )
        for kpi in rows
        if kpi.is_met
    ]


def live_words() -> dict[str, str]:
    return {
        Wave.Kind.FIRST_RING: _("The first ring is live: %(wave)s"),
        Wave.Kind.PILOT: _("The pilot is live: %(wave)s"),
        Wave.Kind.DEPARTMENT: _("%(wave)s is live"),
        Wave.Kind.RING: _("%(wave)s is live"),
    }


def _waves_live(project: Project, since: date) -> list[rules.Fact]:
    live = [Wave.Status.ACTIVE, Wave.Status.EVALUATING, Wave.Status.DONE]
    rows = Wave.objects.filter(project=project, status__in=live, started_at__isnull=False)
    words = live_words()
    return [
        rules.Fact(
            key=f"live:{wave.pk}",
            source=rules.Source.LIVE,
            title=words[wave.kind] % {"wave": wave.label},
            on=timezone.localdate(wave.started_at),
        )
        for wave in rows.filter(started_at__date__gte=since).order_by("number")
    ]


def _decisions_made(project: Project, since: date) -> list[rules.Fact]:
    rows = Decision.objects.filter(
        project=project, status=Decision.Status.DECIDED, decided_on__gte=since
    ).order_by("id")
    return [
        rules.Fact(
            key=f"decision:{decision.pk}",
            source=rules.Source.DECISION,
            title=_("Decided: %(decision)s") % {"decision": decision.title},
            on=decision.decided_on,  # type: ignore[arg-type]  # filtered on above
        )
        for decision in rows
    ]


def facts(project: Project, today: date) -> list[rules.Fact]:
    """Every fresh fact of the project that could be a win (three queries)."""
    since = today - timedelta(days=rules.FRESH_DAYS)
    return _kpis_met(project, since) + _waves_live(project, since) + _decisions_made(project, since)


def proposals(project: Project, today: date | None = None) -> list[rules.Fact]:
    """The wins Koers proposes now, newest first (four queries)."""
    day = today or timezone.localdate()
    handled = set(Win.objects.filter(project=project).values_list("key", flat=True))
    return rules.proposals(facts(project, day), handled, day)


def proposals_page(
    project: Project, *, limit: int = DEFAULT_LIMIT, cursor: str | None = None
) -> Page[rules.Fact]:
    """A page of the proposals, newest first (four queries whatever the page)."""
    return page_sorted(
        proposals(project),
        name=f"koers.wins.proposals:{project.pk}",
        key=lambda fact: [fact.on, fact.key],
        limit=limit,
        cursor=cursor,
        descending=True,
    )


def proposal(project: Project, key: str, today: date | None = None) -> rules.Fact | None:
    return next((fact for fact in proposals(project, today) if fact.key == key), None)


def wins_of(project: Project) -> QuerySet[Win]:
    """The handled wins with their communication, for paging (newest first)."""
    return Win.objects.filter(project=project).select_related("project__workspace", "communication")
