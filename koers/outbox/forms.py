from django import forms
from django.utils.translation import gettext_lazy as _


class MailTemplateForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=300)
    body = forms.CharField(
        label=_("Text"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 16})
    )
