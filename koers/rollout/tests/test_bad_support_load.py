"""Bad support-load files, catalogued: each is refused naming row, column and value (or says
what is missing), and nothing is recorded; the ugly files that are fine are read right."""

import codecs
import io
import zipfile
from datetime import date

import pytest
from django_scopes import scopes_disabled

from koers.core.errors import KoersError
from koers.population.tests.factories import import_people
from koers.rollout import selection, steering
from koers.rollout.models import SupportLoad

HEADER = "wave,day,tickets\r\n"


@pytest.fixture
def project(cast):
    """The cast's project with planned waves (the pilot is wave 0), and one day recorded."""
    import_people(cast.client, 40)
    with scopes_disabled():
        selection.pilot_select(project=cast.project, actor=cast.owner, size=6)
        waves = steering.waves_plan(project=cast.project, actor=cast.owner)
        steering.support_record(wave=waves[0], actor=cast.owner, day=date(2030, 3, 1), tickets=4)
    return cast.project


def _xlsx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return out.getvalue()


def _days(count: int) -> bytes:
    return "".join(
        f"0,{date.fromordinal(date(2030, 1, 1).toordinal() + n).isoformat()},1\r\n"
        for n in range(count)
    ).encode()


# (case, file, what the message must say: row, column and value, or the missing part)
REFUSED = [
    ("empty file", b"", ["no rows of support load"]),
    ("only spaces and line ends", b"  \r\n\n\r ", ["no rows of support load"]),
    ("header only", HEADER.encode(), ["no rows of support load"]),
    ("header only, with BOM", codecs.BOM_UTF8 + HEADER.encode(), ["no rows of support load"]),
    ("a column missing", b"wave,tickets\r\n0,3\r\n", ["day is missing"]),
    ("an XLSX named .csv", _xlsx(), ["not a text file"]),
    ("a PNG named .csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", ["not a text file"]),
    ("a PDF", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", ["wave is missing"]),
    ("unknown wave", HEADER.encode() + b"7,2030-03-04,3\r\n", ["row 2, column wave: 7"]),
    ("wave as a word", HEADER.encode() + b"pilot,2030-03-04,3\r\n", ["row 2, column wave: pilot"]),
    ("negative tickets", HEADER.encode() + b"0,2030-03-04,-3\r\n", ["row 2, column tickets: -3"]),
    ("tickets 1.000 (Dutch)", b"wave;day;tickets\r\n0;2030-03-04;1.000\r\n", ["tickets: 1.000"]),
    ("tickets 1,000 (English)", HEADER.encode() + b'0,2030-03-04,"1,000"\r\n', ["tickets: 1,000"]),
    ("tickets 2,5 (Dutch)", b"wave;day;tickets\r\n0;2030-03-04;2,5\r\n", ["tickets: 2,5"]),
    ("tickets 2.5 (English)", HEADER.encode() + b"0,2030-03-04,2.5\r\n", ["tickets: 2.5"]),
    ("tickets 1_000", HEADER.encode() + b"0,2030-03-04,1_000\r\n", ["tickets: 1_000"]),
    ("tickets in Arabic digits", HEADER.encode() + "0,2030-03-04,٣\r\n".encode(), ["tickets: ٣"]),
    ("tickets over a million", HEADER.encode() + b"0,2030-03-04,1000001\r\n", ["tickets: 1000001"]),
    (
        "tickets past any integer column",
        HEADER.encode() + b"0,2030-03-04,99999999999999999999999\r\n",
        ["row 2, column tickets: 99999999999999999999999"],
    ),
    ("a formula", HEADER.encode() + b"0,2030-03-04,=1+2\r\n", ["row 2, column tickets: =1+2"]),
    ("a formula in wave", HEADER.encode() + b"=HYPERLINK(1),2030-03-04,1\r\n", ["=HYPERLINK(1)"]),
    ("date 04-03-2030 (Dutch)", HEADER.encode() + b"0,04-03-2030,3\r\n", ["day: 04-03-2030"]),
    ("date 03/04/2030 (US)", HEADER.encode() + b"0,03/04/2030,3\r\n", ["day: 03/04/2030"]),
    ("date 4 maart 2030", HEADER.encode() + b"0,4 maart 2030,3\r\n", ["day: 4 maart 2030"]),
    ("date 2030-02-30", HEADER.encode() + b"0,2030-02-30,3\r\n", ["day: 2030-02-30"]),
    ("no date", HEADER.encode() + b"0,,3\r\n", ["row 2, column day: "]),
    ("a short row", HEADER.encode() + b"0,2030-03-04\r\n", ["row 2: 2 fields, the header has 3"]),
    (
        "a row of 10,000 columns",
        HEADER.encode() + b"0,2030-03-04,3" + b",x" * 9997 + b"\r\n",
        ["row 2: 10000 fields, the header has 3"],
    ),
    (
        "a 1 MB cell",
        HEADER.encode() + b'0,2030-03-04,"' + b"9" * 1024 * 1024 + b'"\r\n',
        ["Line 2 of the file cannot be read as CSV", "field larger than field limit"],
    ),
    (
        "a 100 KB cell, shown cut short",
        HEADER.encode() + b"0,2030-03-04," + b"9" * 100_000 + b"\r\n",
        ["row 2, column tickets: " + "9" * 60 + "…"],
    ),
    ("NUL bytes", HEADER.encode() + b"0,2030-03-04,3\x00\r\n", ["not a text file"]),
    (
        "a NUL byte past the first 8 KB",
        HEADER.encode() + _days(600) + b"0,2032-03-05,3\x00\r\n",
        ["row 602, column tickets: 3\ufffd"],
    ),
    (
        "the same wave and day twice",
        HEADER.encode() + b"0,2030-03-04,3\r\n0,2030-03-04,5\r\n",
        ["row 3 repeats wave 0 on 2030-03-04 of row 2"],
    ),
    (
        "mixed line ends, one bad row",
        HEADER.encode() + b"0,2030-03-04,3\n0,2030-03-05,x\r0,2030-03-06,1\r\n",
        ["row 3, column tickets: x"],
    ),
    (
        "every bad row listed, the good ones not written",
        HEADER.encode() + b"0,2030-03-04,3\r\n9,2030-03-05,1\r\n0,gisteren,1\r\n",
        ["row 3, column wave: 9", "row 4, column day: gisteren"],
    ),
    (
        "Windows-1252, Dutch header, bad date",
        "golf;datum;tickets\r\n0;14 maart;3\r\n".encode("cp1252"),
        ["row 2, column datum: 14 maart"],
    ),
]


@pytest.mark.parametrize(("case", "data", "says"), REFUSED, ids=[c[0] for c in REFUSED])
def test_a_bad_support_load_file_is_refused_saying_where_and_writes_nothing(
    project, case: str, data: bytes, says: list[str]
) -> None:
    with scopes_disabled():
        before = list(SupportLoad.objects.values_list("wave_id", "day", "tickets"))
        with pytest.raises(KoersError) as refused:
            steering.support_import(project=project, actor=None, data=data)
        assert list(SupportLoad.objects.values_list("wave_id", "day", "tickets")) == before
    message = str(refused.value.message)
    assert refused.value.field == "file"
    for part in says:
        assert part in message, (case, message[:500])
    assert len(message) < 2000, "a message names cells, it does not repeat the file"


# (case, file, (wave, day, tickets) recorded)
ACCEPTED = [
    ("semicolons", b"wave;day;tickets\r\n0;2030-03-04;3\r\n", [(0, date(2030, 3, 4), 3)]),
    (
        "UTF-8 BOM",
        codecs.BOM_UTF8 + b"wave,day,tickets\n1,2030-03-04,0\n",
        [(1, date(2030, 3, 4), 0)],
    ),
    (
        "Dutch header",
        "Golf;Dag;Tickets\r\n0;2030-03-04;3\r\n".encode("cp1252"),
        [(0, date(2030, 3, 4), 3)],
    ),
    ("ISO basic date", HEADER.encode() + b"0,20300304,3\r\n", [(0, date(2030, 3, 4), 3)]),
    ("spaces around", HEADER.encode() + b" 0 , 2030-03-04 , 3 \r\n", [(0, date(2030, 3, 4), 3)]),
    (
        "blank rows between",
        HEADER.encode() + b"\r\n0,2030-03-04,3\r\n,,\r\n",
        [(0, date(2030, 3, 4), 3)],
    ),
    (
        "mixed line ends",
        HEADER.encode() + b"0,2030-03-04,3\n0,2030-03-05,1\r0,2030-03-06,2\r\n",
        [(0, date(2030, 3, 4), 3), (0, date(2030, 3, 5), 1), (0, date(2030, 3, 6), 2)],
    ),
    ("replaces the day", HEADER.encode() + b"0,2030-03-01,7\r\n", [(0, date(2030, 3, 1), 7)]),
]


@pytest.mark.parametrize(("case", "data", "recorded"), ACCEPTED, ids=[c[0] for c in ACCEPTED])
def test_an_ugly_but_sound_support_load_file_is_recorded(
    project, case: str, data: bytes, recorded: list[tuple[int, date, int]]
) -> None:
    with scopes_disabled():
        count = steering.support_import(project=project, actor=None, data=data)
        found = set(SupportLoad.objects.values_list("wave__number", "day", "tickets"))
    assert count == len(recorded)
    assert set(recorded) <= found
