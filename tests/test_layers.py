"""The import contract: Koers' code depends one way, and a wrong import fails CI.

Layers, from the bottom:

- `core` knows no other app of Koers.
- The domain apps, each free to import those below it and never one above:
  outbox < workspaces < accounts < projects < roadmap < population < rollout < pulse
  < stakeholders < decisions < wins < steering < landscape < aftercare < products
  < instructions < portfolio.
  (Mail is at the bottom because every app sends it; the people of a client come before the
  rollout that plans them; the pulse measures waves; stakeholders are told about all of it; the
  decision log reads the gates' decisions and the accepted guardrail deviations, and may name
  the stakeholders who decided and the communications that told people; small wins are read
  from the KPIs, waves and decisions and told as communications; the steering group's agenda
  reads all of these; the landscape audit links the roadmap's phases to the systems they change
  and reads its system list with the people import's file reader, so it sits on top, and the
  roadmap needs no migration for it; aftercare keeps a project's lessons and handover, and reads
  its phases; a project run as a product names its owner among the stakeholders, its outcomes
  in the client's vision and the phases its contracts staff, and nothing reads it.)
- Faces sit on top and may import any domain module: views (and the respondent's `public`
  pages), forms, URLs, admin, middleware, template tags, commands, the context processor,
  and the `api`, `documents` and `demo` apps. No domain module imports a face.

Imports only for type checking (`if TYPE_CHECKING:`) run no code and do not count. Tests and
migrations are not checked. What still goes against the contract is listed in `DEBTS` with
the reason; the test fails when a debt is paid and still listed, so the list stays true.
"""

import ast
from collections.abc import Iterable, Iterator
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "koers"
DOMAIN_ORDER = [
    "core",
    "outbox",
    "workspaces",
    "accounts",
    "projects",
    "roadmap",
    "population",
    "rollout",
    "pulse",
    "stakeholders",
    "decisions",
    "wins",
    "steering",
    "landscape",
    "aftercare",
    "products",
    "instructions",
    "portfolio",
]
FACE_APPS = {"api", "documents", "demo"}
FACE_MODULES = {
    "views",
    "forms",
    "urls",
    "admin",
    "apps",
    "public",
    "middleware",
    "context_processors",
}
FACE_PACKAGES = {"management", "templatetags", "views"}
# None left: the gate's ADKAR words come from core.adkar, and the pulse hands the rollout its
# measure of a wave at start-up (koers.rollout.measures) instead of being imported by it.
DEBTS: set[tuple[str, str]] = set()


def is_face(path: Path) -> bool:
    parts = path.relative_to(PACKAGE).parts
    return (
        len(parts) == 1
        or parts[0] in FACE_APPS
        or bool(FACE_PACKAGES & set(parts))
        or path.stem in FACE_MODULES
    )


def sources() -> Iterator[Path]:
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = set(path.relative_to(PACKAGE).parts)
        if not parts & {"tests", "migrations"}:
            yield path


def imports(path: Path, text: str | None = None) -> Iterator[str]:
    """The absolute `koers.` modules the file imports at run time, relative ones resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8") if text is None else text)
    typing_only = {
        id(node)
        for guard in ast.walk(tree)
        if isinstance(guard, ast.If) and "TYPE_CHECKING" in ast.unparse(guard.test)
        for node in ast.walk(guard)
    }
    package = ".".join(("koers", *path.relative_to(PACKAGE).parent.parts))
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names if alias.name.startswith("koers."))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0]
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module or ""
            if not module.startswith("koers."):
                continue
            if (PACKAGE.parent / module.replace(".", "/")).is_dir():  # names are modules
                yield from (f"{module}.{alias.name}" for alias in node.names)
            else:
                yield module


def app_of(module: str) -> str:
    return module.split(".")[1]


def is_face_module(module: str) -> bool:
    parts = module.split(".")[1:]
    return (
        len(parts) == 1
        or parts[0] in FACE_APPS
        or bool(FACE_PACKAGES & set(parts))
        or parts[-1] in FACE_MODULES
    )


def breaches(files: Iterable[tuple[Path, str | None]]) -> set[tuple[str, str]]:
    """Return (file, module) of every import against the contract in `files`."""
    found = set()
    for path, text in files:
        app = path.relative_to(PACKAGE).parts[0]
        where = str(path.relative_to(PACKAGE))
        for module in imports(path, text):
            other = app_of(module)
            if app == "core" and other != "core":
                found.add((where, module))
            elif is_face(path) or (other == app and not is_face_module(module)):
                continue
            elif is_face_module(module):
                found.add((where, module))  # a domain module leaning on a face
            elif (
                other in FACE_APPS
                or other not in DOMAIN_ORDER
                or DOMAIN_ORDER.index(other) > DOMAIN_ORDER.index(app)
            ):
                found.add((where, module))
    return found


def test_every_app_is_placed_in_the_contract() -> None:
    apps = {p.name for p in PACKAGE.iterdir() if (p / "apps.py").exists()}
    assert apps == set(DOMAIN_ORDER) | FACE_APPS


def test_imports_go_one_way() -> None:
    found = breaches((path, None) for path in sources())
    new = sorted(found - DEBTS)
    assert not new, "imports against the layers (see this module's docstring):\n" + "\n".join(
        f"  {where} imports {module}" for where, module in new
    )
    paid = sorted(DEBTS - found)
    assert not paid, f"debts paid but still listed in DEBTS: {paid}"


def test_the_contract_catches_wrong_imports_and_lets_right_ones_pass() -> None:
    made_up = {
        "core/made_up.py": "from koers.pulse.models import Round",
        "roadmap/made_up.py": "from koers.rollout import queries",
        "rollout/made_up.py": "from . import views",
        "population/made_up.py": "import koers.documents.xlsx",
        "rollout/views.py": "from koers.pulse.queries import results",
        "projects/made_up.py": "from koers.workspaces.models import Client",
        "workspaces/made_up.py": (
            "from typing import TYPE_CHECKING\n"
            "if TYPE_CHECKING:\n"
            "    from koers.pulse import models"
        ),
    }
    found = breaches((PACKAGE / name, text) for name, text in made_up.items())
    assert found == {
        ("core/made_up.py", "koers.pulse.models"),
        ("roadmap/made_up.py", "koers.rollout.queries"),
        ("rollout/made_up.py", "koers.rollout.views"),
        ("population/made_up.py", "koers.documents.xlsx"),
    }


def test_the_strict_type_checks_name_modules_that_exist() -> None:
    """A module moved or renamed silently leaves mypy's strict list; this says so instead."""
    import tomllib

    config = tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text())
    strict = [
        module
        for override in config["tool"]["mypy"]["overrides"]
        if override.get("disallow_untyped_defs")
        for module in override["module"]
    ]
    missing = [m for m in strict if not (PACKAGE.parent / (m.replace(".", "/") + ".py")).exists()]
    assert strict and not missing, f"pyproject.toml names modules that are gone: {missing}"
