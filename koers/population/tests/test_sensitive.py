"""Sensitive-looking columns of a people file, by header and by content (no database)."""

import subprocess
import sys
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from koers.population.sensitive import (
    is_belgian_national_number,
    is_bsn,
    is_guid,
    is_iban,
    is_sid,
    kind_by_header,
    sensitive_columns,
)

TODAY = date(2026, 12, 7)


def bsn_from(eight: str) -> str | None:
    """Complete eight digits to a BSN that passes the eleven test, if a digit can."""
    total = sum(int(d) * w for d, w in zip(eight, range(9, 1, -1), strict=True))
    last = total % 11
    return None if last > 9 else eight + str(last)


def iban_from(bank: str, account: str) -> str:
    """A Dutch IBAN with the right check digits."""
    moved = f"{bank}{account}NL00"
    check = 98 - int("".join(str(int(c, 36)) for c in moved)) % 97
    return f"NL{check:02d}{bank}{account}"


@pytest.mark.parametrize(
    ("header", "kind"),
    [
        ("Geboortedatum", "birth_date"),
        ("DOB", "birth_date"),
        ("date_of_birth", "birth_date"),
        ("Age", "birth_date"),
        ("BSN", "national_number"),
        ("Rijksregisternummer", "national_number"),
        ("Nationaliteit", "nationality"),
        ("CitizenDesc", "nationality"),
        ("RaceDesc", "ethnicity"),
        ("Etniciteit", "ethnicity"),
        ("Religie", "religion"),
        ("Ziekteverzuim", "health"),
        ("Salaris", "salary"),
        ("MonthlyIncome", "salary"),
        ("IBAN", "iban"),
        ("Bankrekeningnummer", "iban"),
        ("objectSid", "sid"),
        ("ObjectGUID", "guid"),
    ],
)
def test_sensitive_headers_are_named_in_dutch_and_english(header: str, kind: str) -> None:
    assert kind_by_header(header) == kind


@pytest.mark.parametrize(
    "header",
    ["Personeelsnummer", "Naam", "Manager", "Afdeling", "Department", "DistinguishedName",
     "Title", "Enabled", "Usage", "Residence", "EmploymentStatus", "DateofTermination"],
)  # fmt: skip
def test_ordinary_headers_are_not_taken_for_sensitive(header: str) -> None:
    assert kind_by_header(header) is None


def test_content_gives_away_what_a_vague_header_hides() -> None:
    header = ["Id", "Nummer", "Rekening", "Account", "Object", "Datum", "In dienst", "Team"]
    rows = [
        [
            str(n),
            bsn_from(f"{10_000_000 + n * 7919:08d}") or "111222333",
            iban_from("ABNA", f"{417164300 + n:010d}"),
            f"S-1-5-21-331390976-2650875657-2422772959-{1700 + n}",
            "b7de08a6-8417-491b-be62-85945a538f46",
            f"{1960 + n}-03-14",
            f"20{10 + n % 10}-03-14",
            "Finance",
        ]
        for n in range(30)
    ]
    found = {f.column: (f.kind, f.by_content) for f in sensitive_columns(header, rows, today=TODAY)}
    assert found == {
        "Nummer": ("national_number", True),
        "Rekening": ("iban", True),
        "Account": ("sid", True),
        "Object": ("guid", True),
        "Datum": ("birth_date", True),
    }


def test_the_check_digits_are_checked() -> None:
    assert is_bsn("111222333") and is_bsn("123456782")
    assert not is_bsn("123456789") and not is_bsn("000000000")
    assert is_iban("NL91ABNA0417164300") and is_iban("NL91 ABNA 0417 1643 00")
    assert not is_iban("NL91ABNA0417164301")
    assert is_belgian_national_number("85.07.30-033.28")
    assert not is_belgian_national_number("85.07.30-033.29")
    assert is_sid("S-1-5-21-331390976-2650875657-2422772959-1705")
    assert is_guid("{B7DE08A6-8417-491B-BE62-85945A538F46}") and is_guid("pgjet3XuSUK+Yi5lml98Rg==")
    assert not is_guid("b7de08a6-8417-491b")


@given(st.text(alphabet="0123456789", min_size=8, max_size=8))
def test_every_bsn_that_passes_the_eleven_test_is_found(eight: str) -> None:
    bsn = bsn_from(eight)
    if bsn is None or int(bsn) == 0:
        return
    assert is_bsn(bsn)
    wrong = bsn[:8] + str((int(bsn[8]) + 1) % 10)
    assert not is_bsn(wrong)
    found = sensitive_columns(["Nummer"], [[bsn]] * 5, today=TODAY)
    assert [(f.kind, f.by_content) for f in found] == [("national_number", True)]


@given(
    st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=4, max_size=4),
    st.integers(0, 10**10 - 1),
)
def test_every_iban_with_right_check_digits_is_found(bank: str, account: int) -> None:
    iban = iban_from(bank, f"{account:010d}")
    assert is_iban(iban)
    assert sensitive_columns(["Rekening"], [[iban]], today=TODAY)[0].kind == "iban"


@given(
    st.lists(st.text(max_size=30), min_size=1, max_size=8),
    st.lists(st.lists(st.text(max_size=40), max_size=10), max_size=20),
)
def test_any_table_is_looked_at_without_error_and_only_its_columns_named(
    header: list[str], rows: list[list[str]]
) -> None:
    found = sensitive_columns(header, rows, today=TODAY)
    assert {f.column for f in found} <= set(header)
    assert sensitive_columns(header, rows, today=TODAY) == found


@given(
    st.text(alphabet="0123456789 -_", max_size=10), st.text(alphabet="0123456789 -_", max_size=10)
)
def test_a_sensitive_word_inside_a_longer_header_is_still_found(before: str, after: str) -> None:
    assert kind_by_header(f"{before}Geboortedatum{after}") == "birth_date"
    assert kind_by_header(f"{before} IBAN {after}") == "iban"


def test_the_module_imports_no_django() -> None:
    code = (
        "import sys; import koers.population.sensitive; "
        "bad = [m for m in sys.modules if m.split('.')[0] == 'django']; assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
