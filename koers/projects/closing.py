"""What must hold before a project is closed, said by the apps above projects.

An app that sits on top of projects (aftercare: the handover checklist) hands in a guard when
it is ready, as the pulse hands the rollout its measure, instead of projects importing it. A
guard raises KoersError to refuse; `reason` is what the user said to close anyway.
"""

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Project

Guard = Callable[["Project", str], None]
_guards: list[Guard] = []


def guard_closing_with(guard: Guard) -> None:
    """Ask `guard` before every closing (once, however often an app is made ready)."""
    if guard not in _guards:
        _guards.append(guard)


def check_closing(project: "Project", reason: str) -> None:
    for guard in _guards:
        guard(project, reason)
