"""Pulse fixtures: an open round of the cast's project and a way to answer it."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from koers.pulse import services
from koers.pulse.models import Answer, PublicLink, Round
from koers.pulse.signals import STEPS
from tests.factories import Cast


def scores(value: int | dict[str, int] = 4, **open_answers: str) -> dict[str, Any]:
    """Return answer values: every step `value` (or per step), plus open answers."""
    steps = value if isinstance(value, dict) else {step.value: value for step in STEPS}
    return {**{step.value: steps.get(step.value, 4) for step in STEPS}, **open_answers}


def add_answers(
    round: Round, count: int, value: int | dict[str, int] = 4, *, department: str = "", **extra: str
) -> list[Answer]:
    """Store `count` answers through the service, as the public page does."""
    made = []
    with scopes_disabled():
        for _ in range(count):
            values = scores(value, **extra) | {"department": department}
            made.append(
                services.answer_submit(
                    round=round,
                    form_key=services.new_key(),
                    values=values,
                    language="nl",
                )
            )
    return made


def add_taking_turns(round: Round, groups: dict[str, tuple[int, int]], **extra: str) -> None:
    """Store (count, value) answers per department, the departments answering in turn."""
    left = {department: count for department, (count, _value) in groups.items()}
    while any(left.values()):
        for department, (_count, value) in groups.items():
            if left[department]:
                add_answers(round, 1, value, department=department, **extra)
                left[department] -= 1


def close(round: Round) -> Round:
    with scopes_disabled():
        return services.round_close(round=round)


@pytest.fixture
def open_round(cast: Cast) -> Round:
    with scopes_disabled():
        round = services.round_create(
            project=cast.project,
            actor=cast.owner,
            title="Voor de pilot",
            closes_at=timezone.now() + timedelta(days=7),
            ask_department=True,
            departments="Verkoop\nFinance\nHR",
            questions=[
                services.QuestionSpec("scale", "Ik weet bij wie ik terecht kan.", ""),
                services.QuestionSpec("open", "", "What would help you most?"),
            ],
        )
        services.round_open(round=round, actor=cast.owner)
    return round


@pytest.fixture
def link(open_round: Round) -> PublicLink:
    with scopes_disabled():
        return open_round.public_links.get(revoked_at__isnull=True)
