"""The system list as a workbook: exported with `core.spreadsheets` (no cell starts a formula),
imported with the people import's reader (python-calamine reads a cell's stored value, so a
formula in the file is never run).

An import checks every row first and writes nothing when one is wrong: each problem comes
back with its row, column and value. A name twice in the file is refused; a name the client
has already updates that system (so export, edit, import works), anything else is added.
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koers.core import spreadsheets
from koers.population.reading import MAX_ERRORS, CellError, RowErrors, read_table
from koers.workspaces.models import Client

from .models import Hosting, Lifecycle, System

# (field, header); the header is written in the user's language and read in English or Dutch.
COLUMNS = (
    ("name", gettext_lazy("Name")),
    ("capability", gettext_lazy("Capability")),
    ("owner", gettext_lazy("Owner")),
    ("users", gettext_lazy("Users")),
    ("hosting", gettext_lazy("Hosting")),
    ("lifecycle", gettext_lazy("Lifecycle")),
    ("debt", gettext_lazy("Technical debt")),
    ("yearly_cost", gettext_lazy("Yearly cost (EUR)")),
    ("data_held", gettext_lazy("Data it holds")),
)
REQUIRED = ("name", "capability")
MAX_ROWS = 5000
LIMIT_BYTES = 10 * 1024 * 1024


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


def headers() -> list[str]:
    return [str(label) for _field, label in COLUMNS]


def export(client: Client) -> bytes:
    rows = (
        [
            s.name,
            s.capability,
            s.owner,
            s.users,
            s.hosting,
            s.lifecycle,
            s.debt,
            s.yearly_cost,
            s.data_held,
        ]
        for s in System.objects.filter(client=client).order_by("name", "id").iterator()
    )
    return spreadsheets.table_workbook(_("Systems"), headers(), rows)


def _words(field: str) -> dict[str, str]:
    """The header words of `field` in English and Dutch, folded."""
    found = {_fold(field): field}
    for language in ("en", "nl"):
        with translation.override(language):
            found[_fold(str(dict(COLUMNS)[field]))] = field
    return found


def _choices(choices: Any) -> dict[str, str]:
    """A choice's code and its label in English and Dutch, folded, to the code."""
    found = {}
    for language in ("en", "nl"):
        with translation.override(language):
            for value, label in choices.choices:
                found[_fold(str(label))] = value
                found[_fold(value)] = value
    return found


@dataclass(frozen=True)
class Outcome:
    added: int
    updated: int


def _plain(value: str) -> str:
    """A cell as written; an apostrophe the export put before formula-like text is removed."""
    value = value.strip()
    if value.startswith("'") and value[1:].startswith(spreadsheets.FORMULA_STARTS):
        return value[1:]
    return value


def _read(client: Client, data: bytes, file_name: str) -> list[dict[str, Any]]:
    table = read_table(data, file_name, limit_bytes=LIMIT_BYTES)
    words: dict[str, str] = {}
    for field, _label in COLUMNS:
        words |= _words(field)
    at = {words[_fold(h)]: n for n, h in enumerate(table.header) if _fold(h) in words}
    errors: list[CellError] = []
    total = 0

    def error(row: int, column: str, value: str, message: str) -> None:
        nonlocal total
        total += 1
        if len(errors) < MAX_ERRORS:
            errors.append(CellError(row, column, value, message))

    label = dict(zip((f for f, _e in COLUMNS), headers(), strict=True))
    for field in REQUIRED:
        if field not in at:
            error(1, label[field], "", _("This column is missing."))
    if errors:
        raise RowErrors(errors, total)
    hosting, lifecycle = _choices(Hosting), _choices(Lifecycle)
    seen: dict[str, int] = {}
    rows = []
    for number, cells in enumerate(table.rows, start=2):
        if number - 1 > MAX_ROWS:
            error(number, "", "", _("A system list has at most %(n)s rows.") % {"n": MAX_ROWS})
            break
        value = {f: _plain(cells[n]) if n < len(cells) else "" for f, n in at.items()}
        row: dict[str, Any] = {}
        for field, limit in (
            ("name", 120),
            ("capability", 120),
            ("owner", 120),
            ("data_held", 2000),
        ):
            text = value.get(field, "")
            if field in REQUIRED and not text:
                error(number, label[field], text, _("This cell is empty."))
            elif len(text) > limit:
                error(
                    number, label[field], text[:40], _("At most %(n)s characters.") % {"n": limit}
                )
            row[field] = text
        key = _fold(row["name"])
        if key and key in seen:
            error(
                number,
                label["name"],
                row["name"],
                _("The name is in row %(row)s already.") % {"row": seen[key]},
            )
        seen.setdefault(key, number)
        choice_columns: tuple[tuple[str, dict[str, str], str], ...] = (
            ("hosting", hosting, Hosting.SAAS),
            ("lifecycle", lifecycle, Lifecycle.KEEP),
        )
        for field, choices, default in choice_columns:
            text = value.get(field, "")
            row[field] = choices.get(_fold(text), None) if text else default
            if row[field] is None:
                error(number, label[field], text, _("Not one of the choices."))
        number_columns = (("users", 0, 10_000_000, 0), ("debt", 1, 5, 1))
        for field, low, high, empty in number_columns:
            text = value.get(field, "")
            try:
                row[field] = int(text) if text else empty
            except ValueError:
                error(number, label[field], text, _("Not a whole number."))
                continue
            if not low <= row[field] <= high:
                error(
                    number,
                    label[field],
                    text,
                    _("Between %(low)s and %(high)s.") % {"low": low, "high": high},
                )
        text = value.get("yearly_cost", "").replace(",", ".")
        try:
            cost = Decimal(text) if text else None
        except InvalidOperation:
            cost = Decimal(-1)
        if cost is not None and (not cost.is_finite() or cost < 0 or cost >= 10**10):
            error(number, label["yearly_cost"], text, _("Not an amount in euros."))
        row["yearly_cost"] = (
            cost.quantize(Decimal("0.01")) if cost is not None and cost >= 0 else None
        )
        rows.append(row)
    if errors:
        raise RowErrors(errors, total)
    return rows


@transaction.atomic
def import_systems(*, client: Client, data: bytes, file_name: str) -> Outcome:
    """Add or update the client's systems from the file, or raise RowErrors (or the reader's
    ReadError) and write nothing."""
    rows = _read(client, data, file_name)
    existing = {_fold(s.name): s for s in System.objects.filter(client=client)}
    added = updated = 0
    new = []
    for row in rows:
        found = existing.get(_fold(row["name"]))
        if found is None:
            new.append(System(client=client, **row))
            added += 1
            continue
        for field, value in row.items():
            setattr(found, field, value)
        found.save()
        updated += 1
    System.objects.bulk_create(new)
    return Outcome(added, updated)
