"""Columns of a people file that look sensitive, by their header or by what they hold.

An HR or directory export carries much more than a rollout needs: birth dates, national
numbers, salaries, bank accounts, security identifiers. The import keeps only what the user
ticks; this module names the columns to warn about, so nobody ticks one without knowing.
Pure: plain strings in, findings out; the words shown to the user live in the services.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Final

# What a column can be, in the order the warnings list them.
KINDS: Final = (
    "birth_date",
    "national_number",
    "nationality",
    "ethnicity",
    "religion",
    "health",
    "gender",
    "marital_status",
    "salary",
    "iban",
    "sid",
    "guid",
)

# Header words per kind, Dutch and English. Words of five letters or more are found inside a
# header ("MonthlyIncome", "Geboortedatum"); shorter ones only as a word of it ("DOB",
# "RaceDesc"), so "Manager" is not an age and "Residence" not a SID.
HEADER_WORDS: Final[dict[str, tuple[str, ...]]] = {
    "birth_date": (
        "geboortedatum", "geboortedag", "geboren", "birthdate", "dateofbirth", "birthday",
        "leeftijd", "dob", "age", "gebdat",
    ),
    "national_number": (
        "bsn", "burgerservicenummer", "sofinummer", "sofi", "rijksregisternummer",
        "rijksregister", "rrn", "insz", "nationalnumber", "nationalid", "ssn",
        "socialsecurity", "passport", "paspoort", "identiteitskaart", "idcard",
    ),
    "nationality": (
        "nationaliteit", "nationality", "citizenship", "citizen", "staatsburgerschap",
        "geboorteland", "countryofbirth", "birthcountry",
    ),
    "ethnicity": (
        "etniciteit", "ethnicity", "ethnic", "etnisch", "race", "afkomst", "herkomst",
        "hispanic", "latino", "migratieachtergrond",
    ),
    "religion": ("religie", "religion", "geloof", "godsdienst", "faith", "levensbeschouwing"),
    "health": (
        "gezondheid", "health", "ziekte", "sickness", "ziekteverzuim", "verzuim", "medical",
        "medisch", "disability", "handicap", "beperking", "arbeidsongeschikt", "absences",
    ),
    "gender": ("geslacht", "gender", "sex"),
    "marital_status": (
        "burgerlijkestaat", "maritalstatus", "marital", "married", "gehuwd", "getrouwd",
    ),
    "salary": (
        "salaris", "salary", "loon", "brutoloon", "nettoloon", "uurloon", "maandloon",
        "income", "inkomen", "wage", "pay", "payrate", "hourlyrate", "dailyrate",
        "monthlyrate", "bonus", "compensation", "beloning", "schaal", "stockoption",
    ),
    "iban": ("iban", "bankrekening", "rekeningnummer", "bankaccount", "accountnumber", "bic"),
    "sid": ("sid", "objectsid", "securityidentifier", "sidhistory"),
    "guid": ("guid", "objectguid", "uuid", "objectid", "immutableid", "consistencyguid"),
}  # fmt: skip
SHORT: Final = 5
# Headers of dates that are not birth dates, so their content is not taken for one.
OTHER_DATES: Final = (
    "dienst", "hire", "start", "begin", "einde", "eind", "end", "termination", "leaving",
    "vertrek", "review", "created", "modified", "changed", "logon", "login", "expir",
    "password", "contract", "timestamp", "updated",
)  # fmt: skip

SID = re.compile(r"S-1-\d{1,2}(-\d{1,10}){2,14}", re.IGNORECASE)
GUID = re.compile(
    r"\{?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}?", re.IGNORECASE
)
# An ObjectGUID exported as base64: 16 bytes, 22 characters and "==".
GUID_BASE64 = re.compile(r"[A-Za-z0-9+/]{22}==")
IBAN = re.compile(r"[A-Z]{2}\d{2}[A-Z0-9]{11,30}")
DATE = re.compile(
    r"(?P<y1>\d{4})-(?P<m1>\d{1,2})-(?P<d1>\d{1,2})(?:[ T].*)?"
    r"|(?P<a>\d{1,2})[-/.](?P<b>\d{1,2})[-/.](?P<y2>\d{4})"
)
SAMPLE: Final = 500  # values per column looked at
SHARE: Final = 0.8  # of the non-empty values sampled that must match


@dataclass(frozen=True)
class Finding:
    column: str
    kind: str  # one of KINDS
    by_content: bool  # found by what the column holds, not by its header


def _plain(text: str) -> str:
    """Lower case without accents: "Nationalité" -> "nationalite"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def header_words(header: str) -> list[str]:
    """Split a header into lower-case words: "ObjectGUID" -> ["object", "guid"]."""
    parts = re.findall(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+", header)
    return [_plain(p) for p in parts]


def kind_by_header(header: str) -> str | None:
    """Return the kind of sensitive data a header names, or None."""
    squashed = re.sub(r"[^a-z0-9]", "", _plain(header))
    words = set(header_words(header)) | set(re.findall(r"[a-z0-9]+", _plain(header)))
    for kind in KINDS:
        for word in HEADER_WORDS[kind]:
            if (len(word) >= SHORT and word in squashed) or word in words:
                return kind
    return None


def is_bsn(value: str) -> bool:
    """A Dutch citizen service number: 8 or 9 digits that pass the eleven test."""
    digits = value.strip().replace(".", "").replace(" ", "")
    if not digits.isascii() or not digits.isdigit() or len(digits) not in (8, 9):
        return False
    digits = digits.zfill(9)
    if int(digits) == 0:
        return False
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True))
    return (total - int(digits[8])) % 11 == 0


def is_belgian_national_number(value: str) -> bool:
    """A Belgian national number (rijksregisternummer): YYMMDD, a serial, a check of 97."""
    digits = re.sub(r"[\s.\-]", "", value.strip())
    if not digits.isascii() or not digits.isdigit() or len(digits) != 11:
        return False
    month = int(digits[2:4])
    if month % 20 > 12 or month > 52:
        return False  # 20 or 40 is added to the month of a number given without a known birth
    base, check = int(digits[:9]), int(digits[9:])
    return 97 - base % 97 == check or 97 - (2_000_000_000 + base) % 97 == check


def is_iban(value: str) -> bool:
    """An international bank account number whose check digits are right."""
    text = value.replace(" ", "").upper()
    if not IBAN.fullmatch(text):
        return False
    moved = text[4:] + text[:4]
    return int("".join(str(int(c, 36)) for c in moved)) % 97 == 1


def is_sid(value: str) -> bool:
    return bool(SID.fullmatch(value.strip()))


def is_guid(value: str) -> bool:
    text = value.strip()
    return bool(GUID.fullmatch(text) or GUID_BASE64.fullmatch(text))


def birth_year(value: str) -> int | None:
    """Return the year of a value written as a date (ISO, d-m-y or m/d/y), or None."""
    found = DATE.fullmatch(value.strip())
    if not found:
        return None
    if found["y1"]:
        year, month, day = int(found["y1"]), int(found["m1"]), int(found["d1"])
    else:
        year, first, second = int(found["y2"]), int(found["a"]), int(found["b"])
        month, day = (first, second) if first <= 12 else (second, first)
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return year


def _looks_like_birth_dates(values: Sequence[str], today: date) -> bool:
    years = [birth_year(v) for v in values]
    # People at work are born 16 to 100 years ago; hire dates spread up to this year.
    adult = [y for y in years if y is not None and today.year - 100 <= y <= today.year - 16]
    return len(adult) >= SHARE * len(values)


CONTENT_CHECKS: Final = (
    ("sid", is_sid),
    ("guid", is_guid),
    ("iban", is_iban),
    ("national_number", is_belgian_national_number),
    ("national_number", is_bsn),
)


def kind_by_content(header: str, values: Sequence[str], *, today: date) -> str | None:
    """Return the kind of sensitive data most of `values` are, or None."""
    filled = [v for v in values if v.strip()][:SAMPLE]
    if not filled:
        return None
    for kind, check in CONTENT_CHECKS:
        if sum(1 for v in filled if check(v)) >= SHARE * len(filled):
            return kind
    squashed = re.sub(r"[^a-z0-9]", "", _plain(header))
    if not any(word in squashed for word in OTHER_DATES) and _looks_like_birth_dates(filled, today):
        return "birth_date"
    return None


def sensitive_columns(
    header: Sequence[str], rows: Sequence[Sequence[str]], *, today: date
) -> list[Finding]:
    """Return the columns that look sensitive, by header first and else by content."""
    findings = []
    for at, column in enumerate(header):
        kind = kind_by_header(column)
        if kind is not None:
            findings.append(Finding(column, kind, by_content=False))
            continue
        values = [row[at] for row in rows[:SAMPLE] if at < len(row)]
        kind = kind_by_content(column, values, today=today)
        if kind is not None:
            findings.append(Finding(column, kind, by_content=True))
    return findings
