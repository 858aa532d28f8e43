"""The demo's home is the portfolio: its cases give real reasons, the watermelon first."""

import pytest
from django.test import Client as WebClient
from django.urls import reverse
from django_scopes import scopes_disabled

from koers.demo import cases
from koers.workspaces.models import Membership, Role, Workspace

pytestmark = pytest.mark.django_db


def _home(demo: Workspace, role: Role) -> str:
    with scopes_disabled():
        user = Membership.objects.filter(workspace=demo, role=role).first().user  # type: ignore[union-attr]
    web = WebClient(HTTP_ACCEPT_LANGUAGE="en")
    web.force_login(user)
    return web.get(reverse("workspaces:dashboard", args=[demo.slug])).content.decode()


def test_the_demo_home_shows_every_case_with_real_reasons(demo: Workspace) -> None:
    html = _home(demo, Role.OWNER)
    rows = html.split('data-testid="portfolio-row"')[1:]
    assert len(rows) == len(cases.MODULES)
    # The workplace case is the watermelon, with its gate this week and its measured figure.
    assert "Moderne werkplek" in rows[0] or "moderne-werkplek" in rows[0]
    assert "Reported green, measured red" in rows[0]
    assert "gate due" in rows[0] and "understanding 2.6" in rows[0]
    assert all('data-testid="portfolio-reason">' in row for row in rows)
    assert all("nothing" not in row.split('portfolio-reason">')[1][:40] for row in rows)
