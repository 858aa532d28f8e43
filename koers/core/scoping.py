"""The scoped manager every tenant-owned model uses (django-scopes).

Outside `scope(workspace=...)` its queries raise instead of returning every tenant's rows.
The only escape hatch is django_scopes.scopes_disabled(), used by admin, CLI and demo.
"""

from typing import Any

from django_scopes import ScopedManager


def workspace_scoped(path: str) -> Any:
    """Return a manager that filters on `path` (the lookup to the workspace) in every query."""
    return ScopedManager(workspace=path)
