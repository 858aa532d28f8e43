"""The import reads a file as a stream: a pass at a time over its bytes, written a batch at a
time in one transaction, so a row refused late in the file still leaves nothing written."""

import codecs

import pytest
from django_scopes import scopes_disabled

from koers.core.errors import KoersError
from koers.population import reading, services
from koers.population.models import Person
from koers.population.tests.factories import HEADER, csv_bytes, import_people, people_rows

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_scopes():
    with scopes_disabled():
        yield


def stored(client) -> list[tuple[str, str, str]]:
    return list(
        Person.objects.filter(client=client)
        .order_by("key")
        .values_list("key", "name", "department")
    )


@pytest.mark.parametrize(
    ("case", "spoil"),
    [
        ("a value too long", lambda rows: rows[-1].__setitem__(1, "x" * 300)),
        ("a key twice", lambda rows: rows[-1].__setitem__(0, rows[0][0])),
        ("a row too short", lambda rows: rows.__setitem__(len(rows) - 1, ["9999"])),
    ],
)
def test_a_row_refused_in_the_last_batch_leaves_nothing_written(
    cast, monkeypatch, case, spoil
) -> None:
    import_people(cast.client, 10)
    before = stored(cast.client)
    monkeypatch.setattr(services, "WRITE_BATCH", 3)  # the file's rows in seven batches
    rows = people_rows(20, seed=2)  # ten people there changed, ten new
    spoil(rows)
    found = services.read_people_file(csv_bytes(rows), "p.csv", client=cast.client)
    with pytest.raises(services.ImportRefused) as refused:
        services.people_import(client=cast.client, actor=None, rows=found.rows)
    assert refused.value.total == 1, case
    assert refused.value.errors[0].row == 21, case
    assert stored(cast.client) == before, case


def test_the_rows_are_read_again_for_each_pass(cast) -> None:
    data = csv_bytes(people_rows(12))
    found = services.read_people_file(data, "p.csv", client=cast.client)
    assert len(found.rows) == 12
    assert [row.key for row in found.rows] == [row.key for row in found.rows]
    assert services.people_import(client=cast.client, actor=None, rows=found.rows).created == 12
    again = services.read_people_file(data, "p.csv", client=cast.client)
    assert services.people_import(client=cast.client, actor=None, rows=again.rows).unchanged == 12


def test_spellings_are_merged_by_the_whole_file_though_written_in_batches(
    cast, monkeypatch
) -> None:
    monkeypatch.setattr(services, "WRITE_BATCH", 2)
    rows = people_rows(9)
    for n, row in enumerate(rows):
        row[3] = "it " if n == 0 else "IT"  # the first batch has the rare spelling
    found = services.read_people_file(csv_bytes(rows), "p.csv", client=cast.client)
    services.people_import(client=cast.client, actor=None, rows=found.rows)
    assert {department for _key, _name, department in stored(cast.client)} == {"IT"}
    assert [(m.value, m.variants, m.people) for m in found.merges] == [("IT", ("it",), 1)]


@pytest.mark.parametrize(
    ("codec", "bom", "encoding"),
    [("utf-8", codecs.BOM_UTF8, "UTF-8 (BOM)"), ("utf-16-le", codecs.BOM_UTF16_LE, "UTF-16")],
)
def test_a_bom_and_a_line_end_across_the_pieces_read_are_read_whole(
    monkeypatch, codec, bom, encoding
) -> None:
    # Pieces of 2 bytes cut the BOM and the two-byte characters in two when the file's
    # encoding is checked; the io module reads it 8,192 bytes at a time, and the first
    # row's CRLF is made to fall across the first two of those.
    monkeypatch.setattr(reading, "DECODE_CHUNK", 2)

    def line(cells: list[str]) -> str:
        return ",".join(cells) + "\r\n"

    rows = [
        [str(1000 + n), f"Jé Müller {n}", f"j{n}@x.nl", "Financiën", "Tiel", "Adviseur", "Laptop"]
        for n in range(400)
    ]
    width = len("x".encode(codec))
    start = bom + line(HEADER).encode(codec) + line(rows[0])[:-2].encode(codec)
    rows[0][1] += "x" * ((8192 - width - len(start)) // width)
    data = bom + "".join(map(line, [HEADER, *rows])).encode(codec)
    assert data[8192 - width : 8192 + width] == "\r\n".encode(codec)

    table = reading.read_table(data, "p.csv", limit_bytes=len(data))
    assert (table.header, table.encoding) == (HEADER, encoding)
    assert list(table.rows) == rows
    assert len(table.rows) == 400


def test_a_line_past_the_first_rows_that_cannot_be_read_is_refused_at_upload(cast) -> None:
    rows = people_rows(1500)
    rows[1400][1] = "x" * 200_000  # a cell over the csv module's limit, on line 1402
    data = csv_bytes(rows)
    for read in (
        lambda: services.import_upload(
            client=cast.client, actor=None, file_name="p.csv", data=data
        ),
        lambda: services.read_people_file(data, "p.csv", client=cast.client),
    ):
        with pytest.raises(KoersError) as refused:
            read()
        assert "Line 1402 " in str(refused.value.message)
    assert not Person.objects.exists()
