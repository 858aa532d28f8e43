from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from koers.core.forms import DateInput
from koers.projects.models import Project

from . import services
from .models import Communication, CommunicationKind, Involvement, Stakeholder, phone_validator


class StakeholderForm(forms.ModelForm):
    class Meta:
        model = Stakeholder
        fields = list(services.STAKEHOLDER_FIELDS)
        widgets = {
            "cares_about": forms.Textarea(attrs={"rows": 3}),
            "concerns": forms.Textarea(attrs={"rows": 3}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # On the field too (not only the model), so a bad number is refused as it is typed.
        self.fields["phone"].validators.append(phone_validator)


class InvolvementForm(forms.ModelForm):
    stakeholder = forms.ModelChoiceField(
        label=_("Stakeholder"), queryset=Stakeholder.objects.none()
    )
    on = forms.DateField(label=_("Stance since"), widget=DateInput(), initial=timezone.localdate)
    reason = forms.CharField(
        label=_("Why this stance"),
        max_length=500,
        required=False,
        help_text=_("Kept in the stance history when the stance is new or changed."),
    )

    class Meta:
        model = Involvement
        fields = ["stakeholder", *services.ROLE_FIELDS]
        widgets = {
            "influence": forms.NumberInput(attrs={"min": 1, "max": 5}),
            "interest": forms.NumberInput(attrs={"min": 1, "max": 5}),
        }

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["stakeholder"]  # the page is the stakeholder's: not to be changed
        else:
            self.fields["stakeholder"].queryset = Stakeholder.objects.filter(  # type: ignore[attr-defined]
                client=project.client
            ).exclude(involvements__project=project)


class CommunicationForm(forms.ModelForm):
    audience = forms.ModelMultipleChoiceField(
        label=_("Audience"),
        queryset=Stakeholder.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Communication
        fields = ["kind", "status", "on", "subject", "content", "audience"]
        widgets = {"on": DateInput(), "content": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["audience"].queryset = Stakeholder.objects.filter(  # type: ignore[attr-defined]
            client=project.client
        )
        if self.initial.get("on") is None:  # a new one's instance holds None
            self.initial["on"] = timezone.localdate()


class RhythmForm(forms.Form):
    """One field per kind of communication: every how many days (empty: no rhythm)."""

    def __init__(self, *args: Any, expected: dict[str, int | None], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind in CommunicationKind:
            self.fields[kind.value] = forms.IntegerField(
                label=kind.label,
                min_value=1,
                max_value=365,
                required=False,
                initial=expected.get(kind.value),
                help_text=_("Every how many days; leave empty for no rhythm."),
            )


class MailForm(forms.Form):
    """Mail a communication to chosen stakeholders of the client who have an address."""

    template = forms.ChoiceField(
        label=_("Text"),
        choices=[("status_update", _("Status update")), ("celebration", _("Celebration"))],
        widget=forms.RadioSelect,
        initial="status_update",
    )
    stakeholders = forms.ModelMultipleChoiceField(
        label=_("To"), queryset=Stakeholder.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, item: Communication, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["stakeholders"]
        field.queryset = Stakeholder.objects.filter(  # type: ignore[attr-defined]
            client=item.project.client
        ).exclude(email="")
        field.label_from_instance = lambda s: f"{s.name} <{s.email}>"  # type: ignore[attr-defined]
        self.initial.setdefault("stakeholders", [s.pk for s in item.audience.all()])
