import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scope, scopes_disabled

from koers.aftercare import queries, services
from koers.aftercare.models import Lesson, TakenLesson
from koers.core.errors import KoersError
from koers.projects.models import Project
from tests.factories import Cast, make_project

from .conftest import lesson, url

pytestmark = pytest.mark.django_db


def test_tags_are_normalised_and_the_title_is_required(cast: Cast):
    made = lesson(cast.project, "  Licenties  vroeg  bestellen ", tags="Licenties, go live")
    assert (made.title, made.tags) == ("Licenties vroeg bestellen", "licenties,go-live")
    with pytest.raises(KoersError) as error, scopes_disabled():
        services.lesson_create(project=cast.project, actor=None, title="   ")
    assert error.value.field == "title"


def test_a_phase_of_another_project_is_refused(cast: Cast, earlier: Project):
    from koers.aftercare.tests.test_handover import phase_of

    other_phase = phase_of(earlier)
    with pytest.raises(KoersError) as error, scopes_disabled():
        services.lesson_create(project=cast.project, actor=None, title="Les", phase=other_phase)
    assert error.value.field == "phase"


def test_a_lesson_that_holds_a_password_is_refused(cast: Cast):
    with pytest.raises(KoersError) as error, scopes_disabled():
        services.lesson_create(
            project=cast.project, actor=None, title="Beheer", try_next="admin password=Welkom01!"
        )
    assert error.value.field == "try_next" and "never keeps secrets" in str(error.value)


def test_matches_are_of_the_same_client_a_shared_tag_or_shared_words_best_first(
    cast: Cast, earlier: Project, foreign_lesson: Lesson
):
    with scopes_disabled():
        elsewhere = make_project(cast.other_client, slug="aa", name="Werkplekken")
    client_only = lesson(earlier, "Plan de overstap buiten de drukke maand")
    tagged = lesson(elsewhere, "Cloudlicenties vroeg regelen", tags="cloud")
    lesson(elsewhere, "Printers eerst testen")  # another client, no tag, no shared words
    with scope(workspace=cast.workspace):
        found = queries.matches(cast.project)
    # The foreign lesson shares the tag and every word, and is still never seen.
    assert [f.lesson.pk for f in found] == [tagged.pk, client_only.pk]
    assert found[0].match.shared_tags == ("cloud",)
    assert found[1].match.same_client


def test_a_project_takes_a_lesson_along_once_and_drops_it(cast: Cast, earlier: Project):
    old = lesson(earlier, "Plan de overstap buiten de drukke maand")
    with scopes_disabled():
        services.lesson_take(project=cast.project, lesson=old.pk, actor=cast.member)
        services.lesson_take(project=cast.project, lesson=old.pk, actor=cast.member)
        assert TakenLesson.objects.filter(project=cast.project).count() == 1
    with scope(workspace=cast.workspace):
        assert queries.matches(cast.project)[0].taken
    with scopes_disabled():
        services.lesson_drop(project=cast.project, lesson=old.pk)
        assert not TakenLesson.objects.exists()


def test_another_workspaces_lesson_cannot_be_taken_along(cast: Cast, foreign_lesson: Lesson):
    web = cast.login(cast.member)
    response = web.post(url("aftercare:lesson_take"), {"lesson": foreign_lesson.pk, "take": "on"})
    assert response.status_code == 302
    with scopes_disabled():
        assert not TakenLesson.objects.exists()
        with pytest.raises(KoersError) as error:
            services.lesson_take(project=cast.project, lesson=foreign_lesson.pk, actor=None)
    assert error.value.field == "lesson"


def test_a_phase_lesson_of_the_same_project_is_shown_before_the_next_phase(cast: Cast):
    from koers.aftercare.tests.test_handover import phase_of

    pilot = phase_of(cast.project)
    own = lesson(cast.project, "Pilotgebruikers eerder uitnodigen", phase=pilot)
    lesson(cast.project, "Een les zonder fase is van het project zelf")
    with scope(workspace=cast.workspace):
        assert [f.lesson.pk for f in queries.matches(cast.project)] == [own.pk]


def test_the_lessons_page_shows_lessons_and_matches_and_a_member_records_one(
    cast: Cast, earlier: Project
):
    lesson(earlier, "Plan de overstap buiten de drukke maand", try_next="Vraag de piekmaanden")
    web = cast.login(cast.member)
    page = web.get(url("aftercare:lessons")).content.decode()
    assert "Plan de overstap buiten de drukke maand" in page and "same client" in page
    response = web.post(
        url("aftercare:lesson_create"),
        {"title": "Testen met echte data", "went_well": "Korte lijnen", "tags": "test"},
    )
    assert response.status_code == 302
    with scopes_disabled():
        assert cast.project.lessons.get().tags == "test"


def test_a_password_in_the_form_is_refused_on_its_field(cast: Cast):
    response = cast.login(cast.member).post(
        url("aftercare:lesson_create"), {"title": "Beheer", "went_well": "wachtwoord: Zomer2026!"}
    )
    assert response.status_code == 200
    assert "never keeps secrets" in response.content.decode()
    with scopes_disabled():
        assert not Lesson.objects.exists()


def test_a_viewer_reads_but_does_not_record_and_a_guest_sees_nothing(cast: Cast):
    viewer = cast.login(cast.viewer)
    assert viewer.get(url("aftercare:lessons")).status_code == 200
    assert viewer.post(url("aftercare:lesson_create"), {"title": "x"}).status_code == 403
    assert cast.login(cast.guest).get(url("aftercare:lessons")).status_code == 404


def test_the_intake_links_to_the_earlier_lessons(cast: Cast):
    page = cast.login(cast.member).get(url("projects:intake")).content.decode()
    assert url("aftercare:lessons") in page


def _queries(web, address: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert web.get(address).status_code == 200
    return len(context.captured_queries)


def test_the_lessons_page_takes_a_fixed_number_of_queries(cast: Cast, earlier: Project):
    web = cast.login(cast.member)
    for n in range(2):
        lesson(cast.project, f"Les {n}", tags="cloud")
        old = lesson(earlier, f"Oude les {n}", tags="cloud")
    with scopes_disabled():
        services.lesson_take(project=cast.project, lesson=old.pk, actor=None)
    web.get(url("aftercare:lessons"))  # the first visit keeps the workspace in the session
    small = _queries(web, url("aftercare:lessons"))
    for n in range(2, 30):
        lesson(cast.project, f"Les {n}", tags="cloud")
        old = lesson(earlier, f"Oude les {n}", tags="cloud")
        with scopes_disabled():
            services.lesson_take(project=cast.project, lesson=old.pk, actor=None)
    assert _queries(web, url("aftercare:lessons")) == small
