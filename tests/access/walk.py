"""The walk over every route that the access tests share, and values for its kwargs.

The routes are read from the URL configuration and the OpenAPI document, so a new page or
API route is covered without touching these tests. Values for the URL's kwargs come from
`victim_kwargs` (conftest.py): real objects of the workspace under attack. A pattern with a
kwarg that mapping lacks fails and says which kwarg to add.
"""

import re
import string
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.http import HttpResponse
from django.test import Client as WebClient
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern
from django.utils import timezone
from django_scopes import scopes_disabled

from koers.workspaces.models import ApiToken, Invitation, Membership, Role

# Workspace pages outside a project that a client guest may read (GET gives 200).
GUEST_WORKSPACE_PAGES = {"workspaces:dashboard"}
# Project pages a member of viewer level may read but a client guest may not. The decision log
# is the team's working record ("who decided" names people): not the client's. Stakeholders are
# personal data of the client, never shown to its guest; so is the client's landscape (owners,
# what data each system holds).
GUEST_HIDDEN_PROJECT_PAGES: set[str] = {
    "decisions:log",
    "decisions:detail",
    "documents:decision_log_xlsx",
    "documents:decision_log_pdf",
    "project_stakeholders:grid",
    "project_stakeholders:role",
    "project_stakeholders:communications",
    "wins:list",
    "wins:detail",
    "wins:timeline",
    "steering:list",
    "steering:meeting",
    "landscape_plan:phases",
    # Lessons learned and the handover are the team's internal record (what could be better,
    # where access is kept): not the client's.
    "aftercare:lessons",
    "aftercare:handover",
    "aftercare:evaluations",
    "aftercare:reference",
    "documents:closing_report",
    # A product names its owner (a stakeholder), its team and its contracts.
    "products:product",
    # Instructions are drafted by the team (the published page is public anyway); the mails
    # to the people of a wave name their addresses.
    "instructions:list",
    "instructions:mail_pilot",
    "instructions:mail_wave",
}
# URL namespaces covered by the API checks below instead of the page checks.
API_NAMESPACES = {"api"}

ORDER_HINT = (
    " (a 405 means @require_POST or @require_safe sits above @workspace_view: put"
    " @workspace_view outermost, so the method is checked only for members)"
)
KWARG = re.compile(r"<(?:[^>:]+:)?(?P<name>[^>]+)>")
URLSAFE = set(string.ascii_letters + string.digits + "-_")
MIN_TOKEN_BITS = 128


@dataclass(frozen=True)
class Route:
    route: str  # as in the URL configuration, e.g. "w/<slug:workspace>/p/<slug:project>/"
    name: str  # "namespace:name", or the route when the pattern has no name
    pattern: URLPattern

    def __str__(self) -> str:
        return self.name

    @property
    def kwargs(self) -> list[str]:
        return KWARG.findall(self.route)

    @property
    def role(self) -> Role:
        role = getattr(self.pattern.callback, "koers_role", None)
        if role is None:
            pytest.fail(
                f"The view of {self.name} ({self.route}) is under <workspace> but not wrapped "
                "in koers.workspaces.tenancy.workspace_view."
            )
        return Role(role)

    @property
    def is_project_page(self) -> bool:
        return "project" in self.kwargs


def walk(
    resolver: URLResolver, prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, str, str, URLPattern]]:
    """Yield (namespace, route, name, pattern) for every URL pattern below `resolver`."""
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = ":".join(part for part in (namespace, entry.namespace or "") if part)
            yield from walk(entry, prefix + _route_text(entry), inner)
        else:
            route = prefix + _route_text(entry)
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            yield namespace, route, name or route, entry


def _route_text(entry: URLPattern | URLResolver) -> str:
    if isinstance(entry.pattern, RoutePattern):
        return str(entry.pattern)
    # A regular expression cannot be filled from the kwargs mapping; keep its group names so
    # the walk still finds a <workspace> in it, and url_for() fails on it.
    return "re_path(" + "".join(f"<{name}>" for name in entry.pattern.regex.groupindex) + ")"


def workspace_routes() -> list[Route]:
    """Return every page pattern whose route carries <workspace>, API patterns excepted."""
    return [
        Route(route, name, pattern)
        for namespace, route, name, pattern in walk(get_resolver())
        if "workspace" in KWARG.findall(route) and namespace.split(":")[0] not in API_NAMESPACES
    ]


ROUTES = workspace_routes()


def url_for(route: Route | str, kwargs: dict[str, Any]) -> str:
    """Fill the route's kwargs from `kwargs`; fail naming a kwarg that is missing."""
    text = route.route if isinstance(route, Route) else route
    label = f"{route} ({text})" if isinstance(route, Route) else text
    if "re_path(" in text:
        pytest.fail(f"{label}: use path() with <converter:name> kwargs, not re_path().")
    missing = [name for name in KWARG.findall(text) if name not in kwargs]
    if missing:
        pytest.fail(
            f"{label} has the kwarg <{missing[0]}>, which victim_kwargs in "
            f"tests/access/conftest.py does not know: add '{missing[0]}' to it, made from a real "
            "object of the victim workspace."
        )
    return "/" + KWARG.sub(lambda match: str(kwargs[match["name"]]), text)


def outbox_kwargs(workspace: Any) -> dict[str, Any]:
    """A failed mail of `workspace`, and an editable mail text in one language."""
    from koers.outbox.models import Message

    with scopes_disabled():
        message = Message.objects.create(
            workspace=workspace,
            to="someone@example.com",
            template="pulse/mail/invitation",
            language="nl",
            subject="Hallo",
            message_id="<access@koers>",
            state=Message.State.FAILED,
            failure=Message.Failure.REFUSED,
        )
    return {"message": message.pk, "template": "pulse-invitation", "language": "nl"}


def plan_kwargs(project: Any) -> dict[str, Any]:
    """A phase with a KPI, a milestone, a deviation, a revision and a share link of `project`."""
    from koers.roadmap import services as plan_services

    with scopes_disabled():
        phase = plan_services.phase_create(
            project=project,
            actor=None,
            title="Pilot",
            start_month=timezone.localdate(),
            weeks=14,
            budget=20_000,
            kpis=[{"name": "Tickets", "baseline": 9, "target": 4}],
        )
        milestone = plan_services.milestone_create(
            project=project, actor=None, kind="feedback", title="Evaluatie", on=timezone.localdate()
        )
        deviation = plan_services.deviation_accept(
            project=project,
            actor=None,
            rule="phase-too-long",
            subject=phase.key,
            justification="Ok",
        )
        link, _token = plan_services.share_link_create(project=project, actor=None, kind="roadmap")
        return {
            "phase": phase.pk,
            "kpi": phase.kpis.get().pk,
            "milestone": milestone.pk,
            "deviation": deviation.pk,
            "number": project.plan_revisions.get().number,
            "link": link.pk,
        }


def rollout_kwargs(project: Any) -> dict[str, Any]:
    """An import run and a person of the project's client, and a planned wave with a gate."""
    from koers.population import services as population_services
    from koers.population.models import ImportRun
    from koers.population.reading import PersonRow
    from koers.rollout import selection as rollout_selection
    from koers.rollout import steering as rollout_steering

    with scopes_disabled():
        # Not IT: IT would be the first ring, and nobody would be left for the pilot.
        rows = [PersonRow(row=n + 2, key=f"P{n}", department="HR") for n in range(3)]
        population_services.people_import(client=project.client, actor=None, rows=rows)
        run = ImportRun.objects.create(client=project.client, file_name="people.csv")
        rollout_selection.pilot_select(project=project, actor=None, size=1)
        wave = rollout_steering.waves_plan(project=project, actor=None)[0]
        return {
            "run": run.pk,
            "person": project.client.people.get(key="P0").pk,
            "key": "P0",
            "wave": wave.pk,
        }


def decision_kwargs(project: Any) -> dict[str, Any]:
    """A decision of `project`'s log."""
    from koers.decisions import services as decision_services

    with scopes_disabled():
        decision = decision_services.decision_create(
            project=project, actor=None, title="Eerst een pilot"
        )
    return {"decision": decision.pk}


def win_kwargs(project: Any) -> dict[str, Any]:
    """A decision made today that Koers proposes as a win, and a win celebrated of another."""
    from koers.decisions import services as decision_services
    from koers.wins import services as win_services

    with scopes_disabled():
        made = [
            decision_services.decision_create(
                project=project,
                actor=None,
                title=title,
                status="decided",
                decided_on=timezone.localdate(),
            )
            for title in ("Eerst de servicedesk", "Daarna de verkoop")
        ]
        win = win_services.win_celebrate(
            project=project, key=f"decision:{made[1].pk}", actor=None, message="Besloten!"
        )
    return {"fact": f"decision:{made[0].pk}", "win": win.pk}


def steering_kwargs(project: Any) -> dict[str, Any]:
    """A steering group meeting of `project`, with minutes."""
    from koers.steering import services as steering_services

    with scopes_disabled():
        meeting = steering_services.meeting_create(
            project=project, on=timezone.localdate(), actor=None
        )
        steering_services.meeting_minutes(meeting=meeting, actor=None, minutes="Besproken")
    return {"meeting": meeting.pk}


def aftercare_kwargs(project: Any) -> dict[str, Any]:
    """A lesson learned of `project`, an item of its handover checklist, an evaluation link and
    a reference case (made directly: the project has delivered nothing yet)."""
    from koers.aftercare import services as aftercare_services
    from koers.aftercare.models import ReferenceCase

    with scopes_disabled():
        lesson = aftercare_services.lesson_create(
            project=project, actor=None, title="Eerder testen"
        )
        aftercare_services.handover_item_save(project=project, kind="runbook", owner="Sam")
        evaluation, _token = aftercare_services.evaluation_send(project=project, actor=None)
        ReferenceCase.objects.create(project=project, summary="Eerst de servicedesk.")
    return {"lesson": lesson.pk, "kind": "runbook", "evaluation": evaluation.pk}


def product_kwargs(project: Any) -> dict[str, Any]:
    """`project` run as a product, with a team member, an outcome and a contract."""
    from datetime import timedelta as days

    from koers.products import services as product_services

    with scopes_disabled():
        product = product_services.product_save(project=project, starts_in="KCC")
        member = product_services.member_add(product=product, name="Sam", role="Developer")
        outcome = product_services.outcome_add(product=product, text="Sneller")
        start = timezone.localdate()
        contract = product_services.contract_add(
            product=product, party="Dimpact", starts_on=start, ends_on=start + days(weeks=8)
        )
    return {"team_member": member.pk, "outcome": outcome.pk, "contract": contract.pk}


def instructions_kwargs(project: Any) -> dict[str, Any]:
    """The published user instructions of `project`'s first wave."""
    from koers.instructions import services as instructions_services

    with scopes_disabled():
        wave = project.waves.order_by("number").first()
        made = instructions_services.instructions_create(
            project=project,
            actor=None,
            wave=wave.pk if wave else None,
            what_changed_nl="Nieuwe mail",
            support_email="help@example.com",
        )
        instructions_services.instructions_publish(instructions=made, actor=None)
    return {"instructions": made.pk}


def pulse_kwargs(project: Any) -> dict[str, Any]:
    """A pulse round with a public link, and a feedback item, of `project`."""
    from datetime import timedelta as days

    from koers.pulse import services as pulse_services

    with scopes_disabled():
        round = pulse_services.round_create(
            project=project,
            actor=None,
            title="Voor de pilot",
            closes_at=timezone.now() + days(days=7),
        )
        pulse_services.round_open(round=round)
        item = pulse_services.feedback_create(
            project=project, actor=None, source="meeting", text="Te weinig uitleg"
        )
    return {"round": round.number, "feedback": item.pk}


def stakeholder_kwargs(project: Any) -> dict[str, Any]:
    """A stakeholder of the project's client with a role in it, and a communication to them."""
    from koers.stakeholders import services as stakeholder_services

    with scopes_disabled():
        stakeholder = stakeholder_services.stakeholder_create(
            client=project.client, actor=None, name="Greet Peeters", email="greet@example.com"
        )
        stakeholder_services.involvement_save(
            project=project, stakeholder=stakeholder, actor=None, stance="sceptic"
        )
        item = stakeholder_services.communication_create(
            project=project,
            actor=None,
            kind="call",
            on=timezone.localdate(),
            subject="Bijpraten",
            audience=[stakeholder],
        )
    return {"stakeholder": stakeholder.pk, "communication": item.pk}


def victim_kwargs_of(cast: Any) -> dict[str, Any]:
    """One value per URL kwarg, each naming a real object of the workspace under attack."""
    with scopes_disabled():
        invitation = Invitation(workspace=cast.workspace, email="new@example.com", role=Role.MEMBER)
        invitation.new_token()
        invitation.save()
        return {
            "workspace": cast.workspace.slug,
            "client": cast.client.slug,
            "project": cast.project.slug,
            "item": cast.project.scope_items.first().pk,
            "contact": cast.client.contacts.get().pk,
            "member": Membership.objects.get(user=cast.member).pk,
            "invitation": invitation.pk,
            "horizon": 24,
            **plan_kwargs(cast.project),
            **pulse_kwargs(cast.project),
            **rollout_kwargs(cast.project),
            **outbox_kwargs(cast.workspace),
            **decision_kwargs(cast.project),
            **stakeholder_kwargs(cast.project),
            **win_kwargs(cast.project),
            **steering_kwargs(cast.project),
            **landscape_kwargs(cast.project),
            **aftercare_kwargs(cast.project),
            **product_kwargs(cast.project),
            **instructions_kwargs(cast.project),
        }


def api_token(user: Any, **fields: Any) -> str:
    token = ApiToken(user=user, name="script", **fields)
    secret = token.new_token()
    token.save()
    return secret


def random_bits(token: str) -> int:
    assert set(token) <= URLSAFE, token
    return len(token) * 6  # each urlsafe base64 character carries 6 bits


def both_methods(web: WebClient, url: str) -> dict[str, HttpResponse]:
    return {"GET": web.get(url), "POST": web.post(url, {})}


def landscape_kwargs(project: Any) -> dict[str, Any]:
    """Two systems of the project's client, an integration between them, and a phase of the
    project that introduces one of them (made here when the plan has none)."""
    from koers.landscape import services as landscape_services
    from koers.roadmap import services as plan_services

    with scopes_disabled():
        shop = landscape_services.system_create(
            client=project.client, name=f"Webshop {project.slug}", capability="Verkoop"
        )
        books = landscape_services.system_create(
            client=project.client, name=f"Boekhouding {project.slug}", capability="Boekhouding"
        )
        integration = landscape_services.integration_create(
            client=project.client, source=shop, target=books, kind="manual"
        )
        phase = project.phases.first() or plan_services.phase_create(
            project=project,
            actor=None,
            title="Webshop",
            start_month=timezone.localdate(),
            weeks=8,
            budget=20_000,
        )
        change = landscape_services.phase_system_save(phase=phase, system=shop, change="introduces")
    return {"system": shop.pk, "integration": integration.pk, "system_change": change.pk}
