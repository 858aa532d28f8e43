from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from koers.projects.models import Project
from koers.rollout.models import Wave
from koers.stakeholders.models import phone_validator

from .models import Instructions
from .services import FIELDS


class HttpsURLField(forms.URLField):
    """An address typed without its scheme is read as https://."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(assume_scheme="https", **kwargs)


class InstructionsForm(forms.ModelForm):
    # Declared with empty choices: the model's scoped manager cannot be read at import time.
    wave = forms.ModelChoiceField(
        label=_("Wave"),
        queryset=Wave.objects.none(),
        required=False,
        empty_label=_("The whole project"),
        help_text=_("Instructions for the people of one wave, or of the whole project."),
    )

    class Meta:
        model = Instructions
        fields = ["wave", *FIELDS]
        widgets = {
            **{f"what_changed_{code}": forms.Textarea(attrs={"rows": 6}) for code in ("nl", "en")},
            **{f"get_help_{code}": forms.Textarea(attrs={"rows": 4}) for code in ("nl", "en")},
            "support_phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
        }
        field_classes = {"support_portal": HttpsURLField}

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # On the field too (not only the model), so a bad number is refused as it is typed.
        self.fields["support_phone"].validators.append(phone_validator)
        if self.instance.pk is None:
            self.fields["wave"].queryset = project.waves.order_by("number")  # type: ignore[attr-defined]
        else:
            del self.fields["wave"]  # the page's audience stays: write another for another
        for code, language in (("nl", "nl"), ("en", "en")):
            for text in ("what_changed", "get_help", "support_hours"):
                self.fields[f"{text}_{code}"].widget.attrs["lang"] = language
