from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from koers.core.forms import DateInput
from koers.projects.models import Project
from koers.roadmap.models import Phase

from .models import Handover, HandoverItem, Lesson, ReferenceCase


class LessonForm(forms.ModelForm):
    phase = forms.ModelChoiceField(label=_("Phase"), queryset=Phase.objects.none(), required=False)

    class Meta:
        model = Lesson
        fields = ["title", "phase", "went_well", "could_be_better", "try_next", "tags"]
        widgets = {
            "went_well": forms.Textarea(attrs={"rows": 3}),
            "could_be_better": forms.Textarea(attrs={"rows": 3}),
            "try_next": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["phase"].queryset = project.phases.all()  # type: ignore[attr-defined]


class HandoverItemForm(forms.ModelForm):
    class Meta:
        model = HandoverItem
        fields = ["notes", "owner", "state"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}


class ShadowForm(forms.ModelForm):
    class Meta:
        model = Handover
        fields = ["shadow_start", "shadow_end", "backup"]
        widgets = {
            "shadow_start": DateInput(),
            "shadow_end": DateInput(),
            "backup": forms.Textarea(attrs={"rows": 2}),
        }


class TakeForm(forms.Form):
    lesson = forms.IntegerField(min_value=1, max_value=2**31 - 1)
    take = forms.BooleanField(required=False)


class EvaluationForm(forms.Form):
    """The client's answer; the score is a choice, so a phone shows large targets."""

    score = forms.TypedChoiceField(
        label=_("Your score for the project, from 0 to 10"),
        choices=[(n, str(n)) for n in range(11)],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a score from 0 to 10."),
            "invalid_choice": _("Choose a score from 0 to 10."),
        },
    )
    went_well = forms.CharField(
        label=_("What went well?"), required=False, max_length=4000, widget=forms.Textarea
    )
    could_be_better = forms.CharField(
        label=_("What could be better?"), required=False, max_length=4000, widget=forms.Textarea
    )
    what_next = forms.CharField(
        label=_("What do we do next?"), required=False, max_length=4000, widget=forms.Textarea
    )

    def open_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("went_well", "could_be_better", "what_next")]


class ReferenceCaseForm(forms.ModelForm):
    class Meta:
        model = ReferenceCase
        fields = [
            "summary",
            "rollout_story",
            "tags",
            "show_client",
            "show_figures",
            "show_rollout",
            "show_score",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            "rollout_story": forms.Textarea(attrs={"rows": 3}),
        }
