"""Helpers shared by the forms of every app."""

from typing import Any

from django import forms
from django.conf import settings
from django.forms.renderers import DjangoTemplates
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .errors import RAISE_UPLOAD_LIMIT, KoersError

MB = 1024 * 1024
# Widgets of many options, as Django writes them but with each option written in place
# instead of an included template per option (a select's options carry no attributes but
# `selected`: Select.option_inherits_attrs is False). Tests hold them to Django's markup.
FAST_TEMPLATES = {
    "django/forms/widgets/select.html": "core/widgets/select.html",
    "django/forms/widgets/checkbox_select.html": "core/widgets/multiple_input.html",
    "django/forms/widgets/radio.html": "core/widgets/multiple_input.html",
}


class FormRenderer(DjangoTemplates):
    """Renders every `{{ form }}`: the problems summed up on top and linked to their fields
    (koers.js moves the focus there and says so in the page title), required fields marked."""

    form_template_name = "core/form_div.html"

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        # Django includes a template per option: a choice of 300 decisions took 100 ms.
        template_name = FAST_TEMPLATES.get(template_name, template_name)
        if template_name == self.form_template_name:
            fields = context.get("fields", [])
            context["has_required"] = any(field.field.required for field, _errors in fields)
            context["problems"] = len(context.get("errors") or []) + sum(
                len(errors) for _field, errors in fields
            )
        return super().render(template_name, context, request)


class DateInput(forms.DateInput):
    """A date picker that shows and reads ISO dates."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


def add_domain_error(form: forms.BaseForm, error: KoersError) -> None:
    """Show a service's KoersError next to its field, or above the form."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, str(error.message))


class UploadField(forms.FileField):
    """A file field that refuses a file over settings.UPLOAD_LIMIT_MB, naming both sizes.

    A body far over the limit never gets here: the upload_limit middleware answers 413.
    """

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value and value.size > settings.UPLOAD_LIMIT_MB * MB:
            raise forms.ValidationError(
                format_lazy(
                    "{} {}",
                    _("The file is %(size)d MB; Koers accepts files up to %(limit)d MB."),
                    RAISE_UPLOAD_LIMIT,
                ),
                code="too_large",
                params={"size": -(-value.size // MB), "limit": settings.UPLOAD_LIMIT_MB},
            )
