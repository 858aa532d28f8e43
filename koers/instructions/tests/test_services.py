"""Writing and publishing instructions: one per project and per wave, only the project's own
waves, published only when they say what changed and how to reach support."""

import pytest
from django_scopes import scopes_disabled

from koers.core.errors import KoersError
from koers.instructions import queries, services
from koers.instructions.models import Instructions
from tests.factories import Cast

from .conftest import publish, wave_of, write, write_for

pytestmark = pytest.mark.django_db


def test_one_per_project_and_one_per_wave(cast: Cast) -> None:
    wave = wave_of(cast.project)
    write(cast.project)
    write(cast.project, wave)
    for again in (None, wave):
        with pytest.raises(KoersError) as error:
            write(cast.project, again)
        assert error.value.field == "wave"


def test_a_wave_of_another_project_or_workspace_is_refused(
    cast: Cast, foreign: Instructions
) -> None:
    with pytest.raises(KoersError) as error:
        write(cast.project, foreign.wave)
    assert error.value.field == "wave"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("support_phone", "bel maar"),
        ("support_email", "geen adres"),
        ("support_portal", "javascript:alert(1)"),
        ("support_portal", "ftp://help.example.com"),
    ],
)
def test_contact_details_are_validated(cast: Cast, field: str, value: str) -> None:
    with pytest.raises(KoersError) as error:
        write_for(cast.project, None, {field: value})
    assert error.value.field == field


def test_publishing_needs_what_changed_and_a_way_to_reach_support(cast: Cast) -> None:
    nothing = ("what_changed_nl", "what_changed_en", "support_phone", "support_email")
    empty = write_for(cast.project, None, dict.fromkeys((*nothing, "support_portal"), ""))
    with pytest.raises(KoersError) as error, scopes_disabled():
        services.instructions_publish(instructions=empty, actor=None)
    assert error.value.field == "what_changed_nl"
    with scopes_disabled():
        services.instructions_update(instructions=empty, actor=None, what_changed_en="New")
        with pytest.raises(KoersError) as error:
            services.instructions_publish(instructions=empty, actor=None)
    assert error.value.field == "support_phone"


def test_publishing_anew_ends_the_link_before_and_revoking_ends_it(cast: Cast) -> None:
    made = write(cast.project)
    first = publish(made)
    second = publish(made)
    assert first != second
    token = second.strip("/").split("/")[-1]
    assert queries.published(first.strip("/").split("/")[-1]) is None
    assert queries.published(token) == made
    with scopes_disabled():
        assert services.instructions_revoke(instructions=made) == 1
    assert queries.published(token) is None


def test_a_text_empty_in_one_language_shows_the_other(cast: Cast) -> None:
    made = write(cast.project, what_changed_en="", get_help_nl="Bel de servicedesk.")
    assert made.texts("en")["what_changed"] == "Je mail staat voortaan in de cloud."
    assert made.texts("en")["get_help"] == "Bel de servicedesk."
    assert made.texts("en")["support_hours"] == "Mon-Fri 8-17"
