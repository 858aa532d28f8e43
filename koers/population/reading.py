"""Read a people file from an HR system or a directory export, and check every row.

CSV (comma, semicolon or tab; UTF-8 with or without BOM, UTF-16 with BOM, Windows-1252; all
detected) and XLSX (read by python-calamine, after the zip is checked for bombs). Nothing here
touches the database: `read_table` gives the header and the rows as text, `checked_rows`
checks every row against the chosen mapping and raises `RowErrors` with row, column and
value of every problem after the last row, so an import either has clean rows or writes
nothing. The rows are read again from the file's bytes each time they are gone through,
never held all at once: a file of a million people is a pass, not a table in memory.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from itertools import islice
from operator import itemgetter
from typing import Any, cast

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from koers.core.errors import RAISE_UPLOAD_LIMIT

XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary .xls
TEXT_EXTENSIONS = {".csv", ".txt", ".tsv"}
XLSX_EXTENSIONS = {".xlsx", ".xlsm"}
DELIMITERS = (",", ";", "\t")
# Zip bomb limits, checked on the zip's directory before anything is unpacked.
XLSX_MAX_ENTRIES = 10_000
XLSX_MAX_RATIO = 100  # unpacked size against packed size, for the whole file
# The unpacked size is sized to the largest import Koers is built and measured for (DESIGN.md
# budgets): 1,000,000 rows of 10 columns, at 64 bytes a cell. A cell as openpyxl and
# spreadsheet programs write it, `<c r="J1000000" t="inlineStr"><is><t>Afdeling 12</t></is>
# </c>`, measured 60 bytes a cell with HR-like values; shared strings make cells smaller.
# That is 610 MiB, where 1 GiB was allowed before: more is far more than a people file needs,
# and reading it would take the task worker past its memory cap (KOERS_WORKER_MEMORY_MB).
XLSX_SIZED_ROWS = 1_000_000
XLSX_SIZED_COLUMNS = 10
XLSX_CELL_BYTES = 64
XLSX_MAX_UNPACKED = XLSX_SIZED_ROWS * XLSX_SIZED_COLUMNS * XLSX_CELL_BYTES
MAX_ERRORS = 200
MAX_VALUE = 200  # characters in a field of a person
MAX_ATTRIBUTE = 500
MAX_COLUMNS = 200
# The first rows, read ahead for the mapping guess, the preview and the sensitive check.
HEAD_ROWS = 1000
DECODE_CHUNK = 1024 * 1024
Progress = Callable[[int, int], None]

# Header words that name a field, Dutch and English, compared without case, spaces and signs.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "key": (
        "personeelsnummer", "personeelsnr", "medewerkernummer", "medewerkerid", "employeeid",
        "employeenumber", "employeeno", "empid", "empno", "staffid", "id", "samaccountname",
        "gebruikersnaam", "username", "userprincipalname", "upn",
    ),
    "email": ("email", "emailadres", "mail", "emailaddress", "mailadres", "werkmail"),
    "name": (
        "naam", "name", "volledigenaam", "fullname", "displayname", "weergavenaam",
        "employeename", "medewerker", "medewerkernaam",
    ),
    "department": (
        "afdeling", "department", "dept", "afdelingsnaam", "departmentname", "team",
        "organisatieonderdeel", "dienst", "eenheid",
    ),
    "location": (
        "locatie", "location", "office", "vestiging", "kantoor", "werklocatie", "site",
        "physicaldeliveryofficename", "standplaats",
    ),
    "job_title": (
        "functie", "functietitel", "functienaam", "jobtitle", "title", "position", "jobrole",
        "role", "rol",
    ),
    "manager": ("manager", "leidinggevende", "managername", "supervisor", "reportsto"),
    "device": ("apparaat", "device", "devicetype", "laptop", "computer", "werkplek", "hardware"),
    # Read from the file but not stored as such: the name is made of these parts when the
    # file has no full name, the status and date say whether someone has left.
    "first_name": ("voornaam", "roepnaam", "voornamen", "firstname", "givenname", "first"),
    "name_prefix": ("tussenvoegsel", "tussenvoegsels", "voorvoegsel", "prefix", "nameprefix"),
    "last_name": (
        "achternaam", "familienaam", "geslachtsnaam", "lastname", "surname", "familyname", "sn",
    ),
    "status": (
        "employmentstatus", "dienstverband", "statusdienstverband", "employeestatus",
        "empstatus", "status", "accountenabled", "enabled", "uitdienst", "actief", "active",
        "isactive", "accountstatus", "termd", "terminated", "attrition",
    ),
    "leaving_on": (
        "datumuitdienst", "uitdienstdatum", "datumuitdiensttreding", "uitdiensttreding",
        "einddatum", "einddatumdienstverband", "dateoftermination", "terminationdate",
        "leavingdate", "leavedate", "lastworkingday", "lastday", "enddate", "vertrekdatum",
    ),
}  # fmt: skip

# Status values, compared as `normalise` leaves them. A status column says it in words
# ("Voluntarily Terminated", "Uit dienst"); a yes/no column says it by its name: an account
# that is not enabled (Entra ID, AD) or a "terminated" or "uit dienst" that is true.
LEFT_WORDS = frozenset({
    "terminated", "voluntarilyterminated", "involuntarilyterminated", "terminatedforcause",
    "uitdienst", "inactief", "inactive", "left", "leaver", "vertrokken", "disabled",
    "uitgeschreven", "beeindigd", "ontslagen", "resigned", "retired", "gepensioneerd",
    "former", "formeremployee", "exemployee", "deleted", "verwijderd", "exited", "gestopt",
    "nietactief", "notactive", "notemployed", "geblokkeerd", "blocked",
})  # fmt: skip
PRESENT_WORDS = frozenset({
    "active", "actief", "indienst", "employed", "enabled", "current", "werkzaam",
    "leaveofabsence", "onleave", "verlof", "futurestart", "probation", "proeftijd",
    "ouderschapsverlof", "zwangerschapsverlof", "parentalleave", "sabbatical",
})  # fmt: skip
TRUE_WORDS = frozenset({"true", "1", "yes", "ja", "j", "y", "waar", "x"})
FALSE_WORDS = frozenset({"false", "0", "no", "nee", "n", "onwaar"})
ENABLED_COLUMNS = frozenset({
    "accountenabled", "enabled", "actief", "active", "isactive", "accountactive", "indienst",
})  # fmt: skip
LEFT_COLUMNS = frozenset({
    "uitdienst", "termd", "terminated", "isterminated", "left", "hasleft", "vertrokken",
    "attrition",
})  # fmt: skip
# Fields that name a group of people, where "Finance " and "finance" are one value.
MERGED_FIELDS = ("department", "location", "job_title", "device", "manager")
NAME_PARTS = ("first_name", "name_prefix", "last_name")
NOT_STORED = (*NAME_PARTS, "status", "leaving_on")


class ReadError(ValueError):
    """The file cannot be read at all; `message` says why, for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CellError:
    row: int  # as a spreadsheet numbers it: the header is row 1
    column: str
    value: str
    message: str


class RowErrors(ValueError):
    """Rows that break a rule: every one with its row, column and value."""

    def __init__(self, errors: list[CellError], total: int) -> None:
        super().__init__(f"{total} error(s)")
        self.errors = errors
        self.total = total  # beyond MAX_ERRORS only counted


class Rows:
    """The data rows of a file as lists of text, read from the file again each time they are
    gone through; `head` holds the first HEAD_ROWS of them. `len()` counts them all, with a
    pass over the file the first time."""

    def __init__(self, read: Callable[[], Iterator[list[str]]], expected: int) -> None:
        self._read = read
        self.head = list(islice(read(), HEAD_ROWS))
        self._count = len(self.head) if len(self.head) < HEAD_ROWS else None
        # About how many rows there are, for a progress bar before they are counted.
        self.expected = self._count if self._count is not None else max(expected, HEAD_ROWS)

    def __iter__(self) -> Iterator[list[str]]:
        return self._read()

    def __len__(self) -> int:
        if self._count is None:
            self._count = sum(1 for _ in self._read())
        return self._count


@dataclass
class Table:
    header: list[str]
    rows: Rows  # data rows as text; the first is row 2 of the file
    kind: str  # csv or xlsx
    encoding: str = ""
    delimiter: str = ""
    sheet: str = ""
    sheets: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class PersonRow:
    row: int
    key: str
    email: str = ""
    name: str = ""
    department: str = ""
    location: str = ""
    job_title: str = ""
    manager: str = ""
    device: str = ""
    attributes: Mapping[str, str] = field(default_factory=dict)
    has_left: bool = False
    leaving_on: date | None = None  # the last day, also one still to come


def _person_row(values: dict[str, Any]) -> PersonRow:
    """PersonRow(**values) without the frozen dataclass's setattr per field (a sixth of the
    time of reading a large file): `values` become its fields, those not given keep the
    class's defaults."""
    person = object.__new__(PersonRow)
    object.__setattr__(person, "__dict__", values)
    return person


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f}"


def read_table(data: bytes, file_name: str, *, limit_bytes: int, sheet: str | None = None) -> Table:
    """Return the header and rows of a CSV or XLSX file, or raise ReadError."""
    if len(data) > limit_bytes:
        raise ReadError(
            _("The file is %(size)s MB; Koers accepts files up to %(limit)s MB.")
            % {"size": megabytes(len(data)), "limit": megabytes(limit_bytes)}
            + " "
            + str(RAISE_UPLOAD_LIMIT)
        )
    if not data or data.isspace():  # not data.strip(), a copy of the whole file
        raise ReadError(_("The file is empty."))
    extension = "." + file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
    if extension in XLSX_EXTENSIONS:
        if not data.startswith(XLSX_MAGIC):
            raise ReadError(
                _("The file's name ends in %(extension)s, but it is not an Excel workbook.")
                % {"extension": extension}
            )
        table = _read_xlsx(data, sheet)
    elif extension in TEXT_EXTENSIONS:
        if data.startswith(XLSX_MAGIC):
            raise ReadError(
                _(
                    "The file's name ends in %(extension)s, but it is a zip or Excel file. "
                    "Save it as CSV, or upload it with its .xlsx name."
                )
                % {"extension": extension}
            )
        table = _read_csv(data)
    elif extension == ".xls" or data.startswith(OLE_MAGIC):
        raise ReadError(_("This is an old Excel file (.xls). Save it as .xlsx or CSV first."))
    else:
        raise ReadError(_("Koers reads CSV and XLSX files; this file is neither."))
    _check_header(table.header)
    if not table.rows.head:
        raise ReadError(_("The file has a header but no rows of people."))
    return table


def _encoding(data: bytes) -> tuple[str, str]:
    """Return the codec of a CSV file's bytes and its name for the user, or raise ReadError.

    The whole file is decoded to know, piece by piece, and nothing of it is kept.
    """
    if data.startswith(codecs.BOM_UTF8):
        try:
            return _decodes(data, "utf-8-sig", "UTF-8 (BOM)")
        except UnicodeDecodeError as error:
            raise ReadError(
                _(
                    "The file says it is UTF-8 (it starts with a byte order mark), but line "
                    "%(line)d is not. Save it as CSV UTF-8 again."
                )
                % {"line": data.count(b"\n", 0, error.start) + 1}
            ) from error
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return _decodes(data, "utf-16", "UTF-16")
        except UnicodeDecodeError as error:
            raise ReadError(_("The file says it is UTF-16 but is not.")) from error
    if b"\x00" in data[:8192]:
        raise ReadError(_("This is not a text file, so it cannot be a CSV file."))
    try:
        return _decodes(data, "utf-8", "UTF-8")
    except UnicodeDecodeError:
        pass
    try:
        return _decodes(data, "cp1252", "Windows-1252")
    except UnicodeDecodeError as error:
        raise ReadError(
            _(
                "Koers cannot tell the file's character encoding: it is not UTF-8 and not "
                "Windows-1252. Save it as CSV UTF-8."
            )
        ) from error


def _decodes(data: bytes, codec: str, name: str) -> tuple[str, str]:
    """Decode all of `data` as `codec` (raising UnicodeDecodeError) and refuse a NUL
    character, which no database stores in text."""
    decoder = codecs.getincrementaldecoder(codec)(errors="strict")
    view = memoryview(data)
    lines = 0
    for at in range(0, len(data), DECODE_CHUNK):
        piece, final = view[at : at + DECODE_CHUNK], at + DECODE_CHUNK >= len(data)
        try:
            text = decoder.decode(piece, final=final)
        except UnicodeDecodeError as error:
            error.start += at  # where in the file, not in the piece
            raise
        nul = text.find("\x00")
        if nul >= 0:
            raise ReadError(
                _("Line %(line)d holds a NUL character; this is not a clean text file.")
                % {"line": lines + text.count("\n", 0, nul) + 1}
            )
        lines += text.count("\n")
    return codec, name


def _sniff_delimiter(text: str) -> str:
    """Pick the delimiter that splits the first lines into the same number of fields."""
    sample = text[:65536].splitlines()[:50]
    if len(sample) > 1 and len(text) > 65536:
        sample = sample[:-1]  # the last line of a cut sample may be partial
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        try:
            widths = [len(row) for row in csv.reader(sample, delimiter=delimiter) if row]
        except csv.Error:
            continue
        if not widths or widths[0] < 2:
            continue
        consistent = sum(1 for w in widths if w == widths[0])
        score = (consistent, widths[0])
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _read_csv(data: bytes) -> Table:
    codec, encoding = _encoding(data)
    # The delimiter from the first 64K characters (at most 4 bytes each).
    delimiter = _sniff_delimiter(codecs.getincrementaldecoder(codec)().decode(data[: 4 * 65536]))
    lines = _csv_rows(data, codec, delimiter)
    first = next(lines, None)
    if first is None:
        raise ReadError(_("The file is empty."))
    header = [cell.strip() for cell in first]
    rows = Rows(
        lambda: islice(_csv_rows(data, codec, delimiter), 1, None), expected=data.count(b"\n")
    )
    return Table(header, rows, "csv", encoding=encoding, delimiter=delimiter)


def _csv_rows(data: bytes, codec: str, delimiter: str) -> Iterator[list[str]]:
    """The rows of a CSV file that are not blank, decoded and parsed as they are read.

    TextIOWrapper reads the bytes a piece at a time and, with newline="", keeps a CRLF that
    falls across two pieces one line end, as the csv module needs.
    """
    text = io.TextIOWrapper(io.BytesIO(data), encoding=codec, newline="")
    reader = csv.reader(text, delimiter=delimiter, strict=False)
    try:
        for row in reader:
            if row and (row[0].strip() or "".join(row).strip()):  # skip rows of blank cells
                yield row
    except csv.Error as error:  # a cell over the csv module's limit of 128 KB
        raise ReadError(
            _("Line %(line)d of the file cannot be read as CSV: %(error)s")
            % {"line": reader.line_num, "error": str(error)}
        ) from error


def check_zip(data: bytes) -> zipfile.ZipFile:
    """Open an XLSX as a zip, refusing zip bombs by its directory before unpacking."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise ReadError(_("The workbook is damaged: it is not a valid zip file.")) from error
    entries = archive.infolist()
    unpacked = sum(entry.file_size for entry in entries)
    if (
        len(entries) > XLSX_MAX_ENTRIES
        or unpacked > XLSX_MAX_UNPACKED
        or unpacked > XLSX_MAX_RATIO * max(len(data), 1)
    ):
        raise ReadError(
            _(
                "The workbook would unpack to %(size)s MB in %(entries)d parts, far more than "
                "a spreadsheet of people needs; Koers does not open it."
            )
            % {"size": megabytes(unpacked), "entries": len(entries)}
        )
    if "xl/workbook.xml" not in archive.namelist():
        raise ReadError(_("The file is a zip file, but not an Excel workbook."))
    return archive


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ") if value.time() != time(0) else value.date().isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


def _read_xlsx(data: bytes, sheet: str | None) -> Table:
    check_zip(data)
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as error:  # calamine raises its own error types for damaged files
        raise ReadError(_("The workbook cannot be read: %(error)s") % {"error": error}) from error
    names = list(workbook.sheet_names)
    if not names:
        raise ReadError(_("The workbook has no sheets."))
    chosen = sheet or names[0]
    if chosen not in names:
        raise ReadError(
            _("The workbook has no sheet %(sheet)s; it has %(sheets)s.")
            % {"sheet": chosen, "sheets": ", ".join(names)}
        )
    try:
        found = workbook.get_sheet_by_name(chosen)
    except Exception as error:
        raise ReadError(_("The workbook cannot be read: %(error)s") % {"error": error}) from error
    first = next(_sheet_rows(found), None)
    if first is None:
        raise ReadError(_("The sheet %(sheet)s is empty.") % {"sheet": chosen})
    header = [cell.strip() for cell in first]
    while header and not header[-1]:
        header.pop()  # empty columns right of the table
    width = len(header)

    def body() -> Iterator[list[str]]:
        for row in islice(_sheet_rows(found), 1, None):
            if len(row) == width:
                yield row
                continue
            extra = row[width:]
            # A spreadsheet pads every row to the widest one: cut empty cells, keep real ones.
            yield row[:width] + ([c for c in extra if c] and extra)

    return Table(header, Rows(body, expected=found.height), "xlsx", sheet=chosen, sheets=names)


def _sheet_rows(sheet: Any) -> Iterator[list[str]]:
    """The rows of a sheet that are not blank, as text, converted a row at a time from the
    sheet python-calamine holds."""
    try:
        for cells in sheet.iter_rows():
            row = cast("list[str]", cells)
            try:
                text = "".join(row)  # a row of text cells only, as calamine gives them
            except TypeError:  # numbers, dates or booleans in it: those become text
                row = [v if type(v) is str else _cell(v) for v in cells]
                text = "".join(row)
            if text.strip():  # skip rows of blank cells
                yield row
    except Exception as error:  # calamine's own error types, for a damaged sheet
        raise ReadError(_("The workbook cannot be read: %(error)s") % {"error": error}) from error


def _check_header(header: list[str]) -> None:
    if not header or not any(header):
        raise ReadError(_("The first row should name the columns, but it is empty."))
    if len(header) > MAX_COLUMNS:
        raise ReadError(
            _("The file has %(count)d columns; Koers reads at most %(max)d.")
            % {"count": len(header), "max": MAX_COLUMNS}
        )
    for number, name in enumerate(header, 1):
        if not name:
            raise ReadError(
                _("Column %(number)d has no name in the first row.") % {"number": number}
            )
    seen: set[str] = set()
    for name in header:
        if name.lower() in seen:
            raise ReadError(_("Two columns are called %(name)s.") % {"name": name})
        seen.add(name.lower())


def normalise(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def suggest_mapping(header: Sequence[str], rows: Sequence[Sequence[str]] = ()) -> dict[str, str]:
    """Return field -> column for the columns whose names say what they are.

    With `rows`, a status column is suggested only when Koers understands all its values
    in them (a "status" of "Full Time Employee" says nothing about leaving).
    """
    by_name = {normalise(column): column for column in header}
    mapping: dict[str, str] = {}
    used: set[str] = set()
    for person_field, words in SYNONYMS.items():
        for word in words:
            column = by_name.get(word)
            if column and column not in used:
                if person_field == "status" and not _understood(header, rows, column):
                    continue
                mapping[person_field] = column
                used.add(column)
                break
    if "name" in mapping:  # the parts of a name only make one when there is none
        for part in NAME_PARTS:
            mapping.pop(part, None)
    if "key" not in mapping and "email" in mapping:
        mapping["key"] = mapping["email"]
    return mapping


def _understood(header: Sequence[str], rows: Sequence[Sequence[str]], column: str) -> bool:
    at = list(header).index(column)
    for row in rows[:1000]:
        if at < len(row):
            try:
                status_of(row[at], column)
            except ValueError:
                if _date(row[at], "dmy") is None:
                    return False
    return True


def status_of(value: str, column: str) -> bool | None:
    """Return whether a status value says the person has left (None: it says nothing).

    Raise ValueError for a value Koers does not understand.
    """
    word = normalise(value)
    if not word:
        return None
    kind = normalise(column)
    if word in TRUE_WORDS or word in FALSE_WORDS:
        if kind in ENABLED_COLUMNS:
            return word in FALSE_WORDS
        if kind in LEFT_COLUMNS:
            return word in TRUE_WORDS
    if word in LEFT_WORDS:
        return True
    if word in PRESENT_WORDS:
        return False
    raise ValueError(value)


ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T][\d:.]*)?")
LOCAL_DATE = re.compile(r"(\d{1,2})([-/.])(\d{1,2})\2(\d{4}|\d{2})(?: [\d:.]*)?")


def date_order(values: Iterable[str]) -> str:
    """Return "mdy" when the dates of a column are written month first (9/24/2012), else
    "dmy" (24-9-2012), the Dutch and Belgian way, also when nothing tells them apart."""
    month_first = False
    for value in values:
        found = LOCAL_DATE.fullmatch(value.strip())
        if found:
            if int(found[1]) > 12:
                return "dmy"
            if int(found[3]) > 12:
                month_first = True
    return "mdy" if month_first else "dmy"


def _date(value: str, order: str) -> date | None:
    text = value.strip()
    found = ISO_DATE.fullmatch(text)
    try:
        if found:
            return date(int(found[1]), int(found[2]), int(found[3]))
        found = LOCAL_DATE.fullmatch(text)
        if found:
            first, second, year = int(found[1]), int(found[3]), int(found[4])
            if len(found[4]) == 2:
                year += 2000 if year < 70 else 1900
            day, month = (second, first) if order == "mdy" else (first, second)
            return date(year, month, day)
    except ValueError:
        return None
    return None


def _manager(value: str) -> str:
    # A directory export names the manager by distinguished name: CN=Adam Barr,OU=...
    if value[:3].upper() == "CN=":
        return re.split(r"(?<!\\),", value[3:], maxsplit=1)[0].replace("\\,", ",")
    return value


def person_rows(
    table: Table,
    *,
    mapping: Mapping[str, str],
    keep: Sequence[str] = (),
    left_before: date | None = None,
) -> list[PersonRow]:
    """Check every row and return them all as people (see `checked_rows`)."""
    return list(checked_rows(table, mapping=mapping, keep=keep, left_before=left_before))


def check_mapping(header: Sequence[str], mapping: Mapping[str, str], keep: Sequence[str]) -> None:
    """Raise ReadError when a mapped or kept column is not in the file, or nothing is the key."""
    missing_columns = [c for c in [*mapping.values(), *keep] if c not in header]
    if missing_columns:
        raise ReadError(_("The file has no column %(column)s.") % {"column": missing_columns[0]})
    if "key" not in mapping:
        raise ReadError(_("Choose the column that identifies a person (the key)."))


def column_counts(
    table: Table, columns: Iterable[str], progress: Progress | None = None
) -> tuple[int, dict[str, Counter[str]]]:
    """Go through the rows once: count them, and how often each cell is in `columns` (in the
    rows as wide as the header: the others are refused by `checked_rows`)."""
    found: dict[str, Counter[str]] = {column: Counter() for column in columns}
    at = [(itemgetter(table.header.index(column)), counts) for column, counts in found.items()]
    width = len(table.header)
    rows = iter(table.rows)
    total = 0
    while chunk := list(islice(rows, 5000)):
        total += len(chunk)
        if progress:
            progress(total, max(total, table.rows.expected))
        if at:
            chunk = [cells for cells in chunk if len(cells) == width]
            for cell, counts in at:
                counts.update(map(cell, chunk))
    if progress:
        progress(total, total)
    return total, found


def checked_rows(
    table: Table,
    *,
    mapping: Mapping[str, str],
    keep: Sequence[str] = (),
    left_before: date | None = None,
    date_orders: Mapping[str, str] | None = None,
    spelled: Mapping[str, Mapping[str, str]] | None = None,
) -> Iterator[PersonRow]:
    """Check the rows as they are read and give them as people; after the last, raise
    RowErrors listing every problem. Columns missing from the file raise ReadError at once.

    `mapping` is field -> column and must map "key"; `keep` names further columns kept as
    attributes. Values are trimmed; cells that start with = + - @ stay plain text. Without
    a name column the name is made of first name, tussenvoegsel and last name. Someone has
    left when the status column says so or the leaving date is before `left_before`.
    `date_orders` gives the order of the dates of the status and leaving columns (see
    `date_order`), else they are read for it; `spelled` the values written another way (see
    `merge_spellings`).
    """
    check_mapping(table.header, mapping, keep)
    if date_orders is None:
        at = table.header.index
        date_orders = {
            column: date_order(cells[at(column)] for cells in table.rows if at(column) < len(cells))
            for column in (mapping.get("status"), mapping.get("leaving_on"))
            if column
        }
    return _checked(table, mapping, keep, left_before, date_orders, spelled or {})


def _checked(
    table: Table,
    mapping: Mapping[str, str],
    keep: Sequence[str],
    left_before: date | None,
    date_orders: Mapping[str, str],
    spelled: Mapping[str, Mapping[str, str]],
) -> Iterator[PersonRow]:
    index = {name: i for i, name in enumerate(table.header)}
    fields = [
        (f, index[c], c, f == "manager")
        for f, c in mapping.items()
        if f != "key" and f not in NOT_STORED
    ]
    name_parts = [index[mapping[f]] for f in NAME_PARTS if f in mapping]
    status_column, leaving_column = mapping.get("status", ""), mapping.get("leaving_on", "")
    status_at, leaving_at = index.get(status_column), index.get(leaving_column)
    orders = {index[column]: order for column, order in date_orders.items()}
    respell = [(f, changes) for f, changes in spelled.items() if changes]
    key_at, key_column = index[mapping["key"]], mapping["key"]
    kept = [(c, index[c]) for c in keep if c not in mapping.values()]
    width = len(table.header)
    errors: list[CellError] = []
    total_errors = 0
    seen: dict[str, int] = {}

    def error(row: int, column: str, value: str, message: str) -> None:
        nonlocal total_errors
        total_errors += 1
        if len(errors) < MAX_ERRORS:
            errors.append(CellError(row, column, value, message))

    for row, cells in enumerate(table.rows, 2):
        if len(cells) != width:
            error(
                row,
                "",
                "",
                ngettext(
                    "This row has %(found)d field; the header has %(expected)d.",
                    "This row has %(found)d fields; the header has %(expected)d.",
                    len(cells),
                )
                % {"found": len(cells), "expected": width},
            )
            continue
        key = cells[key_at].strip()
        if not key:
            error(row, key_column, "", _("Every person needs a value here."))
            continue
        if len(key) > 150:
            error(row, key_column, key[:60], _("Longer than %(max)d characters.") % {"max": 150})
            continue
        if key in seen:
            error(
                row,
                key_column,
                key,
                _("The same key is in row %(row)d; every person needs their own.")
                % {"row": seen[key]},
            )
            continue
        seen[key] = row
        values: dict[str, Any] = {}
        for person_field, at, column, is_manager in fields:
            value = " ".join(cells[at].split())
            if is_manager:
                value = _manager(value)
            if len(value) > MAX_VALUE:
                error(
                    row,
                    column,
                    value[:60] + "…",
                    _("Longer than %(max)d characters.") % {"max": MAX_VALUE},
                )
            values[person_field] = value
        if name_parts and not values.get("name"):
            name = " ".join(" ".join(cells[at].split()) for at in name_parts if cells[at].strip())
            if len(name) > MAX_VALUE:
                error(
                    row,
                    table.header[name_parts[0]],
                    name[:60] + "…",
                    _("Longer than %(max)d characters.") % {"max": MAX_VALUE},
                )
            values["name"] = name
        if leaving_at is not None or status_at is not None:
            leaving_on = None
            if leaving_at is not None and cells[leaving_at].strip():
                leaving_on = _date(cells[leaving_at], orders[leaving_at])
                if leaving_on is None:
                    error(
                        row,
                        leaving_column,
                        cells[leaving_at].strip()[:60],
                        _("Not a date like 2025-03-14 or 14-3-2025."),
                    )
            has_left = False
            if status_at is not None:
                try:
                    has_left = bool(status_of(cells[status_at], status_column))
                except ValueError:
                    # A status column may give the leaving date itself ("Uit dienst: 1-3-2024").
                    as_date = _date(cells[status_at], orders[status_at])
                    if as_date is None:
                        error(
                            row,
                            status_column,
                            cells[status_at].strip()[:60],
                            _(
                                "Koers cannot tell whether this means the person has left. "
                                "It knows words such as Active, Terminated, Uit dienst, "
                                "Inactief, and True or False in an Enabled column."
                            ),
                        )
                    elif leaving_on is None:
                        leaving_on = as_date
            if leaving_on is not None and left_before is not None and leaving_on < left_before:
                has_left = True
            values["has_left"], values["leaving_on"] = has_left, leaving_on
        attributes = {}
        for column, at in kept:
            value = " ".join(cells[at].split())
            if len(value) > MAX_ATTRIBUTE:
                error(
                    row,
                    column,
                    value[:60] + "…",
                    _("Longer than %(max)d characters.") % {"max": MAX_ATTRIBUTE},
                )
            if value:
                attributes[column] = value
        for person_field, changes in respell:
            values[person_field] = changes.get(values[person_field], values[person_field])
        values["row"], values["key"], values["attributes"] = row, key, attributes
        yield _person_row(values)
    if total_errors:
        raise RowErrors(errors, total_errors)


@dataclass(frozen=True)
class Merge:
    field: str
    value: str  # the spelling kept
    variants: tuple[str, ...]  # the spellings written as `value`
    people: int  # how many people had one of the variants


def _fold(value: str) -> str:
    return " ".join(value.split()).casefold()


def field_values(
    mapping: Mapping[str, str], counts: Mapping[str, Mapping[str, int]]
) -> dict[str, Counter[str]]:
    """How often each value of the merged fields is in a file, as `checked_rows` writes it
    (trimmed, a manager by name), from how often each cell is in the columns (`counts`)."""
    found: dict[str, Counter[str]] = {}
    for name in MERGED_FIELDS:
        if name in mapping:
            values = found[name] = Counter()
            for cell, count in counts[mapping[name]].items():
                value = " ".join(cell.split())
                values[_manager(value) if name == "manager" else value] += count
    return found


def merge_spellings(
    counts: Mapping[str, Mapping[str, int]], known: Mapping[str, Iterable[str]] | None = None
) -> tuple[dict[str, dict[str, str]], list[Merge]]:
    """Choose one spelling of values that differ only in case or spaces; return field ->
    {value: spelling} of those written otherwise, and the merges to tell.

    `counts` is field -> how often each value is in the file (see `field_values`). The
    spelling kept is the one already stored (`known`, field -> values), else the most
    common one in the file, else the first. "Finance" and "finance" make one department.
    """
    changes: dict[str, dict[str, str]] = {}
    merges: list[Merge] = []
    for name in MERGED_FIELDS:
        values = counts.get(name, {})
        spellings: dict[str, list[str]] = {}
        for value in values:
            if value:
                spellings.setdefault(_fold(value), []).append(value)
        stored = {_fold(v): v for v in (known or {}).get(name, ()) if v}
        for folded, found in spellings.items():
            kept = stored.get(folded) or max(found, key=values.__getitem__)
            variants = tuple(v for v in found if v != kept)
            if variants:
                changes.setdefault(name, {}).update(dict.fromkeys(variants, kept))
                merges.append(Merge(name, kept, variants, sum(values[v] for v in variants)))
    return changes, merges


@dataclass(frozen=True)
class KeyCheck:
    """How the keys of a file meet the keys of the people already there."""

    column: str
    total: int  # keys in the file
    stored: int  # people already there
    matches: int  # keys of the file that are there
    loose: int  # keys that would match without leading zeros, case and spaces
    example: tuple[str, str] | None = None  # (in the file, stored) of such a key

    @property
    def is_mismatch(self) -> bool:
        """True when there are people, but not one key of the file is theirs."""
        return self.stored > 0 and self.total > 0 and self.matches == 0


def loose_key(key: str) -> str:
    """A key without case, spaces and leading zeros: "00001" and "1" meet."""
    return "".join(key.split()).lower().lstrip("0") or "0"


def key_overlap(
    column: str, keys: Callable[[], Iterable[str]], stored: Collection[str]
) -> KeyCheck:
    """Compare the keys of a file with the keys stored, before anything is written. `keys`
    gives the file's keys, once more when not one matches."""
    stored_set = stored if isinstance(stored, set | frozenset) else set(stored)
    total = matches = 0
    for key in keys():
        total += 1
        if key in stored_set:
            matches += 1
    loose = 0
    example = None
    if not matches and stored_set:
        by_loose = {loose_key(s): s for s in stored_set}
        for key in keys():
            found = by_loose.get(loose_key(key))
            if found is not None:
                loose += 1
                example = example or (key, found)
    return KeyCheck(column, total, len(stored_set), matches, loose, example)


RECORD_FIELDS = ("email", "name", "department", "location", "job_title", "manager", "device")
MAX_ATTRIBUTES = 50


def record_rows(records: Sequence[Mapping[str, Any]], *, left_before: date) -> list[PersonRow]:
    """Check people sent as records (the API) by the rules of a file; raise RowErrors.

    A record has "key", the fields of RECORD_FIELDS, "attributes" (name -> text) and "left":
    the leaving date, the last day. Someone whose leaving date is before `left_before` has
    left. Row n is the n-th record, counted from 1.
    """
    errors: list[CellError] = []
    seen: dict[str, int] = {}
    result: list[PersonRow] = []
    for row, record in enumerate(records, 1):
        before = len(errors)
        key = str(record.get("key") or "").strip()
        if not key:
            errors.append(CellError(row, "key", "", _("Every person needs a value here.")))
        elif len(key) > 150:
            errors.append(
                CellError(row, "key", key[:60], _("Longer than %(max)d characters.") % {"max": 150})
            )
        elif key in seen:
            errors.append(
                CellError(
                    row,
                    "key",
                    key,
                    _("The same key is in row %(row)d; every person needs their own.")
                    % {"row": seen[key]},
                )
            )
        seen.setdefault(key, row)
        values: dict[str, Any] = {}
        for name in RECORD_FIELDS:
            value = " ".join(str(record.get(name) or "").split())
            if name == "manager":
                value = _manager(value)
            if len(value) > MAX_VALUE:
                errors.append(
                    CellError(
                        row,
                        name,
                        value[:60] + "…",
                        _("Longer than %(max)d characters.") % {"max": MAX_VALUE},
                    )
                )
            values[name] = value
        attributes: dict[str, str] = {}
        given = record.get("attributes") or {}
        if len(given) > MAX_ATTRIBUTES:
            errors.append(
                CellError(
                    row,
                    "attributes",
                    "",
                    _("At most %(max)d attributes per person.") % {"max": MAX_ATTRIBUTES},
                )
            )
        for name, text in given.items():
            value = " ".join(str(text).split())
            if len(name) > MAX_VALUE or len(value) > MAX_ATTRIBUTE:
                errors.append(
                    CellError(
                        row,
                        f"attributes.{name[:60]}",
                        value[:60],
                        _("Longer than %(max)d characters.") % {"max": MAX_ATTRIBUTE},
                    )
                )
            elif value:
                attributes[name] = value
        leaving_on = record.get("left")
        if len(errors) == before:
            result.append(
                PersonRow(
                    row=row,
                    key=key,
                    attributes=attributes,
                    has_left=leaving_on is not None and leaving_on < left_before,
                    leaving_on=leaving_on,
                    **values,
                )
            )
    if errors:
        raise RowErrors(errors[:MAX_ERRORS], len(errors))
    return result
