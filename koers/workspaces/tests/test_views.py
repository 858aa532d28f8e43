import re

import pytest
from django.db import connection
from django.test import Client as WebClient
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from koers.accounts.models import User
from koers.workspaces.models import Client, Invitation, Membership, Role, Workspace
from koers.workspaces.views import CLIENT_LIST_PAGE
from tests.factories import (
    Cast,
    ClientFactory,
    ContactPersonFactory,
    UserFactory,
    make_project,
)


def english(web: WebClient) -> WebClient:
    web.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return web


def login(cast: Cast, user: User) -> WebClient:
    return english(cast.login(user))


def shown_messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def invite(cast: Cast, mailoutbox, email: str = "new@example.com", role: str = Role.MEMBER) -> str:
    """Invite `email` as the owner through the members page; return the e-mailed link's path."""
    with TestCase.captureOnCommitCallbacks(execute=True):  # the outbox sends on commit
        response = login(cast, cast.owner).post(
            reverse("workspaces:members", args=["acme"]), {"email": email, "role": role}
        )
    assert response.status_code == 302, response.context["form"].errors
    link = re.search(r"https?://testserver(/invite/\S+/)", mailoutbox[-1].body)
    assert link, mailoutbox[-1].body
    return link[1]


def test_dashboard_lists_the_workspace_projects_per_client(cast: Cast):
    response = login(cast, cast.viewer).get(reverse("workspaces:dashboard", args=["acme"]))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Bakkerij Peeters" in page
    assert "Gemeente Aa" in page
    assert "Naar de cloud" in page


def test_the_client_list_pages_its_clients_in_fixed_queries(cast: Cast):
    web = login(cast, cast.viewer)
    url = reverse("workspaces:clients", args=["acme"])
    web.get(url)  # the first visit notes the workspace in the session
    with CaptureQueriesContext(connection) as few:
        web.get(url)
    with scopes_disabled():
        for n in range(60):
            client = ClientFactory(workspace=cast.workspace, name=f"Zz klant {n:02d}")
            make_project(client, slug=f"p-{n}", name=f"Project {n:02d}")
    with CaptureQueriesContext(connection) as many:
        first = web.get(url).content.decode()
    pages = -(-62 // CLIENT_LIST_PAGE)
    last = web.get(url + f"?page={pages}").content.decode()
    assert len(many) == len(few)
    assert "Bakkerij Peeters" in first and "Zz klant 59" not in first
    assert f"Page 1 of {pages}" in first
    assert "Zz klant 59" in last and "Bakkerij Peeters" not in last


def test_guest_dashboard_shows_only_its_own_client(cast: Cast):
    with scopes_disabled():
        make_project(cast.other_client, slug="raadhuis", name="Raadhuis")

    response = login(cast, cast.guest).get(reverse("workspaces:dashboard", args=["acme"]))

    page = response.content.decode()
    assert "Naar de cloud" in page
    assert "Gemeente Aa" not in page
    assert "Raadhuis" not in page


def test_invite_then_accept_by_the_emailed_link_as_the_invited_address(cast: Cast, mailoutbox):
    link = invite(cast, mailoutbox, role=Role.MANAGER)
    assert mailoutbox[0].to == ["new@example.com"]
    invited = english(WebClient())
    invited.force_login(UserFactory(email="new@example.com"))

    page = invited.get(link)
    assert page.status_code == 200
    assert "Acme IT" in page.content.decode()
    response = invited.post(link, follow=True)

    assert response.redirect_chain[-1][0] == reverse("workspaces:dashboard", args=["acme"])
    assert "You joined Acme IT." in shown_messages(response)
    membership = Membership.objects.get(user__email="new@example.com")
    assert (membership.workspace.slug, membership.role) == ("acme", Role.MANAGER)


def test_an_invited_newcomer_signs_up_by_the_link_and_joins_without_a_workspace_of_their_own(
    cast: Cast, mailoutbox
):
    link = invite(cast, mailoutbox)
    token = link.strip("/").split("/")[-1]
    web = english(WebClient())

    response = web.post(
        reverse("accounts:signup") + f"?invitation={token}",
        {
            "invitation": token,
            "name": "Nieuwe Collega",
            "email": "someone-else@example.com",  # ignored: the field is fixed to the invitation
            "password": "paarse-olifant-42",
        },
    )

    assert response.status_code == 302
    user = User.objects.get(email="new@example.com")
    assert [m.workspace.slug for m in user.memberships.all()] == ["acme"]
    assert Workspace.objects.count() == 2  # acme and the outsider's, no new one


def test_a_used_invitation_link_says_so_and_makes_no_membership(cast: Cast, mailoutbox):
    link = invite(cast, mailoutbox)
    invited = english(WebClient())
    invited.force_login(UserFactory(email="new@example.com"))
    invited.post(link)
    stranger = UserFactory(email="stranger@example.com")
    web = english(WebClient())
    web.force_login(stranger)

    response = web.post(link)

    assert response.status_code == 410
    assert "This invitation has already been used." in response.content.decode()
    assert not Membership.objects.filter(user=stranger).exists()


def test_an_expired_invitation_link_says_so_and_makes_no_membership(cast: Cast, mailoutbox):
    link = invite(cast, mailoutbox)
    Invitation.objects.update(expires_at=timezone.now())
    user = UserFactory(email="new@example.com")
    web = english(WebClient())
    web.force_login(user)

    shown = web.get(link)
    response = web.post(link)

    assert shown.status_code == response.status_code == 410
    assert "This invitation expired on" in response.content.decode()
    assert not Membership.objects.filter(user=user).exists()


def test_a_withdrawn_invitation_link_says_so_and_makes_no_membership(cast: Cast, mailoutbox):
    link = invite(cast, mailoutbox)
    invitation = Invitation.objects.get()
    revoke = reverse("workspaces:invitation_revoke", args=["acme", invitation.pk])
    assert login(cast, cast.manager).post(revoke).status_code == 302
    user = UserFactory(email="new@example.com")
    web = english(WebClient())
    web.force_login(user)

    response = web.post(link)

    assert response.status_code == 410
    assert "This invitation link is not valid." in response.content.decode()
    assert not Membership.objects.filter(user=user).exists()


def test_an_invitation_opened_by_another_logged_in_address_says_so(cast: Cast, mailoutbox):
    link = invite(cast, mailoutbox)
    other = UserFactory(email="colleague@example.com")
    web = english(WebClient())
    web.force_login(other)

    response = web.post(link)

    assert response.status_code == 409
    page = response.content.decode()
    assert "This invitation is for new@example.com" in page
    assert "colleague@example.com" in page
    assert not Membership.objects.filter(user=other).exists()
    assert Invitation.objects.get().accepted_at is None  # the invited address can still use it


def test_an_unknown_invitation_link_gives_the_same_answer_as_a_withdrawn_one(db):
    response = english(WebClient()).get(reverse("invitation", args=["x" * 43]))

    assert response.status_code == 410
    assert "This invitation link is not valid." in response.content.decode()


def test_a_manager_cannot_invite_an_owner(cast: Cast, mailoutbox):
    response = login(cast, cast.manager).post(
        reverse("workspaces:members", args=["acme"]),
        {"email": "boss@example.com", "role": Role.OWNER},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["role"] == ["Only an owner can make someone owner."]
    assert 'value="boss@example.com"' in response.content.decode()
    assert mailoutbox == []


def _role_change(web: WebClient, membership: Membership, role: str, client: str = ""):
    return web.post(
        reverse("workspaces:member_role", args=["acme", membership.pk]),
        {f"m{membership.pk}-role": role, f"m{membership.pk}-client": client},
        follow=True,
    )


def test_the_last_owner_cannot_be_demoted_or_removed(cast: Cast):
    web = login(cast, cast.owner)
    owner = Membership.objects.get(user=cast.owner)
    message = "A workspace needs at least one owner. Make someone else owner first."

    demoted = _role_change(web, owner, Role.MANAGER)
    removed = web.post(reverse("workspaces:member_remove", args=["acme", owner.pk]), follow=True)

    assert message in shown_messages(demoted)
    assert message in shown_messages(removed)
    owner.refresh_from_db()
    assert owner.role == Role.OWNER


def test_only_owners_make_owners(cast: Cast):
    member = Membership.objects.get(user=cast.member)

    refused = _role_change(login(cast, cast.manager), member, Role.OWNER)
    member.refresh_from_db()
    assert member.role == Role.MEMBER
    assert "Only an owner can make someone owner." in shown_messages(refused)

    _role_change(login(cast, cast.owner), member, Role.OWNER)
    member.refresh_from_db()
    assert member.role == Role.OWNER


def test_a_manager_cannot_remove_an_owner(cast: Cast):
    owner = Membership.objects.get(user=cast.owner)

    response = login(cast, cast.manager).post(
        reverse("workspaces:member_remove", args=["acme", owner.pk]), follow=True
    )

    assert "Only an owner can remove an owner." in shown_messages(response)
    assert Membership.objects.filter(pk=owner.pk).exists()


def test_a_removed_member_gets_404_in_the_session_they_already_have(cast: Cast):
    member_web = login(cast, cast.member)
    dashboard = reverse("workspaces:dashboard", args=["acme"])
    assert member_web.get(dashboard).status_code == 200
    member = Membership.objects.get(user=cast.member)

    login(cast, cast.manager).post(reverse("workspaces:member_remove", args=["acme", member.pk]))

    assert not Membership.objects.filter(pk=member.pk).exists()
    assert member_web.get(dashboard).status_code == 404
    assert member_web.get(reverse("projects:overview", args=["acme", "cloud"])).status_code == 404


def test_a_demoted_member_is_refused_changes_at_once(cast: Cast):
    member_web = login(cast, cast.member)
    _role_change(login(cast, cast.owner), Membership.objects.get(user=cast.member), Role.VIEWER)

    response = member_web.post(
        reverse("projects:scope", args=["acme", "cloud"]),
        {"column": "in", "title": "Nog iets", "reason": "Omdat"},
    )

    assert response.status_code == 403


CLIENT = {"name": "Tandartsen Oost", "slug": "tandartsen-oost", "country": "NL", "sector": ""}


def test_a_member_adds_a_client(cast: Cast):
    response = login(cast, cast.member).post(
        reverse("workspaces:client_create", args=["acme"]), CLIENT
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("workspaces:client", args=["acme", "tandartsen-oost"])
    with scopes_disabled():
        assert Client.objects.get(slug="tandartsen-oost").workspace == cast.workspace


@pytest.mark.parametrize(
    ("change", "field", "error"),
    [
        ({"slug": "bakkerij"}, "slug", "A client with this short name already exists."),
        ({"slug": "Bakkerij"}, "slug", "A client with this short name already exists."),
        ({"slug": "new"}, "slug", "This short name is reserved; choose another."),
        (
            {"name": "x" * 121},
            "name",
            "Ensure this value has at most 120 characters (it has 121).",
        ),
        ({"name": ""}, "name", "This field is required."),
        (
            {"name": "???", "slug": ""},
            "slug",
            "The name has no letters or digits to make a short name of; write one.",
        ),
    ],
)
def test_client_form_errors_name_the_field_and_keep_the_input(
    cast: Cast, change: dict[str, str], field: str, error: str
):
    data = {**CLIENT, "sector": "Zorg", **change}

    response = login(cast, cast.member).post(
        reverse("workspaces:client_create", args=["acme"]), data
    )

    assert response.status_code == 200
    assert response.context["form"].errors[field] == [error]
    page = response.content.decode()
    assert 'value="Zorg"' in page
    for name in ("name", "slug"):
        if data[name]:
            assert f'value="{data[name]}"' in page
    with scopes_disabled():
        assert Client.objects.filter(workspace=cast.workspace).count() == 2


def test_a_client_without_short_name_gets_one_from_its_name_and_it_stays_editable(cast: Cast):
    web = login(cast, cast.member)
    create = reverse("workspaces:client_create", args=["acme"])
    first = web.post(create, {**CLIENT, "name": "Gemeente 's-Hertogenbosch", "slug": ""})
    again = web.post(create, {**CLIENT, "name": "Gemeente 's-Hertogenbosch", "slug": ""})

    assert first["Location"] == reverse(
        "workspaces:client", args=["acme", "gemeente-s-hertogenbosch"]
    )
    assert again["Location"] == reverse(
        "workspaces:client", args=["acme", "gemeente-s-hertogenbosch-2"]
    )
    edit = reverse("workspaces:client_edit", args=["acme", "gemeente-s-hertogenbosch-2"])
    assert 'value="gemeente-s-hertogenbosch-2"' in web.get(edit).content.decode()
    renamed = web.post(edit, {**CLIENT, "name": "Den Bosch", "slug": "den-bosch"})
    assert renamed["Location"] == reverse("workspaces:client", args=["acme", "den-bosch"])
    taken = web.post(
        reverse("workspaces:client_edit", args=["acme", "den-bosch"]),
        {**CLIENT, "slug": "gemeente-s-hertogenbosch"},
    )
    assert taken.context["form"].errors["slug"] == ["A client with this short name already exists."]


def test_a_client_slug_used_in_another_workspace_is_fine(cast: Cast):
    with scopes_disabled():
        Client.objects.create(
            workspace=Workspace.objects.get(memberships__user=cast.outsider),
            slug="tandartsen-oost",
            name="Elders",
        )

    response = login(cast, cast.member).post(
        reverse("workspaces:client_create", args=["acme"]), CLIENT
    )

    assert response.status_code == 302


def test_a_contact_is_invited_as_guest_of_their_client(cast: Cast, mailoutbox):
    with scopes_disabled():
        contact = ContactPersonFactory(client=cast.client, email="jan@bakkerij.example")

    with TestCase.captureOnCommitCallbacks(execute=True):  # the outbox sends on commit
        response = login(cast, cast.manager).post(
            reverse("workspaces:contact_invite", args=["acme", "bakkerij", contact.pk]),
            follow=True,
        )

    assert f"{contact.name} is invited as guest of Bakkerij Peeters." in shown_messages(response)
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.role) == ("jan@bakkerij.example", Role.GUEST)
    assert invitation.client_id == cast.client.pk
    (mail,) = mailoutbox
    link = re.search(r"https?://testserver(/invite/\S+/)", mail.body)
    assert link
    guest = UserFactory(email="jan@bakkerij.example")
    web = english(WebClient())
    web.force_login(guest)
    web.post(link[1])
    membership = Membership.objects.get(user=guest)
    assert (membership.role, membership.client_id) == (Role.GUEST, cast.client.pk)
    assert web.get(reverse("projects:overview", args=["acme", "cloud"])).status_code == 200
    assert web.get(reverse("workspaces:clients", args=["acme"])).status_code == 404


def test_a_contact_without_email_cannot_be_invited(cast: Cast, mailoutbox):
    with scopes_disabled():
        contact = ContactPersonFactory(client=cast.client, email="")

    response = login(cast, cast.manager).post(
        reverse("workspaces:contact_invite", args=["acme", "bakkerij", contact.pk]), follow=True
    )

    assert f"Add an e-mail address to {contact.name} first." in shown_messages(response)
    assert not Invitation.objects.exists()
    assert mailoutbox == []


def test_a_contact_of_another_client_is_not_found_under_this_client(cast: Cast):
    with scopes_disabled():
        contact = ContactPersonFactory(client=cast.other_client)

    response = login(cast, cast.member).get(
        reverse("workspaces:contact_edit", args=["acme", "bakkerij", contact.pk])
    )

    assert response.status_code == 404
