from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InstructionsConfig(AppConfig):
    name = "koers.instructions"
    verbose_name = _("User instructions")
