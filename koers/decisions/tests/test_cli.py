"""`koers decisions`: the merged log and the decisions needed, as text and as JSON."""

import io
import json
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.factories import Cast

from .conftest import deviation_of, gate_decision_of, log, phase_of, wave_of

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("decisions", *args, stdout=out)
    return out.getvalue()


def test_json_holds_the_needed_and_the_merged_log(cast: Cast) -> None:
    log(cast.project, "Welke afdeling eerst?", due_on=date(2030, 5, 1))
    log(cast.project, "Eerst een pilot", status="decided", decided_on=date(2030, 1, 1))
    gate_decision_of(wave_of(cast.project), cast.member)
    deviation_of(cast.project, phase_of(cast.project, "Migratie"))
    document = json.loads(run("--project", "acme/cloud", "--json"))
    assert document["project"] == "acme/cloud"
    assert [d["title"] for d in document["needed"]] == ["Welke afdeling eerst?"]
    assert document["needed"][0]["due_on"] == "2030-05-01"
    assert sorted(e["source"] for e in document["log"]) == ["gate", "guardrail", "log", "log"]
    made = next(e for e in document["log"] if e.get("title") == "Eerst een pilot")
    assert made["communicated"] is False


def test_needed_only_and_text(cast: Cast) -> None:
    log(cast.project, "Welke afdeling eerst?")
    log(cast.project, "Eerst een pilot", status="decided", decided_on=date(2030, 1, 1))
    assert "log" not in json.loads(run("--project", "acme/cloud", "--needed", "--json"))
    text = run("--project", "acme/cloud")
    assert "1 decision(s) needed" in text and "? Welke afdeling eerst?" in text
    assert "[decided] Eerst een pilot [not yet communicated]" in text


def test_an_unknown_project_is_an_error() -> None:
    with pytest.raises(CommandError):
        run("--project", "acme/nergens")
