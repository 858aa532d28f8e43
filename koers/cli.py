"""The `koers` console script: django-admin with Koers' settings preset."""

import os
import secrets
import sys
from pathlib import Path


def ensure_demo_secret_key() -> None:
    """Make and keep a secret key in KOERS_DATA_DIR, so `koers demo` runs with no set-up."""
    if os.environ.get("KOERS_SECRET_KEY"):
        return
    key_file = Path(os.environ.get("KOERS_DATA_DIR", "var")).resolve() / "secret_key"
    if not key_file.exists():
        key_file.parent.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)


def terminal_language() -> str:
    """Return the interface language the terminal asks for: Dutch for nl_*, else English."""
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable, "")
        if value:
            return "nl" if value.lower().startswith("nl") else "en"
    return "en"


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koers.settings")
    if sys.argv[1:2] == ["demo"]:
        ensure_demo_secret_key()
    import django
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line
    from django.utils import translation

    try:
        django.setup()
    except ImproperlyConfigured as error:
        sys.exit(f"koers: {error}")
    # Messages (ours and Django's validators) speak the terminal's language.
    translation.activate(terminal_language())
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
