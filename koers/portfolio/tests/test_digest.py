"""The weekly digest: once per member and week, in the member's language, only what they may
see, and never to someone who switched it off."""

import json
from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from koers.outbox.models import Message
from koers.portfolio.digest import digest_send
from tests.factories import Cast, ClientFactory, MembershipFactory, make_project

from .test_portfolio import Api, watermelon


def _digests(user) -> list[Message]:
    with scopes_disabled():
        return list(Message.objects.filter(to=user.email, template="portfolio/mail/digest"))


def test_a_member_gets_what_needs_attention_once_a_week(cast: Cast, mailoutbox) -> None:
    watermelon(cast.project)
    first = digest_send(base_url="https://koers.example")
    again = digest_send(base_url="https://koers.example")
    assert first.mailed == 5  # owner, manager, member, viewer and the client's guest
    assert again.mailed == 0 and again.before == 5
    [digest] = _digests(cast.member)
    assert "Naar de cloud" in digest.body and "https://koers.example/w/acme/p/cloud/" in digest.body
    assert "https://koers.example/accounts/settings/" in digest.body
    # A new week is a new digest.
    digest_send(today=timezone.localdate() + timedelta(days=7))
    assert len(_digests(cast.member)) == 2


def test_nothing_to_say_sends_nothing(cast: Cast) -> None:
    sent = digest_send()
    assert sent.mailed == 0 and sent.quiet == 6  # acme's five and the outsider elsewhere
    assert not _digests(cast.member)


def test_the_digest_speaks_the_members_language(cast: Cast) -> None:
    watermelon(cast.project)
    with scopes_disabled():
        cast.member.language = "en"
        cast.member.save()
        cast.viewer.language = "nl"
        cast.viewer.save()
    digest_send()
    [english] = _digests(cast.member)
    [dutch] = _digests(cast.viewer)
    assert english.language == "en" and "Reported green, measured red" in english.body
    assert "What needs attention in Acme IT this week" in english.body
    assert dutch.language == "nl" and "Wat aandacht vraagt in Acme IT" in dutch.body


def test_a_member_who_switched_it_off_gets_none(cast: Cast) -> None:
    watermelon(cast.project)
    # The switch on the account page ...
    web = cast.login(cast.member)
    response = web.post(
        reverse("accounts:profile"), {"name": cast.member.name, "language": "", "weekly_digest": ""}
    )
    assert response.status_code == 302
    # ... and through the API, for one's own account only.
    api = Api(cast.viewer)
    assert api.get("/me/digest").json() == {"weekly_digest": True}
    put = api.web.put(
        "/api/v1/me/digest", json.dumps({"weekly_digest": False}), content_type="application/json"
    )
    assert put.status_code == 200 and put.json() == {"weekly_digest": False}
    assert api.get("/me/digest").json() == {"weekly_digest": False}
    assert Api(cast.member).get("/me/digest").json() == {"weekly_digest": False}
    assert Api(cast.owner).get("/me/digest").json() == {"weekly_digest": True}
    sent = digest_send()
    assert sent.off == 2 and sent.mailed == 3
    assert not _digests(cast.member) and not _digests(cast.viewer)


def test_a_member_of_two_workspaces_gets_one_of_each_with_its_own_projects(cast: Cast) -> None:
    watermelon(cast.project)
    with scopes_disabled():
        elsewhere = ClientFactory(name="Elders BV")
        secret = make_project(elsewhere, slug="geheim", name="Geheim project")
        MembershipFactory(workspace=elsewhere.workspace, user=cast.member)
    watermelon(secret)
    digest_send()
    bodies = sorted(d.body for d in _digests(cast.member))
    assert len(bodies) == 2
    assert sum("Geheim project" in body for body in bodies) == 1
    assert all(("Geheim project" in body) != ("Naar de cloud" in body) for body in bodies)
    # The owner of the other workspace's digest does not know the first one's projects.
    assert all("Geheim project" not in d.body for d in _digests(cast.owner))


def test_a_guest_gets_only_their_clients_projects(cast: Cast) -> None:
    with scopes_disabled():
        hall = make_project(cast.other_client, slug="raadhuis", name="Raadhuis")
    watermelon(hall)
    watermelon(cast.project)
    digest_send()
    [guest] = _digests(cast.guest)
    assert "Naar de cloud" in guest.body and "Raadhuis" not in guest.body
    [member] = _digests(cast.member)
    assert "Raadhuis" in member.body


def test_the_command_sends_now_and_says_what_it_did(cast: Cast) -> None:
    watermelon(cast.project)
    out = StringIO()
    call_command("weekly_digest", "--json", stdout=out)
    assert json.loads(out.getvalue())["mailed"] == 5
    out = StringIO()
    call_command("weekly_digest", stdout=out)
    assert "mailed 0, sent before this week 5" in out.getvalue()
