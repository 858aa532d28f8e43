import re

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "koers.core"
    verbose_name = _("Koers")

    def ready(self) -> None:
        from django import forms

        # Django reads a whole number after stripping a trailing ".0…", so the Dutch "1.000"
        # (a thousand) became 1 in every IntegerField, model forms' included. Strip only ".",
        # ".0" or ".00", never a group of three: "1.000" is then refused as not a whole number.
        forms.IntegerField.re_decimal = re.compile(r"\.0{0,2}\s*$")
