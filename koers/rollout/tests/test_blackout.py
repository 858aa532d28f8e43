"""Blackout days from an .ics upload or typed ranges, and Liberation Day every year.

Every calendar here is written by the test; the real files in shared/data are for trying by hand.
"""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled
from hypothesis import given, settings
from hypothesis import strategies as st

from koers.rollout import blackout, queries, steering
from koers.rollout.blackout import BlackoutError, parse_days, read_ics
from koers.rollout.waves import WorkCalendar

TODAY = date(2026, 1, 5)


def ics(*events: str, newline: str = "\r\n") -> bytes:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//blackout//NL"]
    for event in events:
        lines += ["BEGIN:VEVENT", *event.strip().splitlines(), "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return newline.join(lines).encode()


ALL_DAY = "UID:a\nSUMMARY:Studiedag\nDTSTART;VALUE=DATE:20260213\nDTEND;VALUE=DATE:20260214"
CARNAVAL = "UID:b\nSUMMARY:Carnaval\nDTSTART;VALUE=DATE:20260214\nDTEND;VALUE=DATE:20260223"
MEETING = "UID:c\nSUMMARY:Overleg\nDTSTART:20260302T090000Z\nDTEND:20260302T100000Z"
TWO_DAYS = "UID:d\nSUMMARY:Verhuizing\nDTSTART:20260305T000000\nDTEND:20260307T000000"
YEARLY = (
    "UID:e\nSUMMARY:Koningsdag\nDTSTART;VALUE=DATE:20250427\nDTEND;VALUE=DATE:20250428\n"
    "RRULE:FREQ=YEARLY"
)


def test_all_day_multi_day_and_yearly_events_become_blackout_days() -> None:
    found = read_ics(ics(ALL_DAY, CARNAVAL, MEETING, TWO_DAYS, YEARLY), today=TODAY)
    days = set(found.days)
    assert date(2026, 2, 13) in days  # one all-day event: DTEND is the day after
    assert date(2026, 2, 14) in days and date(2026, 2, 22) in days  # carnaval, nine days
    assert date(2026, 2, 23) not in days
    assert {date(2026, 3, 5), date(2026, 3, 6)} <= days and date(2026, 3, 7) not in days
    assert date(2026, 3, 2) not in days  # an hour's meeting is not a day off
    assert found.skipped == 1
    assert found.names == ("Studiedag", "Carnaval", "Verhuizing", "Koningsdag")
    # A yearly event repeats over the years a plan reaches, not before today.
    assert {date(2026, 4, 27), date(2027, 4, 27), date(2030, 4, 27)} <= days
    assert date(2025, 4, 27) not in days
    assert found.days == tuple(sorted(days))


def test_an_exported_quirk_one_day_events_with_dtend_equal_to_dtstart_and_lf_lines() -> None:
    quirk = "UID:f\nSUMMARY:Feestdag\nDTSTART:20260406\nDTEND:20260406\nRRULE:"
    found = read_ics(ics(quirk, newline="\n"), today=TODAY)
    assert found.days == (date(2026, 4, 6),)


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty"),
        (b"  \r\n", "empty"),
        ("BEGIN:VCALENDAR\r\nSUMMARY:Café\r\n".encode("cp1252"), "not UTF-8"),
        (b"Naam;Datum\r\nCarnaval;2026-02-16\r\n", "BEGIN:VCALENDAR"),
        (b"BEGIN:VCALENDAR\r\nthis is no content line\r\nEND:VCALENDAR\r\n", "cannot be read"),
        (ics(), "no events"),
        (ics("UID:x\nSUMMARY:Kapot\nDTSTART;VALUE=DATE:2026130"), "Kapot"),
        (ics("UID:y\nSUMMARY:Zonder begin\nDTEND;VALUE=DATE:20260301"), "DTSTART"),
        (
            ics("UID:z\nSUMMARY:Te lang\nDTSTART;VALUE=DATE:20260101\nDTEND;VALUE=DATE:20280101"),
            "at most a year",
        ),
    ],
)
def test_a_bad_calendar_is_refused_with_what_is_wrong(data: bytes, words: str) -> None:
    with pytest.raises(BlackoutError) as refused:
        read_ics(data, today=TODAY)
    assert words in refused.value.message


def test_a_non_utf8_file_names_the_byte_and_where() -> None:
    data = "BEGIN:VCALENDAR\r\nSUMMARY:Café\r\n".encode("cp1252")
    with pytest.raises(BlackoutError) as refused:
        read_ics(data, today=TODAY)
    assert (
        "0xE9" in refused.value.message and f"position {data.index(0xE9)}" in refused.value.message
    )


def test_a_calendar_over_the_size_limit_is_refused_with_the_limit() -> None:
    with pytest.raises(BlackoutError) as refused:
        read_ics(ics(ALL_DAY) + b" " * 2048, today=TODAY, limit_bytes=1024)
    assert "at most 1 KB" in refused.value.message


def test_typed_days_and_ranges_with_names() -> None:
    days = parse_days(
        "2026-05-15\n\n2026-02-14 \u2013 2026-02-22 carnaval\n2026-10-17 t/m 2026-10-25"
    )
    assert len(days) == 1 + 9 + 9
    assert blackout.as_text(days).splitlines() == [
        "2026-02-14 \u2013 2026-02-22",
        "2026-05-15",
        "2026-10-17 \u2013 2026-10-25",
    ]
    assert parse_days(blackout.as_text(days)) == days


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("carnaval", "Line 1"),
        ("2026-02-30", "2026-02-30 is not a date"),
        ("2026-01-01\n2026-03-01 2026-02-01", "Line 2: the range ends before it starts"),
        ("2026-01-01 2026-02-01 2026-03-01", "one date"),
        ("2026-01-01 2027-06-01", "at most a year"),
    ],
)
def test_bad_typed_days_name_the_line(text: str, words: str) -> None:
    with pytest.raises(BlackoutError) as refused:
        parse_days(text)
    assert words in refused.value.message


def test_liberation_day_is_a_day_off_every_year_only_when_asked() -> None:
    usual = WorkCalendar(country="NL")
    every_year = WorkCalendar(country="NL", liberation_day=True, language="nl")
    # The holidays library follows the law: a day off in lustrum years (2025, 2030) only.
    assert usual.is_working_day(date(2026, 5, 5))
    assert not usual.is_working_day(date(2025, 5, 5))
    assert every_year.closed_because(date(2026, 5, 5)) == "Bevrijdingsdag"
    assert every_year.closed_because(date(2027, 5, 5)) == "Bevrijdingsdag"
    assert WorkCalendar(liberation_day=True).closed_because(date(2026, 5, 5)) == "Liberation Day"
    assert every_year.next_working_day(date(2026, 5, 5)) == date(2026, 5, 6)


def test_the_clients_toggle_keeps_waves_off_liberation_day(cast) -> None:
    with scopes_disabled():
        rollout = queries.rollout_of(cast.project)
        assert queries.calendar_for(cast.project, rollout).is_working_day(date(2026, 5, 5))
        cast.client.has_liberation_day_off = True
        cast.client.save()
        assert not queries.calendar_for(cast.project, rollout).is_working_day(date(2026, 5, 5))


def test_the_client_form_has_the_liberation_day_toggle(cast) -> None:
    web = cast.login(cast.owner)
    url = reverse("workspaces:client_edit", kwargs={"workspace": "acme", "client": "bakkerij"})
    assert 'name="has_liberation_day_off"' in web.get(url).content.decode()


def _settings_url(name: str = "rollout:settings") -> str:
    return reverse(name, kwargs={"workspace": "acme", "project": "cloud"})


def test_an_uploaded_calendar_adds_blackout_days_and_a_bad_one_says_why(cast) -> None:
    web = cast.login(cast.member)
    good = ics(
        "UID:k\nSUMMARY:Kerstsluiting\nDTSTART;VALUE=DATE:20401224\nDTEND;VALUE=DATE:20401227"
    )
    page = web.post(
        _settings_url("rollout:blackout"),
        {"file": SimpleUploadedFile("vrij.ics", good)},
        follow=True,
    ).content.decode()
    # Far beyond what a plan reaches: nothing to add, and the page says so.
    assert "No day off in this calendar falls from today on" in page
    first = timezone.localdate() + timedelta(days=30)
    soon = ics(
        "UID:s\nSUMMARY:Sluiting\n"
        f"DTSTART;VALUE=DATE:{first:%Y%m%d}\nDTEND;VALUE=DATE:{first + timedelta(days=2):%Y%m%d}"
    )
    page = web.post(
        _settings_url("rollout:blackout"),
        {"file": SimpleUploadedFile("vrij.ics", soon)},
        follow=True,
    ).content.decode()
    assert "2 blackout days added" in page and ": Sluiting." in page
    second = first + timedelta(days=1)
    with scopes_disabled():
        saved = queries.rollout_of(cast.project).blackout_dates
    assert saved == [first.isoformat(), second.isoformat()]
    page = web.post(
        _settings_url("rollout:blackout"),
        {"file": SimpleUploadedFile("vrij.ics", b"\xff\xfe\x00garbage")},
        follow=True,
    ).content.decode()
    assert "not UTF-8" in page
    # The typed ranges show the uploaded days as one range, ready to edit.
    settings_page = web.get(_settings_url()).content.decode()
    assert f"{first.isoformat()} \u2013 {second.isoformat()}" in settings_page


def test_typed_ranges_are_saved_as_days(cast) -> None:
    with scopes_disabled():
        steering.rollout_update(
            project=cast.project, actor=None, blackout_dates=parse_days("2027-02-08 2027-02-12")
        )
        assert len(queries.rollout_of(cast.project).blackout_dates) == 5


@settings(deadline=None, max_examples=200)
@given(
    data=st.one_of(
        st.binary(max_size=600),
        st.lists(
            st.sampled_from(
                [
                    "BEGIN:VCALENDAR",
                    "END:VCALENDAR",
                    "BEGIN:VEVENT",
                    "END:VEVENT",
                    "DTSTART;VALUE=DATE:20270301",
                    "DTSTART:20270301T090000",
                    "DTEND;VALUE=DATE:20270305",
                    "DTEND:20260101",
                    "DURATION:P3D",
                    "DURATION:PT1H",
                    "RRULE:FREQ=YEARLY",
                    "RRULE:FREQ=DAILY;COUNT=x",
                    "RRULE:",
                    "EXDATE;VALUE=DATE:20280301",
                    "SUMMARY:Vrij",
                    "DTSTART;VALUE=DATE:2027",
                    "X-WEIRD;A=B:C",
                ]
            ),
            max_size=14,
        ).map(lambda lines: "\r\n".join(lines).encode()),
    )
)
def test_any_input_gives_days_or_a_message_never_a_crash(data: bytes) -> None:
    try:
        found = read_ics(data, today=TODAY)
    except BlackoutError as refused:
        assert refused.message
    else:
        assert list(found.days) == sorted(set(found.days))
        assert all(day >= TODAY for day in found.days)
