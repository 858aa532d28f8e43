"""The status report claims nothing the plan does not hold: open guardrail errors are open,
accepted deviations carry their justification, stopped phases are not counted as to do."""

import subprocess
from decimal import Decimal
from pathlib import Path

from django.urls import reverse
from django_scopes import scope, scopes_disabled

from koers.pulse import report
from koers.roadmap import services as plan_services
from koers.roadmap.tests.conftest import make_phase


def test_the_report_prints_open_errors_and_accepted_deviations(cast, tmp_path: Path):
    with scopes_disabled():
        cast.project.language = "en"
        cast.project.save()
    erp = make_phase(
        cast.project, title="ERP in één keer", weeks=78, budget=Decimal(180_000), status="stopped"
    )
    make_phase(cast.project, title="Offertetool", weeks=14, status="done")
    portal = make_phase(cast.project, title="Bestelportaal", weeks=10, budget=Decimal(60_000))
    with scopes_disabled():
        plan_services.deviation_accept(
            project=cast.project,
            actor=cast.owner,
            rule="budget-outside-range",
            subject=portal.key,
            justification="Koppeling met de boekhouding kost meer",
        )
    body = cast.login(cast.member).get(reverse("pulse:report", args=["acme", "cloud"]))
    html = body.content.decode()
    assert "1 of 2 phases done." in html  # the stopped big bang is not still to do
    assert "Open:</strong> Phase longer than the limit: Offertetool" in html
    assert "ERP in één keer</td>" in html and erp.key not in html
    with scope(workspace=cast.workspace):
        pdf = report.render_pdf(cast.project)
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True)
    words = " ".join(text.stdout.decode().split())
    assert (
        "Deviation accepted: Budget outside the range (Bestelportaal). "
        "Justification: “Koppeling met de boekhouding kost meer”" in words
    )
    assert "Open: Phase longer than the limit: Offertetool" in words
