"""Every setting and every Koers command is documented (docs/settings.md, docs/cli.md)."""

import re
from pathlib import Path

from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[3]
ENV_READ = re.compile(r"""(?:environ(?:\.get)?[\(\[]|env_bool\(|env_list\()\s*["']([A-Z_]+)["']""")


def env_variables_read() -> set[str]:
    names: set[str] = set()
    for path in (ROOT / "koers").rglob("*.py"):
        if "tests" in path.parts or path.name == "pytest_plugin.py":
            continue
        names.update(ENV_READ.findall(path.read_text()))
    return names - {"DJANGO_SETTINGS_MODULE"}


def test_every_environment_variable_is_documented():
    documented = set(re.findall(r"`([A-Z_]+)`", (ROOT / "docs/settings.md").read_text()))
    missing = env_variables_read() - documented
    assert env_variables_read(), "the scan found no variables at all"
    assert not missing, f"add to docs/settings.md: {sorted(missing)}"


def test_every_koers_command_is_documented():
    ours = {name for name, app in get_commands().items() if app.startswith("koers.")}
    documented = set(re.findall(r"`koers ([a-z_-]+)", (ROOT / "docs/cli.md").read_text()))
    assert {"demo", "serve", "create-workspace"} <= ours
    assert not ours - documented, f"add to docs/cli.md: {sorted(ours - documented)}"
