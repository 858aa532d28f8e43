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


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koers.settings")
    if sys.argv[1:2] == ["demo"]:
        ensure_demo_secret_key()
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
