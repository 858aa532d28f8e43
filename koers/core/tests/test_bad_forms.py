"""Bad input to the forms of every app, generated from the forms themselves.

Every Form class in koers/<app>/forms.py is found and built (FORM_KWARGS says what its
constructor needs; a new form that needs something fails naming it). Each of its fields then
gets the values people type: over-long text, nothing in a required field, NUL bytes,
right-to-left and emoji names, negative and zero numbers, numbers with Dutch and English
separators, dates in four formats. A bad value is refused on that field with a message; a
number or date is read right or refused, never read as another value.
"""

import importlib
import inspect
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django import forms
from django.utils import timezone, translation
from django_scopes import scopes_disabled

import koers
from tests.factories import Cast

RTL = "مريم العلوي"
EMOJI = "Ann 👩🏽‍💻 de Vries 🚀"
DAY = date(2025, 3, 14)
DATES = ["2025-03-14", "14-03-2025", "14/03/2025", "03/14/2025", "14 maart 2025", "2025-14-03"]
# Thousand separators, Dutch and English: "1.000" and "1,000" are 1000 or refused, never 1.
THOUSAND = ["1.000", "1,000", "1 000", "1.000,00", "1,000.00"]


def form_classes() -> list[type[forms.BaseForm]]:
    found = []
    for path in sorted(Path(koers.__file__).parent.glob("*/forms.py")):
        module = importlib.import_module(f"koers.{path.parent.name}.forms")
        for _name, value in inspect.getmembers(module, inspect.isclass):
            if (
                issubclass(value, forms.BaseForm)
                and value.__module__ == module.__name__
                and value.__name__ not in ABSTRACT
            ):
                found.append(value)
    return found


ABSTRACT: set[str] = set()


def _run(cast: Cast) -> Any:
    from koers.population.models import ImportRun

    return ImportRun.objects.create(
        client=cast.client, file_name="p.csv", header=["Nr", "Naam"], sheets=["A", "B"]
    )


def _draft() -> Any:
    from koers.roadmap.planfiles import DraftMilestone, DraftPlan, DraftScopeItem

    return DraftPlan(
        source="csv",
        milestones=(DraftMilestone(ref="2", title="Livegang", on=DAY),),
        scope_items=(DraftScopeItem(ref="3", title="DigiD", column="in", reason="Must have"),),
    )


def _rollout(cast: Cast) -> Any:
    from koers.rollout.queries import rollout_of

    return rollout_of(cast.project)


def _answering(round: Any) -> dict[str, Any]:
    return {"round": round, "questions": list(round.questions.all()), "ask_department": True}


def _round(cast: Cast) -> Any:
    from koers.pulse import services

    return services.round_create(
        project=cast.project,
        actor=None,
        title="Ronde",
        closes_at=timezone.now() + timedelta(days=7),
        departments="HR\nIT",
    )


def _communication(cast: Cast) -> Any:
    from koers.stakeholders import services

    return services.communication_create(
        project=cast.project, actor=None, kind="call", on=DAY, subject="Bellen"
    )


# What each form's constructor needs besides data, made from the cast.
FORM_KWARGS: dict[str, Callable[[Cast], dict[str, Any]]] = {
    "IntakeForm": lambda cast: {"workspace": cast.workspace},
    "RoundForm": lambda cast: {"project": cast.project},
    "MinutesForm": lambda cast: {"project": cast.project},
    "FeedbackForm": lambda cast: {"project": cast.project},
    "PhaseForm": lambda cast: {"project": cast.project},
    "MilestoneForm": lambda cast: {"project": cast.project},
    "MappingForm": lambda cast: {"run": _run(cast)},
    "PilotForm": lambda cast: {"attributes": ["department", "location"]},
    "PlanForm": lambda cast: {"project": cast.project},
    "RolloutForm": lambda cast: {"instance": _rollout(cast)},
    "AnswerForm": lambda cast: _answering(_round(cast)),
    "ClientForm": lambda cast: {"workspace": cast.workspace},
    "InvitationForm": lambda cast: {"workspace": cast.workspace},
    "RoleForm": lambda cast: {"workspace": cast.workspace},
    "LoggedDecisionForm": lambda cast: {"project": cast.project},
    "LessonForm": lambda cast: {"project": cast.project},
    "InstructionsForm": lambda cast: {"project": cast.project},
    "InvolvementForm": lambda cast: {"project": cast.project},
    "CommunicationForm": lambda cast: {"project": cast.project},
    "MailForm": lambda cast: {"item": _communication(cast)},
    "RhythmForm": lambda cast: {"expected": {}},
    "IntegrationForm": lambda cast: {"client": cast.client},
    "PhaseSystemForm": lambda cast: {"phases": cast.project.phases.all(), "client": cast.client},
    "DraftReviewForm": lambda cast: {"draft": _draft()},
    "ProductForm": lambda cast: {"project": cast.project},
    "OutcomeForm": lambda cast: {"project": cast.project},
    "ContractForm": lambda cast: {"project": cast.project},
    "ConsultantsForm": lambda cast: {"workspace": cast.workspace},
}
# Text fields that are read as a list of dates or numbers: letters are refused there.
PARSED_TEXT = {
    ("RolloutForm", "blackout"),
    ("RolloutForm", "ring_percentages"),
    ("RolloutForm", "ring_soak"),
}
# Other fields' values a form needs to get as far as checking the field under test.
LOG_IN = {"username": "ann@example.com", "password": "not-the-password"}
BASE_DATA = {"LoginForm": LOG_IN, "AdminLoginForm": LOG_IN}
# Fields whose bad value is refused by the form as a whole, not on the field.
REFUSED_BY_THE_FORM = {
    # Log-in checks address and password together: an over-long address fails to log in.
    ("LoginForm", "username"),
    ("AdminLoginForm", "username"),
}


def build(form_class: type[forms.BaseForm], cast: Cast, data: dict[str, Any]) -> forms.BaseForm:
    needs = [
        name
        for name, parameter in inspect.signature(form_class.__init__).parameters.items()
        if parameter.kind == parameter.KEYWORD_ONLY and parameter.default is parameter.empty
    ]
    kwargs = FORM_KWARGS[form_class.__name__](cast) if form_class.__name__ in FORM_KWARGS else {}
    missing = [name for name in needs if name not in kwargs]
    if missing:
        pytest.fail(
            f"{form_class.__module__}.{form_class.__name__} needs {missing[0]}=: add it to "
            "FORM_KWARGS in koers/core/tests/test_bad_forms.py."
        )
    return form_class(data=data, **kwargs)


def is_text(field: forms.Field) -> bool:
    """Free text, where any letters go: no pattern, address or slug."""
    patterned = any(hasattr(validator, "regex") for validator in field.validators)
    return (
        isinstance(field, forms.CharField)
        and not patterned
        and not isinstance(
            field, forms.EmailField | forms.SlugField | forms.URLField | forms.RegexField
        )
    )


def typed(field: forms.Field) -> bool:
    """Whether people type into the field (files and hidden values have their own tests)."""
    return not field.disabled and not isinstance(field.widget, forms.HiddenInput | forms.FileInput)


def cases(field: forms.Field) -> Iterator[tuple[str, Any, str]]:
    """(case, value, expectation) for one field: refused, kept (as typed) or read (number/date)."""
    if field.required and not isinstance(field, forms.BooleanField):
        yield "empty required", "", "refused"
    if isinstance(field, forms.CharField):
        yield "NUL byte", "Ann\x00", "refused"
        if field.max_length:
            yield "over-long", "x" * (field.max_length + 1), "refused"
        yield "1 MB", "x" * 1024 * 1024, "refused" if field.max_length else "any"
    if is_text(field):
        room = getattr(field, "max_length", None) or 1000
        yield "right-to-left", RTL[:room].strip(), "kept"
        yield "emoji", EMOJI[:room].strip(), "kept"
    if isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField):
        low = getattr(field, "min_value", None)
        if low is not None:
            yield "below the minimum", str(low - 1), "refused"
        if low is not None and low > 0:
            yield "zero", "0", "refused"
        for text in THOUSAND:
            yield f"thousand {text}", text, "1000 or refused"
        yield "a word", "veel", "refused"
        yield "NaN", "NaN", "refused"
    if isinstance(field, forms.DateField) and not isinstance(field, forms.DateTimeField):
        for text in DATES:
            yield f"date {text}", text, "the day or refused"


def field_cases() -> list[Any]:
    return [pytest.param(form_class, id=form_class.__name__) for form_class in form_classes()]


@pytest.fixture(params=["nl", "en"])
def language(request: pytest.FixtureRequest) -> Iterator[str]:
    with translation.override(request.param):
        yield request.param


def test_the_walk_finds_the_forms_of_every_app() -> None:
    names = {form_class.__name__ for form_class in form_classes()}
    assert {"IntakeForm", "PhaseForm", "RoundForm", "AnswerForm", "SupportForm"} <= names
    apps = {form_class.__module__.split(".")[1] for form_class in form_classes()}
    assert {"accounts", "workspaces", "projects", "roadmap", "rollout", "pulse"} <= apps


def test_a_form_that_needs_an_unknown_argument_fails_naming_it(cast: Cast) -> None:
    class NewForm(forms.Form):
        def __init__(self, *args: Any, client: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)

    with pytest.raises(pytest.fail.Exception, match="NewForm needs client="):
        build(NewForm, cast, {})


@pytest.mark.parametrize("form_class", field_cases())
def test_every_field_of_every_form_refuses_bad_input_and_reads_numbers_and_dates_right(
    form_class: type[forms.BaseForm], cast: Cast, language: str
) -> None:
    tried = 0
    with scopes_disabled():
        fields = build(form_class, cast, {}).fields
        for name, field in fields.items():
            if not typed(field):
                continue
            for case, value, expected in cases(field):
                data = {**BASE_DATA.get(form_class.__name__, {}), name: value}
                form = build(form_class, cast, data)
                form.is_valid()
                errors = form.errors.get(name)
                cleaned = form.cleaned_data.get(name) if hasattr(form, "cleaned_data") else None
                label = f"{form_class.__name__}.{name} {case} ({language})"
                tried += 1
                if expected == "refused":
                    if (form_class.__name__, name) in REFUSED_BY_THE_FORM:
                        errors = errors or form.non_field_errors()
                    assert errors, f"{label}: accepted {value[:40]!r}"
                    assert all(str(message).strip() for message in errors), label
                elif expected == "kept" and (form_class.__name__, name) in PARSED_TEXT:
                    assert errors, f"{label}: read letters as {cleaned!r}"
                elif expected == "kept":
                    assert not errors, f"{label}: {errors}"
                    kept = cleaned if isinstance(cleaned, list) else [cleaned]
                    assert value in kept, label  # as typed, or one item of a list
                elif expected == "1000 or refused":
                    assert errors or cleaned == 1000, f"{label}: read as {cleaned!r}"
                elif expected == "the day or refused":
                    day = cleaned.date() if isinstance(cleaned, datetime) else cleaned
                    if not errors:  # a month field keeps the month, its first day
                        assert day in (DAY, DAY.replace(day=1)), f"{label}: read as {day}"
    if any(list(cases(field)) for field in fields.values() if typed(field)):
        assert tried, f"{form_class.__name__}: no case was tried"


def test_the_forms_read_a_plain_number_and_an_iso_date(cast: Cast) -> None:
    from django.core.exceptions import ValidationError

    # Whole numbers: "1.000" is a thousand in Dutch, so it is refused, not read as 1.
    whole = forms.IntegerField()
    assert [whole.clean(text) for text in ("1000", "7", "7.", "7.0", "7.00", " 7 ")] == [
        1000, 7, 7, 7, 7, 7
    ]  # fmt: skip
    for text in ("1.000", "1,000", "7.000", "7.5"):
        with pytest.raises(ValidationError):
            whole.clean(text)
    # Proves the checks above can see a value read right, not only refusals.
    from koers.rollout.forms import CompareForm, SupportForm

    form = SupportForm(data={"day": "2025-03-14", "tickets": "1000"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"day": DAY, "tickets": 1000}
    compare = CompareForm(data={"rate": "2.5"})
    assert compare.is_valid(), compare.errors
    assert compare.cleaned_data["rate"] == Decimal("2.5")


def test_logging_in_with_a_megabyte_address_is_refused_not_a_server_error(db: None) -> None:
    from django.test import Client as WebClient
    from django.urls import reverse

    web = WebClient(headers={"accept-language": "en"})
    response = web.post(reverse("accounts:login"), {"username": "a" * 1024 * 1024, "password": "x"})
    assert response.status_code == 200
    assert "do not match an account" in response.content.decode()
