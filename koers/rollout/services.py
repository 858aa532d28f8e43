"""Writes on people and the pilot; steering the waves is in steering.py.

Every verb checks all of its input before it writes, and writes in one transaction. Views,
the API, the CLI, the task worker and the demo all come through here.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from koers.core.errors import KoersError
from koers.projects.models import Project
from koers.workspaces.models import Client

from . import pilot as pilot_rules
from . import queries
from .models import (
    PERSON_FIELDS,
    ImportRun,
    Person,
    Pilot,
    PilotMember,
    Wave,
)
from .reading import PersonRow, ReadError, RowErrors, person_rows, read_table, suggest_mapping

Progress = Callable[[int, int], None]
WRITE_BATCH = 5000
# Files with more rows than this are imported by the task worker, with a progress bar.
BACKGROUND_ROWS = 5000
PREVIEW_ROWS = 5
COMPARED = ("name", "email", "department", "location", "job_title", "manager", "device")
_compared = attrgetter(*COMPARED)
# What a new person gets besides the file's values: the model's own defaults.
_INSERTED = ("is_well_known", "is_constructive", "is_ambassador", "left_at")


def _insert_people(client: Client, rows: Sequence[tuple[Any, ...]]) -> None:
    """Insert new people as one prepared statement run for every row (executemany).

    `rows` are (key, *COMPARED, attributes) and were checked by `person_rows`. This is what
    `Person.objects.bulk_create` writes, without its per-value field preparation (16 calls
    per row) and without cutting the rows into statements of 999 parameters on SQLite: the
    fixed values are prepared once, the attributes by the JSON field itself.
    """
    if not rows:
        return
    field = {f.name: f for f in Person._meta.concrete_fields}
    now = field["created_at"].get_db_prep_save(timezone.now(), connection)
    fixed = tuple(
        field[name].get_db_prep_save(field[name].get_default(), connection) for name in _INSERTED
    )
    columns = [
        field[name].column
        for name in ("client", "key", *COMPARED, "attributes", *_INSERTED, "created_at")
    ] + [field["updated_at"].column]
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 (the model's own names)
        quote(Person._meta.db_table),
        ", ".join(quote(str(c)) for c in columns),
        ", ".join(["%s"] * len(columns)),
    )
    prepared: dict[tuple[tuple[str, str], ...], Any] = {}  # the same attributes, once

    def attributes(value: Mapping[str, str]) -> Any:
        items = tuple(value.items())
        if items not in prepared:
            prepared[items] = field["attributes"].get_db_prep_save(dict(value), connection)
        return prepared[items]

    tail = (*fixed, now, now)
    with connection.cursor() as cursor:
        cursor.executemany(
            sql, [(client.pk, *row[:-1], attributes(row[-1]), *tail) for row in rows]
        )


class ImportRefused(KoersError):
    """A file with errors: nothing was written. `errors` lists row, column and value."""

    def __init__(self, errors: RowErrors) -> None:
        super().__init__(
            _("%(count)d problem(s) in the file; nothing was imported.") % {"count": errors.total}
        )
        self.errors = errors.errors
        self.total = errors.total


def upload_limit() -> int:
    return int(settings.UPLOAD_LIMIT_MB) * 1024 * 1024


def read_people(
    data: bytes,
    file_name: str,
    *,
    mapping: Mapping[str, str] | None = None,
    overrides: Mapping[str, str] | None = None,
    keep: Sequence[str] | None = None,
    sheet: str | None = None,
    progress: Progress | None = None,
) -> tuple[list[PersonRow], dict[str, str], list[str]]:
    """Read and check a whole file: return its rows, the mapping and the kept columns.

    Without a mapping the suggested one is used with `overrides` on top, and every further
    column is kept.
    """
    try:
        table = read_table(data, file_name, limit_bytes=upload_limit(), sheet=sheet or None)
        chosen = (
            dict(mapping) if mapping else {**suggest_mapping(table.header), **(overrides or {})}
        )
        unknown = set(chosen) - set(PERSON_FIELDS)
        if unknown:
            raise KoersError(
                _("There is no field %(field)s; the fields are %(fields)s.")
                % {"field": sorted(unknown)[0], "fields": ", ".join(PERSON_FIELDS)}
            )
        kept = (
            list(keep)
            if keep is not None
            else [c for c in table.header if c not in chosen.values()]
        )
        rows = person_rows(table, mapping=chosen, keep=kept, progress=progress)
    except ReadError as error:
        raise KoersError(error.message) from error
    except RowErrors as errors:
        raise ImportRefused(errors) from errors
    return rows, chosen, kept


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int
    missing: int  # active people of the client who are not in the file
    left: int  # of them, marked as left now
    dry_run: bool = False


def people_import(
    *,
    client: Client,
    actor: Any,
    rows: Sequence[PersonRow],
    mark_left: bool = False,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Write checked rows as the client's people in one transaction; same rows, no writes.

    People are matched by key. Someone missing from the rows is marked as left only with
    `mark_left`; someone who had left and is in the rows again is back.
    """
    keys = [row.key for row in rows]
    if len(set(keys)) != len(keys):
        raise KoersError(_("Every person needs their own key; some keys repeat."))
    with transaction.atomic():
        existing = {
            values[0]: values
            for values in Person.objects.filter(client=client).values_list(
                "key", "pk", *COMPARED, "attributes", "left_at"
            )
        }
        create: list[tuple[Any, ...]] = []
        update: list[Person] = []
        unchanged = 0
        done = 0
        width = len(COMPARED)
        for row in rows:
            found = existing.get(row.key)
            values = _compared(row)
            if found is None:
                create.append((row.key, *values, row.attributes))
            elif (
                found[2 : 2 + width] == values and found[-2] == row.attributes and found[-1] is None
            ):
                unchanged += 1
            else:
                update.append(
                    Person(
                        pk=found[1],
                        client=client,
                        key=row.key,
                        attributes=dict(row.attributes),
                        updated_at=timezone.now(),
                        **dict(zip(COMPARED, values, strict=True)),
                    )
                )
            if len(create) >= WRITE_BATCH and not dry_run:
                _insert_people(client, create)
                done += len(create)
                create = []
                if progress:
                    progress(done, len(rows))
        created = done + len(create)
        if not dry_run:
            _insert_people(client, create)
            Person.objects.bulk_update(
                update, [*COMPARED, "attributes", "left_at", "updated_at"], batch_size=500
            )
        in_file = set(keys)
        missing = [
            values[1]
            for key, values in existing.items()
            if key not in in_file and values[-1] is None
        ]
        left = 0
        if mark_left and missing and not dry_run:
            left = Person.objects.filter(pk__in=missing).update(
                left_at=timezone.now(), updated_at=timezone.now()
            )
        elif mark_left:
            left = len(missing)
        if progress:
            progress(len(rows), len(rows))
        return ImportResult(
            created=created,
            updated=len(update),
            unchanged=unchanged,
            missing=len(missing),
            left=left,
            dry_run=dry_run,
        )


# The import in steps, for the web: upload, mapping, run (here or by the task worker).


def import_upload(*, client: Client, actor: Any, file_name: str, data: bytes) -> ImportRun:
    """Keep an uploaded file for the mapping step, after checking that it can be read."""
    try:
        table = read_table(data, file_name, limit_bytes=upload_limit())
    except ReadError as error:
        raise KoersError(error.message, field="file") from error
    file_format = table.kind.upper()
    if table.kind == "csv":
        delimiter = {"\t": "tab", ",": ",", ";": ";"}[table.delimiter]
        file_format = f"CSV, {table.encoding}, {delimiter}"
    mapping = suggest_mapping(table.header)
    return ImportRun.objects.create(
        client=client,
        actor=actor,
        file_name=file_name[:255],
        content=data,
        sheet=table.sheet,
        sheets=table.sheets,
        file_format=file_format,
        header=table.header,
        preview=table.rows[:PREVIEW_ROWS],
        rows_total=len(table.rows),
        mapping=mapping,
        keep=[c for c in table.header if c not in mapping.values()],
    )


def import_sheet(*, run: ImportRun, sheet: str) -> ImportRun:
    """Read another sheet of an uploaded workbook for the mapping step."""
    try:
        table = read_table(
            bytes(run.content), run.file_name, limit_bytes=upload_limit(), sheet=sheet
        )
    except ReadError as error:
        raise KoersError(error.message, field="sheet") from error
    run.sheet = table.sheet
    run.header = table.header
    run.preview = table.rows[:PREVIEW_ROWS]
    run.rows_total = len(table.rows)
    run.mapping = suggest_mapping(table.header)
    run.keep = [c for c in table.header if c not in run.mapping.values()]
    run.save(update_fields=["sheet", "header", "preview", "rows_total", "mapping", "keep"])
    return run


def import_configure(
    *,
    run: ImportRun,
    mapping: Mapping[str, str],
    keep: Sequence[str],
    mark_left: bool,
) -> ImportRun:
    """Record the mapping and queue the run: in the background for large files."""
    if run.status not in (
        ImportRun.Status.UPLOADED,
        ImportRun.Status.FAILED,
        ImportRun.Status.DONE,
    ):
        raise KoersError(_("This import is already running."))
    if not run.content:
        raise KoersError(_("This file was imported and is no longer kept; upload it again."))
    if not mapping.get("key"):
        raise KoersError(_("Choose the column that identifies a person (the key)."), field="key")
    columns = list(mapping.values())
    doubles = {c for c in columns if columns.count(c) > 1} - {mapping["key"]}
    if doubles:
        raise KoersError(
            _("The column %(column)s is chosen for two fields.") % {"column": sorted(doubles)[0]}
        )
    run.mapping = {f: c for f, c in mapping.items() if c}
    run.keep = [c for c in keep if c in run.header and c not in run.mapping.values()]
    run.mark_left = mark_left
    run.status = ImportRun.Status.QUEUED
    run.rows_done = 0
    run.errors = []
    run.save(update_fields=["mapping", "keep", "mark_left", "status", "rows_done", "errors"])
    if run.rows_total > BACKGROUND_ROWS:
        from .tasks import import_people_task

        transaction.on_commit(lambda: import_people_task.enqueue(run.pk))
    else:
        import_execute(run=run)
        run.refresh_from_db()
    return run


def import_execute(*, run: ImportRun) -> ImportRun:
    """Read, check and write an import run; record the outcome on the run."""
    ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.RUNNING, rows_done=0)

    def progress(done: int, total: int) -> None:
        # Outside the import's transaction, so the page sees the bar move while reading.
        ImportRun.objects.filter(pk=run.pk).update(rows_done=done, rows_total=total)

    try:
        rows, _mapping, _kept = read_people(
            bytes(run.content),
            run.file_name,
            mapping=run.mapping,
            keep=run.keep,
            sheet=run.sheet,
            progress=progress,
        )
        result = people_import(
            client=run.client, actor=run.actor, rows=rows, mark_left=run.mark_left
        )
    except ImportRefused as refused:
        _finish(
            run,
            status=ImportRun.Status.FAILED,
            errors=[
                {"row": e.row, "column": e.column, "value": e.value, "message": e.message}
                for e in refused.errors
            ],
            error_total=refused.total,
        )
        return run
    except KoersError as error:
        _finish(run, status=ImportRun.Status.FAILED, errors=[{"message": str(error.message)}])
        return run
    _finish(run, status=ImportRun.Status.DONE, result=result)
    return run


def _finish(
    run: ImportRun,
    *,
    status: str,
    result: ImportResult | None = None,
    errors: list[dict[str, Any]] | None = None,
    error_total: int = 0,
) -> None:
    run.status = status
    run.finished_at = timezone.now()
    run.errors = errors or []
    if error_total > len(run.errors):
        run.errors.append({"more": error_total - len(run.errors)})
    fields = ["status", "finished_at", "errors", "rows_done"]
    run.rows_done = run.rows_total
    if result:
        run.created, run.updated, run.unchanged = result.created, result.updated, result.unchanged
        run.missing, run.left = result.missing, result.left
        fields += ["created", "updated", "unchanged", "missing", "left"]
        # Keep the file only while the user may still mark missing people as left.
        if not (result.missing and not run.mark_left):
            run.content, run.preview = b"", []
            fields += ["content", "preview"]
    run.save(update_fields=fields)


def import_mark_left(*, run: ImportRun, actor: Any) -> ImportRun:
    """Confirm: mark the people missing from a finished import's file as left."""
    if run.status != ImportRun.Status.DONE or not run.content:
        raise KoersError(_("This import can no longer mark people as left; import the file again."))
    return import_configure(run=run, mapping=run.mapping, keep=run.keep, mark_left=True)


def import_discard(*, run: ImportRun) -> None:
    """Throw an upload away without importing it."""
    if run.is_busy:
        raise KoersError(_("This import is running; wait until it is finished."))
    run.content, run.preview, run.header = b"", [], []
    if run.status == ImportRun.Status.UPLOADED:
        run.delete()
    else:
        run.save(update_fields=["content", "preview", "header"])


def person_marks(
    *, person: Person, is_well_known: bool, is_constructive: bool, is_ambassador: bool
) -> Person:
    """Mark a person as well known, constructive or ambassador: the pilot prefers them."""
    person.is_well_known = is_well_known
    person.is_constructive = is_constructive
    person.is_ambassador = is_ambassador
    person.save(update_fields=["is_well_known", "is_constructive", "is_ambassador", "updated_at"])
    return person


# The pilot.


def baseline_draws(size: int) -> int:
    """Random picks to compare with: 1,000, down to 100 for pilots of over 250 people, whose
    median is steady with fewer picks (and 1,000 would take seconds)."""
    return max(100, min(pilot_rules.RANDOM_DRAWS, 250_000 // max(size, 1)))


@dataclass(frozen=True)
class PilotChoice:
    pilot: Pilot
    selection: pilot_rules.Selection
    random_median: float


def pilot_select(
    *,
    project: Project,
    actor: Any,
    size: int | None = None,
    attributes: Sequence[str] = ("department",),
    seed: int = 0,
    include_first: bool = True,
) -> PilotChoice:
    """Choose the project's pilot group anew; the previous choice and swaps are replaced."""
    if project.waves.exclude(status=Wave.Status.PLANNED).exists():
        raise KoersError(_("The rollout has started; the pilot can no longer be chosen anew."))
    attributes = [a for a in dict.fromkeys(attributes) if a]
    if not attributes:
        raise KoersError(_("Choose at least one attribute."), field="attributes")
    allowed = set(queries.attribute_choices(project.client))
    unknown = [a for a in attributes if a not in allowed]
    if unknown:
        raise KoersError(
            _("The people have no attribute %(name)s.") % {"name": unknown[0]}, field="attributes"
        )
    people = queries.candidates(project.client, list(attributes))
    if not people:
        raise KoersError(_("Import the client's people first."))
    size = pilot_rules.default_size(len(people)) if size is None else size
    if not 1 <= size <= len(people):
        raise KoersError(
            _("The pilot has at least 1 and at most %(max)d people.") % {"max": len(people)},
            field="size",
        )
    selection = pilot_rules.select_pilot(
        people, size=size, attributes=attributes, seed=seed, first=include_first
    )
    median = pilot_rules.random_baseline(
        people, size=size, attributes=attributes, seed=seed, draws=baseline_draws(size)
    )
    with transaction.atomic():
        pilot, _created = Pilot.objects.update_or_create(
            project=project,
            defaults={
                "size": size,
                "attributes": list(attributes),
                "seed": seed,
                "include_first": include_first,
                "chosen_by": actor,
                "random_median": median,
            },
        )
        pilot.members.all().delete()
        ids = dict(
            queries.active_people(project.client)
            .filter(key__in=selection.keys)
            .values_list("key", "pk")
        )
        first = set(selection.first)
        PilotMember.objects.bulk_create(
            PilotMember(
                pilot=pilot,
                person_id=ids[key],
                source=PilotMember.Source.FIRST if key in first else PilotMember.Source.SELECTED,
            )
            for key in selection.keys
        )
    return PilotChoice(pilot, selection, median)


def pilot_swap(*, pilot: Pilot, actor: Any, out: Person, into: Person | None = None) -> Person:
    """Take `out` from the pilot and put `into` in (or the best stand-in); return who came in."""
    if pilot.project.waves.exclude(status=Wave.Status.PLANNED).exists():
        raise KoersError(_("The rollout has started; the pilot can no longer change."))
    members = dict(pilot.members.values_list("person__key", "person_id"))
    if out.key not in members:
        raise KoersError(_("%(name)s is not in the pilot.") % {"name": out})
    if into is None:
        people = queries.candidates(pilot.project.client, list(pilot.attributes))
        key = pilot_rules.best_swap(people, set(members), out=out.key, attributes=pilot.attributes)
        if key is None:
            raise KoersError(
                _("Nobody else of %(value)s can take this place; choose someone yourself.")
                % {
                    "value": getattr(out, pilot.attributes[0], "")
                    or out.attributes.get(pilot.attributes[0], "")
                }
            )
        into = queries.active_people(pilot.project.client).get(key=key)
    if into.key in members:
        raise KoersError(_("%(name)s is in the pilot already.") % {"name": into})
    if into.client_id != pilot.project.client_id or into.left_at is not None:
        raise KoersError(_("%(name)s cannot join this pilot.") % {"name": into})
    with transaction.atomic():
        pilot.members.filter(person=out).delete()
        PilotMember.objects.create(pilot=pilot, person=into, source=PilotMember.Source.SWAPPED_IN)
        pilot.chosen_by = actor
        pilot.save(update_fields=["chosen_by", "chosen_at"])
    return into
