"""Bad answers to the public pulse page, catalogued: each is refused with 400 naming the field
and its problem, and no answer is stored; the ugly answers that are fine are stored as typed."""

import html
import re
from typing import Any

import pytest
from django.test import Client as WebClient
from django.urls import reverse
from django_scopes import scopes_disabled

from koers.pulse.models import Answer, PublicLink, Round

from .conftest import scores

FORM_KEY = re.compile(r'name="form_key" value="([^"]+)"')
RTL = "مريم: الشرح غير واضح"
EMOJI = "Te snel 🚀🔥 — 👩🏽‍💻 snapt het niet"


def answer(link: PublicLink, values: dict[str, Any]) -> tuple[int, str]:
    web = WebClient(headers={"accept-language": "en"})
    address = reverse("pulse_answer", args=[link.token])
    page = web.get(address)
    found = FORM_KEY.search(page.content.decode())
    assert found, page.status_code
    response = web.post(address, {"form_key": found[1], **values})
    return response.status_code, html.unescape(response.content.decode())


def stored() -> list[dict[str, Any]]:
    with scopes_disabled():
        return [dict(row) for row in Answer.objects.values()]


def own(round: Round, kind: str) -> str:
    with scopes_disabled():
        return str(round.questions.get(kind=kind).key)


# (case, values over a valid answer, field named, message)
REFUSED: list[tuple[str, dict[str, Any], str, str]] = [
    ("a score left out", {"awareness": ""}, "awareness", "Choose a score from 1 to 5."),
    ("score 0", {"desire": "0"}, "desire", "Select a valid choice. 0 is not one of"),
    ("score 6", {"desire": "6"}, "desire", "Select a valid choice. 6 is not one of"),
    ("score -1", {"knowledge": "-1"}, "knowledge", "Select a valid choice"),
    ("score 3.5", {"ability": "3.5"}, "ability", "Select a valid choice"),
    ("score 3,5", {"ability": "3,5"}, "ability", "Select a valid choice"),
    ("score as a word", {"reinforcement": "vijf"}, "reinforcement", "Select a valid choice"),
    ("score in Arabic digits", {"reinforcement": "٣"}, "reinforcement", "Select a valid choice"),
    ("score with a NUL", {"awareness": "3\x00"}, "awareness", "Select a valid choice"),
    ("score 1e0", {"awareness": "1e0"}, "awareness", "Select a valid choice"),
    (
        "open answer of 2,001 characters",
        {"unsure": "x" * 2001},
        "unsure",
        "at most 2000 characters",
    ),
    ("open answer of 1 MB", {"unclear": "x" * 1024 * 1024}, "unclear", "at most 2000 characters"),
    ("NUL in an open answer", {"risky": "te\x00snel"}, "risky", "Null characters are not allowed."),
    ("unknown department", {"department": "Directie"}, "department", "Select a valid choice"),
    ("department with a NUL", {"department": "HR\x00"}, "department", "Select a valid choice"),
    ("score with spaces", {"awareness": " 2 "}, "awareness", "Select a valid choice"),
]


@pytest.mark.parametrize(
    ("case", "values", "field", "message"), REFUSED, ids=[c[0] for c in REFUSED]
)
def test_a_bad_answer_is_refused_naming_the_field_and_stores_nothing(
    link: PublicLink, case: str, values: dict[str, Any], field: str, message: str
) -> None:
    status, page = answer(link, scores(4) | values)
    assert status == 400, case
    # The summary at the top links each error to its field, and says what is wrong.
    assert re.search(rf'<a href="#id_{field}(_0)?">[^<]+</a>: [^<]*{re.escape(message)}', page), (
        page
    )
    assert stored() == []


@pytest.mark.parametrize("kind", ["scale", "open"])
def test_bad_answers_to_the_rounds_own_questions_are_refused(
    link: PublicLink, open_round: Round, kind: str
) -> None:
    key = own(open_round, kind)
    bad = "7" if kind == "scale" else "y" * 2001
    status, page = answer(link, scores(4) | {key: bad})
    assert status == 400
    assert f'href="#id_{key}' in page
    assert stored() == []


def test_a_replayed_or_forged_form_key_is_refused_and_stores_nothing(link: PublicLink) -> None:
    web = WebClient(headers={"accept-language": "en"})
    address = reverse("pulse_answer", args=[link.token])
    for key in ("", "x" * 5000, "forged:key:abc", "\x00"):
        response = web.post(address, scores(4) | {"form_key": key})
        assert response.status_code == 400
        assert "This form is not valid" in response.content.decode()
    assert stored() == []


ACCEPTED: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    ("right-to-left text", {"unsure": RTL}, {"unsure": RTL}),
    ("emoji", {"unclear": EMOJI}, {"unclear": EMOJI}),
    ("a formula is text", {"risky": '=HYPERLINK("http://x")'}, {"risky": '=HYPERLINK("http://x")'}),
    ("exactly 2,000 characters", {"unsure": "é" * 2000}, {"unsure": "é" * 2000}),
    ("mixed line ends", {"unsure": "a\r\nb\nc\rd"}, {"unsure": "a\r\nb\nc\rd"}),
    ("no department", {"department": ""}, {"department": ""}),
    ("unknown fields are ignored", {"answer_id": "1", "round_id": "99"}, {"awareness": 4}),
]


@pytest.mark.parametrize(("case", "values", "kept"), ACCEPTED, ids=[c[0] for c in ACCEPTED])
def test_an_ugly_but_sound_answer_is_stored_as_typed(
    link: PublicLink, case: str, values: dict[str, Any], kept: dict[str, Any]
) -> None:
    status, _page = answer(link, scores(4) | values)
    assert status == 200, case
    (row,) = stored()
    for field, value in kept.items():
        assert row[field] == value, (case, field)
