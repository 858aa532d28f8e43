from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PulseConfig(AppConfig):
    name = "koers.pulse"
    verbose_name = _("Pulse rounds")

    def ready(self) -> None:
        from koers.rollout import measures

        from . import mailing  # noqa: F401 (offers the round mails for a workspace's own texts)
        from .queries import gate_facts

        measures.measure_with(gate_facts)
