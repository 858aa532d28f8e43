from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StakeholdersConfig(AppConfig):
    name = "koers.stakeholders"
    verbose_name = _("Stakeholders")

    def ready(self) -> None:
        from . import mailing  # noqa: F401 (offers the mail texts for a workspace's own words)
