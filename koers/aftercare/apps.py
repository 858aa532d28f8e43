from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AftercareConfig(AppConfig):
    name = "koers.aftercare"
    verbose_name = _("Aftercare")

    def ready(self) -> None:
        # The projects app sits below this one: it asks its closing guards, and the handover
        # checklist is one of them.
        from koers.projects import closing

        from .services import handover_guard

        closing.guard_closing_with(handover_guard)
