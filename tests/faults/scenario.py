"""Set-up and load steps the fault tests run in their own process, on a SQLite file.

Run as `python -m tests.faults.scenario STEP ...` with KOERS_DATA_DIR set and no
DATABASE_URL: the steps print one JSON document on stdout.
"""

import json
import os
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koers.settings")
    import django

    django.setup()


def client_and_project(workspace_slug: str, client_slug: str, project_slug: str) -> dict:
    """Give the workspace a client with a project (the workspace is made by the CLI)."""
    from django_scopes import scopes_disabled

    from koers.projects import services as project_services
    from koers.workspaces.models import Client, Workspace

    with scopes_disabled():
        workspace = Workspace.objects.get(slug=workspace_slug)
        client = Client.objects.create(workspace=workspace, slug=client_slug, name="Bakkerij")
        project_services.project_create(
            workspace=workspace,
            client=client,
            slug=project_slug,
            name="Naar de cloud",
            request="We willen naar de cloud.",
            goals=["Minder storingen"],
        )
    return {"client": f"{workspace_slug}/{client_slug}"}


def open_round(workspace_slug: str, project_slug: str) -> dict:
    """Open a pulse round of the project; return its public token and the scale fields."""
    from django.utils import timezone
    from django_scopes import scopes_disabled

    from koers.pulse import services
    from koers.pulse.signals import STEPS
    from koers.workspaces.models import Workspace

    with scopes_disabled():
        project = Workspace.objects.get(slug=workspace_slug).projects.get(slug=project_slug)
        round = services.round_create(
            project=project,
            actor=None,
            title="Tijdens de storing",
            closes_at=timezone.now() + timedelta(days=7),
        )
        services.round_open(round=round)
        link = round.public_links.get(revoked_at__isnull=True)
        return {"token": link.token, "round": round.pk, "fields": [s.value for s in STEPS]}


def enqueue_import(client_name: str, file_name: str) -> dict:
    """Upload a people file and start its import as a background task (not run here)."""
    from django.db import transaction
    from django_scopes import scope

    from koers.population import services
    from koers.workspaces.commandline import client_named

    client = client_named(client_name)
    path = Path(file_name)
    with scope(workspace=client.workspace), transaction.atomic():
        run = services.import_upload(
            client=client, actor=None, file_name=path.name, data=path.read_bytes()
        )
        services.import_configure(run=run, mapping=run.mapping, keep=run.keep, mark_left=False)
    return {"run": run.pk, "rows": run.rows_total}


def _write(client_id: int, writer: int, count: int, start, results) -> None:
    """One writer process: `count` short transactions through the ORM, half of them reading
    before they write (the pattern that fails with DEFERRED transactions on SQLite)."""
    from django.db import OperationalError, connection, transaction
    from django_scopes import scopes_disabled

    from koers.population.models import Person

    errors: list[str] = []
    start.wait(timeout=60)
    with scopes_disabled():
        for n in range(count):
            try:
                if n % 2:
                    Person.objects.create(client_id=client_id, key=f"w{writer}-{n}")
                else:
                    with transaction.atomic():
                        seen = Person.objects.filter(client_id=client_id).count()
                        Person.objects.create(
                            client_id=client_id, key=f"w{writer}-{n}", name=f"after {seen}"
                        )
            except OperationalError as error:
                errors.append(str(error))
    connection.close()
    results.put((writer, errors))


def writers(client_name: str, processes: int, count: int) -> dict:
    """Run `processes` writer processes at once on the database; report errors and pragmas."""
    import multiprocessing

    from django.db import connection, connections

    from koers.workspaces.commandline import client_named

    client = client_named(client_name)
    with connection.cursor() as cursor:
        pragmas: dict[str, Any] = {
            name: cursor.execute(f"PRAGMA {name}").fetchone()[0]
            for name in ("journal_mode", "synchronous", "busy_timeout", "foreign_keys")
        }
    pragmas["transaction_mode"] = getattr(connection, "transaction_mode", None)
    connections.close_all()  # the children open their own
    context = multiprocessing.get_context("fork")
    start = context.Event()
    results = context.Queue()
    children = [
        context.Process(target=_write, args=(client.pk, w, count, start, results))
        for w in range(processes)
    ]
    for child in children:
        child.start()
    time.sleep(0.5)
    began = time.monotonic()
    start.set()
    reports = [results.get(timeout=120) for _ in children]
    for child in children:
        child.join(timeout=30)
    return {
        "pragmas": pragmas,
        "errors": [e for _w, found in reports for e in found],
        "reported": len(reports),
        "exit_codes": [child.exitcode for child in children],
        "seconds": round(time.monotonic() - began, 2),
    }


ACTIONS: dict[str, Callable[..., Any]] = {
    "client-and-project": client_and_project,
    "open-round": open_round,
    "enqueue-import": enqueue_import,
    "writers": writers,
}


def main() -> None:
    step, *args = sys.argv[1:]
    setup()
    converted = [int(a) if a.isdigit() else a for a in args]
    print(json.dumps(ACTIONS[step](*converted)))


if __name__ == "__main__":
    main()
