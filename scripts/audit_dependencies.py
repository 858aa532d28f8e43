"""Offline dependency audit: the pinned lock file against known vulnerabilities.

    .venv/bin/python scripts/audit_dependencies.py            # the check; exit 1 on a finding
    .venv/bin/python scripts/audit_dependencies.py --update-from ~/src/advisory-database

What pip-audit does, without a network: the machines Koers is built and tested on reach only
a package mirror, which serves no vulnerability data. The advisories come from the PyPA
advisory database (https://github.com/pypa/advisory-database, CC-BY 4.0), kept for the
packages in the lock in `scripts/advisories.json`; `--update-from` rewrites that file from a
clone of the database. With a network, `pip-audit -r requirements.lock` asks the live source.

The check fails when:
- a line of `requirements.lock` is not pinned exactly (`name==version`);
- a package is installed in another version than the lock pins (so what is tested is what
  is pinned);
- a pinned version lies in an affected range of an advisory that is not withdrawn.
"""

import argparse
import json
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from importlib import metadata
from pathlib import Path
from typing import Any

from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "requirements.lock"
ADVISORIES = ROOT / "scripts" / "advisories.json"
DRAFT = "PYSEC-0000-"
PINNED = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>[^\s;#]+)$")


class AuditError(Exception):
    """The lock or the advisory file cannot be read; the message says where."""


@dataclass(frozen=True)
class Pin:
    name: str  # canonical: lower case, runs of -_. as one dash
    version: Version
    line: int


@dataclass(frozen=True)
class Finding:
    pin: Pin
    advisory: str
    aliases: tuple[str, ...]
    summary: str
    fixed: tuple[str, ...]

    def __str__(self) -> str:
        also = f" ({', '.join(self.aliases)})" if self.aliases else ""
        fix = f"; fixed in {', '.join(self.fixed)}" if self.fixed else "; no fixed version"
        return (
            f"{self.pin.name}=={self.pin.version} (requirements.lock line {self.pin.line}): "
            f"{self.advisory}{also}: {self.summary}{fix}"
        )


def read_lock(text: str) -> list[Pin]:
    """Return the pins of a lock file; raise AuditError naming the first line not pinned."""
    pins = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split(" #")[0].strip()
        if not line or line.startswith("#"):
            continue
        found = PINNED.match(line)
        if found is None:
            raise AuditError(f"requirements.lock line {number}: {raw!r} is not pinned as name==x.y")
        try:
            version = Version(found["version"])
        except InvalidVersion as error:
            raise AuditError(f"requirements.lock line {number}: {error}") from error
        pins.append(Pin(canonicalize_name(found["name"]), version, number))
    return pins


def is_affected(version: Version, events: list[dict[str, str]]) -> bool:
    """Whether `version` lies in one OSV range of type ECOSYSTEM (events in any order).

    Older advisories give only the fixed version; such a range starts at the first release.
    """

    def position(event: dict[str, str]) -> Version:
        value = next(iter(event.values()))
        return Version("0") if value == "0" else Version(value)

    affected = not any("introduced" in event for event in events)
    for event in sorted(events, key=position):
        bound = position(event)
        if "introduced" in event and version >= bound:
            affected = True
        elif ("fixed" in event and version >= bound) or (
            "last_affected" in event and version > bound
        ):
            affected = False
    return affected


def current(advisories: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """The advisories that count: not withdrawn, and not a draft the database replaced.

    A `PYSEC-0000-…` file is a draft made before the advisory had its number; where an
    advisory with a number describes the same CVE, the draft's ranges are out of date.
    """
    numbered = {
        alias
        for advisory in advisories
        if not advisory["id"].startswith(DRAFT)
        for alias in advisory.get("aliases", [])
    }
    for advisory in advisories:
        if advisory.get("withdrawn"):
            continue
        if advisory["id"].startswith(DRAFT) and numbered & set(advisory.get("aliases", [])):
            continue
        yield advisory


def findings(pins: Iterable[Pin], advisories: dict[str, list[dict[str, Any]]]) -> list[Finding]:
    """Every advisory that counts whose ranges or versions hold a pinned version."""
    found = []
    for pin in pins:
        for advisory in current(advisories.get(pin.name, [])):
            ranges = advisory.get("ranges", [])
            listed = {Version(value) for value in advisory.get("versions", [])}
            if pin.version in listed or any(is_affected(pin.version, r) for r in ranges):
                fixed = tuple(
                    event["fixed"] for events in ranges for event in events if "fixed" in event
                )
                found.append(
                    Finding(
                        pin,
                        advisory["id"],
                        tuple(advisory.get("aliases", [])),
                        advisory.get("summary", ""),
                        fixed,
                    )
                )
    return found


def installed_mismatches(pins: Iterable[Pin]) -> list[str]:
    """Pinned packages installed in another version, or not at all."""
    installed = {
        canonicalize_name(dist.metadata["Name"]): dist.version for dist in metadata.distributions()
    }
    problems = []
    for pin in pins:
        have = installed.get(pin.name)
        if have is None:
            problems.append(f"{pin.name}: pinned {pin.version}, not installed")
        elif Version(have) != pin.version:
            problems.append(f"{pin.name}: pinned {pin.version}, installed {have}")
    return problems


def load_advisories(path: Path) -> tuple[dict[str, Any], dict[str, list[dict[str, Any]]]]:
    """Return the file's source note and its advisories per canonical package name."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        packages = data["packages"]
    except (OSError, ValueError, KeyError) as error:
        raise AuditError(f"{path}: cannot read the advisories ({error})") from error
    return data["source"], {canonicalize_name(name): found for name, found in packages.items()}


def database_advisories(database: Path, name: str) -> Iterator[dict[str, Any]]:
    """The advisories of one package in a clone of the PyPA advisory database."""
    import yaml

    folder = database / "vulns" / name
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        record = yaml.safe_load(path.read_text(encoding="utf-8"))
        ranges: list[list[dict[str, str]]] = []
        versions: list[str] = []
        for affected in record.get("affected", []):
            package = affected.get("package", {})
            if canonicalize_name(package.get("name", "")) != canonicalize_name(name):
                continue
            for span in affected.get("ranges", []):
                if span.get("type") == "ECOSYSTEM":
                    events = span["events"]
                    ranges.append([{k: str(v)} for event in events for k, v in event.items()])
            versions += [str(version) for version in affected.get("versions", [])]
        advisory = {
            "id": record["id"],
            "aliases": record.get("aliases", []),
            "published": str(record.get("published", "")),
            "withdrawn": str(record["withdrawn"]) if record.get("withdrawn") else None,
            "summary": (record.get("summary") or record.get("details", "")).split("\n")[0][:160],
            "ranges": ranges,
        }
        if versions and not ranges:
            advisory["versions"] = versions
        yield advisory


def update_from(database: Path, pins: list[Pin], target: Path) -> None:
    """Rewrite the advisory file for the packages in the lock from a database clone."""
    if not (database / "vulns").is_dir():
        raise AuditError(f"{database}: no vulns/ folder; is this the advisory database?")
    packages = {}
    for pin in pins:
        names = {pin.name, pin.name.replace("-", "_")}
        packages[pin.name] = [a for n in sorted(names) for a in database_advisories(database, n)]
    published = [advisory["published"] for found in packages.values() for advisory in found]
    data = {
        "source": {
            "database": "https://github.com/pypa/advisory-database",
            "license": "CC-BY-4.0",
            "taken": date.today().isoformat(),
            "newest": max(published, default="")[:10],
            "note": f"Advisories for the packages in requirements.lock, read from {database.name}.",
        },
        "packages": packages,
    }
    target.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lock", type=Path, default=LOCK)
    parser.add_argument("--advisories", type=Path, default=ADVISORIES)
    parser.add_argument("--update-from", type=Path, metavar="DATABASE")
    parser.add_argument(
        "--skip-installed", action="store_true", help="do not compare the installed versions"
    )
    options = parser.parse_args(argv)
    try:
        pins = read_lock(options.lock.read_text(encoding="utf-8"))
        if options.update_from:
            update_from(options.update_from, pins, options.advisories)
        source, advisories = load_advisories(options.advisories)
    except (OSError, AuditError) as error:
        print(f"audit: {error}", file=sys.stderr)
        return 1
    problems = [] if options.skip_installed else installed_mismatches(pins)
    found = findings(pins, advisories)
    for problem in problems:
        print(f"audit: not as pinned: {problem}", file=sys.stderr)
    for finding in found:
        print(f"audit: vulnerable: {finding}", file=sys.stderr)
    known = sum(len(found) for found in advisories.values())
    print(
        f"audit: {len(pins)} pinned packages, {known} advisories "
        f"({source['database']}, newest {source.get('newest', '?')}): "
        f"{len(found)} affect a pinned version, {len(problems)} installed otherwise"
    )
    return 1 if found or problems else 0


if __name__ == "__main__":
    sys.exit(main())
