from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    name = "koers.outbox"
    verbose_name = _("Outbox")

    def ready(self) -> None:
        from . import tasks  # noqa: F401 (connects the receiver of failed send tasks)
