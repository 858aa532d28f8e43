"""What a worker loads once before it serves, then keeps out of the garbage collector's way.

Templates are parsed on first use into many small objects that live as long as the worker.
Parsed after start-up, they land in the collector's oldest generation, and every full pass
walks them again: a request paused for 100 to 170 ms now and then (measured by
benchmarks/pages_load.py). Loaded here and frozen (`gc.freeze`), they are walked never.
"""

import gc
from pathlib import Path

from django.conf import settings
from django.forms.renderers import get_default_renderer
from django.template import engines
from django.urls import reverse
from django.utils import translation

import koers

PACKAGE = Path(koers.__file__).resolve().parent


def load_and_freeze() -> None:
    """Load the URL configuration (every view), every template of Koers and the languages'
    catalogues; then freeze all the process holds."""
    reverse("healthz")
    for engine in engines.all():
        for name in engine.template_dirs:
            folder = Path(name).resolve()
            if PACKAGE not in folder.parents:
                continue  # Django's own (admin): loaded when staff need them
            for path in sorted(folder.rglob("*")):
                if path.is_file() and path.suffix in (".html", ".txt", ".svg", ".css"):
                    engine.get_template(str(path.relative_to(folder)))
    get_default_renderer().get_template("core/form_div.html")
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Koers")
    gc.freeze()
