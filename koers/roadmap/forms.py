from dataclasses import replace
from datetime import date
from typing import Any

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from koers.core.errors import KoersError
from koers.core.forms import DateInput, UploadField
from koers.projects.models import Project, ScopeItem
from koers.workspaces.models import Membership, Role, Workspace

from . import guardrails, planfiles, services
from .models import MAX_PHASE_WEEKS, GuardrailLimits, Kpi, Milestone, Phase, ShareLink


class MonthInput(forms.DateInput):
    input_type = "month"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m")


class MonthField(forms.DateField):
    """A month as `2025-03` (what <input type=month> sends); the first day is kept."""

    widget = MonthInput
    input_formats = ["%Y-%m", "%Y-%m-%d"]

    def to_python(self, value: Any) -> date | None:
        day = super().to_python(value)
        return day.replace(day=1) if day else None


def _show(form: forms.BaseForm, errors: list[KoersError]) -> None:
    for error in errors:
        field = error.field if error.field in form.fields else None
        if field is None or field not in form.errors:
            form.add_error(field, str(error.message))


class PhaseForm(forms.ModelForm):
    """A phase; with `kpis`, its KPI formset, it asks for a KPI or the reason it has none."""

    start_month = MonthField(label=_("Start month"))
    builds_on = forms.ModelChoiceField(
        label=_("Builds on"),
        queryset=Phase.objects.none(),
        required=False,
        help_text=_("The earlier phase whose result this phase uses."),
    )
    no_kpi_justification = forms.CharField(
        label=_("No KPI? Why this phase has none"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Accepts the guardrail finding “No KPI” with this justification; it stays visible "
            "on the plan and in the proposal."
        ),
    )

    class Meta:
        model = Phase
        fields = [
            "title",
            "goal",
            "standalone_value",
            "vision_horizon",
            "vision_contribution",
            "start_month",
            "weeks",
            "budget",
            "status",
            "builds_on",
        ]
        widgets = {
            "goal": forms.Textarea(attrs={"rows": 2}),
            "standalone_value": forms.Textarea(attrs={"rows": 2}),
            "weeks": forms.NumberInput(attrs={"min": 1, "max": 260}),
            "budget": forms.NumberInput(attrs={"min": 0, "step": "0.01"}),
        }

    def __init__(
        self,
        *args: Any,
        project: Project,
        kpis: "forms.BaseInlineFormSet[Any, Any, Any] | None" = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.project = project
        self.kpis = kpis
        others = project.phases.all()
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        self.fields["builds_on"].queryset = others  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        present = {name: data[name] for name in services.PHASE_FIELDS if name in data}
        phase = self.instance if self.instance.pk else None
        _show(self, services.phase_errors(present, project=self.project, phase=phase))
        if (
            self.kpis is not None
            and self.kpis.is_valid()
            and not kept_kpis(self.kpis)
            and not data.get("no_kpi_justification", "").strip()
            and not self._no_kpi_accepted()
        ):
            self.add_error(
                "no_kpi_justification",
                _(
                    "Give the phase at least one KPI: how will we know it worked? Or write "
                    "here why it has none."
                ),
            )
        return data

    def _no_kpi_accepted(self) -> bool:
        return (
            self.instance.pk is not None
            and self.project.deviations.filter(
                rule=guardrails.Rule.NO_KPI.value, subject=self.instance.key
            ).exists()
        )

    def service_fields(self) -> dict[str, Any]:
        fields = {name: self.cleaned_data[name] for name in services.PHASE_FIELDS}
        return fields | {"no_kpi_justification": self.cleaned_data["no_kpi_justification"]}


class KpiForm(forms.ModelForm):
    class Meta:
        model = Kpi
        fields = [
            "name",
            "unit",
            "direction",
            "baseline",
            "baseline_on",
            "target",
            "actual",
            "actual_on",
        ]
        widgets = {
            "baseline_on": DateInput(),
            "actual_on": DateInput(),
            "unit": forms.TextInput(attrs={"size": 8}),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("name") and not data.get("DELETE"):
            _show(self, services.kpi_errors(data))
        return data

    def service_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in services.KPI_FIELDS}


def kept_kpis(formset: "forms.BaseInlineFormSet[Any, Any, Any]") -> list[forms.BaseForm]:
    """Return the KPI forms of a valid formset that stay: filled in, not marked for removal."""
    return [
        form
        for form in formset.forms
        if form.cleaned_data.get("name") and not form.cleaned_data.get("DELETE")
    ]


# Three empty rows: several KPIs are added in one save; empty rows are left out.
KpiFormSet = forms.inlineformset_factory(
    Phase,
    Kpi,
    form=KpiForm,
    extra=3,
    can_delete=True,
    max_num=10,
    validate_max=True,
)


class MilestoneForm(forms.ModelForm):
    phase = forms.ModelChoiceField(label=_("Phase"), queryset=Phase.objects.none(), required=False)

    class Meta:
        model = Milestone
        fields = ["kind", "title", "on", "phase", "decision_needed"]
        widgets = {"on": DateInput(), "kind": forms.RadioSelect}

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.project = project
        self.fields["phase"].queryset = project.phases.all()  # type: ignore[attr-defined]

    def service_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in services.MILESTONE_FIELDS}


class DeviationForm(forms.Form):
    rule = forms.ChoiceField(choices=[(r.value, r.value) for r in guardrails.Rule])
    subject = forms.CharField(max_length=12, required=False)
    justification = forms.CharField(
        label=_("Why is this deviation acceptable?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RevisionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the change"),
        max_length=500,
        help_text=_("E.g. “The pilot showed the log-out time was far too short.”"),
    )


class RestoreForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)


class CompareForm(forms.Form):
    a = forms.IntegerField(label=_("From revision"), min_value=1)
    b = forms.IntegerField(label=_("To revision"), min_value=1)


class LimitsForm(forms.ModelForm):
    class Meta:
        model = GuardrailLimits
        fields = [
            "max_phase_weeks",
            "min_phase_budget",
            "max_phase_budget",
            "first_delivery_weeks",
            "max_phases_at_once",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Added after the others: a form sent without it keeps the method's number.
        self.fields["max_phases_at_once"].required = False

    def clean_max_phases_at_once(self) -> int:
        value = self.cleaned_data.get("max_phases_at_once")
        return guardrails.Limits.max_phases_at_once if value is None else int(value)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("min_phase_budget"), data.get("max_phase_budget")
        if low is not None and high is not None and low > high:
            self.add_error(
                "max_phase_budget", _("The smallest budget cannot be above the largest.")
            )
        return data


class ShareLinkForm(forms.Form):
    kind = forms.ChoiceField(choices=ShareLink.Kind.choices, widget=forms.HiddenInput)


# Importing a plan file: the upload, then the draft to adjust.

DRAFT_SALT = "koers.roadmap.plan-import"
DRAFT_MAX_AGE = 24 * 60 * 60  # a draft left overnight is uploaded again


def sign_draft(draft: planfiles.DraftPlan, *, project: Project, user_pk: int) -> str:
    """The draft, signed for this project and user: the review form carries it, and a
    changed, stolen or stale draft is refused."""
    return signing.dumps(
        draft.as_dict(), salt=f"{DRAFT_SALT}:{project.pk}:{user_pk}", compress=True
    )


def unsign_draft(token: str, *, project: Project, user_pk: int) -> planfiles.DraftPlan | None:
    try:
        data = signing.loads(
            token, salt=f"{DRAFT_SALT}:{project.pk}:{user_pk}", max_age=DRAFT_MAX_AGE
        )
        # A draft signed by an older Koers may not fit the dataclasses of this one.
        return planfiles.DraftPlan.from_dict(data)
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


class PlanFileForm(forms.Form):
    file = UploadField(
        label=_("Plan file"),
        help_text=_(
            "MS Project XML (.xml), GanttProject (.gan), a Jira CSV export, or a CSV with the "
            "columns name, start, end (or duration) and budget."
        ),
    )


class DraftPhaseForm(forms.Form):
    include = forms.BooleanField(label=_("Import"), required=False)
    title = forms.CharField(label=_("Title"), max_length=120)
    start_month = MonthField(label=_("Start month"))
    weeks = forms.IntegerField(
        label=_("Weeks"),
        min_value=1,
        max_value=MAX_PHASE_WEEKS,
        widget=forms.NumberInput(attrs={"min": 1, "max": MAX_PHASE_WEEKS}),
    )
    budget = forms.DecimalField(
        label=_("Budget (EUR)"),
        min_value=0,
        max_digits=12,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"min": 0, "step": "0.01"}),
    )


DraftPhaseFormSet = forms.formset_factory(
    DraftPhaseForm, extra=0, max_num=planfiles.draft.MAX_PHASES, validate_max=True
)


class DraftReviewForm(forms.Form):
    """The signed draft, and which of its milestones and scope items to keep."""

    draft = forms.CharField(widget=forms.HiddenInput)
    milestones = forms.MultipleChoiceField(
        label=_("Milestones"), required=False, widget=forms.CheckboxSelectMultiple
    )
    scope_items = forms.MultipleChoiceField(
        label=_("Scope items"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, draft: planfiles.DraftPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plan = draft
        self.fields["milestones"].choices = [  # type: ignore[attr-defined]
            (m.ref, f"{m.title} ({m.on.isoformat()})") for m in draft.milestones
        ]
        self.fields["scope_items"].choices = [  # type: ignore[attr-defined]
            (s.ref, f"{s.title} ({ScopeItem.Column(s.column).label})") for s in draft.scope_items
        ]

    def adjusted(self, phases: DraftPhaseFormSet) -> planfiles.DraftPlan:  # type: ignore[valid-type]
        """The draft as the user adjusted it (the forms are in the draft's order)."""
        kept_milestones = set(self.cleaned_data["milestones"])
        kept_items = set(self.cleaned_data["scope_items"])
        return replace(
            self.plan,
            phases=tuple(
                replace(
                    phase,
                    include=form.cleaned_data["include"],
                    title=form.cleaned_data["title"],
                    start_month=form.cleaned_data["start_month"],
                    weeks=form.cleaned_data["weeks"],
                    budget=form.cleaned_data["budget"],
                )
                for phase, form in zip(self.plan.phases, phases.forms, strict=True)  # type: ignore[attr-defined]
            ),
            milestones=tuple(
                replace(m, include=m.ref in kept_milestones) for m in self.plan.milestones
            ),
            scope_items=tuple(
                replace(s, include=s.ref in kept_items) for s in self.plan.scope_items
            ),
        )


def draft_forms(
    draft: planfiles.DraftPlan, token: str, data: Any = None
) -> tuple[DraftReviewForm, Any]:
    """The review form and the phase formset of a draft, bound to `data` when posted."""
    initial = [
        {
            "include": p.include,
            "title": p.title,
            "start_month": p.start_month,
            "weeks": p.weeks,
            "budget": p.budget,
        }
        for p in draft.phases
    ]
    phases = DraftPhaseFormSet(data, initial=None if data else initial, prefix="phase")
    review = DraftReviewForm(
        data,
        draft=draft,
        initial={
            "draft": token,
            "milestones": [m.ref for m in draft.milestones if m.include],
            "scope_items": [s.ref for s in draft.scope_items if s.include],
        },
    )
    return review, phases


class ConsultantsForm(forms.Form):
    members = forms.ModelMultipleChoiceField(
        label=_("Consultants"),
        queryset=Membership.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        members = self.fields["members"]
        members.queryset = (  # type: ignore[attr-defined]
            Membership.objects.filter(workspace=workspace)
            .exclude(role=Role.GUEST)
            .select_related("user")
            .order_by("user__name", "id")
        )
        members.label_from_instance = lambda m: m.user.name  # type: ignore[attr-defined]
