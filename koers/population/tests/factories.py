"""People files made by the tests (never real HR exports), and people imported through the
services as a user would: for the tests of every app that needs a client's people."""

import csv
import io
import random
from collections.abc import Sequence
from typing import Any

from django_scopes import scopes_disabled

from koers.population import services
from koers.population.reading import PersonRow
from koers.workspaces.models import Client

HEADER = ["Personeelsnummer", "Naam", "E-mail", "Afdeling", "Locatie", "Functie", "Apparaat"]
DEPARTMENTS = {"Buitendienst": 18, "Installatie": 12, "Financiën": 5, "HR": 3, "IT": 2}


def people_rows(count: int, seed: int = 1) -> list[list[str]]:
    """Rows of a made-up organisation, with the header's columns."""
    rng = random.Random(seed)
    names, weights = list(DEPARTMENTS), list(DEPARTMENTS.values())
    rows = []
    for n in range(count):
        department = rng.choices(names, weights)[0]
        rows.append(
            [
                f"{1000 + n}",
                f"Medewerker {n}",
                f"m{n}@example.com",
                department,
                rng.choice(["Nijmegen", "Arnhem", "Tiel"]),
                rng.choice(["Monteur", "Adviseur", "Teamleider"]),
                rng.choice(["Laptop", "Tablet"]),
            ]
        )
    return rows


def csv_bytes(
    rows: Sequence[Sequence[str]],
    header: Sequence[str] = HEADER,
    *,
    delimiter: str = ",",
    encoding: str = "utf-8",
) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return text.getvalue().encode(encoding)


def import_people(client: Client, count: int = 40, seed: int = 1) -> services.ImportResult:
    with scopes_disabled():
        rows, _mapping, _kept = services.read_people(csv_bytes(people_rows(count, seed)), "p.csv")
        return services.people_import(client=client, actor=None, rows=rows)


def person_row(key: str, **fields: Any) -> PersonRow:
    return PersonRow(row=2, key=key, **fields)
