"""The `koers` console script: django-admin with Koers' settings preset."""

import os
import re
import secrets
import sys
from pathlib import Path
from typing import Any

# Koers' own commands are typed with a hyphen (`koers plan-waves`), as docs/cli.md names them;
# a Python module cannot be imported by such a name, so their modules use an underscore.
HYPHENATED = frozenset(
    {
        "check_plan",
        "client_vision",
        "create_workspace",
        "export_plan",
        "import_people",
        "import_plan",
        "plan_waves",
        "portfolio_roadmap",
        "select_pilot",
        "weekly_digest",
    }
)


def module_name(command: str) -> str:
    """Return the module of a command as typed: `plan-waves` -> `plan_waves`."""
    underscored = command.replace("-", "_")
    return underscored if underscored in HYPHENATED else command


def typed_name(module: str) -> str:
    """Return the name a command is typed by: `plan_waves` -> `plan-waves`."""
    return module.replace("_", "-") if module in HYPHENATED else module


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
    from django.core.management import ManagementUtility
    from django.utils import translation

    class Utility(ManagementUtility):
        """django-admin's, taking and listing Koers' commands by their typed names."""

        def fetch_command(self, subcommand: str) -> Any:
            return super().fetch_command(module_name(subcommand))

        def main_help_text(self, commands_only: bool = False) -> str:
            text: str = super().main_help_text(commands_only)
            names = "|".join(sorted(HYPHENATED))
            return re.sub(
                rf"^(\s*)({names})$",
                lambda match: match[1] + typed_name(match[2]),
                text,
                flags=re.MULTILINE,
            )

    try:
        django.setup()
    except ImproperlyConfigured as error:
        sys.exit(f"koers: {error}")
    # Messages (ours and Django's validators) speak the terminal's language.
    translation.activate(terminal_language())
    Utility(sys.argv).execute()


if __name__ == "__main__":
    main()
