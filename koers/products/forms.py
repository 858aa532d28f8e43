from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from koers.core.forms import DateInput
from koers.projects.models import ClientVision, Project
from koers.roadmap.models import Phase
from koers.stakeholders.models import Stakeholder

from . import queries
from .models import Contract, Outcome, Product, TeamMember


class ProductForm(forms.ModelForm):
    owner = forms.ModelChoiceField(
        label=_("Product owner"),
        queryset=Stakeholder.objects.none(),
        required=False,
        help_text=_("One of the client's stakeholders."),
    )

    class Meta:
        model = Product
        fields = ["owner", "owner_decides_alone", "owner_mandate", "starts_in"]
        widgets = {"owner_mandate": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = queries.owner_choices(project)  # type: ignore[attr-defined]


class MemberForm(forms.ModelForm):
    class Meta:
        model = TeamMember
        fields = ["name", "role"]


class VisionChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return _("In %(months)s months") % {"months": obj.horizon}


class OutcomeForm(forms.ModelForm):
    vision = VisionChoice(
        label=_("Part of the client's vision"),
        queryset=ClientVision.objects.none(),
        required=False,
    )

    class Meta:
        model = Outcome
        fields = ["text", "vision"]

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["vision"].queryset = queries.vision_choices(project)  # type: ignore[attr-defined]


class ContractForm(forms.ModelForm):
    phases = forms.ModelMultipleChoiceField(
        label=_("Phases it staffs"),
        queryset=Phase.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Contract
        fields = ["kind", "party", "role", "starts_on", "ends_on", "phases"]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
        }

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["phases"].queryset = project.phases.order_by("position", "id")  # type: ignore[attr-defined]
