"""Forms of a client's people: the upload, the mapping of columns, a person's marks."""

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from koers.core.forms import DateInput, UploadField

from .models import FIELD_LABELS, MAPPING_FIELDS, ImportRun


class UploadForm(forms.Form):
    file = UploadField(
        label=_("File from the HR system or directory"),
        help_text=_("CSV (comma, semicolon or tab) or XLSX. The first row names the columns."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.tsv,.xlsx,.xlsm"}),
    )


class MappingForm(forms.Form):
    """Which column is which field; further columns kept only when ticked."""

    sheet = forms.ChoiceField(label=_("Sheet"), required=False)
    left_before = forms.DateField(
        label=_("Left when the leaving date is before"),
        required=False,
        widget=DateInput(),
        help_text=_(
            "People whose leaving date is before this day are imported as left (Uit dienst); "
            "a later date is kept, and they are not planned in a wave after it."
        ),
    )
    mark_left = forms.BooleanField(
        label=_("Mark people who are not in this file as left"),
        required=False,
        help_text=_("Only when this file holds everyone: they drop out of pilot and waves."),
    )
    new_keys = forms.BooleanField(
        label=_("The keys are new: add these people anyway"),
        required=False,
    )

    def __init__(
        self, *args: Any, run: ImportRun, sensitive: dict[str, str] | None = None, **kwargs: Any
    ) -> None:
        sensitive = sensitive or {}
        initial = {f"map_{f}": c for f, c in run.mapping.items()}
        initial.update(
            {
                "keep": run.keep,
                "sheet": run.sheet,
                "mark_left": run.mark_left,
                "left_before": run.left_before or timezone.localdate(),
            }
        )
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        self.run = run
        columns = [("", _("(not in the file)"))] + [(c, c) for c in run.header]
        for name in MAPPING_FIELDS:
            self.fields[f"map_{name}"] = forms.ChoiceField(
                label=FIELD_LABELS[name], choices=columns, required=name == "key"
            )
        # Nothing is ticked to begin with; a column that looks sensitive says so beside it.
        self.fields["keep"] = forms.MultipleChoiceField(
            label=_("Further columns to keep for the selection"),
            choices=[(c, f"{c} ⚠ {sensitive[c]}" if c in sensitive else c) for c in run.header],
            required=False,
            widget=forms.CheckboxSelectMultiple,
            help_text=_("Keep only what choosing a pilot needs; unticked columns are not stored."),
        )
        if len(run.sheets) > 1:
            cast(forms.ChoiceField, self.fields["sheet"]).choices = [(s, s) for s in run.sheets]
        else:
            del self.fields["sheet"]

    @property
    def mapping(self) -> dict[str, str]:
        return {
            name: self.cleaned_data[f"map_{name}"]
            for name in MAPPING_FIELDS
            if self.cleaned_data.get(f"map_{name}")
        }


MARK_CHOICES = [
    ("well_known", _("well known")),
    ("constructive", _("constructive")),
    ("ambassador", _("ambassador")),
]
MAX_MARKED = 500  # people marked in one save: at most a few pages' worth


class PeopleField(forms.Field):
    """The ids of the people ticked in the list (`person`, one per checkbox)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[int]:
        try:
            return sorted({int(v) for v in value or []})
        except (TypeError, ValueError):
            raise forms.ValidationError(_("Tick people in the list.")) from None

    def validate(self, value: list[int]) -> None:
        if not value:
            raise forms.ValidationError(_("Tick at least one person."), code="required")
        if len(value) > MAX_MARKED:
            raise forms.ValidationError(
                _("Mark at most %(max)d people at once.") % {"max": MAX_MARKED}
            )


class MarksForm(forms.Form):
    """A mark given to, or taken from, the people ticked in the list."""

    person = PeopleField()
    mark = forms.ChoiceField(label=_("Mark"), choices=MARK_CHOICES)
    give = forms.TypedChoiceField(
        label=_("Give or take away"),
        choices=[("1", _("give")), ("0", _("take away"))],
        coerce=lambda value: value == "1",
        initial="1",
        widget=forms.RadioSelect,
    )
