from datetime import date
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from koers.core.forms import DateInput, UploadField
from koers.population.models import FIELD_LABELS
from koers.projects.models import Project
from koers.roadmap.models import Phase

from . import blackout
from .models import Gate, GateDecision, Rollout


class PilotForm(forms.Form):
    size = forms.IntegerField(label=_("Pilot size"), min_value=1, max_value=100_000)
    attributes = forms.MultipleChoiceField(
        label=_("Representative over"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The first one ticked gets exact fair shares (department by default)."),
    )
    seed = forms.IntegerField(
        label=_("Seed"),
        min_value=0,
        max_value=2**31,
        initial=0,
        help_text=_("The same seed gives the same pilot; another seed another fair pick."),
    )

    def __init__(self, *args: Any, attributes: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(FIELD_LABELS)
        field = cast(forms.MultipleChoiceField, self.fields["attributes"])
        field.choices = [(a, labels.get(a, a)) for a in attributes]


class RingForm(forms.Form):
    """One change of the first ring: a department or a person in or out, or confirm it."""

    action = forms.ChoiceField(
        choices=[
            ("add_department", _("Add a department")),
            ("remove_department", _("Leave a department out")),
            ("add_person", _("Add someone")),
            ("remove_person", _("Leave someone out")),
            ("confirm", _("Confirm")),
            ("find", _("Find them")),
        ]
    )
    value = forms.CharField(label=_("Department or employee id"), max_length=200, required=False)


class SwapForm(forms.Form):
    out = forms.IntegerField(widget=forms.HiddenInput)
    into = forms.CharField(
        label=_("Employee id of who comes in"),
        max_length=150,
        required=False,
        help_text=_("Empty: Koers picks the best stand-in from the same group."),
    )


class RolloutForm(forms.ModelForm):
    phase = forms.ModelChoiceField(
        label=_("Phase that delivers the rollout"),
        queryset=Phase.objects.none(),
        required=False,
        help_text=_("The waves start with this phase and show under it on the roadmap."),
    )
    blackout = forms.CharField(
        label=_("Blackout dates"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Besides weekends and public holidays: one date per line (2026-03-13), or a range "
            "with a name (2026-02-14 to 2026-02-22 carnaval) for school holidays."
        ),
    )
    ring_percentages = forms.CharField(
        label=_("Own ring percentages"),
        required=False,
        help_text=_("For own rings: e.g. 5, 25, 70 (they add up to 100)."),
    )
    ring_soak = forms.CharField(
        label=_("Soak days per ring"),
        required=False,
        help_text=_("Working days before each next gate, e.g. 2, 3, 0."),
    )

    class Meta:
        model = Rollout
        fields = [
            "phase",
            "start_on",
            "capacity",
            "template",
            "pilot_soak_days",
            "wave_days",
            "ticket_rate",
            "desk_capacity",
        ]
        widgets = {"start_on": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        phase = cast(forms.ModelChoiceField, self.fields["phase"])
        phase.queryset = self.instance.project.phases.all()
        phase.empty_label = str(_("(no phase)"))
        self.initial["blackout"] = blackout.as_text(
            date.fromisoformat(d) for d in self.instance.blackout_dates
        )
        self.initial["ring_percentages"] = ", ".join(str(p) for p in self.instance.percentages)
        self.initial["ring_soak"] = ", ".join(str(d) for d in self.instance.soak_days)

    def clean_blackout(self) -> list[date]:
        try:
            return blackout.parse_days(self.cleaned_data["blackout"].replace(",", "\n"))
        except blackout.BlackoutError as error:
            raise forms.ValidationError(error.message) from error

    def _numbers(self, name: str) -> list[str]:
        return [
            p.strip() for p in self.cleaned_data[name].replace(";", ",").split(",") if p.strip()
        ]

    def clean_ring_percentages(self) -> list[Decimal]:
        try:
            return [Decimal(p) for p in self._numbers("ring_percentages")]
        except ArithmeticError as error:
            raise forms.ValidationError(_("Give numbers, e.g. 5, 25, 70.")) from error

    def clean_ring_soak(self) -> list[int]:
        try:
            days = [int(p) for p in self._numbers("ring_soak")]
        except ValueError as error:
            raise forms.ValidationError(_("Give whole days, e.g. 2, 3, 0.")) from error
        if any(d < 0 or d > 60 for d in days):
            raise forms.ValidationError(_("Between 0 and 60 days each."))
        return days

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("template") == Rollout.Template.CUSTOM and not data.get("ring_percentages"):
            self.add_error("ring_percentages", _("Give the percentages of your own rings."))
        return data

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            **{name: data[name] for name in self.Meta.fields},
            "blackout_dates": data["blackout"],
            "percentages": [str(p) for p in data["ring_percentages"]],
            "soak_days": data["ring_soak"],
        }


class GateForm(forms.ModelForm):
    class Meta:
        model = Gate
        fields = [
            "open_blocking",
            "max_blocking",
            "max_tickets_per_100",
            "understanding",
            "min_understanding",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=GateDecision.Decision.choices, widget=forms.RadioSelect
    )
    notes = forms.CharField(
        label=_("Why"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    justification = forms.CharField(
        label=_("Justification for a go over criteria that were not met"),
        help_text=_(
            "Required for a go while a criterion failed or was not measured; shown wherever "
            "the gate is shown."
        ),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class MoveForm(forms.Form):
    start_on = forms.DateField(label=_("New first day"), widget=DateInput())


class SupportForm(forms.Form):
    day = forms.DateField(label=_("Day"), widget=DateInput())
    tickets = forms.IntegerField(label=_("Tickets"), min_value=0, max_value=1_000_000)


class SupportFileForm(forms.Form):
    file = UploadField(
        label=_("Support load as CSV"),
        help_text=_("Columns wave (number), day (2025-03-14) and tickets."),
    )


class CompareForm(forms.Form):
    big_bang_on = forms.DateField(label=_("Big-bang day"), required=False, widget=DateInput())
    rate = forms.DecimalField(
        label=_("Tickets per 100 people going live"),
        required=False,
        min_value=Decimal(0),
        max_digits=7,
        decimal_places=2,
    )
    use_pilot_rate = forms.BooleanField(label=_("Use the pilot's measured rate"), required=False)


class PlanForm(forms.Form):
    """Plan the waves, with the phase of the plan that delivers them."""

    phase = forms.ModelChoiceField(
        label=_("Phase that delivers the rollout"),
        queryset=Phase.objects.none(),
        required=False,
        empty_label=_("(no phase)"),
        help_text=_("The waves start with this phase, unless the settings give a first day."),
    )

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["phase"]).queryset = project.phases.all()


class BlackoutFileForm(forms.Form):
    file = forms.FileField(
        label=_("Blackout days from a calendar (.ics)"),
        help_text=_(
            "An iCalendar file, e.g. school holidays or the client's closing days: every "
            "all-day event from today on becomes a blackout date. At most 1 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".ics,text/calendar"}),
    )


class DepartmentMoveForm(forms.Form):
    department = forms.CharField(label=_("Department"), max_length=150, required=False)
    position = forms.IntegerField(label=_("To wave"), min_value=1, max_value=10_000)
