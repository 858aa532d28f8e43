"""`koers db_worker`: django-tasks-db's worker, with an id that says where it runs, and a
check at its start for tasks left running by a worker that died (see koers.core.workers)."""

from argparse import ArgumentParser
from typing import Any

from django_tasks_db.management.commands.db_worker import Command as WorkerCommand

from koers.core import workers


class Command(WorkerCommand):
    help = (
        "Run the background task worker. At its start, tasks left running by a worker that "
        "stopped are marked as failed."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.set_defaults(worker_id=workers.worker_id())

    def handle(self, *args: Any, **options: Any) -> None:
        lost = workers.recover_lost_tasks()
        if lost:
            self.stderr.write(
                f"{len(lost)} task(s) left running by a stopped worker are marked as failed."
            )
        super().handle(*args, **options)
