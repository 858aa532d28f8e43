"""`koers db_worker`: django-tasks-db's worker, made to run through the night.

Its id says where it runs; at its start it fails the tasks left running by a worker that died
(see koers.core.workers). A thread beats every few seconds, also while a task runs, and fails
the tasks of workers that stopped beating. When the database goes away (a restart, a
failover) the worker waits and tries again with a growing pause instead of exiting, and fails
the task it was running, whose end it could not record.
"""

import logging
import os
import resource
import threading
import time
from argparse import ArgumentParser
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.core.management.base import CommandError
from django.db import DatabaseError, connection
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands.db_worker import Command as WorkerCommand
from django_tasks_db.management.commands.db_worker import Worker

from koers.core import health, workers

logger = logging.getLogger("koers.worker")
FIRST_PAUSE = 0.5
LONGEST_PAUSE = 10.0
T = TypeVar("T")


def patiently(what: str, work: Callable[[], T]) -> T:
    """Run `work()` until the database lets it, pausing longer after each failure."""
    pause = FIRST_PAUSE
    while True:
        try:
            return work()
        except DatabaseError as error:
            logger.warning("%s: database unavailable (%s); again in %.1f s", what, error, pause)
            connection.close()
            time.sleep(pause)
            pause = min(pause * 2, LONGEST_PAUSE)


class Heart(threading.Thread):
    """Beat for the worker and fail the tasks of silent workers, until stopped."""

    def __init__(self, worker_id: str) -> None:
        super().__init__(name="koers-heartbeat", daemon=True)
        self.worker_id = worker_id
        self.stopped = threading.Event()

    def run(self) -> None:
        checked = 0.0
        while not self.stopped.is_set():
            try:
                health.beat(health.WORKER + self.worker_id)
                if time.monotonic() - checked >= health.LEASE / 2:
                    workers.recover_lost_tasks(workers.beats_lately())
                    checked = time.monotonic()
            except DatabaseError as error:
                logger.warning("Heartbeat: database unavailable (%s)", error)
            finally:
                connection.close()
            self.stopped.wait(health.BEAT_EVERY)


class SteadyWorker(Worker):
    """django-tasks-db's worker loop, carried on through database outages."""

    def run(self) -> None:
        pause = FIRST_PAUSE
        while self.running:
            started = time.monotonic()
            try:
                super().run()
                return
            except DatabaseError as error:
                if time.monotonic() - started > LONGEST_PAUSE * 3:
                    pause = FIRST_PAUSE  # it ran well for a while: a new outage
                logger.warning(
                    "Worker: database unavailable (%s); trying again in %.1f s", error, pause
                )
                connection.close()
                time.sleep(pause)
                pause = min(pause * 2, LONGEST_PAUSE)
                # A task that was running could not be recorded as done: fail it rather than
                # leave it running, once the database answers again.
                patiently(
                    "Worker",
                    lambda: workers.recover_lost_tasks(only=self.worker_id),
                )


def cap_memory(megabytes: int) -> None:
    """Cap this process's address space at `megabytes` (0: no cap).

    A file that gets past every check and still takes too much memory (a workbook reads at
    about three times its unpacked size) then fails its own task with MemoryError, or ends
    this worker, which `koers serve` starts again and whose task is failed and reported:
    either way the web workers and the database on the same machine keep their memory.
    """
    if megabytes:
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        cap = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (cap if hard < 0 else min(cap, hard), hard))


class Command(WorkerCommand):
    help = (
        "Run the background task worker. At its start, tasks left running by a worker that "
        "stopped are marked as failed; while it runs it beats, and it waits out a database "
        "that is down instead of exiting."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.set_defaults(worker_id=workers.worker_id())

    def handle(self, *args: Any, **options: Any) -> None:
        self.configure_logging(options["verbosity"])
        cap_memory(settings.WORKER_MEMORY_MB)
        lost = patiently("Worker start", workers.recover_lost_tasks)
        if lost:
            self.stderr.write(
                f"{len(lost)} task(s) left running by a stopped worker are marked as failed."
            )
        queues = options["queue_name"].split(",")
        excluded = options["exclude_queues"].split(",") if options["exclude_queues"] else []
        if excluded and "*" not in queues:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = SteadyWorker(
            queue_names=queues,
            interval=options["interval"],
            batch=options["batch"],
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
            excluded_queue_names=excluded,
        )
        heart = Heart(options["worker_id"])
        heart.start()
        try:
            if options["reload"] and not options["batch"]:
                if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                    worker.configure_signals()  # only the reloaded child handles signals
                run_with_reloader(worker.run)
            else:
                worker.configure_signals()
                worker.run()
        finally:
            heart.stopped.set()
