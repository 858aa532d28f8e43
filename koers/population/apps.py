from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PopulationConfig(AppConfig):
    name = "koers.population"
    verbose_name = _("People")

    def ready(self) -> None:
        from . import tasks  # noqa: F401 (connects the receiver of failed import tasks)
