"""Back up the whole Koers database to one portable file, and restore it.

The file is a gzip-compressed stream of JSON lines, the same for SQLite and PostgreSQL (so a
backup also moves Koers from one to the other):

    {"format": "koers-backup", "version": 1, "koers": "0.1.0", "created": "...",
     "database": "sqlite", "migrations": {"rollout": ["0001_initial", ...], ...},
     "tables": {"accounts.User": 4, ...}, "skipped": {...}}            header
    {"model": "accounts.User", "table": "accounts_user", "fields": ["id", ...], "rows": 4}
    [1, "pbkdf2_sha256$...", ...]                                        one line per row
    ...
    {"end": true, "rows": 1234}                                          trailer

Models come in dependency order (a row's foreign keys point to models written before it);
rows are streamed in primary-key order with `iterator()`, never held in memory all at once.
Values are the fields' database values as JSON: dates, times and datetimes in ISO 8601 at
full precision, decimals and UUIDs as strings, binary data as base64, JSON fields inline.

What is not in a backup, by design (see SKIPPED): sessions (everyone logs in again; a backup
file then holds no live log-in keys) and rate-limit counters (short-lived). Content types
and permissions are made by `migrate` in every database, with ids of their own: a backup keeps
them with their natural keys (app label and model; content type and codename), and a restore
maps every reference to them (admin log entries, user and group permissions) to the ids of the
target database, making any that `migrate` did not make. Task results of the task framework are
kept whole; their ids are UUIDs and their arguments name primary keys, which a restore keeps.
"""

from __future__ import annotations

import base64
import datetime
import gzip
import json
import os
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections, models, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

FORMAT = "koers-backup"
FORMAT_VERSION = 1
CHUNK_SIZE = 2000
HEADER_LIMIT = 1_000_000  # characters: a header is a few kilobytes

# Models whose rows a backup leaves out, with the reason (shown in the header and the docs).
SKIPPED = {
    "sessions.Session": "log-in sessions: everyone logs in again after a restore",
    "core.RateCount": "rate-limit counters: short-lived",
    "core.Heartbeat": "signs of life of processes: tasks a restore shows running then fail",
}
# Models made by `migrate` in every database: restored by natural key, never by id.
MAPPED = ("contenttypes.ContentType", "auth.Permission")

# Field types whose JSON value goes to the database as it is.
PLAIN_TYPES = {
    "AutoField",
    "BigAutoField",
    "SmallAutoField",
    "BigIntegerField",
    "IntegerField",
    "SmallIntegerField",
    "PositiveBigIntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "BooleanField",
    "CharField",
    "TextField",
    "SlugField",
    "EmailField",
    "URLField",
    "FloatField",
}

Progress = Callable[[int, int], None] | None


def drawn_once_at_the_end(progress: Progress) -> Progress:
    """Pass progress on, but the final `done == total` only once (the bar ends its line)."""
    if progress is None:
        return None
    finished = False

    def report(done: int, total: int) -> None:
        nonlocal finished
        if not finished:
            finished = done >= total
            progress(done, total)

    return report


class BackupError(Exception):
    """A backup or restore could not be done; the message says why and is safe to show."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Summary:
    """What a backup wrote or a restore loaded: rows per model."""

    file: str
    tables: dict[str, int] = field(default_factory=dict)
    bytes: int = 0
    seconds: float = 0.0
    migrated: bool = False

    @property
    def rows(self) -> int:
        return sum(self.tables.values())

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "rows": self.rows,
            "bytes": self.bytes,
            "seconds": round(self.seconds, 2),
            "migrated": self.migrated,
            "tables": self.tables,
        }


# --- which models, in which order -------------------------------------------------------


def label(model: type[models.Model]) -> str:
    return str(model._meta.label)


def backed_up_models() -> list[type[models.Model]]:
    """Every model with a table of its own, minus SKIPPED, in dependency order."""
    chosen = [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy and label(model) not in SKIPPED
    ]
    return dependency_order(chosen)


def dependency_order(chosen: list[type[models.Model]]) -> list[type[models.Model]]:
    """Order models so that each comes after the models its foreign keys point to.

    Self-references and cycles cannot be ordered away; they need not be, because Django's
    foreign-key constraints are checked at commit (deferred) on SQLite and PostgreSQL.
    """
    pending = sorted(chosen, key=label)
    names = {label(model) for model in pending}
    needs = {label(model): references(model) & names for model in pending}
    ordered: list[type[models.Model]] = []
    done: set[str] = set()
    while pending:
        ready = [m for m in pending if needs[label(m)] <= done] or pending[:1]
        for model in ready:
            ordered.append(model)
            done.add(label(model))
        pending = [m for m in pending if label(m) not in done]
    return ordered


def references(model: type[models.Model]) -> set[str]:
    """The models a model's foreign keys point to, itself left out."""
    return {
        label(f.related_model)
        for f in model._meta.concrete_fields
        if f.is_relation and isinstance(f.related_model, type) and f.related_model is not model
    }


def concrete_attnames(model: type[models.Model]) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields]


# --- migration state ----------------------------------------------------------------------


def installed_labels() -> set[str]:
    return {config.label for config in apps.get_app_configs()}


def applied_migrations() -> dict[str, list[str]]:
    """The migrations recorded in django_migrations, per installed app."""
    state: dict[str, list[str]] = {}
    wanted = installed_labels()
    for app_label, name in MigrationRecorder(connection).applied_migrations():
        if app_label in wanted:
            state.setdefault(app_label, []).append(name)
    return {app: sorted(names) for app, names in sorted(state.items())}


def migrations_on_disk() -> dict[str, list[str]]:
    """What `migrate` records in an empty database: every migration this Koers has."""
    state: dict[str, list[str]] = {}
    wanted = installed_labels()
    for app_label, name in MigrationLoader(None, ignore_no_migrations=True).disk_migrations:
        if app_label in wanted:
            state.setdefault(app_label, []).append(name)
    return {app: sorted(names) for app, names in sorted(state.items())}


def state_difference(ours: dict[str, list[str]], theirs: dict[str, list[str]]) -> str:
    """Name a few migrations only one side has, for an error message."""
    mine = {(app, name) for app, names in ours.items() for name in names}
    other = {(app, name) for app, names in theirs.items() for name in names}
    parts = []
    only_file = sorted(other - mine)
    only_db = sorted(mine - other)
    if only_file:
        parts.append(
            _("only the backup has %(names)s")
            % {"names": ", ".join(f"{a}.{n}" for a, n in only_file[:3])}
            + ("…" if len(only_file) > 3 else "")
        )
    if only_db:
        parts.append(
            _("only this database has %(names)s")
            % {"names": ", ".join(f"{a}.{n}" for a, n in only_db[:3])}
            + ("…" if len(only_db) > 3 else "")
        )
    return "; ".join(parts)


def koers_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("koers")
    except PackageNotFoundError:
        return "unknown"


# --- backup ------------------------------------------------------------------------------


_django_encoder = DjangoJSONEncoder()


def signing_key_fingerprint() -> str:
    """Return a fingerprint of the secret key that signs links; it does not reveal the key.

    Public answer links carry a signature made with the secret key, and personal answers are
    found again by a key derived from it, so a database restored under another key keeps its
    rows but every answer link handed out stops working.
    """
    return salted_hmac("koers.backup.signing-key", "fingerprint").hexdigest()[:32]


def database_name() -> str:
    """Name the database in use the way an operator would recognise it (no password)."""
    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        return str(settings_dict["NAME"])
    return f"{settings_dict.get('NAME')} on {settings_dict.get('HOST') or 'localhost'}"


def encode_value(value: Any) -> Any:
    """JSON for what the database gives that JSON has no type for, without losing precision."""
    if isinstance(value, datetime.datetime | datetime.time):
        return value.isoformat()  # DjangoJSONEncoder would cut microseconds to milliseconds
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    return _django_encoder.default(value)


ENCODER = json.JSONEncoder(default=encode_value, ensure_ascii=False, separators=(",", ":"))


@contextmanager
def read_snapshot() -> Iterator[None]:
    """Read every table as of one moment, without stopping anyone from writing."""
    if connection.in_atomic_block:
        yield  # already inside a transaction (a test, a caller's atomic block)
        return
    if connection.vendor == "postgresql":
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
        return
    if connection.vendor == "sqlite":
        # Koers' transactions start IMMEDIATE (taking the write lock); a backup only reads, so
        # it starts DEFERRED: a WAL read snapshot that writers do not wait for.
        connection.ensure_connection()
        mode = connection.transaction_mode  # type: ignore[attr-defined]
        connection.transaction_mode = "DEFERRED"  # type: ignore[attr-defined]
        try:
            with transaction.atomic():
                connection.transaction_mode = mode  # type: ignore[attr-defined]
                yield
        finally:
            connection.transaction_mode = mode  # type: ignore[attr-defined]
        return
    with transaction.atomic():
        yield


def write_backup(path: Path, *, progress: Progress = None) -> Summary:
    """Write the whole database to `path` (replaced only once the backup is complete)."""
    started = time.monotonic()
    summary = Summary(file=str(path))
    progress = drawn_once_at_the_end(progress)
    partial = path.with_name(path.name + ".partial")
    try:
        if not has_tables():
            raise BackupError(
                _(
                    "The database %(database)s has no Koers tables, so there is nothing to back "
                    "up. Run the backup with the settings Koers runs with: the same "
                    "KOERS_DATA_DIR (SQLite) or DATABASE_URL (PostgreSQL)."
                )
                % {"database": database_name()}
            )
        with scopes_disabled(), read_snapshot():
            chosen = backed_up_models()
            counts = {label(model): model._base_manager.count() for model in chosen}
            total = sum(counts.values())
            header = {
                "format": FORMAT,
                "version": FORMAT_VERSION,
                "koers": koers_version(),
                "created": timezone.now().isoformat(),
                "database": connection.vendor,
                "migrations": applied_migrations(),
                "tables": counts,
                "skipped": SKIPPED,
                "signing_key": signing_key_fingerprint(),
            }
            done = 0
            if progress:
                progress(0, total)
            with gzip.open(partial, "wt", encoding="utf-8", compresslevel=6) as out:
                out.write(json.dumps(header, ensure_ascii=False) + "\n")
                for model in chosen:
                    names = concrete_attnames(model)
                    section = {
                        "model": label(model),
                        "table": model._meta.db_table,
                        "fields": names,
                        "rows": counts[label(model)],
                    }
                    out.write(json.dumps(section) + "\n")
                    rows = (
                        model._base_manager.order_by("pk")
                        .values_list(*names)
                        .iterator(chunk_size=CHUNK_SIZE)
                    )
                    written = 0
                    lines: list[str] = []
                    for row in rows:
                        lines.append(ENCODER.encode(row))
                        if len(lines) >= CHUNK_SIZE:
                            out.write("\n".join(lines) + "\n")
                            written += len(lines)
                            done += len(lines)
                            lines = []
                            if progress:
                                progress(done, total)
                    if lines:
                        out.write("\n".join(lines) + "\n")
                        written += len(lines)
                        done += len(lines)
                    summary.tables[label(model)] = written
                out.write(json.dumps({"end": True, "rows": done}) + "\n")
            if progress:
                progress(total, total)
        os.replace(partial, path)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise BackupError(
            _("%(file)s: cannot write the backup: %(error)s")
            % {"file": path, "error": error.strerror or error}
        ) from error
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    summary.bytes = path.stat().st_size
    summary.seconds = time.monotonic() - started
    return summary


# --- reading a backup --------------------------------------------------------------------


@contextmanager
def backup_lines(path: Path) -> Iterator[Iterator[str]]:
    """Yield the lines of a backup file; damage shows as BackupError, not a traceback."""
    if not path.is_file():
        raise BackupError(_("%(file)s: no such file.") % {"file": path})

    def lines(stream: Any) -> Iterator[str]:
        try:
            yield from stream
        except (OSError, EOFError, zlib.error, UnicodeDecodeError) as error:
            raise BackupError(
                _("%(file)s is damaged or incomplete (%(error)s).") % {"file": path, "error": error}
            ) from error

    with gzip.open(path, "rt", encoding="utf-8") as stream:
        yield lines(stream)


def not_a_backup(path: Path) -> BackupError:
    return BackupError(
        _("%(file)s is not a Koers backup (made by `koers backup`).") % {"file": path}
    )


def damaged(path: Path, why: str) -> BackupError:
    return BackupError(
        _("%(file)s is damaged or incomplete (%(error)s).") % {"file": path, "error": why}
    )


def read_header(path: Path) -> dict[str, Any]:
    """Return the header of a backup file, or raise BackupError saying what is wrong."""
    if not path.is_file():
        raise BackupError(_("%(file)s: no such file.") % {"file": path})
    try:
        with gzip.open(path, "rt", encoding="utf-8") as stream:
            first = stream.readline(HEADER_LIMIT)
    except (OSError, EOFError, zlib.error, UnicodeDecodeError) as error:
        raise not_a_backup(path) from error
    try:
        header = json.loads(first)
    except ValueError as error:
        raise not_a_backup(path) from error
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise not_a_backup(path)
    version = header.get("version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise BackupError(
            _(
                "%(file)s is a backup in format %(version)s, made by Koers %(koers)s; this Koers "
                "reads format %(ours)s. Restore it with that Koers version or a newer one."
            )
            % {
                "file": path,
                "version": version,
                "koers": header.get("koers", "?"),
                "ours": FORMAT_VERSION,
            }
        )
    if not isinstance(header.get("migrations"), dict) or not isinstance(header.get("tables"), dict):
        raise not_a_backup(path)
    return header


def verify(path: Path, header: dict[str, Any]) -> None:
    """Read the whole file once: intact (gzip checksum), complete, every model known."""
    known = {label(model): model for model in backed_up_models()}
    counted: dict[str, int] = {}
    current: str | None = None
    ended = False
    with backup_lines(path) as lines:
        next(lines)
        for line in lines:
            if ended:
                raise damaged(path, _("data after the end"))
            if line.startswith("["):
                if current is None:
                    raise damaged(path, _("a row before any table"))
                counted[current] += 1
                continue
            try:
                item = json.loads(line)
            except ValueError as error:
                raise damaged(path, str(error)) from error
            if not isinstance(item, dict):
                raise damaged(path, _("an unexpected line"))
            if item.get("end") is True:
                ended = True
                continue
            current = item.get("model")
            if not isinstance(current, str):
                raise damaged(path, _("an unexpected line"))
            if current not in known:
                raise BackupError(
                    _(
                        "%(file)s holds %(model)s, which this Koers does not have; restore it "
                        "with the Koers version that made it (%(koers)s)."
                    )
                    % {"file": path, "model": current, "koers": header.get("koers", "?")}
                )
            if item.get("fields") != concrete_attnames(known[current]):
                raise BackupError(
                    _(
                        "%(file)s: the columns of %(model)s differ from this Koers' (%(fields)s); "
                        "restore it with the Koers version that made it (%(koers)s)."
                    )
                    % {
                        "file": path,
                        "model": current,
                        "fields": ", ".join(concrete_attnames(known[current])),
                        "koers": header.get("koers", "?"),
                    }
                )
            counted[current] = 0
    if not ended:
        raise damaged(path, _("the end is missing"))
    for name, count in header["tables"].items():
        if counted.get(name) != count:
            raise damaged(
                path,
                _("%(model)s should have %(expected)s rows, the file has %(found)s")
                % {"model": name, "expected": count, "found": counted.get(name, 0)},
            )


# --- restore -----------------------------------------------------------------------------


def has_tables() -> bool:
    return bool(connection.introspection.table_names(include_views=False))


def rows_present(chosen: list[type[models.Model]]) -> list[str]:
    """Models (other than those `migrate` fills) that already hold rows."""
    return [
        label(model)
        for model in chosen
        if label(model) not in MAPPED and model._base_manager.exists()
    ]


class Loader:
    """Turns a backup's JSON rows into database values and inserts them in batches."""

    def __init__(self) -> None:
        self.db = connections[DEFAULT_DB_ALIAS]  # not the proxy: its lookups cost per value
        self.content_types: dict[int, int] = {}
        self.permissions: dict[int, int] = {}

    def mapped(self, model_label: str, names: list[str], rows: list[list[Any]]) -> None:
        """Content types and permissions: find (or make) each by natural key; map its id."""
        for row in rows:
            values = dict(zip(names, row, strict=True))
            if model_label == "contenttypes.ContentType":
                ct, _made = ContentType.objects.get_or_create(
                    app_label=values["app_label"], model=values["model"]
                )
                self.content_types[values["id"]] = ct.pk
            else:
                permission, _made = Permission.objects.get_or_create(
                    content_type_id=self.map_id(self.content_types, values["content_type_id"]),
                    codename=values["codename"],
                    defaults={"name": values["name"]},
                )
                self.permissions[values["id"]] = permission.pk

    @staticmethod
    def map_id(mapping: dict[int, int], old: int) -> int:
        try:
            return mapping[old]
        except KeyError:
            raise BackupError(
                _("the backup refers to content type or permission %(id)s, which it does not hold")
                % {"id": old}
            ) from None

    def converter(self, model_field: models.Field[Any, Any]) -> Callable[[Any], Any] | None:
        """Return a function from JSON value to database value, or None to pass it on."""
        related = model_field.related_model if model_field.is_relation else None
        if related is ContentType or related is Permission:
            mapping = self.content_types if related is ContentType else self.permissions
            return lambda value: None if value is None else self.map_id(mapping, value)
        target = model_field.target_field if related else model_field  # type: ignore[attr-defined]
        if target.get_internal_type() in PLAIN_TYPES:
            return None
        ops = self.db.ops
        kind = type(model_field)
        # Fast paths for the common types (what the fields' own methods do, minus the checks
        # a value from a backup does not need): 100,000 people hold 300,000 of these values.
        if kind is models.DateTimeField:
            adapt, parse = ops.adapt_datetimefield_value, datetime.datetime.fromisoformat
            return lambda value: None if value is None else adapt(parse(value))
        if kind is models.DateField:
            adapt_date, parse_date = ops.adapt_datefield_value, datetime.date.fromisoformat
            return lambda value: None if value is None else adapt_date(parse_date(value))
        if kind is models.JSONField:
            adapt_json, encoder = ops.adapt_json_value, model_field.encoder  # type: ignore[attr-defined]
            if model_field.null:
                return lambda value: None if value is None else adapt_json(value, encoder)
            # a JSON null in a column without SQL NULL stays a JSON null
            return lambda value: adapt_json(value, encoder)
        db = self.db

        def convert(value: Any) -> Any:
            if value is None:
                return None
            return model_field.get_db_prep_save(model_field.to_python(value), db)

        return convert

    def insert(self, model: type[models.Model], names: list[str], rows: list[list[Any]]) -> None:
        by_name = {f.attname: f for f in model._meta.concrete_fields}
        converters = [
            (i, convert)
            for i, name in enumerate(names)
            if (convert := self.converter(by_name[name])) is not None
        ]
        if converters:
            for row in rows:
                for i, convert in converters:
                    row[i] = convert(row[i])
        quote = self.db.ops.quote_name
        table = quote(model._meta.db_table)
        columns = ", ".join(quote(str(by_name[name].column)) for name in names)
        if self.db.vendor == "postgresql":
            # COPY: one statement per batch, no SQL to build or parse per row
            self.db.ensure_connection()
            raw = self.db.connection.cursor()
            with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        # Table and column names come from the model registry (quoted), values are parameters.
        sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
            table, columns, ", ".join(["%s"] * len(names))
        )
        with self.db.cursor() as cursor:
            cursor.executemany(sql, rows)


def clear(chosen: list[type[models.Model]]) -> None:
    """Delete every row Koers holds (not content types and permissions), newest models first."""
    skipped = []
    for name in SKIPPED:
        try:
            skipped.append(apps.get_model(name))
        except LookupError:
            continue
    tables = [
        model._meta.db_table
        for model in [*skipped, *reversed(chosen)]
        if label(model) not in MAPPED
    ]
    if connection.vendor == "postgresql":
        # TRUNCATE refuses tables with foreign-key checks still pending in this transaction
        # (rows written earlier in it, as in a test): run those checks now.
        connection.check_constraints()
    # Django's own flush: TRUNCATE of all tables at once on PostgreSQL, DELETE on SQLite.
    with connection.cursor() as cursor:
        for sql in connection.ops.sql_flush(no_style(), tables):
            cursor.execute(sql)


def check_signing_key(path: Path, header: dict[str, Any]) -> None:
    """Refuse a backup made under another secret key: links handed out would stop working."""
    theirs = header.get("signing_key")
    if theirs is None or theirs == signing_key_fingerprint():
        return  # a backup from before the fingerprint, or the same key
    raise BackupError(
        _(
            "%(file)s was made by a Koers with another secret key. Restored under this key, every "
            "pulse answer link already handed out (posters, QR codes, mailed personal links) "
            "would stop working. Set "
            "KOERS_SECRET_KEY to the key of the Koers that made the backup (without "
            "KOERS_SECRET_KEY that Koers used the file secret_key in its KOERS_DATA_DIR), or "
            "add --new-secret-key to restore anyway and hand out new links."
        )
        % {"file": path}
    )


def restore_backup(
    path: Path, *, force: bool = False, new_secret_key: bool = False, progress: Progress = None
) -> Summary:
    """Load a backup into this database: empty (or, with `force`, emptied) and migrated alike.

    Nothing is written unless the whole file is intact and fits this database; the rows are
    loaded in one transaction, so a failure leaves the database as it was. A database without
    any table is migrated first.
    """
    started = time.monotonic()
    summary = Summary(file=str(path))
    header = read_header(path)
    if not new_secret_key:
        check_signing_key(path, header)
    verify(path, header)
    theirs = header["migrations"]
    with scopes_disabled():
        migrate = not has_tables()
        ours = migrations_on_disk() if migrate else applied_migrations()
        if ours != theirs:
            raise BackupError(
                _(
                    "%(file)s was made by Koers %(koers)s at another migration state than this "
                    "database has (%(difference)s). Restore into a database at the same state: "
                    "run `koers migrate` first if this database is behind, or restore with the "
                    "Koers version that made the backup and upgrade afterwards."
                )
                % {
                    "file": path,
                    "koers": header.get("koers", "?"),
                    "difference": state_difference(ours, theirs),
                }
            )
        if migrate:
            call_command("migrate", interactive=False, verbosity=0)
            summary.migrated = True
        chosen = backed_up_models()
        known = {label(model): model for model in chosen}
        total = sum(header["tables"].values())
        try:
            with transaction.atomic():
                busy = rows_present(chosen)
                if busy and not force:
                    raise BackupError(
                        _(
                            "This database is not empty (%(tables)s hold rows). Restore into an "
                            "empty database, or add --force to delete everything in it first."
                        )
                        % {"tables": ", ".join(busy[:5]) + ("…" if len(busy) > 5 else "")}
                    )
                if busy:
                    clear(chosen)
                summary.tables = load(path, known, total, progress)
                loaded = [known[name] for name in summary.tables if name not in MAPPED]
                with connection.cursor() as cursor:
                    for sql in connection.ops.sequence_reset_sql(no_style(), loaded):
                        cursor.execute(sql)
                connection.check_constraints()
        except DatabaseError as error:
            raise BackupError(
                _("%(file)s could not be loaded, nothing was changed: %(error)s")
                % {"file": path, "error": error}
            ) from error
        ContentType.objects.clear_cache()
    summary.bytes = path.stat().st_size
    summary.seconds = time.monotonic() - started
    return summary


def load(
    path: Path, known: dict[str, type[models.Model]], total: int, progress: Progress
) -> dict[str, int]:
    loader = Loader()
    progress = drawn_once_at_the_end(progress)
    tables: dict[str, int] = {}
    done = 0
    model: type[models.Model] | None = None
    names: list[str] = []
    batch: list[list[Any]] = []

    def flush() -> None:
        nonlocal done, batch
        if model is None or not batch:
            return
        if label(model) in MAPPED:
            loader.mapped(label(model), names, batch)
        else:
            loader.insert(model, names, batch)
        tables[label(model)] += len(batch)
        done += len(batch)
        batch = []
        if progress:
            progress(done, total)

    if progress:
        progress(0, total)
    with backup_lines(path) as lines:
        next(lines)
        for line in lines:
            try:
                item = json.loads(line)
            except ValueError as error:
                raise damaged(path, str(error)) from error
            if isinstance(item, list):
                batch.append(item)
                if len(batch) >= CHUNK_SIZE:
                    flush()
                continue
            flush()
            if item.get("end") is True:
                break
            model = known[item["model"]]
            names = item["fields"]
            tables[label(model)] = 0
    flush()
    if progress:
        progress(total, total)
    return tables
