from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.choices import BaseChoiceIterator
from django.utils.translation import gettext_lazy as _

from koers.core.forms import DateInput
from koers.projects.models import Project
from koers.roadmap.models import Phase, PlanRevision
from koers.rollout.models import Wave

from .models import FeedbackItem, Question, Round, StatusUpdate, Thresholds
from .questions import OPEN_QUESTIONS, SCALE_LABELS, STATEMENTS
from .services import QuestionSpec

OWN_QUESTION_ROWS = 5


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


def default_closing() -> Any:
    return (timezone.localtime() + timedelta(days=7)).replace(
        hour=17, minute=0, second=0, microsecond=0
    )


class RoundForm(forms.ModelForm):
    """The round's set-up; its own questions are the rows of `QuestionFormSet`."""

    phase = forms.ModelChoiceField(
        label=_("Phase"),
        queryset=Phase.objects.none(),
        required=False,
        help_text=_("Leave empty for a round about the project as a whole."),
    )
    wave = forms.ModelChoiceField(
        label=_("Wave"),
        queryset=Wave.objects.none(),
        required=False,
        help_text=_("A round for one wave can also go out as personal links to its people."),
    )
    closes_at = forms.DateTimeField(
        label=_("Closes"),
        widget=DateTimeInput,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text=_("After this moment no answers are taken, through any link."),
    )

    class Meta:
        model = Round
        fields = ["title", "phase", "wave", "closes_at", "ask_department", "departments"]
        widgets = {"departments": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["phase"].queryset = project.phases.all()  # type: ignore[attr-defined]
        self.fields["wave"].queryset = project.waves.all()  # type: ignore[attr-defined]
        if not self.instance.pk:
            self.initial.setdefault("closes_at", default_closing())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("ask_department") and not (data.get("departments") or "").strip():
            self.add_error("departments", _("List the departments people can choose from."))
        return data


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Question.Kind.choices, initial="scale")
    text_nl = forms.CharField(label=_("Text in Dutch"), max_length=300, required=False)
    text_en = forms.CharField(label=_("Text in English"), max_length=300, required=False)


QuestionFormSet = forms.formset_factory(QuestionForm, extra=0, max_num=20, absolute_max=20)


def question_formset(data: Any, round: Round | None) -> Any:
    initial = [
        {"kind": q.kind, "text_nl": q.text_nl, "text_en": q.text_en}
        for q in (round.questions.all() if round else [])
    ]
    initial += [{"kind": Question.Kind.SCALE}] * max(0, OWN_QUESTION_ROWS - len(initial))
    return QuestionFormSet(data, initial=initial, prefix="q")


def question_specs(formset: Any) -> list[QuestionSpec]:
    return [
        QuestionSpec(
            form.cleaned_data["kind"],
            form.cleaned_data["text_nl"].strip(),
            form.cleaned_data["text_en"].strip(),
        )
        for form in formset.forms
        if form.cleaned_data
        and (
            form.cleaned_data.get("text_nl", "").strip()
            or form.cleaned_data.get("text_en", "").strip()
        )
    ]


class PublicLinkForm(forms.Form):
    expires_at = forms.DateTimeField(
        label=_("Works until"),
        widget=DateTimeInput,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        required=False,
        help_text=_("Empty: until the round closes."),
    )


class _Scale(BaseChoiceIterator):
    """The scale's choices, already in the form Django normalises choices to.

    Every public answer builds this form; handing fields an iterator spares normalising the
    same five choices twice per field and answer.
    """

    choices = [(value, str(value)) for value, _label in SCALE_LABELS]

    def __iter__(self) -> Iterator[tuple[int, str]]:
        return iter(self.choices)


SCALE_CHOICES = _Scale()


class AnswerForm(forms.Form):
    """The respondent's form: the five statements, the three open questions, the own ones."""

    def __init__(
        self,
        *args: Any,
        round: Round,
        questions: list[Question],
        ask_department: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        for statement in STATEMENTS:
            self.fields[statement.step.value] = forms.TypedChoiceField(
                label=statement.text,
                choices=SCALE_CHOICES,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose a score from 1 to 5.")},
            )
        for question in OPEN_QUESTIONS:
            self.fields[question.field] = forms.CharField(
                label=question.text, required=False, max_length=2000, widget=forms.Textarea
            )
        self.own_questions = questions
        for own in self.own_questions:
            if own.kind == Question.Kind.SCALE:
                self.fields[own.key] = forms.TypedChoiceField(
                    label=own.text(self.language),
                    choices=SCALE_CHOICES,
                    coerce=int,
                    required=False,
                    widget=forms.RadioSelect,
                )
            else:
                self.fields[own.key] = forms.CharField(
                    label=own.text(self.language),
                    required=False,
                    max_length=2000,
                    widget=forms.Textarea,
                )
        if ask_department:
            self.fields["department"] = forms.ChoiceField(
                label=_("Your department"),
                choices=[("", _("I'd rather not say"))]
                + [(name, name) for name in round.department_list],
                required=False,
            )

    @property
    def language(self) -> str:
        from django.utils.translation import get_language

        return get_language() or "nl"

    def statement_fields(self) -> list[Any]:
        return [self[statement.step.value] for statement in STATEMENTS]

    def open_fields(self) -> list[Any]:
        return [self[question.field] for question in OPEN_QUESTIONS]

    def own_fields(self) -> list[Any]:
        return [self[question.key] for question in self.own_questions]


class FeedbackForm(forms.ModelForm):
    phase = forms.ModelChoiceField(label=_("Phase"), queryset=Phase.objects.none(), required=False)
    wave = forms.ModelChoiceField(label=_("Wave"), queryset=Wave.objects.none(), required=False)
    # By number, as the revisions page and the API name them: a project may have hundreds.
    plan_revision = forms.ModelChoiceField(
        label=_("Plan revision it caused"),
        queryset=PlanRevision.objects.none(),
        to_field_name="number",
        widget=forms.NumberInput(attrs={"min": 1}),
        required=False,
        help_text=_("Where this feedback changed the plan: the revision's number."),
        error_messages={"invalid_choice": _("This project has no plan revision %(value)s.")},
    )
    pulse_round = forms.ModelChoiceField(
        label=_("Pulse round"), queryset=Round.objects.none(), required=False
    )

    class Meta:
        model = FeedbackItem
        fields = [
            "text",
            "source",
            "status",
            "decline_reason",
            "response",
            "is_blocking",
            "is_shared",
            "phase",
            "wave",
            "plan_revision",
            "pulse_round",
        ]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 3}),
            "response": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["phase"].queryset = project.phases.all()  # type: ignore[attr-defined]
        self.fields["wave"].queryset = project.waves.all()  # type: ignore[attr-defined]
        self.fields["plan_revision"].queryset = project.plan_revisions.all()  # type: ignore[attr-defined]
        if self.instance.plan_revision_id is not None:  # the form names it by number, not by id
            self.initial["plan_revision"] = self.instance.plan_revision.number
        self.fields["pulse_round"].queryset = project.pulse_rounds.all()  # type: ignore[attr-defined]
        self.fields["pulse_round"].label_from_instance = (  # type: ignore[attr-defined]
            lambda round: f"{round.number}: {round.title}"
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("status") == FeedbackItem.Status.DECLINED
            and not (data.get("decline_reason") or "").strip()
        ):
            self.add_error("decline_reason", _("Say why it is declined: people asked for it."))
        return data


class StatusUpdateForm(forms.ModelForm):
    week = forms.DateField(
        label=_("Week"),
        widget=DateInput,
        help_text=_("Any day of the week the update is about."),
    )

    class Meta:
        model = StatusUpdate
        fields = ["week", "status", "highlights", "decisions", "risks", "next_steps"]
        widgets = {
            "status": forms.RadioSelect,
            "highlights": forms.Textarea(attrs={"rows": 3}),
            "decisions": forms.Textarea(attrs={"rows": 3}),
            "risks": forms.Textarea(attrs={"rows": 3}),
            "next_steps": forms.Textarea(attrs={"rows": 3}),
        }


class ThresholdsForm(forms.ModelForm):
    class Meta:
        model = Thresholds
        fields = [
            "understanding_red",
            "understanding_amber",
            "readiness_red",
            "readiness_amber",
            "open_risks_red",
            "open_risks_amber",
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for low, high in [
            ("understanding_red", "understanding_amber"),
            ("readiness_red", "readiness_amber"),
        ]:
            if data.get(low) is not None and data.get(high) is not None and data[high] < data[low]:
                self.add_error(high, _("Amber must be at or above red."))
        red, amber = data.get("open_risks_red"), data.get("open_risks_amber")
        if red is not None and amber is not None and amber > red:
            self.add_error("open_risks_amber", _("Amber must be at or below red."))
        return data
