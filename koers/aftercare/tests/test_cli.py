import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django_scopes import scopes_disabled

from koers.aftercare import services
from koers.aftercare.models import Lesson, TakenLesson
from koers.projects.models import Project
from tests.factories import Cast

from .conftest import lesson

pytestmark = pytest.mark.django_db


def test_lessons_as_json_with_the_matches(cast: Cast, earlier: Project):
    lesson(cast.project, "Testen met echte data", tags="test")
    old = lesson(earlier, "Plan de overstap buiten de drukke maand")
    out = StringIO()
    call_command("lessons", "--project", "acme/cloud", "--json", stdout=out)
    document = json.loads(out.getvalue())
    assert [x["title"] for x in document["lessons"]] == ["Testen met echte data"]
    assert document["matches"][0]["lesson"]["id"] == old.pk


def test_a_member_takes_a_lesson_along_and_another_workspaces_is_refused(
    cast: Cast, earlier: Project, foreign_lesson: Lesson
):
    old = lesson(earlier, "Plan de overstap buiten de drukke maand")
    by = ("--by", cast.member.email)
    call_command(
        "lessons", "--project", "acme/cloud", "--take", str(old.pk), *by, stdout=StringIO()
    )
    with scopes_disabled():
        assert TakenLesson.objects.get().lesson == old
    with pytest.raises(CommandError, match="no such lesson"):
        call_command("lessons", "--project", "acme/cloud", "--take", str(foreign_lesson.pk), *by)
    with pytest.raises(CommandError, match="--by"):
        call_command("lessons", "--project", "acme/cloud", "--take", str(old.pk))


def test_handover_as_text(cast: Cast):
    with scopes_disabled():
        services.handover_item_save(project=cast.project, kind="runbook", owner="Sam", state="done")
    out = StringIO()
    call_command("handover", "--project", "acme/cloud", stdout=out)
    assert "5 item(s) open" in out.getvalue() and "[done] runbook (Sam)" in out.getvalue()
