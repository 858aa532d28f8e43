from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from koers.core.forms import DateInput
from koers.decisions.models import Decision
from koers.projects.models import Project


class MeetingForm(forms.Form):
    on = forms.DateField(label=_("Date"), widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("on", timezone.localdate())


class MinutesForm(forms.Form):
    """The minutes of a meeting and the decisions taken: open ones ticked, new ones typed."""

    minutes = forms.CharField(
        label=_("Minutes"), max_length=8000, widget=forms.Textarea(attrs={"rows": 8})
    )
    decided = forms.ModelMultipleChoiceField(
        label=_("Decisions needed that were taken"),
        queryset=Decision.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    new_decisions = forms.CharField(
        label=_("Other decisions taken"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One decision a line, in one sentence: each goes into the decision log."),
    )

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decided"].queryset = Decision.objects.filter(  # type: ignore[attr-defined]
            project=project, status=Decision.Status.PROPOSED
        ).order_by("due_on", "logged_at", "pk")

    def clean_new_decisions(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["new_decisions"].splitlines()]
        too_long = [line for line in lines if len(line) > 300]
        if too_long:
            raise forms.ValidationError(_("A decision is one sentence of at most 300 characters."))
        return [line for line in lines if line]
