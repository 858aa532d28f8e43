"""Every `{{ form }}`: problems summed up and linked to their fields, required fields marked."""

import re
from typing import Any

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.test.signals import template_rendered
from django.utils import translation

from koers.core.forms import FormRenderer


class Sample(forms.Form):
    name = forms.CharField(label="Name")
    email = forms.EmailField(label="E-mail", required=False)

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        if cleaned.get("email") == "taken@example.com":
            raise forms.ValidationError("Choose another address.")
        return cleaned


def test_the_problems_are_summed_up_on_top_with_links_to_their_fields() -> None:
    with translation.override("en"):
        html = str(Sample({"name": "", "email": "not-an-address"}))
    summary = html.split("</div>")[0]
    assert "data-error-summary" in summary
    assert "There are 2 problems in this form" in summary
    assert '<a href="#id_name">Name: This field is required.</a>' in summary
    assert '<a href="#id_email">E-mail: Enter a valid email address.</a>' in summary


def test_a_problem_of_the_whole_form_is_in_the_summary_too() -> None:
    with translation.override("nl"):
        html = str(Sample({"name": "x", "email": "taken@example.com"}))
    assert "Er is 1 probleem in dit formulier" in html
    assert "<li>Choose another address.</li>" in html.split("</div>")[0]


def test_required_fields_are_marked_and_a_valid_form_has_no_summary() -> None:
    html = str(Sample())
    assert "data-error-summary" not in html
    assert 'class="required"' in html  # the name's row: its label gets the mark
    assert html.count(" required") == 1  # the input's attribute (the row's class above)
    assert "Fields marked * are required." in html or "Velden met * zijn verplicht." in html


CHOICES = [
    ("a", "Alpha & <b>"),
    ("Groep", [("b", "Beta"), ("c", 'Gamma "quoted"')]),
    (3, "Three"),
    ("", "Nothing"),
]


def spaced(html: str) -> str:
    """The markup with runs of white space as one space, none between tags (as browsers
    read it: Django's option templates end in a line break)."""
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html)).strip()


@pytest.mark.parametrize(
    ("widget", "value"),
    [
        (forms.Select(attrs={"class": "wide", "data-x": True}), "b"),
        (forms.SelectMultiple(attrs={"id": "pick"}), ["a", "3"]),
        (forms.RadioSelect(attrs={"id": "one", "class": "choices"}), "c"),
        (forms.CheckboxSelectMultiple(attrs={"id": "many", "required": True}), ["a", "c"]),
        (forms.RadioSelect(), None),
    ],
)
def test_widgets_of_many_options_write_what_django_writes(
    widget: forms.Widget, value: object
) -> None:
    """The renderer writes options in place (core.forms.FAST_TEMPLATES): the same markup as
    Django's templates, only without a template per option."""
    widget.choices = CHOICES  # type: ignore[attr-defined]
    ours = widget.render("field", value, renderer=FormRenderer())
    django = widget.render("field", value, renderer=DjangoTemplates())
    assert spaced(ours) == spaced(django)
    assert "Alpha &amp; &lt;b&gt;" in ours


def test_no_template_is_rendered_per_option() -> None:
    rendered: list[str] = []

    def note(sender: object, template: Any, **kwargs: object) -> None:
        rendered.append(template.name)

    template_rendered.connect(note)
    try:
        forms.Select(choices=CHOICES).render("field", "a", renderer=FormRenderer())
        forms.RadioSelect(choices=CHOICES).render("field", "a", renderer=FormRenderer())
    finally:
        template_rendered.disconnect(note)
    assert "core/widgets/select.html" in rendered
    assert "core/widgets/multiple_input.html" in rendered
    assert not [name for name in rendered if "option" in name], rendered
