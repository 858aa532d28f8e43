from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from koers.workspaces.forms import SlugFormMixin
from koers.workspaces.models import Client, Role, Workspace

from .models import BusinessGoal, ClientVision, Project, ScopeItem, Vision

GOAL_MAX_LENGTH = BusinessGoal._meta.get_field("text").max_length or 300


class IntakeForm(SlugFormMixin, forms.ModelForm):
    # Declared here, not in Meta: a scoped manager cannot give a queryset at import time.
    client = forms.ModelChoiceField(label=_("Client"), queryset=Client.objects.none())
    goals = forms.CharField(
        label=_("Business goals"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One goal per line: what keeps the client awake?"),
        max_length=5000,
    )

    class Meta:
        model = Project
        fields = [
            "name",
            "slug",
            "request",
            "goals",
            "current_situation",
            "tried_before",
            "bottleneck",
            "behaviour_change",
            "smallest_version",
            "manager",
            "language",
        ]
        widgets = {
            "request": forms.Textarea(attrs={"rows": 3}),
            "current_situation": forms.Textarea(attrs={"rows": 4}),
            "tried_before": forms.Textarea(attrs={"rows": 3}),
            "bottleneck": forms.Textarea(attrs={"rows": 3}),
            "behaviour_change": forms.Textarea(attrs={"rows": 3}),
            "smallest_version": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.workspace = workspace
        self.fields["client"].queryset = workspace.clients.all()  # type: ignore[attr-defined]
        self.order_fields(["client"])
        if self.instance.pk:
            self.initial.setdefault("client", self.instance.client_id)
        staff = workspace.memberships.exclude(role__in=[Role.VIEWER, Role.GUEST])
        self.fields["manager"].queryset = get_user_model().objects.filter(  # type: ignore[attr-defined]
            memberships__in=staff
        )
        if self.instance.pk and "goals" not in self.initial:
            self.initial["goals"] = "\n".join(g.text for g in self.instance.goals.all())

    taken_message = _("A project with this short name already exists.")

    def slug_is_taken(self, slug: str) -> bool:
        return self.workspace.projects.filter(slug=slug).exclude(pk=self.instance.pk).exists()

    def clean_goals(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["goals"].splitlines()]
        goals = [line for line in lines if line]
        if not goals:
            raise forms.ValidationError(_("Write at least one business goal."))
        too_long = [i for i, goal in enumerate(goals, 1) if len(goal) > GOAL_MAX_LENGTH]
        if too_long:
            raise forms.ValidationError(
                _("Goal %(line)d is longer than %(max)d characters; split or shorten it.")
                % {"line": too_long[0], "max": GOAL_MAX_LENGTH}
            )
        return goals


VISION_FIELDS = ["summary", "automated_processes", "connected_systems", "biggest_gains"]
VISION_WIDGETS = {name: forms.Textarea(attrs={"rows": 3}) for name in VISION_FIELDS}


class VisionForm(forms.ModelForm):
    class Meta:
        model = Vision
        fields = VISION_FIELDS
        widgets = VISION_WIDGETS


class ClientVisionForm(forms.ModelForm):
    class Meta:
        model = ClientVision
        fields = VISION_FIELDS
        widgets = VISION_WIDGETS


class VisionLinkForm(forms.ModelForm):
    """Which part of the client's vision the project serves."""

    class Meta:
        model = Project
        fields = ["serves_vision"]
        widgets = {"serves_vision": forms.Textarea(attrs={"rows": 2})}


class ScopeItemForm(forms.ModelForm):
    class Meta:
        model = ScopeItem
        fields = ["column", "title", "reason"]
        widgets = {"column": forms.RadioSelect}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The radio buttons are the three columns; no empty "---------" choice.
        self.fields["column"].choices = ScopeItem.Column.choices  # type: ignore[attr-defined]


class ScopeItemEditForm(forms.ModelForm):
    class Meta:
        model = ScopeItem
        fields = ["title", "reason"]


class ScopeMoveForm(forms.Form):
    column = forms.ChoiceField(choices=ScopeItem.Column.choices)
    position = forms.IntegerField(min_value=0, max_value=10_000)


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=Project.Status.choices)
    reason = forms.CharField(
        label=_("Why the project closes anyway"), max_length=1000, required=False
    )
