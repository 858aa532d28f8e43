"""WSGI entry point for gunicorn: `gunicorn koers.wsgi`."""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import reverse

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koers.settings")
application = get_wsgi_application()
# Load the URL configuration, and with it every view, while the worker starts: otherwise each
# worker's first request pays about a second for those imports.
reverse("healthz")
# Then keep what start-up made out of the garbage collector's full passes: it lives as long
# as the worker, and walking it again and again paused a request for 50 to 150 ms now and then.
gc.freeze()
