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
    web = WebClient()  # in the demo users' own language: Dutch
    web.force_login(user)
    return web.get(reverse("workspaces:dashboard", args=[demo.slug])).content.decode()


def test_the_demo_home_shows_every_case_with_real_reasons(demo: Workspace) -> None:
    html = _home(demo, Role.OWNER)
    rows = html.split('data-testid="portfolio-row"')[1:]
    with scopes_disabled():
        active = demo.projects.exclude(status="closed").count()
    assert len(rows) == active >= len(cases.MODULES)
    # The workplace case is the watermelon, with its gate this week and its measured figure.
    first = rows[0].split("</tr>")[0]
    assert "/p/moderne-werkplek/" in first, first
    assert "Groen gerapporteerd, rood gemeten" in first, first
    assert "go/no-go-moment" in first and "begrip 2,6" in first, first
    reasons = [row.split('portfolio-reason">')[1].split("</td>")[0] for row in rows]
    # Every case has something to say (a project only proposed may have nothing yet).
    assert sum("niets" not in reason for reason in reasons) >= len(cases.MODULES), reasons
