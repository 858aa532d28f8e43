"""The method's questions, fixed between rounds so that trends mean something.

Five statements along the steps of individual change (ADKAR), scored 1 to 5, and three open
questions: where people are unsure, what is unclear, which next step carries needless risk.
Their words live here and nowhere else; the Dutch comes from the translation catalogue.
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from koers.core.adkar import Step
from koers.core.adkar_names import STEP_NAMES

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise


@dataclass(frozen=True)
class Statement:
    step: Step
    name: "StrPromise"  # the step's name, e.g. "Awareness" (Bewustzijn)
    text: "StrPromise"  # the statement the respondent scores


STATEMENTS: tuple[Statement, ...] = (
    Statement(
        Step.AWARENESS,
        STEP_NAMES[Step.AWARENESS],
        _("I understand why this change is made."),
    ),
    Statement(
        Step.DESIRE,
        STEP_NAMES[Step.DESIRE],
        _("I want to take part in this change."),
    ),
    Statement(
        Step.KNOWLEDGE,
        STEP_NAMES[Step.KNOWLEDGE],
        _("I know what changes for me and how."),
    ),
    Statement(
        Step.ABILITY,
        STEP_NAMES[Step.ABILITY],
        _("I am able to work the new way."),
    ),
    Statement(
        Step.REINFORCEMENT,
        STEP_NAMES[Step.REINFORCEMENT],
        _("I will keep working this way."),
    ),
)

# The five points of the scale, as the respondent reads them.
SCALE_LABELS: tuple[tuple[int, "StrPromise"], ...] = (
    (1, _("Strongly disagree")),
    (2, _("Disagree")),
    (3, _("Neutral")),
    (4, _("Agree")),
    (5, _("Strongly agree")),
)


@dataclass(frozen=True)
class OpenQuestion:
    field: str  # the Answer field that keeps it
    text: "StrPromise"
    short: "StrPromise"  # for result pages and exports


OPEN_QUESTIONS: tuple[OpenQuestion, ...] = (
    OpenQuestion("unsure", _("Where are you unsure?"), _("Unsure")),
    OpenQuestion("unclear", _("What still feels unclear?"), _("Unclear")),
    OpenQuestion("risky", _("Which next step carries unnecessary risk?"), _("Unnecessary risk")),
)
OPEN_FIELDS = tuple(question.field for question in OPEN_QUESTIONS)
