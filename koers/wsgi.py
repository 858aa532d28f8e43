"""WSGI entry point for gunicorn: `gunicorn koers.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koers.settings")
application = get_wsgi_application()

from koers.core.warmup import load_and_freeze  # noqa: E402 (needs Django set up)

# Every view, template and language loaded while the worker starts (its first requests would
# pay for them), and kept out of the garbage collector's full passes from then on.
load_and_freeze()
