"""Task workers that die: find the tasks they left running and report them as failed.

django-tasks-db marks a task RUNNING when a worker claims it and only the worker itself
marks it finished, so a worker killed mid-task (SIGKILL, out of memory, a power cut, or
`koers serve` stopping one that did not end within its grace period) leaves the task RUNNING
for ever. Koers' workers carry an id that names their machine, boot and process
(`host:boot:pid:start`); every worker checks at its start which RUNNING tasks belong to a
worker of this machine that no longer runs, or to a worker whose id says nothing (not
started by Koers), and marks them FAILED with `WorkerLost`, sending `task_finished` as the
worker would have, so an app can report its own record (a people import says it stopped).
Tasks of workers on other machines are left to those machines' next worker start.
"""

import logging
import os
import socket
from pathlib import Path

from django.db import transaction
from django_tasks.base import TaskResultStatus
from django_tasks.signals import task_finished
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)
PROC = Path("/proc")


class WorkerLost(RuntimeError):
    """The worker running the task stopped before the task ended."""


def _host() -> str:
    return socket.gethostname().replace(":", "-")[:24] or "localhost"


def _boot() -> str:
    try:
        return (PROC / "sys/kernel/random/boot_id").read_text().strip()[:8]
    except OSError:
        return "-"


def _started(pid: int) -> str | None:
    """Return when process `pid` started (clock ticks since boot), or None if it does not run."""
    try:
        return (PROC / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[19]
    except OSError:
        if PROC.joinpath("self/stat").exists():
            return None
    try:  # no /proc: only whether the process id is in use can be told
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        pass
    return "-"


def worker_id() -> str:
    """Return this process's worker id: host, boot, process id and start (at most 64 chars)."""
    return f"{_host()}:{_boot()}:{os.getpid()}:{_started(os.getpid())}"


def worker_is_alive(worker: str) -> bool:
    """Return whether the worker may still run; False if it surely stopped or is unknown."""
    parts = worker.split(":")
    if len(parts) != 4 or not parts[2].isdigit():
        return False  # not a Koers worker id: nobody can tell, so nobody would ever finish it
    host, boot, pid, started = parts
    if host != _host():
        return True  # another machine's worker; its next worker start checks it
    return boot == _boot() and _started(int(pid)) == started


def recover_lost_tasks() -> list[DBTaskResult]:
    """Mark RUNNING tasks whose worker stopped as FAILED; return them."""
    lost = []
    for result in DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING):
        last = result.worker_ids[-1] if result.worker_ids else ""
        if worker_is_alive(last):
            continue
        with transaction.atomic():
            if not DBTaskResult.objects.filter(
                pk=result.pk, status=TaskResultStatus.RUNNING, worker_ids=result.worker_ids
            ).exists():
                continue  # finished or claimed again meanwhile
            error = WorkerLost(f"Worker {last or '?'} stopped while running this task.")
            result.set_failed(error)
        lost.append(result)
        logger.warning("Task %s (%s) failed: %s", result.pk, result.task_path, error)
        try:
            task_result = result.task_result
            sender = type(task_result.task.get_backend())
        except Exception:  # the task's code or backend is gone: the row says enough
            logger.exception("Task %s cannot be reported to its app", result.pk)
            continue
        try:  # sent while the error is handled, as the worker does: its log shows the error
            raise error
        except WorkerLost:
            task_finished.send(sender=sender, task_result=task_result)
    return lost
