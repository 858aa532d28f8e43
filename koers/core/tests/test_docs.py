"""Every setting and every Koers command is documented (docs/settings.md, docs/cli.md)."""

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

from django.core.management import get_commands

from koers.cli import typed_name

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
    ours = {typed_name(name) for name, app in get_commands().items() if app.startswith("koers.")}
    documented = set(re.findall(r"`koers ([a-z_-]+)", (ROOT / "docs/cli.md").read_text()))
    assert {"demo", "serve", "create-workspace"} <= ours
    assert not ours - documented, f"add to docs/cli.md: {sorted(ours - documented)}"


def documented_exec_starts() -> dict[str, list[str]]:
    """The ExecStart command of every systemd unit in docs/production.md, by unit file."""
    text = (ROOT / "docs/production.md").read_text()
    found = {}
    for block in re.findall(r"```ini\n(.*?)```", text, re.S):
        unit = re.search(r"# /etc/systemd/system/(\S+)", block)
        start = re.search(r"^ExecStart=(.*?)(?<!\\)$", block, re.S | re.M)
        if unit and start:
            line = start.group(1).replace("\\\n", " ").replace("%%", "%")
            found[unit.group(1)] = shlex.split(line)
    return found


def test_the_documented_units_restart_without_giving_up():
    text = (ROOT / "docs/production.md").read_text()
    for block in re.findall(r"```ini\n(.*?)```", text, re.S):
        if "ExecStart=" in block and "Type=oneshot" not in block and "backup" not in block:
            assert "Restart=always" in block and "RestartSec=" in block, block
            assert "StartLimitIntervalSec=0" in block, block


PARSE = """
import sys, django
django.setup()
from django.core.management import get_commands, load_command_class
name, args = sys.argv[1], sys.argv[2:]
load_command_class(get_commands()[name], name).create_parser("koers", name).parse_args(args)
"""


def test_the_documented_commands_run_with_their_options():
    """Each unit's command is checked by the program itself: gunicorn's --check-config, and
    the `koers` command's own parser taking the options the unit passes."""
    starts = documented_exec_starts()
    assert {"koers.service", "koers-web.service", "koers-worker.service"} <= set(starts)
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "koers.settings",
        "KOERS_TASK_BACKEND": "django_tasks_db.DatabaseBackend",  # as in production
    }
    for unit, command in starts.items():
        program, args = Path(command[0]).name, command[1:]
        if program == "gunicorn":
            check = [str(Path(sys.executable).parent / "gunicorn"), "--check-config", *args]
        elif program == "koers" and args[0] in ("serve", "db_worker"):
            check = [sys.executable, "-c", PARSE, *args]
        else:
            continue
        done = subprocess.run(check, env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, f"{unit}: {done.stdout}{done.stderr}"
