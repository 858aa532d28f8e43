"""Insert many rows of one model as one prepared statement run for every row (executemany),
or as one COPY on PostgreSQL.

`bulk_create` prepares every value of every instance through its field and, on SQLite, cuts
the rows into statements of 999 parameters; for 100,000 wave members that is seconds. Here
each column's values are prepared by its field only when the field needs it (foreign keys,
integers and text go as they are), and the database driver runs one statement for all rows.
"""

from collections.abc import Collection, Iterable, Iterator, Sequence
from typing import Any

from django.db import connection, models

# Field types whose Python values the drivers take as they are.
_PLAIN = (
    models.ForeignKey,
    models.IntegerField,
    models.CharField,
    models.TextField,
    models.BooleanField,
)


def insert_rows(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    prepared: Collection[str] = (),
) -> None:
    """Insert `rows` (values in the order of `fields`, by field name) into `model`'s table.

    No signals, no defaults filled in: `fields` must name every column without a database
    default. Values of the fields in `prepared` are already as the database takes them (see
    `prepare`). Run it inside the caller's transaction.
    """
    found = [model._meta.get_field(name) for name in fields]
    concrete = [f for f in found if isinstance(f, models.Field) and f.concrete]
    if len(concrete) != len(found):
        raise ValueError(f"not a column of {model.__name__}: {', '.join(fields)}")
    # Only the columns that need it are prepared, by position: a row of 17 values with two
    # dates is not gone through value by value.
    prepare = [
        (at, _prepared(field))
        for at, field in enumerate(concrete)
        if not isinstance(field, _PLAIN) and field.name not in prepared
    ]
    if prepare:
        rows = _with_prepared(rows, prepare, len(concrete))
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(str(field.column)) for field in concrete)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY: 95,000 wave members in a fifth of executemany's time. Past Django's
            # cursor, so its errors are made Django's (IntegrityError) by hand.
            with (
                connection.wrap_database_errors,
                cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
            ):
                for row in rows:
                    copy.write_row(row)
            return
        sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 (the model's own names)
            table, columns, ", ".join(["%s"] * len(concrete))
        )
        # Any iterable will do for the driver: no list of 100,000 rows.
        cursor.executemany(sql, rows)  # type: ignore[arg-type]


def _with_prepared(
    rows: Iterable[Sequence[Any]], prepare: list[tuple[int, Any]], width: int
) -> Iterator[list[Any]]:
    for row in rows:
        if len(row) != width:
            raise ValueError(f"a row of {len(row)} values for {width} columns")
        values = list(row)
        for at, how in prepare:
            values[at] = how(values[at])
        yield values


def _prepared(field: models.Field[Any, Any]) -> Any:
    """Return the field's preparation of a value, done once per distinct value (days repeat)."""
    done: dict[Any, Any] = {}

    def prepare(value: Any) -> Any:
        try:
            return done[value]
        except KeyError:
            done[value] = field.get_db_prep_save(value, connection)
            return done[value]
        except TypeError:  # not hashable: a dict for a JSON field
            return field.get_db_prep_save(value, connection)

    return prepare


def prepare(model: type[models.Model], field: str, value: Any) -> Any:
    """Return `value` of `model`'s `field` as the database takes it (a day as text on SQLite)."""
    return model._meta.get_field(field).get_db_prep_save(value, connection)  # type: ignore[union-attr]
