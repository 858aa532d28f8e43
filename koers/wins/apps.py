from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WinsConfig(AppConfig):
    name = "koers.wins"
    verbose_name = _("Small wins")
