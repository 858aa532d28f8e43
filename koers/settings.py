"""Koers settings: one module, configured by KOERS_* and DATABASE_URL environment variables.

Every variable is listed in docs/settings.md; a test keeps that list complete.
"""

import ipaddress
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


DATA_DIR = Path(os.environ.get("KOERS_DATA_DIR", "var")).resolve()
DEBUG = env_bool("KOERS_DEBUG")
# KOERS_HTTPS says Koers runs behind a TLS-terminating proxy: secure cookies, HSTS, redirects.
HTTPS = env_bool("KOERS_HTTPS")

# The secret key comes from the environment, or from the file `koers demo` keeps in DATA_DIR.
SECRET_KEY_FILE = DATA_DIR / "secret_key"
SECRET_KEY = os.environ.get("KOERS_SECRET_KEY", "")
if not SECRET_KEY and SECRET_KEY_FILE.exists():
    SECRET_KEY = SECRET_KEY_FILE.read_text().strip()
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "Set KOERS_SECRET_KEY (at least 50 random characters); `koers demo` makes one itself."
    )

ALLOWED_HOSTS = env_list("KOERS_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("KOERS_CSRF_TRUSTED_ORIGINS")
# Where Koers is reached, for links in mail sent outside a request (the weekly digest).
BASE_URL = os.environ.get("KOERS_BASE_URL", "http://localhost:8000").rstrip("/")

INSTALLED_APPS = [
    "koers.core",
    "koers.accounts",
    "koers.workspaces",
    "koers.projects",
    "koers.roadmap",
    "koers.documents",
    "koers.population",
    "koers.rollout",
    "koers.outbox",
    "koers.pulse",
    "koers.stakeholders",
    "koers.landscape",
    "koers.decisions",
    "koers.wins",
    "koers.steering",
    "koers.aftercare",
    "koers.products",
    "koers.instructions",
    "koers.portfolio",
    "koers.api",
    "koers.demo",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "koers.core.middleware.security_headers",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "koers.core.middleware.user_language",
    "django.middleware.locale.LocaleMiddleware",
    "koers.core.middleware.upload_limit",  # before the CSRF check reads the body
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "koers.core.middleware.admin_without_scopes",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "koers.core.middleware.counted_once_per_view",
]

ROOT_URLCONF = "koers.urls"
FORM_RENDERER = "koers.core.forms.FormRenderer"
WSGI_APPLICATION = "koers.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "koers.workspaces.context_processors.koers",
            ],
        },
    },
]

# Database: SQLite in KOERS_DATA_DIR unless DATABASE_URL names another (PostgreSQL).
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": (
        "PRAGMA journal_mode=WAL;"
        "PRAGMA synchronous=" + ("NORMAL" if DEBUG else "FULL") + ";"
        "PRAGMA foreign_keys=ON;"
    ),
}
if os.environ.get("DATABASE_URL"):
    DATABASES = {
        "default": dj_database_url.parse(
            os.environ["DATABASE_URL"], conn_max_age=60, conn_health_checks=True
        )
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "koers.sqlite3"),
        }
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = SQLITE_OPTIONS
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TASKS = {
    "default": {
        "BACKEND": os.environ.get("KOERS_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "koers.accounts.passwords.SimilarToAccountValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24
# Failed log-ins allowed per e-mail address and per client address in LOGIN_RATE_WINDOW seconds.
LOGIN_RATE_LIMIT = int(os.environ.get("KOERS_LOGIN_RATE_LIMIT", "10"))
LOGIN_RATE_WINDOW = 15 * 60
# Sign-ups and password-reset requests (each) allowed per client address per hour: both send
# mail to an address the client names. An office behind one address rarely needs more.
ACCOUNT_RATE_LIMIT = int(os.environ.get("KOERS_ACCOUNT_RATE_LIMIT", "20"))
INVITATION_MAX_AGE_DAYS = int(os.environ.get("KOERS_INVITATION_DAYS", "7"))
# Visits of pages reached by a public link per client address per minute (a pulse round's
# answer page: per link and address); people behind one office address share it, so it is
# generous.
PUBLIC_RATE_LIMIT = int(os.environ.get("KOERS_PUBLIC_RATE_LIMIT", "120"))
# Answers one client address may give on one public pulse link in a day; an office behind one
# address shares it.
PUBLIC_ANSWERS_PER_ADDRESS = int(os.environ.get("KOERS_PUBLIC_ANSWERS_PER_ADDRESS", "500"))
# Proxies (addresses or networks) whose X-Forwarded-For is believed; none by default.
TRUSTED_PROXIES = env_list("KOERS_TRUSTED_PROXIES")
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError as error:
        raise ImproperlyConfigured(f"KOERS_TRUSTED_PROXIES: {error}") from None
# Largest people file (CSV or XLSX) an import accepts, in megabytes.
UPLOAD_LIMIT_MB = int(os.environ.get("KOERS_UPLOAD_LIMIT_MB", "50"))
# Address space of the task worker (`koers db_worker`, also under `koers serve`) in megabytes;
# 0 for no cap. Reading the largest workbook an import allows takes about 1.5 GB.
WORKER_MEMORY_MB = int(os.environ.get("KOERS_WORKER_MEMORY_MB", "2048"))
# Seconds a gunicorn worker of `koers serve` may spend on one request (its --timeout); an
# import run inside a request that is not done after it was cut off.
WEB_TIMEOUT = int(os.environ.get("KOERS_WEB_TIMEOUT", "30"))

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates in one shape in both languages: 30 Nov 2026 and 30 nov 2026, 24-hour times.
FORMAT_MODULE_PATH = ["koers.core.formats"]
TIME_ZONE = os.environ.get("KOERS_TIME_ZONE", "Europe/Amsterdam")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or not env_bool("KOERS_STATIC_MANIFEST", default=True)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# E-mail: printed to the console unless KOERS_SMTP_HOST is set.
DEFAULT_FROM_EMAIL = os.environ.get("KOERS_FROM_EMAIL", "Koers <koers@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if os.environ.get("KOERS_SMTP_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["KOERS_SMTP_HOST"]
    EMAIL_PORT = int(os.environ.get("KOERS_SMTP_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("KOERS_SMTP_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("KOERS_SMTP_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("KOERS_SMTP_TLS", default=True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# Seconds one talk with the mail server may take; the outbox counts a message still
# "sending" after 15 minutes as stopped, so this must stay well below that.
EMAIL_TIMEOUT = 30

# Security headers and cookies.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz(/live|/worker)?$"]
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True

LOG_LEVEL = os.environ.get("KOERS_LOG_LEVEL", "WARNING")
# Nothing personal or secret goes into logs: only warnings and errors, without request bodies,
# and the token of every link path redacted. Django's own "django" and "django.server" loggers
# write through the same handler, so no path reaches a log unfiltered.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_secrets": {"()": "koers.core.redaction.RedactSecrets"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact_secrets"]},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
