from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LandscapeConfig(AppConfig):
    name = "koers.landscape"
    verbose_name = _("Landscape")

    def ready(self) -> None:
        from koers.roadmap import parts

        from .revisions import PART

        # A plan revision keeps which phase changes which system, and a restore brings it back.
        parts.keep_with_the_plan(PART)
