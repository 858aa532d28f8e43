from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InstructionsConfig(AppConfig):
    name = "koers.instructions"
    verbose_name = _("User instructions")

    def ready(self) -> None:
        from . import mailing  # noqa: F401 (offers the mail texts for a workspace's own words)
