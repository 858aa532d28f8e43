"""Every list of the API pages alike: `limit` and a cursor in, `{count, next, items}` out.

Each list route is walked page by page (every item once, in the order of one long page), its
queries per page are counted at two sizes of data, and a bad cursor or limit is refused.
"""

import json
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from django.core import signing
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_scopes import scopes_disabled

from koers.core.paging import SALT
from koers.population.models import Person
from koers.projects.models import ScopeItem
from koers.pulse import services as pulse_services
from koers.pulse.models import FeedbackItem, StatusUpdate
from koers.roadmap.models import Kpi, Milestone, PlanRevision
from koers.roadmap.tests.conftest import make_phase
from koers.rollout import queries, selection
from koers.rollout.models import SupportLoad, Wave
from koers.workspaces.models import Membership, Role
from tests.factories import Cast, ClientFactory, WorkspaceFactory, make_project

from .test_api import Api

W = "/api/v1/w/acme"
P = f"{W}/projects/cloud"
FEEDBACK = "/api/v1/w/{workspace}/projects/{project}/pulse/feedback"
Maker = Callable[[Cast, int, int], None]  # adds items start .. start + count - 1


def _workspaces(cast: Cast, start: int, count: int) -> None:
    for n in range(start, start + count):
        joined = WorkspaceFactory(slug=f"ws{n:03}", name=f"Werkplek {n:03}")
        Membership.objects.create(workspace=joined, user=cast.viewer, role=Role.VIEWER)


def _clients(cast: Cast, start: int, count: int) -> None:
    for n in range(start, start + count):
        # The same name twice: the order falls back on the id, so no client is lost or repeated.
        ClientFactory(workspace=cast.workspace, slug=f"c{n:03}", name=f"Klant {n // 2:03}")


def _projects(cast: Cast, start: int, count: int) -> None:
    for n in range(start, start + count):
        make_project(cast.client, slug=f"p{n:03}", name=f"Project {n:03}")


def _scope(cast: Cast, start: int, count: int) -> None:
    for n in range(start, start + count):
        ScopeItem.objects.create(
            project=cast.project, column="in", title=f"Item {n}", reason="r", position=n % 3
        )


def _phases(cast: Cast, start: int, count: int) -> None:
    for n in range(start, start + count):
        make_phase(cast.project, title=f"Fase {n:03}", start_month=date(2025, 1 + n % 12, 1))


def _kpis(cast: Cast, start: int, count: int) -> None:
    phase = cast.project.phases.first() or make_phase(cast.project, kpis=[])
    for n in range(start, start + count):
        Kpi.objects.create(phase=phase, name=f"KPI {n}")


def _milestones(cast: Cast, start: int, count: int) -> None:
    for n in range(start, start + count):
        Milestone.objects.create(
            project=cast.project, kind="live", title=f"M {n}", on=date(2025, 3, 1 + n % 4)
        )


def _revisions(cast: Cast, start: int, count: int) -> None:
    for n in range(start, start + count):
        PlanRevision.objects.create(project=cast.project, number=n + 1, reason="r", snapshot={})


def _rounds(cast: Cast, start: int, count: int) -> None:
    for n in range(start, start + count):
        pulse_services.round_create(
            project=cast.project,
            actor=cast.owner,
            title=f"Ronde {n}",
            closes_at=timezone.now() + timedelta(days=7),
            questions=[pulse_services.QuestionSpec("scale", "Vraag", "")],
        )


def _feedback(cast: Cast, start: int, count: int) -> None:
    for n in range(start, start + count):
        FeedbackItem.objects.create(project=cast.project, source="other", text=f"Punt {n}")
    # Noted in the same instant: the order falls back on the id.
    FeedbackItem.objects.update(created_at=timezone.now())


def _status_updates(cast: Cast, start: int, count: int) -> None:
    for n in range(start, start + count):
        week = date(2025, 1, 6) + timedelta(weeks=n)
        StatusUpdate.objects.create(project=cast.project, week=week, status="green")


def _people(cast: Cast, start: int, count: int) -> None:
    for n in range(start, start + count):
        Person.objects.create(client=cast.client, key=f"{n:05}", name=f"P {n}", department="Sales")


def _waves(cast: Cast, start: int, count: int) -> None:
    for n in range(start, start + count):
        day = date(2030, 3, 4) + timedelta(days=7 * n)
        wave = Wave.objects.create(
            project=cast.project,
            number=n,
            label=f"Golf {n}",
            kind=Wave.Kind.DEPARTMENT,
            departments=[f"Afdeling {n}"],
            start_on=day,
            end_on=day,
            days=[[day.isoformat(), 10]],
            size=10,
        )
        SupportLoad.objects.create(project=cast.project, wave=wave, day=day, tickets=n)


def _pilot(cast: Cast, start: int, count: int) -> None:
    _people(cast, 3 * start, 3 * count)  # the pilot is chosen anew of more people, larger
    size = Person.objects.filter(client=cast.client).count() // 3
    selection.pilot_select(project=cast.project, actor=None, size=size)


def _first_ring(cast: Cast, start: int, count: int) -> None:
    for n in range(start, start + count):
        Person.objects.create(client=cast.client, key=f"it{n:04}", name=f"IT {n}", department="IT")


def _decisions(cast: Cast, start: int, count: int) -> None:
    from koers.decisions.models import Decision

    phase = cast.project.phases.first() or make_phase(cast.project, kpis=[])
    for n in range(start, start + count):
        Decision.objects.create(project=cast.project, title=f"Besluit {n}", phase=phase)
    # Logged in the same instant: the order falls back on the id.
    Decision.objects.update(logged_at=timezone.now())


def _lessons(cast: Cast, start: int, count: int) -> None:
    from koers.aftercare.models import Lesson

    phase = cast.project.phases.first() or make_phase(cast.project, kpis=[])
    for n in range(start, start + count):
        Lesson.objects.create(project=cast.project, title=f"Les {n}", phase=phase, tags="test")
    # Recorded in the same instant: the order falls back on the id.
    Lesson.objects.update(recorded_at=timezone.now())


def _stakeholders(cast: Cast, start: int, count: int) -> None:
    from koers.stakeholders import services as stakeholders

    for n in range(start, start + count):
        stakeholders.stakeholder_create(client=cast.client, actor=None, name=f"Persoon {n:03}")


def _roles(cast: Cast, start: int, count: int) -> None:
    from koers.stakeholders import services as stakeholders

    for n in range(start, start + count):
        who = stakeholders.stakeholder_create(client=cast.client, actor=None, name=f"Rol {n:03}")
        stakeholders.involvement_save(
            project=cast.project, stakeholder=who, actor=None, stance="neutral"
        )


STANCES = ["champion", "supporter", "neutral", "sceptic", "opponent"]


def _stance_changes(cast: Cast, start: int, count: int) -> None:
    """Stances of one stakeholder in the project, each another than the one before."""
    from koers.stakeholders import services as stakeholders
    from koers.stakeholders.models import Stakeholder

    who = Stakeholder.objects.filter(name="Wisselaar").first()
    who = who or stakeholders.stakeholder_create(client=cast.client, actor=None, name="Wisselaar")
    for n in range(start, start + count):
        stakeholders.involvement_save(
            project=cast.project, stakeholder=who, actor=None, stance=STANCES[n % 5], reason=f"{n}"
        )


def _communications(cast: Cast, start: int, count: int) -> None:
    from koers.stakeholders import services as stakeholders

    for n in range(start, start + count):
        stakeholders.communication_create(
            project=cast.project, actor=None, kind="call", on=date(2027, 1, 4), subject=f"{n}"
        )


def _mails(cast: Cast, start: int, count: int) -> None:
    """Mails of one communication to as many stakeholders."""
    from koers.stakeholders import mailing
    from koers.stakeholders import services as stakeholders
    from koers.stakeholders.models import Communication

    item = Communication.objects.filter(subject="Stand van zaken").first()
    item = item or stakeholders.communication_create(
        project=cast.project,
        actor=None,
        kind="update",
        on=date(2027, 1, 4),
        subject="Stand van zaken",
    )
    people = [
        stakeholders.stakeholder_create(
            client=cast.client, actor=None, name=f"Lezer {n:03}", email=f"lezer{n}@example.com"
        )
        for n in range(start, start + count)
    ]
    mailing.communication_mail(item=item, stakeholders=people, template="status_update", actor=None)


def _wins(cast: Cast, start: int, count: int) -> None:
    """Decisions made today, each celebrated (odd) or dismissed (even) as a win."""
    from koers.decisions import services as decisions
    from koers.wins import services as wins

    for n in range(start, start + count):
        made = decisions.decision_create(
            project=cast.project,
            actor=None,
            title=f"Besluit {n}",
            status="decided",
            decided_on=timezone.localdate(),
        )
        key = f"decision:{made.pk}"
        if n % 2:
            wins.win_celebrate(project=cast.project, key=key, actor=None, message=f"{n}")
        else:
            wins.win_dismiss(project=cast.project, key=key, actor=None)


def _proposals(cast: Cast, start: int, count: int) -> None:
    """Decisions made on a few recent days, two a day: each one a win Koers proposes."""
    from koers.decisions import services as decisions

    for n in range(start, start + count):
        decisions.decision_create(
            project=cast.project,
            actor=None,
            title=f"Besluit {n}",
            status="decided",
            decided_on=timezone.localdate() - timedelta(days=n // 2 % 5),
        )


def _instructions(cast: Cast, start: int, count: int) -> None:
    """Instructions of as many waves, changed in the same instant: the order falls back on
    the id."""
    from koers.instructions import services as instructions

    _waves(cast, start, count)
    for wave in Wave.objects.filter(project=cast.project, number__gte=start):
        instructions.instructions_create(project=cast.project, actor=None, wave=wave.pk)
    cast.project.instructions.update(updated_at=timezone.now())


def _people_mails(cast: Cast, start: int, count: int) -> None:
    """The pilot invitation mailed to a pilot chosen anew of more people, larger."""
    from koers.instructions import mailing

    _pilot(cast, start, count)
    Person.objects.filter(client=cast.client).update(email="mens@example.com")
    mailing.people_mail(
        project=cast.project, kind=mailing.Kind.PILOT, wave=None, actor=None, site="https://k"
    )


def _evaluations(cast: Cast, start: int, count: int) -> None:
    """Evaluations the client answered, sent and answered in the same instant: the order
    falls back on the id."""
    from koers.aftercare import services as aftercare
    from koers.aftercare.models import Evaluation

    for n in range(start, start + count):
        made, _token = aftercare.evaluation_send(project=cast.project, actor=None)
        aftercare.evaluation_answer(evaluation=made, score=n % 11, went_well=f"{n}")
    Evaluation.objects.update(created_at=timezone.now(), answered_at=timezone.now())


def _timeline(cast: Cast, start: int, count: int) -> None:
    """Lines of three kinds on the same days: a decision, a call and a celebrated win."""
    from koers.stakeholders import services as stakeholders

    day = timezone.localdate()
    for n in range(start, start + count):
        if n % 3 == 0:
            stakeholders.communication_create(
                project=cast.project, actor=None, kind="call", on=day, subject=f"{n}"
            )
        else:
            _wins(cast, n, 1)  # odd: a win celebrated; even: a decision made (win dismissed)


def _meetings(cast: Cast, start: int, count: int) -> None:
    """Steering group meetings, two a day, every other one with minutes and a decision."""
    from koers.steering import services as steering

    for n in range(start, start + count):
        meeting = steering.meeting_create(
            project=cast.project, on=date(2030, 1, 1) + timedelta(days=n // 2), actor=None
        )
        if n % 2:
            steering.meeting_minutes(
                meeting=meeting, actor=None, minutes=f"{n}", new_decisions=[f"Besluit {n}"]
            )


def _systems(cast: Cast, start: int, count: int) -> None:
    from koers.landscape import services as landscape

    for n in range(start, start + count):
        landscape.system_create(client=cast.client, name=f"Systeem {n:03}", capability="CRM")


def _integrations(cast: Cast, start: int, count: int) -> None:
    from koers.landscape import services as landscape

    for n in range(start, start + count):
        a, b = (
            landscape.system_create(client=cast.client, name=f"{side} {n:03}", capability="x")
            for side in ("Van", "Naar")
        )
        landscape.integration_create(client=cast.client, source=a, target=b, kind="file")


def _phase_systems(cast: Cast, start: int, count: int) -> None:
    from koers.landscape import services as landscape

    for n in range(start, start + count):
        phase = make_phase(
            cast.project, title=f"Fase {n:03}", start_month=date(2025, 1 + n % 12, 1)
        )
        made = landscape.system_create(client=cast.client, name=f"Nieuw {n:03}", capability="CRM")
        landscape.phase_system_save(phase=phase, system=made, change="introduces")


ROUTES: dict[str, Maker] = {
    "/api/v1/workspaces": _workspaces,
    f"{W}/clients": _clients,
    f"{W}/projects": _projects,
    f"{W}/portfolio": _projects,
    f"{P}/scope": _scope,
    f"{P}/phases": _phases,
    f"{P}/phases/{{phase}}/kpis": _kpis,
    f"{P}/milestones": _milestones,
    f"{P}/revisions": _revisions,
    f"{P}/pulse/rounds": _rounds,
    f"{P}/pulse/feedback": _feedback,
    f"{P}/pulse/status-updates": _status_updates,
    f"{W}/clients/bakkerij/people": _people,
    f"{P}/waves": _waves,
    f"{P}/support-load": _waves,
    f"{P}/pilot/members": _pilot,
    f"{P}/first-ring/members": _first_ring,
    f"{P}/decisions": _decisions,
    f"{P}/lessons": _lessons,
    f"{W}/clients/bakkerij/stakeholders": _stakeholders,
    f"{P}/stakeholders": _roles,
    f"{P}/stakeholders/{{stakeholder}}/stance-changes": _stance_changes,
    f"{P}/communications": _communications,
    f"{P}/communications/{{communication}}/mails": _mails,
    f"{P}/wins": _wins,
    f"{P}/wins/proposals": _proposals,
    f"{P}/instructions": _instructions,
    f"{P}/evaluations": _evaluations,
    f"{W}/clients/bakkerij/evaluations": _evaluations,
    f"{P}/people-mail/messages": _people_mails,
    f"{P}/timeline": _timeline,
    f"{P}/steering/meetings": _meetings,
    f"{W}/clients/bakkerij/landscape/systems": _systems,
    f"{W}/clients/bakkerij/landscape/integrations": _integrations,
    f"{P}/landscape": _phase_systems,
}


def _add(cast: Cast, path: str, start: int, count: int) -> str:
    from koers.stakeholders.models import Communication, Stakeholder

    with scopes_disabled():
        ROUTES[path](cast, start, count)
        phase = cast.project.phases.first()
        who = Stakeholder.objects.filter(name="Wisselaar").first()
        item = Communication.objects.filter(subject="Stand van zaken").first()
    return (
        path.replace("{phase}", str(phase.pk if phase else 0))
        .replace("{stakeholder}", str(who.pk if who else 0))
        .replace("{communication}", str(item.pk if item else 0))
    )


def _walk(api: Api, url: str, limit: int) -> tuple[list[str], list[int]]:
    """Follow `next` from the first page; return the items (as JSON) and each page's count."""
    items: list[str] = []
    counts: list[int] = []
    cursor = None
    while True:
        query = f"?limit={limit}" + (f"&cursor={cursor}" if cursor else "")
        response = api.get(url + query)
        assert response.status_code == 200, response.content
        page = response.json()
        assert set(page) == {"count", "next", "items"}
        assert len(page["items"]) <= limit
        items += [json.dumps(item, sort_keys=True) for item in page["items"]]
        counts.append(page["count"])
        cursor = page["next"]
        if cursor is None:
            return items, counts


def test_every_list_route_of_the_openapi_document_is_paged_and_tested(cast: Cast) -> None:
    document = Api(cast.viewer).get("/api/v1/openapi.json").json()
    paged = {
        path
        for path, methods in document["paths"].items()
        if "get" in methods and "limit" in {p["name"] for p in methods["get"].get("parameters", [])}
    }
    tested = {path.removeprefix("/api/v1").replace("/acme", "/{workspace}") for path in ROUTES}
    tested = {p.replace("/cloud", "/{project}").replace("/bakkerij", "/{client}") for p in tested}
    assert {p.removeprefix("/api/v1") for p in paged} == tested
    for path, methods in document["paths"].items():
        schema = methods.get("get", {}).get("responses", {}).get("200", {})
        body = schema.get("content", {}).get("application/json", {}).get("schema", {})
        assert body.get("type") != "array", f"{path} answers a list without paging"


@pytest.mark.parametrize("path", ROUTES)
def test_walking_the_pages_gives_every_item_once_in_the_order_of_one_page(
    cast: Cast, path: str
) -> None:
    url = _add(cast, path, 1, 7)
    api = Api(cast.viewer)
    whole = api.get(url + "?limit=500").json()
    assert whole["next"] is None and len(whole["items"]) == whole["count"] >= 7

    walked, counts = _walk(api, url, limit=3)

    assert walked == [json.dumps(item, sort_keys=True) for item in whole["items"]]
    assert len(set(walked)) == len(walked)
    assert counts == [whole["count"]] * len(counts)


def _queries_for_a_page(api: Api, url: str, limit: int) -> int:
    first = api.get(f"{url}?limit={limit}").json()
    with CaptureQueriesContext(connection) as context:
        response = api.get(f"{url}?limit={limit}&cursor={first['next']}")
    assert response.status_code == 200 and len(response.json()["items"]) == limit
    return len(context.captured_queries)


@pytest.mark.parametrize("path", ROUTES)
def test_the_queries_of_a_page_do_not_grow_with_the_list(cast: Cast, path: str) -> None:
    """Neither with the list nor with the page: 2 of 5 items cost what 12 of 40 do."""
    api = Api(cast.viewer)
    url = _add(cast, path, 1, 5)
    small = _queries_for_a_page(api, url, 2)

    _add(cast, path, 6, 40)
    large = _queries_for_a_page(api, url, 12)

    assert large == small


def test_a_deep_page_of_people_is_found_by_key_not_by_offset(cast: Cast) -> None:
    url = _add(cast, f"{W}/clients/bakkerij/people", 1, 30)
    api = Api(cast.viewer)
    cursor = api.get(url + "?limit=25").json()["next"]
    with CaptureQueriesContext(connection) as context:
        last = api.get(f"{url}?limit=25&cursor={cursor}").json()
    assert [p["key"] for p in last["items"]] == [f"{n:05}" for n in range(26, 31)]
    listed = [q["sql"] for q in context.captured_queries if '"key" >' in q["sql"]]
    assert listed and not any("OFFSET" in sql for sql in listed)


def test_a_cursor_that_was_not_given_out_is_refused_with_a_reason(cast: Cast) -> None:
    url = _add(cast, f"{P}/phases", 1, 3)
    response = Api(cast.viewer).get(f"{url}?cursor=nonsense")
    assert response.status_code == 400
    assert response.json()["field"] == "cursor"
    assert "'next'" in response.json()["detail"]  # says how to start again


def test_a_changed_or_foreign_cursor_is_refused(cast: Cast) -> None:
    api = Api(cast.viewer)
    phases = _add(cast, f"{P}/phases", 1, 3)
    milestones = _add(cast, f"{P}/milestones", 1, 3)
    cursor = api.get(f"{phases}?limit=1").json()["next"]
    changed = cursor[:-1] + ("A" if cursor[-1] != "A" else "B")

    assert api.get(f"{phases}?cursor={changed}").status_code == 400
    assert api.get(f"{milestones}?cursor={cursor}").status_code == 400
    assert api.get(f"{phases}?cursor={cursor}").status_code == 200


@pytest.mark.parametrize("limit", ["0", "501", "-1", "many"])
def test_a_limit_outside_1_to_500_is_refused_naming_the_limit(cast: Cast, limit: str) -> None:
    response = Api(cast.viewer).get(f"{W}/clients?limit={limit}")
    assert response.status_code == 422
    assert any("limit" in error["loc"] for error in response.json()["detail"])


def test_feedback_pages_keep_their_order_and_tell_nothing_of_pulse_answers(cast: Cast) -> None:
    """Items made from pulse answers page as every item does: newest noted first, by the
    team's noting, and neither items nor cursors carry when or which answer came."""
    with scopes_disabled():
        round = pulse_services.round_create(
            project=cast.project,
            actor=cast.owner,
            title="Ronde",
            closes_at=timezone.now() + timedelta(days=7),
        )
        pulse_services.round_open(round=round, actor=cast.owner)
        answers = [
            pulse_services.answer_submit(
                round=round,
                form_key=pulse_services.new_key(),
                values={
                    "awareness": 4,
                    "desire": 4,
                    "knowledge": 4,
                    "ability": 4,
                    "reinforcement": 4,
                    "unclear": f"Antwoord {n}",
                },
                language="nl",
            )
            for n in range(6)
        ]
        pulse_services.round_close(round=round)
        # Made into feedback in another order than they came.
        for answer in reversed(answers):
            pulse_services.feedback_from_answer(
                round=round, answer=answer, question="unclear", actor=cast.owner
            )
        made = list(FeedbackItem.objects.filter(project=cast.project).values_list("pk", flat=True))
    api = Api(cast.viewer)

    walked, _counts = _walk(api, f"{P}/pulse/feedback", limit=4)

    items = [json.loads(item) for item in walked]
    assert [item["id"] for item in items] == made  # the model's order: newest noted first
    assert not {key for key in items[0] if "answer" in key or "submitted" in key}
    cursor = api.get(f"{P}/pulse/feedback?limit=4").json()["next"]
    listed, (noted, pk) = signing.loads(cursor, salt=SALT)
    assert (listed, pk, noted[:19]) == ("feedback", items[3]["id"], items[3]["created_at"][:19])
    feedback = api.get("/api/v1/openapi.json").json()["paths"][FEEDBACK]["get"]
    asked = {p["name"] for p in feedback["parameters"] if p["in"] == "query"}
    assert asked == {"limit", "cursor"}  # no ordering a client could choose


def test_the_kept_first_ring_pages_and_agrees_with_the_pilot_page(cast: Cast) -> None:
    """Once kept (with the pilot), the API shows the ring the pilot page shows: someone who
    joined IT since is not in it until the ring is found anew."""
    _first_ring(cast, 1, 7)
    with scopes_disabled():
        Person.objects.create(client=cast.client, key="x001", name="Verkoper", department="Sales")
        selection.pilot_select(project=cast.project, actor=cast.owner, size=1)
        _first_ring(cast, 8, 1)  # joins IT after the ring was kept
    api = Api(cast.viewer)
    ring = api.get(f"{P}/first-ring").json()
    assert ring["size"] == 7 and ring["departments"] == [{"department": "IT", "people": 7}]
    walked, counts = _walk(api, f"{P}/first-ring/members", limit=3)
    keys = [json.loads(item)["key"] for item in walked]
    assert keys == [f"it{n:04}" for n in range(1, 8)] and counts == [7, 7, 7]
    with scopes_disabled():
        assert queries.ring_view(cast.project).size == ring["size"]  # as the pilot page shows
