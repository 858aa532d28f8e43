"""Shared by Koers' commands: progress bars. (Objects named `<workspace>/<name>` are found by
`koers.workspaces.commandline`.)"""

from collections.abc import Callable
from typing import TextIO


def progress_bar(stream: TextIO, label: str, *, enabled: bool) -> Callable[[int, int], None] | None:
    """Return a progress callback drawing a bar on a terminal, or None when not shown."""
    if not enabled or not stream.isatty():
        return None

    def show(done: int, total: int) -> None:
        width = 30
        filled = int(width * done / total) if total else width
        percent = int(100 * done / total) if total else 100
        stream.write(f"\r{label} [{'#' * filled}{'.' * (width - filled)}] {percent:3d}%")
        if done >= total:
            stream.write("\n")
        stream.flush()

    return show
