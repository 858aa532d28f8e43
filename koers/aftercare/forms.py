from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from koers.core.forms import DateInput
from koers.projects.models import Project
from koers.roadmap.models import Phase

from .models import Handover, HandoverItem, Lesson


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
