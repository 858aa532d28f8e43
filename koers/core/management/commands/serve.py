"""`koers serve`: the production web server (gunicorn + whitenoise) and the task worker."""

import os
import signal
import subprocess
import sys
import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


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
            "--no-worker", action="store_true", help="Do not start the task worker."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        bind = f"{options['host']}:{options['port']}"
        processes = [
            subprocess.Popen(  # noqa: S603 (fixed argument list, no shell)
                [
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
            )
        ]
        if not options["no_worker"]:
            processes.append(subprocess.Popen([sys.executable, "-m", "koers.cli", "db_worker"]))
        self.stdout.write(f"Koers serves on http://{bind}/ (Ctrl+C stops it)")
        self._wait(processes)

    def _wait(self, processes: list[subprocess.Popen[bytes]]) -> None:
        """Run until one process ends or we are told to stop; then stop them all."""

        def stop(signum: int, frame: object) -> None:
            raise KeyboardInterrupt

        signal.signal(signal.SIGTERM, stop)
        try:
            while all(p.poll() is None for p in processes):
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        for process in processes:
            if process.poll() is None:
                process.terminate()
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        failed = [p.returncode for p in processes if p.returncode not in (0, -15, None)]
        if failed:
            sys.exit(1)
