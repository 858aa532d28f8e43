"""The import-people command: --json, --dry-run, --key and its errors."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django_scopes import scopes_disabled

from koers.population.models import Person
from koers.population.tests.factories import csv_bytes, people_rows

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_people_prints_one_json_document_and_again_changes_nothing(
    cast, tmp_path: Path
) -> None:
    path = tmp_path / "hr.csv"
    path.write_bytes(csv_bytes(people_rows(25), delimiter="\t", encoding="cp1252"))
    out, _err = run("import_people", "acme/bakkerij", str(path), "--json")
    document = json.loads(out)
    assert (document["created"], document["rows"]) == (25, 25)
    assert document["mapping"]["key"] == "Personeelsnummer"
    out, _err = run("import_people", "acme/bakkerij", str(path), "--json")
    assert (json.loads(out)["created"], json.loads(out)["unchanged"]) == (0, 25)


def test_import_people_dry_run_and_key_option(cast, tmp_path: Path) -> None:
    path = tmp_path / "hr.csv"
    path.write_bytes(csv_bytes(people_rows(5)))
    out, _err = run("import_people", "acme/bakkerij", str(path), "--key", "E-mail", "--dry-run")
    assert "5 people would be added" in out
    with scopes_disabled():
        assert not Person.objects.exists()


def test_import_people_lists_every_error_and_exits_1(cast, tmp_path: Path) -> None:
    rows = people_rows(4)
    rows[1][0] = ""
    path = tmp_path / "hr.csv"
    path.write_bytes(csv_bytes(rows))
    err = StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("import_people", "acme/bakkerij", str(path), stdout=StringIO(), stderr=err)
    assert exit_.value.code == 1
    assert "row 3, column Personeelsnummer: Every person needs a value here." in err.getvalue()
    with scopes_disabled():
        assert not Person.objects.exists()


def test_import_people_names_a_missing_client_or_an_unreadable_file(cast, tmp_path: Path) -> None:
    path = tmp_path / "hr.csv"
    path.write_bytes(b"")
    with pytest.raises(CommandError, match="no client 'nope'"):
        run("import_people", "acme/nope", str(path))
    with pytest.raises(CommandError, match="The file is empty"):
        run("import_people", "acme/bakkerij", str(path))


def test_import_people_over_the_upload_limit_says_how_to_raise_it(
    cast, tmp_path: Path, settings
) -> None:
    settings.UPLOAD_LIMIT_MB = 1
    path = tmp_path / "hr.csv"
    path.write_bytes(b"Personeelsnummer,Naam\r\n" + b"1,A\r\n" * 400_000)
    with pytest.raises(CommandError, match="is 2 MB; Koers accepts files up to 1 MB") as refused:
        run("import_people", "acme/bakkerij", str(path))
    assert "KOERS_UPLOAD_LIMIT_MB=2 koers import-people" in str(refused.value)
    with scopes_disabled():
        assert not Person.objects.exists()
