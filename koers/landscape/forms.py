from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from koers.core.forms import UploadField
from koers.roadmap.models import Phase
from koers.workspaces.models import Client

from . import services
from .models import Change, Integration, System


class SystemForm(forms.ModelForm):
    class Meta:
        model = System
        fields = list(services.SYSTEM_FIELDS)
        widgets = {
            "data_held": forms.Textarea(attrs={"rows": 3}),
            "debt": forms.NumberInput(attrs={"min": 1, "max": 5}),
        }

    def validate_unique(self) -> None:
        """The service says when the name is taken (without case), on the name field."""


class IntegrationForm(forms.ModelForm):
    source = forms.ModelChoiceField(label=_("From"), queryset=System.objects.none())
    target = forms.ModelChoiceField(label=_("To"), queryset=System.objects.none())

    class Meta:
        model = Integration
        fields = list(services.INTEGRATION_FIELDS)

    def __init__(self, *args: Any, client: Client, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        systems = System.objects.filter(client=client).order_by("name")
        self.fields["source"].queryset = systems  # type: ignore[attr-defined]
        self.fields["target"].queryset = systems  # type: ignore[attr-defined]

    def validate_unique(self) -> None:
        """The service says when it is recorded already, on the kind field."""


class ImportForm(forms.Form):
    file = UploadField(
        label=_("System list (.xlsx)"),
        help_text=_("The columns of the export; the first row names them."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )


class PhaseSystemForm(forms.Form):
    """Not a model form: the same phase and system again changes what the phase does to it."""

    phase = forms.ModelChoiceField(label=_("Phase"), queryset=Phase.objects.none())
    system = forms.ModelChoiceField(label=_("System"), queryset=System.objects.none())
    change = forms.ChoiceField(label=_("What the phase does to it"), choices=Change.choices)

    def __init__(self, *args: Any, phases: Any, client: Client, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["phase"].queryset = phases  # type: ignore[attr-defined]
        self.fields["system"].queryset = System.objects.filter(  # type: ignore[attr-defined]
            client=client
        ).order_by("name")
