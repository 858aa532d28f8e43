from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RolloutConfig(AppConfig):
    name = "koers.rollout"
    verbose_name = _("Rollout")

    def ready(self) -> None:
        from . import tasks  # noqa: F401 (connects the receiver of failed import tasks)
