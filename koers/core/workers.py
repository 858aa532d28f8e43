"""Task workers that die: find the tasks they left running and report them as failed.

django-tasks-db marks a task RUNNING when a worker claims it and only the worker itself
marks it finished, so a worker killed mid-task (SIGKILL, out of memory, a power cut, or
`koers serve` stopping one that did not end within its grace period) leaves the task RUNNING
for ever. Koers finds such tasks three ways and marks them FAILED with `WorkerLost`, sending
`task_finished` as the worker would have, so an app can report its own record (a people
import says it stopped):
- at a worker's start, the tasks of a worker of this machine that no longer runs, or of a
  worker whose id says nothing (ids name machine, boot and process: `host:boot:pid:start`);
- every half lease while workers run, the tasks of any worker, on any machine, that has not
  beaten for a lease (koers.core.health): so also tasks of a restored backup;
- when a worker gets its database back after losing it, the task it was running then.
"""

import logging
import os
import socket
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks.signals import task_finished
from django_tasks_db.models import DBTaskResult

from koers.core import health
from koers.core.models import Heartbeat

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


def beats_lately() -> Callable[[str], bool]:
    """Return a test of whether a worker beat within the lease (see koers.core.health).

    Unlike `worker_is_alive` it holds across machines and restores: a restored backup carries
    no beats, so the tasks it shows running fail at the next check.
    """
    names = {
        name.removeprefix(health.WORKER)
        for name in Heartbeat.objects.filter(
            name__startswith=health.WORKER,
            beat_at__gte=timezone.now() - timedelta(seconds=health.LEASE),
        ).values_list("name", flat=True)
    }
    return names.__contains__


def recover_lost_tasks(
    is_alive: Callable[[str], bool] = worker_is_alive, *, only: str | None = None
) -> list[DBTaskResult]:
    """Mark RUNNING tasks whose worker stopped as FAILED; return them.

    `is_alive` tells from a worker id whether its worker may still run; `only` limits the
    check to the tasks of one worker id.
    """
    lost = []
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING)
    for result in running:
        last = result.worker_ids[-1] if result.worker_ids else ""
        if (only is not None and last != only) or (only is None and is_alive(last)):
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
