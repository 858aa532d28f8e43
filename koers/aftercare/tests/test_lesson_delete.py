"""A lesson recorded and removed on the command line, removed in the web and by the API: by
members only, and never one of another project or workspace."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django_scopes import scopes_disabled

from koers.aftercare.models import Lesson, TakenLesson
from koers.projects.models import Project
from koers.roadmap.tests.conftest import make_phase
from tests.factories import Cast

from .conftest import API, api, lesson, url

pytestmark = pytest.mark.django_db
PROJECT = ("--project", "acme/cloud")


def _lessons(*args: str) -> dict:
    out = StringIO()
    call_command("lessons", *PROJECT, *args, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_the_cli_records_a_lesson_with_phase_texts_and_tags_then_deletes_it(cast: Cast):
    with scopes_disabled():
        phase = make_phase(cast.project, kpis=[])
    by = ("--by", cast.member.email)
    document = _lessons(
        "--add", "Testen met echte data", "--phase", str(phase.pk), "--went-well", "Korte lijnen",
        "--could-be-better", "Later testen", "--try-next", "Eerder beginnen",
        "--tags", "Test, Data", *by,
    )  # fmt: skip
    (made,) = document["lessons"]
    assert (made["title"], made["phase"], made["tags"]) == (
        "Testen met echte data",
        phase.pk,
        ["test", "data"],
    )
    assert (made["went_well"], made["could_be_better"], made["try_next"]) == (
        "Korte lijnen",
        "Later testen",
        "Eerder beginnen",
    )
    assert _lessons("--delete", str(made["id"]), *by)["lessons"] == []


def test_the_cli_refuses_without_a_member_a_secret_and_anothers_lesson(
    cast: Cast, earlier: Project, foreign_lesson: Lesson
):
    with pytest.raises(CommandError, match="--by"):
        _lessons("--add", "Zonder wie")
    with pytest.raises(CommandError, match="--by"):
        _lessons("--add", "Als kijker", "--by", cast.viewer.email)
    by = ("--by", cast.member.email)
    with pytest.raises(CommandError, match="never keeps secrets"):
        _lessons("--add", "Beheer", "--went-well", "wachtwoord: Zomer2026!", *by)
    other = lesson(earlier, "Van een ander project")
    for pk in (other.pk, foreign_lesson.pk):
        with pytest.raises(CommandError, match="no lesson"):
            _lessons("--delete", str(pk), *by)
    with pytest.raises(CommandError, match="one of"):
        _lessons("--add", "Twee", "--delete", str(other.pk), *by)
    with scopes_disabled():
        assert Lesson.objects.count() == 2


def test_a_member_deletes_a_lesson_in_the_web_and_the_plans_that_took_it_lose_it(
    cast: Cast, earlier: Project
):
    own = lesson(cast.project, "Testen met echte data")
    old = lesson(earlier, "Plan de overstap")
    with scopes_disabled():
        TakenLesson.objects.create(project=earlier, lesson=own)
    delete = url("aftercare:lesson_delete", lesson=own.pk)
    assert cast.login(cast.viewer).post(delete).status_code == 403
    assert cast.login(cast.guest).post(delete).status_code == 404
    web = cast.login(cast.member)
    assert web.get(delete).status_code == 405
    assert "Remove" in web.get(url("aftercare:lesson_edit", lesson=own.pk)).content.decode()
    assert web.post(delete).status_code == 302
    # Another project's lesson is not deleted through this project's address.
    assert web.post(url("aftercare:lesson_delete", lesson=old.pk)).status_code == 404
    with scopes_disabled():
        assert not cast.project.lessons.exists() and not TakenLesson.objects.exists()
        assert Lesson.objects.get() == old


def test_the_api_deletes_a_lesson_for_a_member_only(cast: Cast, foreign_lesson: Lesson):
    own = lesson(cast.project, "Testen met echte data")
    assert api(cast.viewer).delete(f"{API}/lessons/{own.pk}").status_code == 403
    assert api(cast.guest).delete(f"{API}/lessons/{own.pk}").status_code == 404
    member = api(cast.member)
    assert member.delete(f"{API}/lessons/{foreign_lesson.pk}").status_code == 404
    assert member.delete(f"{API}/lessons/{own.pk}").status_code == 204
    with scopes_disabled():
        assert list(Lesson.objects.all()) == [foreign_lesson]
