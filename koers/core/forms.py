"""Helpers shared by the forms of every app."""

from django import forms

from .errors import KoersError


def add_domain_error(form: forms.BaseForm, error: KoersError) -> None:
    """Show a service's KoersError next to its field, or above the form."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, str(error.message))
