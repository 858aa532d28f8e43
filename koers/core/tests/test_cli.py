import os
import subprocess
import sys
from pathlib import Path

import pytest

from koers.cli import module_name, terminal_language, typed_name


@pytest.mark.parametrize(
    ("environment", "language"),
    [
        ({"LANG": "nl_BE.UTF-8"}, "nl"),
        ({"LANG": "nl_NL.UTF-8", "LC_ALL": "en_GB.UTF-8"}, "en"),
        ({"LC_MESSAGES": "nl_NL"}, "nl"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({}, "en"),
    ],
)
def test_the_cli_speaks_the_terminals_language(monkeypatch, environment, language):
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(variable, raising=False)
    for variable, value in environment.items():
        monkeypatch.setenv(variable, value)
    assert terminal_language() == language


def koers(*args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KOERS_SECRET_KEY": "x" * 50, "KOERS_DATA_DIR": str(tmp_path)}
    return subprocess.run(
        [sys.executable, "-m", "koers.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_koers_commands_are_typed_and_listed_with_a_hyphen(tmp_path: Path) -> None:
    typed = {"check-plan", "create-workspace", "import-people", "plan-waves", "select-pilot"}
    listed = set(koers("help", "--commands", tmp_path=tmp_path).stdout.split())
    assert typed <= listed
    assert not {name.replace("-", "_") for name in typed} & listed
    usage = koers("plan-waves", "--help", tmp_path=tmp_path)
    assert usage.returncode == 0 and "plan-waves [-h]" in usage.stdout
    assert "--seed" in koers("help", "select-pilot", tmp_path=tmp_path).stdout


def test_a_command_name_maps_to_its_module_and_back() -> None:
    assert module_name("plan-waves") == "plan_waves" and typed_name("plan_waves") == "plan-waves"
    assert module_name("db_worker") == typed_name("db_worker") == "db_worker"
    assert module_name("check-deploy") == "check-deploy"  # not one of Koers' own: left alone
