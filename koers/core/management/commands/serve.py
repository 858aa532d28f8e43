"""`koers serve`: the production web server (gunicorn + whitenoise) and the task worker.

It keeps both running: a database that is not up yet is waited for, and a process that ends
by itself (a crash, the out-of-memory killer) is started again after a growing pause, so one
failing part never takes the other down.
"""

import os
import signal
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import OperationalError, connections

LONGEST_PAUSE = 10.0


class Command(BaseCommand):
    help = "Serve Koers with gunicorn and run the background task worker beside it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("KOERS_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("KOERS_PORT", "8000")))
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("KOERS_WEB_WORKERS", "3")),
            help="Number of gunicorn worker processes.",
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=1,
            help="Threads per worker process; above 1 gunicorn's gthread workers keep "
            "connections alive between requests.",
        )
        parser.add_argument(
            "--timeout",
            type=int,
            default=settings.WEB_TIMEOUT,
            help="Seconds a web worker may spend on one request before gunicorn restarts it.",
        )
        parser.add_argument(
            "--no-worker", action="store_true", help="Do not start the task worker."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self._migrate()
        call_command("collectstatic", interactive=False, verbosity=0)
        bind = f"{options['host']}:{options['port']}"
        commands = {
            "web server": [
                sys.executable,
                "-m",
                "gunicorn",
                "koers.wsgi:application",
                "--bind",
                bind,
                "--workers",
                str(options["workers"]),
                "--threads",
                str(options["threads"]),
                # Explicit, not gunicorn's silent default: a request that takes longer is
                # cut off and its worker replaced, so one slow request cannot hold a worker.
                "--timeout",
                str(options["timeout"]),
                # The control socket is unused and its default path is shared by every
                # gunicorn on the machine.
                "--no-control-socket",
                "--access-logfile",
                "-",
                "--access-logformat",
                '%(t)s "%(r)s" %(s)s %(M)sms',
                # Link tokens in request lines and error messages are redacted.
                "--logger-class",
                "koers.core.gunicorn_logger.RedactingLogger",
            ]
        }
        if not options["no_worker"]:
            commands["task worker"] = [sys.executable, "-m", "koers.cli", "db_worker"]
        self.stdout.write(f"Koers serves on http://{bind}/ (Ctrl+C stops it)")
        self._supervise(commands)

    def _migrate(self) -> None:
        """Migrate, waiting for a database that is not up yet instead of giving up."""
        pause = 0.5
        while True:
            try:
                call_command("migrate", interactive=False, verbosity=0)
                return
            except OperationalError as error:
                self.stderr.write(f"Waiting for the database ({error}); again in {pause:.1f} s")
                connections.close_all()
                time.sleep(pause)
                pause = min(pause * 2, LONGEST_PAUSE)

    def _supervise(self, commands: dict[str, list[str]]) -> None:
        """Run every command until told to stop; start again any that ends by itself."""

        def stop(signum: int, frame: object) -> None:
            raise KeyboardInterrupt

        signal.signal(signal.SIGTERM, stop)
        processes = {name: start(command) for name, command in commands.items()}
        pauses = dict.fromkeys(commands, 0.5)
        started = dict.fromkeys(commands, time.monotonic())
        try:
            while True:
                time.sleep(0.5)
                for name, process in processes.items():
                    if process.poll() is None:
                        continue
                    if time.monotonic() - started[name] > LONGEST_PAUSE * 6:
                        pauses[name] = 0.5  # it ran well for a while: a new failure
                    self.stderr.write(
                        f"The {name} stopped (exit code {process.returncode}); "
                        f"starting it again in {pauses[name]:.1f} s"
                    )
                    time.sleep(pauses[name])
                    pauses[name] = min(pauses[name] * 2, LONGEST_PAUSE)
                    processes[name] = start(commands[name])
                    started[name] = time.monotonic()
        except KeyboardInterrupt:
            pass
        for process in processes.values():
            if process.poll() is None:
                process.terminate()
        for process in processes.values():
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


def start(command: list[str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(command)  # noqa: S603 (fixed argument list, no shell)
