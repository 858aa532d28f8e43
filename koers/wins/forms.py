from django import forms
from django.utils.translation import gettext_lazy as _

from koers.core.forms import DateInput


class CelebrateForm(forms.Form):
    """Celebrate a proposed win: its title, the message, and how it is told."""

    title = forms.CharField(label=_("Win"), max_length=200)
    message = forms.CharField(
        label=_("Message"),
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What happened, who made it happen and what it means for the people."),
    )
    how = forms.ChoiceField(
        label=_("Tell it"),
        choices=[
            ("mail", _("By mail to stakeholders (choose them next)")),
            ("demo", _("In a live demo (logged as done)")),
            ("meeting", _("In a meeting (logged as done)")),
        ],
        widget=forms.RadioSelect,
        initial="mail",
    )
    on = forms.DateField(label=_("Date of the communication"), widget=DateInput())
