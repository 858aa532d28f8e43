"""Parts of a plan that apps above the roadmap keep, and that a revision keeps with it.

The landscape links phases to the systems they change; the roadmap may not import it, so the
landscape hands in its part here when its app is ready (as the pulse hands the rollout its
measure). A revision stores each part under `snapshot["parts"][name]`; restoring a revision
gives each part its rows back, with the phases as they are after the restore.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from koers.projects.models import Project

    from .models import Phase

Rows = list[dict[str, Any]]


@dataclass(frozen=True)
class Part:
    name: str
    # The part's rows for the project's plan as it is now, JSON-ready and in a stable order.
    read: Callable[["Project"], Rows]
    # Put the rows back for the restored phases (by key); return what could not be, in words.
    restore: Callable[["Project", Mapping[str, "Phase"], Rows], list[str]]


_parts: dict[str, Part] = {}


def keep_with_the_plan(part: Part) -> None:
    """Keep `part` with every revision from now on (called once, at start-up)."""
    _parts[part.name] = part


def read(project: "Project") -> dict[str, Rows]:
    return {name: part.read(project) for name, part in sorted(_parts.items())}


def restore(
    project: "Project", phases: Mapping[str, "Phase"], kept: Mapping[str, Rows]
) -> list[str]:
    """Restore every part the revision kept; a part it did not keep (a revision older than
    the part) is left as it is."""
    problems: list[str] = []
    for name, part in sorted(_parts.items()):
        if name in kept:
            problems.extend(part.restore(project, phases, kept[name]))
    return problems
