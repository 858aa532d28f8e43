"""The offline dependency audit: lock parsing, OSV ranges, and the real lock checked."""

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "audit_dependencies", ROOT / "scripts" / "audit_dependencies.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


audit = _load()


def advisory_file(tmp_path: Path, packages: dict[str, list[dict[str, object]]]) -> Path:
    path = tmp_path / "advisories.json"
    source = {"database": "test", "taken": "2026-11-27", "newest": "2026-11-01", "note": ""}
    path.write_text(json.dumps({"source": source, "packages": packages}))
    return path


def test_the_pinned_lock_has_no_known_vulnerability_and_is_what_is_installed(capsys):
    assert audit.main([]) == 0
    printed = capsys.readouterr().out
    assert "0 affect a pinned version, 0 installed otherwise" in printed


def test_every_package_in_the_lock_has_an_entry_in_the_advisory_file():
    pins = audit.read_lock(audit.LOCK.read_text())
    _source, advisories = audit.load_advisories(audit.ADVISORIES)
    assert {pin.name for pin in pins} <= set(advisories)


def test_a_pinned_version_in_an_affected_range_fails_the_audit(tmp_path, capsys):
    lock = tmp_path / "requirements.lock"
    lock.write_text("# pinned\nDjango==5.2.1\nsix==1.17.0\n")
    advisories = advisory_file(
        tmp_path,
        {
            "django": [
                {
                    "id": "PYSEC-TEST-1",
                    "aliases": ["CVE-2099-0001"],
                    "summary": "SQL injection in a test",
                    "ranges": [[{"introduced": "5.2"}, {"fixed": "5.2.2"}]],
                }
            ]
        },
    )
    code = audit.main(["--lock", str(lock), "--advisories", str(advisories), "--skip-installed"])
    assert code == 1
    error = capsys.readouterr().err
    assert "django==5.2.1 (requirements.lock line 2): PYSEC-TEST-1 (CVE-2099-0001)" in error
    assert "fixed in 5.2.2" in error


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("Django>=5.2", "line 2: 'Django>=5.2' is not pinned"),
        ("Django", "line 2: 'Django' is not pinned"),
        ("Django==five", "line 2: Invalid version"),
    ],
)
def test_a_lock_line_not_pinned_exactly_is_named(line, problem):
    with pytest.raises(audit.AuditError, match=problem):
        audit.read_lock(f"six==1.17.0\n{line}\n")


def test_a_package_installed_in_another_version_than_pinned_is_named():
    pins = audit.read_lock("pytest==0.0.1\nno-such-package-koers==1.0\n")
    problems = audit.installed_mismatches(pins)
    assert problems[0].startswith("pytest: pinned 0.0.1, installed ")
    assert problems[1] == "no-such-package-koers: pinned 1.0, not installed"


@pytest.mark.parametrize(
    ("version", "events", "affected"),
    [
        ("1.9", [{"introduced": "0"}, {"fixed": "2.0"}], True),
        ("2.0", [{"introduced": "0"}, {"fixed": "2.0"}], False),
        ("2.0", [{"fixed": "2.0"}, {"introduced": "0"}], False),  # events in any order
        ("1.5", [{"introduced": "1.6"}], False),
        ("9.0", [{"introduced": "1.6"}], True),  # no fix yet
        ("3.1", [{"introduced": "3.0"}, {"last_affected": "3.1"}], True),
        ("3.1.1", [{"introduced": "3.0"}, {"last_affected": "3.1"}], False),
        ("4.1", [{"introduced": "1.0"}, {"fixed": "2.0"}, {"introduced": "4.0"}], True),
        ("3.0", [{"introduced": "1.0"}, {"fixed": "2.0"}, {"introduced": "4.0"}], False),
        ("5.2rc1", [{"introduced": "5.2a1"}, {"fixed": "5.2"}], True),
    ],
)
def test_osv_ranges_are_read_as_the_osv_schema_says(version, events, affected):
    assert audit.is_affected(Version(version), events) is affected


def test_withdrawn_advisories_are_ignored_and_listed_versions_count():
    pins = audit.read_lock("six==1.17.0\nsegno==1.6.6\n")
    advisories = {
        "six": [{"id": "GHSA-w", "withdrawn": "2026-01-01", "ranges": [[{"introduced": "0"}]]}],
        "segno": [{"id": "GHSA-v", "versions": ["1.6.5", "1.6.6"], "ranges": []}],
    }
    found = audit.findings(pins, advisories)
    assert [(finding.pin.name, finding.advisory) for finding in found] == [("segno", "GHSA-v")]
    assert str(found[0]).endswith("no fixed version")


def test_the_advisory_file_is_rebuilt_from_a_clone_of_the_database(tmp_path):
    folder = tmp_path / "advisory-database" / "vulns" / "python-calamine"
    folder.mkdir(parents=True)
    (folder / "GHSA-test.yaml").write_text(
        "id: GHSA-test\n"
        "aliases: [CVE-2099-0002]\n"
        "summary: Zip bomb\n"
        "affected:\n"
        "- package: {name: python-calamine, ecosystem: PyPI}\n"
        "  ranges:\n"
        "  - type: ECOSYSTEM\n"
        "    events:\n"
        "    - introduced: '0'\n"
        "    - fixed: 0.9.2\n"
        "- package: {name: something-else, ecosystem: PyPI}\n"
        "  ranges:\n"
        "  - type: ECOSYSTEM\n"
        "    events: [{introduced: '0'}]\n"
    )
    lock = tmp_path / "requirements.lock"
    lock.write_text("python-calamine==0.9.1\nsix==1.17.0\n")
    target = tmp_path / "advisories.json"
    arguments = ["--lock", str(lock), "--advisories", str(target), "--skip-installed"]
    assert audit.main([*arguments, "--update-from", str(tmp_path / "advisory-database")]) == 1
    rebuilt = json.loads(target.read_text())["packages"]
    assert rebuilt["six"] == []
    assert rebuilt["python-calamine"][0]["ranges"] == [[{"introduced": "0"}, {"fixed": "0.9.2"}]]


def test_a_folder_that_is_not_the_database_is_refused(tmp_path, capsys):
    assert audit.main(["--update-from", str(tmp_path), "--advisories", str(tmp_path / "a")]) == 1
    assert "no vulns/ folder" in capsys.readouterr().err


def test_a_range_with_only_a_fixed_version_starts_at_the_first_release():
    assert audit.is_affected(Version("19.4.5"), [{"fixed": "19.5.0"}])
    assert not audit.is_affected(Version("23.0"), [{"fixed": "19.5.0"}])


def test_a_draft_replaced_by_a_numbered_advisory_for_the_same_cve_does_not_count():
    pins = audit.read_lock("idna==3.20\n")
    draft = {"id": "PYSEC-0000-CVE-2024-3651", "aliases": ["CVE-2024-3651"]}
    numbered = {"id": "PYSEC-2024-60", "aliases": ["CVE-2024-3651"]}
    advisories = {
        "idna": [
            draft | {"ranges": [[{"introduced": "0"}]]},
            numbered | {"ranges": [[{"introduced": "0.1"}, {"fixed": "3.7"}]]},
        ]
    }
    assert audit.findings(pins, advisories) == []
    # A draft with no numbered advisory beside it still counts.
    alone = {"idna": [draft | {"ranges": [[{"introduced": "0"}]]}]}
    assert [finding.advisory for finding in audit.findings(pins, alone)] == [draft["id"]]


def test_the_shipped_advisories_catch_an_old_release(tmp_path, capsys):
    lock = tmp_path / "requirements.lock"
    lock.write_text("Django==4.2.0\nurllib3==2.0.0\n")
    assert audit.main(["--lock", str(lock), "--skip-installed"]) == 1
    error = capsys.readouterr().err
    assert "django==4.2.0 (requirements.lock line 1): PYSEC-2023-" in error
    assert "urllib3==2.0.0 (requirements.lock line 2)" in error
