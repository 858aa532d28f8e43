"""The fault tests' database: one migrated template per module, a copy of it per test."""

from pathlib import Path

import pytest

from tests.faults.test_faults import copy_database, run, scenario


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated database with workspace acme, client bakkerij and project cloud."""
    data_dir = tmp_path_factory.mktemp("template")
    run(data_dir, "koers.cli", "migrate", "--verbosity", "0")
    run(data_dir, "koers.cli", "create-workspace", "acme", "--name", "Acme IT", "--owner", "o@x.nl")
    scenario(data_dir, "client-and-project", "acme", "bakkerij", "cloud")
    return data_dir / "koers.sqlite3"


@pytest.fixture
def database(template: Path, tmp_path: Path) -> Path:
    """This test's copy of the template, in tmp_path."""
    return copy_database(template, tmp_path)
