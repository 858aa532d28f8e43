"""`koers check-plan`: findings on stdout, exit 1 for an error nobody accepted."""

import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django_scopes import scope

from koers.roadmap import services

from .conftest import make_phase


def check(*args: str) -> tuple[int, str]:
    out = StringIO()
    try:
        call_command("check_plan", *args, stdout=out)
    except SystemExit as exit_:
        return int(exit_.code or 0), out.getvalue()
    return 0, out.getvalue()


def test_a_clean_plan_exits_zero(cast, plan):
    code, out = check("acme/cloud", "--json")
    document = json.loads(out)
    assert code == 0
    assert document["ok"] is True and document["findings"] == []
    assert document["phases"] == 3


def test_a_big_bang_exits_one_and_lists_its_findings(cast):
    make_phase(cast.project, title="ERP", weeks=78, budget=Decimal(180_000))
    code, out = check("acme/cloud", "--json")
    document = json.loads(out)
    assert code == 1
    rules = {f["rule"] for f in document["findings"]}
    assert {"big-bang", "phase-too-long", "budget-outside-range", "no-early-delivery"} <= rules
    assert all(f["phase"] in {"ERP", None} for f in document["findings"])


def test_accepted_deviations_do_not_fail_the_check(cast):
    phase = make_phase(cast.project, weeks=14, budget=Decimal(40_000))
    with scope(workspace=cast.workspace):
        for rule, subject in [("phase-too-long", phase.key), ("no-early-delivery", "")]:
            services.deviation_accept(
                project=cast.project,
                actor=None,
                rule=rule,
                subject=subject,
                justification="Leverancier levert pas in week 14",
            )
    code, out = check("acme/cloud")
    assert code == 0
    assert "[accepted]" in out and "Leverancier levert pas in week 14" in out


def test_an_unknown_project_is_an_error(cast):
    with pytest.raises(CommandError, match="no project"):
        check("acme/none")
