"""Writes on people and the pilot; steering the waves is in steering.py.

Every verb checks all of its input before it writes, and writes in one transaction. Views,
the API, the CLI, the task worker and the demo all come through here.
"""

import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta
from itertools import islice
from operator import attrgetter
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Field, Max
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from koers.core.bulk import insert_rows, prepare
from koers.core.errors import KoersError
from koers.core.formatting import number as figure
from koers.workspaces.models import Client

from .models import MAPPING_FIELDS, ImportRun, Person
from .reading import (
    MERGED_FIELDS,
    XLSX_MAGIC,
    KeyCheck,
    Merge,
    PersonRow,
    ReadError,
    RowErrors,
    Table,
    check_mapping,
    check_zip,
    checked_rows,
    column_counts,
    date_order,
    field_values,
    key_overlap,
    merge_spellings,
    read_table,
    record_rows,
    suggest_mapping,
)
from .sensitive import Finding, sensitive_columns

_quoted = json.encoder.encode_basestring_ascii

Progress = Callable[[int, int], None]
WRITE_BATCH = 5000
# Files with more rows than this are imported by the task worker, with a progress bar.
BACKGROUND_ROWS = 5000
# A workbook that unpacks to more than this is read only by the task worker (which has a
# memory cap, KOERS_WORKER_MEMORY_MB), from the upload on: never in a web request. Decided by
# the sizes in the zip's directory, known before anything is unpacked, not by rows, which
# are known only after the read it is meant to keep out of the web worker. 16 MB is about
# 25,000 rows of 10 columns, read in about a second.
WEB_XLSX_MAX_UNPACKED = 16 * 1024 * 1024
PREVIEW_ROWS = 5
COMPARED = ("name", "email", "department", "location", "job_title", "manager", "device")
_compared = attrgetter(*COMPARED)
# What a new person gets besides the file's values: the model's own defaults.
_INSERTED = ("is_well_known", "is_constructive", "is_ambassador")


def _insert_people(client: Client, rows: Sequence[tuple[Any, ...]]) -> None:
    """Insert new people through `insert_rows` (one COPY on PostgreSQL, else executemany).

    `rows` are (key, *COMPARED, leaving_on, left_at, attributes) and were checked by
    `checked_rows`. This is what `Person.objects.bulk_create` writes, without its per-value
    field preparation and its statements of 999 parameters on SQLite: the time stamps are
    prepared once, the attributes made JSON text here (nearly every person's attributes
    differ: a start date, a cost centre).
    """
    if not rows:
        return
    now = prepare(Person, "created_at", timezone.now())
    fixed = tuple(Person._meta.get_field(name).get_default() for name in _INSERTED)  # type: ignore[union-attr]
    names = ("client", "key", *COMPARED, "leaving_on", "left_at", "attributes", *_INSERTED)
    insert_rows(
        Person,
        (*names, "created_at", "updated_at"),
        ((client.pk, *row[:-1], _json_object(row[-1]), *fixed, now, now) for row in rows),
        prepared={"attributes", "created_at", "updated_at"},
    )


def _json_object(value: Mapping[str, Any]) -> str:
    """`json.dumps(value)` of text names and values, in a third of its time (it runs per person)."""
    try:
        return "{" + ", ".join([f"{_quoted(k)}: {_quoted(v)}" for k, v in value.items()]) + "}"
    except TypeError:  # a value that is not text
        return json.dumps(value)


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


class CheckedRows:
    """The rows of a people file as people, checked as they are read (`checked_rows`), each
    time they are gone through: `people_import` writes them a batch at a time in its
    transaction, which a row refused late in the file rolls back (ImportRefused)."""

    def __init__(self, table: Table, count: int, **options: Any) -> None:
        self._table = table
        self._count = count
        self._options = options

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[PersonRow]:
        try:
            yield from checked_rows(self._table, **self._options)
        except RowErrors as errors:
            raise ImportRefused(errors) from errors
        except ReadError as error:
            raise KoersError(error.message) from error


@dataclass(frozen=True)
class PeopleFile:
    """A people file read, with what the user should know before it is written; its rows
    are checked as they are written."""

    rows: CheckedRows
    mapping: dict[str, str]
    kept: list[str]
    merges: list[Merge]  # values that differed only in case or spaces, written one way
    sensitive: list[Finding]  # columns that look sensitive, kept or not
    key_check: KeyCheck | None  # against the client's people, when a client was given


def read_people_file(
    data: bytes,
    file_name: str,
    *,
    client: Client | None = None,
    mapping: Mapping[str, str] | None = None,
    overrides: Mapping[str, str] | None = None,
    keep: Sequence[str] = (),
    sheet: str | None = None,
    left_before: date | None = None,
    progress: Progress | None = None,
) -> PeopleFile:
    """Read a whole file once for what is known only from all of its rows; nothing is
    written, and the rows are checked when they are gone through (see `CheckedRows`).

    Without a mapping the suggested one is used with `overrides` on top. Only the mapped
    fields and the columns in `keep` are read: nothing else is kept. Someone whose leaving
    date is before `left_before` (today by default) counts as left. With `client`, the
    file's keys are compared with the people already there, and their spellings are kept.
    """
    try:
        table = read_table(data, file_name, limit_bytes=upload_limit(), sheet=sheet or None)
        chosen = (
            dict(mapping)
            if mapping
            else {**suggest_mapping(table.header, table.rows.head), **(overrides or {})}
        )
        unknown = set(chosen) - set(MAPPING_FIELDS)
        if unknown:
            raise KoersError(
                _("There is no field %(field)s; the fields are %(fields)s.")
                % {"field": sorted(unknown)[0], "fields": ", ".join(MAPPING_FIELDS)}
            )
        kept = [c for c in dict.fromkeys(keep) if c not in chosen.values()]
        check_mapping(table.header, chosen, kept)
        dated = [chosen[f] for f in ("status", "leaving_on") if f in chosen]
        merged = [chosen[f] for f in MERGED_FIELDS if f in chosen]
        count, counts = column_counts(table, [*dated, *merged], progress)
        checked = None
        if client is not None:
            checked = key_check(client=client, table=table, column=chosen["key"])
            checked = checked or KeyCheck(chosen["key"], count, 0, 0, 0)
    except ReadError as error:
        raise KoersError(error.message) from error
    known = None
    if client is not None:
        people = Person.objects.filter(client=client)
        known = {
            name: people.values_list(name, flat=True).distinct().order_by()
            for name in MERGED_FIELDS
        }
    spelled, merges = merge_spellings(field_values(chosen, counts), known)
    rows = CheckedRows(
        table,
        count,
        mapping=chosen,
        keep=kept,
        left_before=left_before or timezone.localdate(),
        date_orders={column: date_order(counts[column]) for column in dated},
        spelled=spelled,
    )
    sensitive = sensitive_columns(table.header, table.rows.head, today=timezone.localdate())
    return PeopleFile(rows, chosen, kept, merges, sensitive, checked)


def read_people(
    data: bytes, file_name: str, **options: Any
) -> tuple[list[PersonRow], dict[str, str], list[str]]:
    """Read and check a whole file (see `read_people_file`): its rows, mapping and kept columns."""
    found = read_people_file(data, file_name, **options)
    return list(found.rows), found.mapping, found.kept


def key_check(*, client: Client, table: Table, column: str) -> KeyCheck | None:
    """Compare the keys of a file's column with the keys of the client's people, if any."""
    if column not in table.header or not Person.objects.filter(client=client).exists():
        return None
    at = table.header.index(column)

    def keys() -> Iterator[str]:
        for cells in table.rows:
            if at < len(cells) and (key := cells[at].strip()):
                yield key

    stored = set(Person.objects.filter(client=client).values_list("key", flat=True))
    return key_overlap(column, keys, stored)


def key_warning(check: KeyCheck) -> str:
    """The words for a file whose keys match none of the people already there."""
    text = _(
        "Not one of the %(total)s keys in column %(column)s is a key of the %(stored)s "
        "people already there: importing would add everyone again as new people."
    ) % {"total": figure(check.total), "column": check.column, "stored": figure(check.stored)}
    if check.example:
        text += " " + _(
            "%(loose)s keys differ only in leading zeros, case or spaces, e.g. %(file)s in "
            "the file against %(stored)s already there."
        ) % {
            "loose": figure(check.loose),
            "file": check.example[0],
            "stored": check.example[1],
        }
    return text


SENSITIVE_WORDS = {
    "birth_date": gettext_lazy("a birth date or age"),
    "national_number": gettext_lazy("a national number (BSN, rijksregisternummer)"),
    "nationality": gettext_lazy("nationality"),
    "ethnicity": gettext_lazy("ethnicity or race"),
    "religion": gettext_lazy("religion"),
    "health": gettext_lazy("health or absence"),
    "gender": gettext_lazy("gender"),
    "marital_status": gettext_lazy("marital status"),
    "salary": gettext_lazy("salary or pay"),
    "iban": gettext_lazy("a bank account (IBAN)"),
    "sid": gettext_lazy("a security identifier (SID)"),
    "guid": gettext_lazy("a directory object id (GUID)"),
}


def sensitive_warning(finding: Finding) -> str:
    """Say why a column looks sensitive: "DOB looks like a birth date or age (its name)"."""
    how = _("by what it holds") if finding.by_content else _("by its name")
    return _("%(column)s looks like %(what)s (%(how)s).") % {
        "column": finding.column,
        "what": SENSITIVE_WORDS[finding.kind],
        "how": how,
    }


def _field_name(name: str) -> str:
    field = Person._meta.get_field(name)
    return capfirst(str(field.verbose_name)) if isinstance(field, Field) else name


def merge_note(merge: Merge) -> str:
    """Say which spellings were written as one: "Department: finance written as Finance (3)"."""
    return ngettext(
        "%(field)s: %(variants)s written as %(value)s (%(count)s person).",
        "%(field)s: %(variants)s written as %(value)s (%(count)s people).",
        merge.people,
    ) % {
        "field": _field_name(merge.field),
        "variants": ", ".join(f"“{v}”" for v in merge.variants),
        "value": f"“{merge.value}”",
        "count": figure(merge.people),
    }


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int
    missing: int  # active people of the client who are not in the file
    left: int  # of them, marked as left now
    dry_run: bool = False
    leavers: int = 0  # people the rows say have left (by status or leaving date)


def _left_at(row: PersonRow, stored: datetime | None, now: datetime) -> datetime | None:
    """When a person left: their leaving date, else when Koers first knew, else not."""
    if not row.has_left:
        return None
    if row.leaving_on is not None:
        return timezone.make_aware(datetime.combine(row.leaving_on, time.min))
    return stored or now


def people_import(
    *,
    client: Client,
    actor: Any,
    rows: Sequence[PersonRow] | CheckedRows,
    mark_left: bool = False,
    dry_run: bool = False,
    partial: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Write checked rows as the client's people in one transaction; same rows, no writes.

    People are matched by key. Someone the rows say has left is stored as left, with the
    leaving date; someone missing from the rows is marked as left only with `mark_left`;
    someone who had left and is in the rows again, not as left, is back. With `partial`
    the rows are some of the people (an API sync): nobody else is looked at. Rows of a file
    are checked as they are written: a refused one rolls back all (ImportRefused).
    """
    if partial and mark_left:
        raise KoersError(_("Only a whole file can mark the people missing from it as left."))
    try:
        return _write_people(
            client,
            rows,
            partial=partial,
            mark_left=mark_left,
            dry_run=dry_run,
            progress=progress,
        )
    except IntegrityError as error:
        # Another import or sync added one of these keys between our read and our write.
        raise KoersError(
            _(
                "The people of this client were changed by another import at the same moment; "
                "nothing of this one was written. Start it again."
            )
        ) from error


_STORED = ("key", "pk", *COMPARED, "attributes", "leaving_on", "left_at")


def _stored_of(client: Client, keys: list[str]) -> dict[str, tuple[Any, ...]]:
    """The client's people of `keys` (in order) as `_STORED` values, by key, in one indexed
    read.

    Not an IN list: Django prepares its values one by one, a tenth of the time of a large
    import. The keys go as one value: a JSON array on SQLite, an array on PostgreSQL.
    """
    if connection.vendor != "postgresql":
        people = Person.objects.filter(
            client=client, key__in=RawSQL("SELECT value FROM json_each(%s)", (json.dumps(keys),))
        )
        # Unordered: the model's order (name, key) would have it walk the name index.
        return {values[0]: values for values in people.order_by().values_list(*_STORED)}
    field = {f.name: f for f in Person._meta.concrete_fields}
    field["pk"] = Person._meta.pk
    columns = ", ".join("p." + connection.ops.quote_name(str(field[n].column)) for n in _STORED)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns} FROM {Person._meta.db_table} p "  # noqa: S608 (the model's own names)
            "WHERE p.client_id = %s AND p.key = ANY(%s::varchar[])",
            (client.pk, keys),
        )
        found = {}
        for values in cursor.fetchall():
            # JSON comes as text, as Django has psycopg load it for JSONField.
            attributes = json.loads(values[-3])
            found[values[0]] = (*values[:-3], attributes, *values[-2:])
        return found


def _write_people(
    client: Client,
    rows: Iterable[PersonRow],
    *,
    partial: bool,
    mark_left: bool,
    dry_run: bool,
    progress: Progress | None,
) -> ImportResult:
    """Compare the rows with the people stored and write the difference.

    The rows are taken WRITE_BATCH at a time, in order of key within a batch, each batch
    compared with the people of its keys only: memory does not grow with the file nor with
    the people already there.
    """
    total = len(rows) if isinstance(rows, Sequence | CheckedRows) else 0
    in_file: set[str] = set()
    unchanged = created = updated = leavers = done = 0
    width = len(COMPARED)
    now = timezone.now()
    people = iter(rows)
    with transaction.atomic():
        # The people there before, if any: those not in the file are missing (read after the
        # writes), and with none there is nobody to compare with.
        before = Person.objects.filter(client=client).aggregate(last=Max("pk"))["last"]
        while batch := sorted(islice(people, WRITE_BATCH), key=attrgetter("key")):
            create: list[tuple[Any, ...]] = []
            update: list[Person] = []
            for row in batch:
                if row.key in in_file:
                    raise KoersError(_("Every person needs their own key; some keys repeat."))
                in_file.add(row.key)
                leavers += row.has_left
            existing = {} if before is None else _stored_of(client, [row.key for row in batch])
            for row in batch:
                found = existing.get(row.key)
                values = _compared(row)
                left_at = _left_at(row, None if found is None else found[-1], now)
                if found is None:
                    create.append((row.key, *values, row.leaving_on, left_at, row.attributes))
                elif (
                    found[2 : 2 + width] == values
                    and found[-3] == row.attributes
                    and found[-2] == row.leaving_on
                    and found[-1] == left_at
                ):
                    unchanged += 1
                else:
                    update.append(
                        Person(
                            pk=found[1],
                            client=client,
                            key=row.key,
                            attributes=dict(row.attributes),
                            leaving_on=row.leaving_on,
                            left_at=left_at,
                            updated_at=now,
                            **dict(zip(COMPARED, values, strict=True)),
                        )
                    )
            created += len(create)
            updated += len(update)
            if not dry_run:
                _insert_people(client, create)
                Person.objects.bulk_update(
                    update,
                    [*COMPARED, "attributes", "leaving_on", "left_at", "updated_at"],
                    batch_size=500,
                )
            done += len(batch)
            if progress:
                progress(done, max(done, total))
        missing = []
        if not partial and before is not None:
            stored = Person.objects.filter(client=client, pk__lte=before, left_at__isnull=True)
            missing = [
                pk
                for key, pk in stored.values_list("key", "pk").iterator(chunk_size=WRITE_BATCH)
                if key not in in_file
            ]
        left = 0
        if mark_left and missing and not dry_run:
            left = Person.objects.filter(pk__in=missing).update(
                left_at=timezone.now(), updated_at=timezone.now()
            )
        elif mark_left:
            left = len(missing)
        if progress:
            progress(done, done)
        return ImportResult(
            created=created,
            updated=updated,
            unchanged=unchanged,
            missing=len(missing),
            left=left,
            dry_run=dry_run,
            leavers=leavers,
        )


# People one by one or in batches, for a nightly sync from Entra ID or an HR system.

SYNC_BATCH = 10_000


def people_sync(
    *, client: Client, actor: Any, records: Sequence[Mapping[str, Any]]
) -> ImportResult:
    """Create or change people by key, from records as the API takes them; idempotent.

    Every record is checked before anything is written (ImportRefused names row, field and
    value); then all are written in one transaction. People not in the records stay as they
    are. A record's "left" is the leaving date: before today, the person is stored as left.
    """
    if len(records) > SYNC_BATCH:
        raise KoersError(
            _("At most %(max)s people in one call.") % {"max": figure(SYNC_BATCH)}, field="people"
        )
    try:
        rows = record_rows(records, left_before=timezone.localdate())
    except RowErrors as errors:
        raise ImportRefused(errors) from errors
    return people_import(client=client, actor=actor, rows=rows, partial=True)


# The import in steps, for the web: upload, mapping, run (here or by the task worker).


def _table_checks(client: Client, table: Table, key_column: str | None) -> dict[str, Any]:
    """What the mapping step warns about: sensitive columns, and keys that match no one."""
    sensitive = sensitive_columns(table.header, table.rows.head, today=timezone.localdate())
    return {
        "notes": [
            {
                "kind": "sensitive",
                "column": finding.column,
                "kind_of_data": finding.kind,
                "by_content": finding.by_content,
            }
            for finding in sensitive
        ],
        "key_check": _key_check_of(client, table, key_column) if key_column else {},
    }


def _key_check_of(client: Client, table: Table, column: str) -> dict[str, Any]:
    check = key_check(client=client, table=table, column=column)
    return asdict(check) if check else {}


def stored_key_check(run: ImportRun) -> KeyCheck | None:
    """The key check recorded on an import run, if there was one."""
    if not run.key_check:
        return None
    values = dict(run.key_check)
    example = values.pop("example", None)
    return KeyCheck(**values, example=tuple(example) if example else None)


def stored_merges(run: ImportRun) -> list[Merge]:
    """The spellings an import run wrote one way."""
    return [
        Merge(note["field"], note["value"], tuple(note["variants"]), note["people"])
        for note in run.notes
        if note.get("kind") == "merge"
    ]


def stored_findings(run: ImportRun) -> list[Finding]:
    """The sensitive-looking columns recorded on an import run."""
    return [
        Finding(note["column"], note["kind_of_data"], note["by_content"])
        for note in run.notes
        if note.get("kind") == "sensitive"
    ]


def import_upload(*, client: Client, actor: Any, file_name: str, data: bytes) -> ImportRun:
    """Keep an uploaded file for the mapping step, after checking that it can be read.

    Nothing is ticked to keep; the columns that look sensitive and a key column that
    matches none of the people already there are recorded for the mapping step to name.
    """
    try:
        if is_large_workbook(data, file_name):
            run = ImportRun.objects.create(
                client=client,
                actor=actor,
                file_name=file_name[:255],
                content=data,
                file_format="XLSX",
                status=ImportRun.Status.READING,
            )
            _read_in_worker(run)
            return run
        table = _read_counted(data, file_name)
    except ReadError as error:
        raise KoersError(error.message, field="file") from error
    file_format = table.kind.upper()
    if table.kind == "csv":
        file_format = f"CSV, {table.encoding}"
    mapping = suggest_mapping(table.header, table.rows.head)
    return ImportRun.objects.create(
        client=client,
        actor=actor,
        file_name=file_name[:255],
        content=data,
        sheet=table.sheet,
        sheets=table.sheets,
        file_format=file_format,
        delimiter=table.delimiter,
        header=table.header,
        preview=table.rows.head[:PREVIEW_ROWS],
        rows_total=len(table.rows),
        mapping=mapping,
        keep=[],
        **_table_checks(client, table, mapping.get("key")),
    )


def _read_counted(data: bytes, file_name: str, sheet: str | None = None) -> Table:
    """`read_table`, and its rows counted: a pass over the whole file, which finds a line
    past the first rows that cannot be read where a ReadError is handled."""
    table = read_table(data, file_name, limit_bytes=upload_limit(), sheet=sheet)
    len(table.rows)
    return table


def is_large_workbook(data: bytes, file_name: str) -> bool:
    """Whether `data` is a workbook too large to read in a web request (see
    WEB_XLSX_MAX_UNPACKED); its zip directory is checked for bombs on the way."""
    if len(data) > upload_limit() or not data.startswith(XLSX_MAGIC):
        return False  # read_table refuses it, or it is no workbook: nothing to unpack
    entries = check_zip(data).infolist()
    return sum(entry.file_size for entry in entries) > WEB_XLSX_MAX_UNPACKED


def _read_in_worker(run: ImportRun) -> None:
    from .tasks import import_read_task

    transaction.on_commit(lambda: import_read_task.enqueue(run.pk))


def import_read(*, run: ImportRun) -> ImportRun:
    """Read a large workbook in the task worker for the mapping step.

    Without a header yet (a new upload or another sheet) the run gets the sheet's columns,
    first rows and suggested mapping; with one, the key check of the chosen key column.
    A workbook that cannot be read fails the run, and the upload is thrown away.
    """
    try:
        table = _read_counted(bytes(run.content), run.file_name, sheet=run.sheet or None)
    except ReadError as error:
        run.status, run.errors = ImportRun.Status.FAILED, [{"message": error.message}]
        run.content, run.finished_at = b"", timezone.now()
        run.save(update_fields=["status", "errors", "content", "finished_at"])
        return run
    if run.header:
        run.key_check = _key_check_of(run.client, table, run.mapping.get("key", ""))
    else:
        run.sheet, run.sheets, run.header = table.sheet, table.sheets, table.header
        run.preview = table.rows.head[:PREVIEW_ROWS]
        run.rows_total = len(table.rows)
        run.mapping = suggest_mapping(table.header, table.rows.head)
        run.keep = []
        checks = _table_checks(run.client, table, run.mapping.get("key"))
        run.notes, run.key_check = checks["notes"], checks["key_check"]
    run.status = ImportRun.Status.UPLOADED
    run.save()
    return run


def import_sheet(*, run: ImportRun, sheet: str) -> ImportRun:
    """Read another sheet of an uploaded workbook for the mapping step."""
    if is_large_workbook(bytes(run.content), run.file_name):
        run.sheet, run.header, run.status = sheet, [], ImportRun.Status.READING
        run.save(update_fields=["sheet", "header", "status"])
        _read_in_worker(run)
        return run
    try:
        table = _read_counted(bytes(run.content), run.file_name, sheet=sheet)
    except ReadError as error:
        raise KoersError(error.message, field="sheet") from error
    run.sheet = table.sheet
    run.header = table.header
    run.preview = table.rows.head[:PREVIEW_ROWS]
    run.rows_total = len(table.rows)
    run.mapping = suggest_mapping(table.header, table.rows.head)
    run.keep = []
    checks = _table_checks(run.client, table, run.mapping.get("key"))
    run.notes, run.key_check = checks["notes"], checks["key_check"]
    run.save(
        update_fields=[
            "sheet",
            "header",
            "preview",
            "rows_total",
            "mapping",
            "keep",
            "notes",
            "key_check",
        ]
    )
    return run


def import_configure(
    *,
    run: ImportRun,
    mapping: Mapping[str, str],
    keep: Sequence[str],
    mark_left: bool,
    left_before: date | None = None,
    new_keys: bool = False,
) -> ImportRun:
    """Record the mapping and queue the run: in the background for large files.

    When not one key of the file is a key of the people already there, the import goes on
    only with `new_keys`: the user has read the warning and means to add them all.
    """
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
    is_large = is_large_workbook(bytes(run.content), run.file_name)
    if (
        run.key_check.get("column") != mapping["key"]
        and mapping["key"] in run.header
        and Person.objects.filter(client=run.client).exists()  # else nobody to compare with
    ):
        if is_large:
            # The key check of another column reads the file: the worker does, and the
            # mapping step comes back with its outcome.
            run.mapping = {f: c for f, c in mapping.items() if c}
            run.keep = [c for c in keep if c in run.header and c not in run.mapping.values()]
            run.status = ImportRun.Status.READING
            run.save(update_fields=["mapping", "keep", "status"])
            _read_in_worker(run)
            return run
        try:
            table = _read_counted(bytes(run.content), run.file_name, sheet=run.sheet)
        except ReadError as error:
            raise KoersError(error.message) from error
        run.key_check = _key_check_of(run.client, table, mapping["key"])
        run.save(update_fields=["key_check"])
    check = stored_key_check(run)
    if check is not None and check.is_mismatch and not new_keys:
        raise KoersError(key_warning(check), field="new_keys")
    in_background = run.rows_total > BACKGROUND_ROWS or is_large
    with transaction.atomic():
        _claim_client(run)
        run.mapping = {f: c for f, c in mapping.items() if c}
        run.keep = [c for c in keep if c in run.header and c not in run.mapping.values()]
        run.mark_left = mark_left
        run.left_before = left_before or timezone.localdate()
        run.status = ImportRun.Status.QUEUED
        run.rows_done = 0
        run.errors = []
        run.lease_until = None if in_background else timezone.now() + request_lease()
        run.save(
            update_fields=[
                "mapping",
                "keep",
                "mark_left",
                "left_before",
                "status",
                "rows_done",
                "errors",
                "lease_until",
            ]
        )
    if in_background:
        from .tasks import import_people_task

        transaction.on_commit(lambda: import_people_task.enqueue(run.pk))
    else:
        import_execute(run=run)
        run.refresh_from_db()
    return run


def request_lease() -> timedelta:
    """How long an import run in a web request may take: gunicorn's timeout and a margin."""
    return timedelta(seconds=settings.WEB_TIMEOUT + 5)


def _claim_client(run: ImportRun) -> None:
    """Refuse a second import while another of the client runs; the client row is locked
    (PostgreSQL) or the write lock held (SQLite, immediate transactions) till commit."""
    Client.objects.select_for_update().filter(pk=run.client_id).first()
    fail_stopped_imports(run.client)
    busy = ImportRun.objects.filter(client=run.client_id, status__in=ImportRun.BUSY)
    if busy.exclude(pk=run.pk).exists():
        raise KoersError(
            _("Another import of this client is running; start this one when it is finished.")
        )


def recent_imports(client: Client, count: int = 5) -> list[ImportRun]:
    """The client's last imports, those cut off shown as failed."""
    fail_stopped_imports(client)
    return list(ImportRun.objects.filter(client=client).select_related("actor")[:count])


STOPPED = {"kind": "stopped"}  # shown in the reader's language by the import page


def fail_stopped_imports(client: Client) -> int:
    """Fail the client's runs whose web request was cut off: past their lease, not done."""
    return ImportRun.objects.filter(
        client=client, status__in=ImportRun.BUSY, lease_until__lt=timezone.now()
    ).update(
        status=ImportRun.Status.FAILED,
        finished_at=timezone.now(),
        errors=[STOPPED],
        lease_until=None,
    )


def import_execute(*, run: ImportRun) -> ImportRun:
    """Read, check and write an import run; record the outcome on the run."""
    ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.RUNNING, rows_done=0)

    def progress(done: int, total: int) -> None:
        # Outside the import's transaction, so the page sees the bar move while reading.
        ImportRun.objects.filter(pk=run.pk).update(rows_done=done, rows_total=total)

    try:
        found = read_people_file(
            bytes(run.content),
            run.file_name,
            client=run.client,
            mapping=run.mapping,
            keep=run.keep,
            sheet=run.sheet,
            left_before=run.left_before,
            progress=progress,
        )
        result = people_import(
            client=run.client, actor=run.actor, rows=found.rows, mark_left=run.mark_left
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
    run.notes = [
        *(note for note in run.notes if note.get("kind") == "sensitive"),
        *({"kind": "merge", **asdict(merge)} for merge in found.merges),
    ]
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
        if result.leavers:
            run.notes.append({"kind": "leavers", "count": result.leavers})
        fields += ["created", "updated", "unchanged", "missing", "left", "notes"]
        # Keep the file only while the user may still mark missing people as left.
        if not (result.missing and not run.mark_left):
            run.content, run.preview = b"", []
            fields += ["content", "preview"]
    run.save(update_fields=fields)


def import_mark_left(*, run: ImportRun, actor: Any) -> ImportRun:
    """Confirm: mark the people missing from a finished import's file as left."""
    if run.status != ImportRun.Status.DONE or not run.content:
        raise KoersError(_("This import can no longer mark people as left; import the file again."))
    return import_configure(
        run=run,
        mapping=run.mapping,
        keep=run.keep,
        mark_left=True,
        left_before=run.left_before,
        new_keys=True,
    )


def import_discard(*, run: ImportRun) -> None:
    """Throw an upload away without importing it."""
    if fail_stopped_imports(run.client):
        run.refresh_from_db()
    if run.is_busy:
        raise KoersError(_("This import is running; wait until it is finished."))
    run.content, run.preview, run.header = b"", [], []
    if run.status == ImportRun.Status.UPLOADED:
        run.delete()
    else:
        run.save(update_fields=["content", "preview", "header"])


MARK_FIELDS = {
    "well_known": "is_well_known",
    "constructive": "is_constructive",
    "ambassador": "is_ambassador",
}


def people_mark(*, client: Client, people: Iterable[int], mark: str, give: bool) -> int:
    """Give a mark to, or take it from, some of the client's people; return how many.

    Well known, constructive and ambassador people are preferred for the pilot. Ids of
    another client's people are ignored: the update starts from the client.
    """
    field = MARK_FIELDS.get(mark)
    if field is None:
        raise KoersError(_("Choose a mark."), field="mark")
    # updated_at by hand: update() skips auto_now, and the pilot's cache is keyed on it.
    return Person.objects.filter(client=client, pk__in=list(people)).update(
        **{field: give, "updated_at": timezone.now()}
    )
