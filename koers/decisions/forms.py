from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from koers.core.forms import DateInput
from koers.projects.models import Project, ScopeItem
from koers.roadmap.models import Phase, PlanRevision
from koers.rollout.models import GateDecision, Wave
from koers.rollout.queries import gate_decisions_of
from koers.stakeholders.models import Stakeholder

from .models import Decision

DATES = ("decided_on", "due_on", "communicated_on")


class LoggedDecisionForm(forms.ModelForm):
    """A decision and what it concerns; every choice is limited to the project's own."""

    # Declared with empty choices: the model's scoped managers cannot be read at import time.
    superseded_by = forms.ModelChoiceField(
        label=_("Superseded by"), queryset=Decision.objects.none(), required=False
    )
    phase = forms.ModelChoiceField(label=_("Phase"), queryset=Phase.objects.none(), required=False)
    wave = forms.ModelChoiceField(label=_("Wave"), queryset=Wave.objects.none(), required=False)
    gate_decision = forms.ModelChoiceField(
        label=_("Gate decision"), queryset=GateDecision.objects.none(), required=False
    )
    scope_item = forms.ModelChoiceField(
        label=_("Scope item"), queryset=ScopeItem.objects.none(), required=False
    )
    plan_revision = forms.ModelChoiceField(
        label=_("Plan revision"), queryset=PlanRevision.objects.none(), required=False
    )
    deciders = forms.TypedMultipleChoiceField(
        label=_("Decided by"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The project's stakeholders who decided; others in words below."),
    )
    note = forms.CharField(
        label=_("Why the status changes"),
        max_length=500,
        required=False,
        help_text=_("Kept in the decision's history when the status changes."),
    )

    class Meta:
        model = Decision
        fields = [
            "title",
            "status",
            "reasons",
            "alternatives",
            "deciders",
            "decided_by",
            "decided_on",
            "due_on",
            "superseded_by",
            "phase",
            "wave",
            "gate_decision",
            "scope_item",
            "plan_revision",
            "communicated_on",
            "communicated_how",
        ]
        widgets = {
            "reasons": forms.Textarea(attrs={"rows": 4}),
            "alternatives": forms.Textarea(attrs={"rows": 3}),
            **{name: DateInput() for name in DATES},
        }

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only what the labels show: a project's hundreds of decisions and revisions are
        # read as options on every visit of the form.
        choices = {
            "superseded_by": project.decisions.exclude(pk=self.instance.pk)
            .order_by("-logged_at")
            .only("pk", "project", "title"),
            "phase": project.phases.only("pk", "project", "title"),
            "wave": project.waves.only("pk", "project", "label"),
            "gate_decision": gate_decisions_of(project),
            "scope_item": project.scope_items.only("pk", "project", "title"),
            "plan_revision": project.plan_revisions.only("pk", "project", "number", "reason"),
        }
        for name, queryset in choices.items():
            self.fields[name].queryset = queryset  # type: ignore[attr-defined]
        self.fields["gate_decision"].label_from_instance = _gate_label  # type: ignore[attr-defined]
        self.fields["plan_revision"].label_from_instance = _revision_label  # type: ignore[attr-defined]
        # A field of its own, not the model's: the service checks and sets the deciders.
        stakeholders = Stakeholder.objects.filter(involvements__project=project).order_by("name")
        self.fields["deciders"].choices = list(stakeholders.values_list("pk", "name"))  # type: ignore[attr-defined]
        if self.instance.pk is not None:
            self.initial["deciders"] = [who.pk for who in self.instance.deciders.all()]
        if self.instance.pk is None:
            del self.fields["note"]


def _gate_label(decision: Any) -> str:
    return (
        f"{decision.gate.wave}: {decision.get_decision_display()} ({decision.decided_at:%Y-%m-%d})"
    )


def _revision_label(revision: Any) -> str:
    return f"r{revision.number}: {revision.reason}"
