"""Every `{{ form }}`: problems summed up and linked to their fields, required fields marked."""

from django import forms
from django.utils import translation


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
