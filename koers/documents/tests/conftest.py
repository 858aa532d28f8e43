"""The largest project the proposal promises to fit on one page, and a PDF reader for tests."""

import re
import zlib
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django_scopes import scopes_disabled

from koers.projects import services as project_services
from koers.projects.models import Project, ScopeItem, Vision
from koers.roadmap import services
from koers.roadmap.models import Milestone
from koers.roadmap.tests.conftest import plan  # noqa: F401 (a fixture)

A4_POINTS = (595.28, 841.89)


def pdf_pages(pdf: bytes) -> list[tuple[float, float]]:
    """Return the (width, height) in points of every page of a PDF made by WeasyPrint."""
    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue  # an image or font stream that is not an object stream
    text = b"\n".join(parts)
    pages = re.findall(rb"/Type\s*/Page\b(?!s)", text)
    boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", text)
    assert len(boxes) == len(pages), "every page has its own media box"
    return [(float(w), float(h)) for w, h in boxes]


def words(n: int, word: str = "Overlegstructuur") -> str:
    """Long Dutch words: the worst case for fitting text in columns."""
    return " ".join([word] * (n // (len(word) + 1) + 1))[:n]


def fill_largest_project(project: Project, owner: Any, phases: int = 20) -> None:
    """`phases` phases (20 at most) and 30 scope items, every text at its longest.

    The plan has as much to say about itself as a plan can: open errors on every phase (two
    rules), half of them accepted with the longest justification, a warning, and five stopped
    phases kept as history.
    """
    with scopes_disabled():
        project_services.intake_update(
            project=project,
            goals=[words(300, "Bedrijfszekerheid") for _ in range(8)],
            request=words(4000, "Cloudmigratie"),
        )
        project.visions.all().delete()
        for horizon in Vision.Horizon:
            Vision.objects.create(project=project, horizon=horizon, summary=words(2000))
        project.scope_items.all().delete()
        columns = list(ScopeItem.Column)
        for i in range(30):
            project_services.scope_item_add(
                project=project,
                actor=owner,
                column=columns[i % 3],
                title=words(200, "Applicatieportfolio"),
                reason=words(500),
            )
        for n in range(phases):
            month = date(2027 + n // 12, 1 + n % 12, 1)
            phase = services.phase_create(
                project=project,
                actor=owner,
                title=words(120, "Werkplekmodernisering"),
                goal=words(1000),
                standalone_value=words(1000, "Zelfstandigheid"),
                vision_horizon=48 if n else None,
                vision_contribution=words(300),
                start_month=month,
                weeks=12 + n % 2,
                budget=Decimal("9999999999.99"),
                kpis=[
                    {
                        "name": words(120, "Doorlooptijdverkorting"),
                        "unit": "x" * 30,
                        "direction": "lower",
                        "baseline": Decimal("999999999999.99"),
                        "target": Decimal("-999999999999.99"),
                    }
                    for _ in range(10)
                ],
            )
            for kind in Milestone.Kind:
                services.milestone_create(
                    project=project,
                    actor=owner,
                    kind=kind,
                    title=words(120),
                    on=month.replace(day=20),
                    decision_needed=words(300, "Goedkeuring"),
                    phase=phase,
                )
            if n < phases // 2:
                services.deviation_accept(
                    project=project,
                    actor=owner,
                    rule="budget-outside-range",
                    subject=phase.key,
                    justification=words(2000, "Onderbouwing"),
                )
        for n in range(5):
            services.phase_create(
                project=project,
                actor=owner,
                title=words(120, "Stopgezetteplanning"),
                standalone_value="Geschiedenis",
                start_month=date(2026, 1 + n, 1),
                weeks=60,
                budget=Decimal(180_000),
                status="stopped",
            )
        services.revision_record(project=project, actor=owner, reason=words(500))


@pytest.fixture
def largest(cast: Any) -> Project:
    fill_largest_project(cast.project, cast.owner)
    return cast.project
