"""The pure rules: who is overdue for contact, in which order, and the rhythm."""

import re
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from koers.stakeholders import grid, rules
from koers.stakeholders.rules import ATTENTION, Contact, Stance

TODAY = date(2026, 3, 2)
days = st.integers(min_value=1, max_value=365)
last_contacts = st.one_of(
    st.none(), st.dates(min_value=date(2024, 1, 1), max_value=date(2026, 12, 31))
)
contacts = st.lists(
    st.builds(
        Contact,
        key=st.integers(min_value=1, max_value=10_000),
        stance=st.sampled_from(list(Stance)),
        every_days=days,
        last_contact=last_contacts,
    ),
    max_size=30,
    unique_by=lambda c: c.key,
)


def test_due_after_the_frequency_and_overdue_the_day_after() -> None:
    last = date(2026, 2, 1)
    assert rules.due_on(last, 14) == date(2026, 2, 15)
    assert not rules.is_overdue(last, 14, date(2026, 2, 15))
    assert rules.is_overdue(last, 14, date(2026, 2, 16))
    assert rules.is_overdue(None, 14, TODAY)  # never contacted: overdue at once


@given(contacts)
def test_the_overdue_list_holds_exactly_the_overdue_ones(found: list[Contact]) -> None:
    listed = {due.contact.key for due in rules.overdue_contacts(found, TODAY)}
    expected = {
        c.key
        for c in found
        if c.last_contact is None or (TODAY - c.last_contact).days > c.every_days
    }
    assert listed == expected


@given(contacts)
def test_opponents_and_sceptics_come_first_then_the_never_contacted_then_the_longest_overdue(
    found: list[Contact],
) -> None:
    listed = rules.overdue_contacts(found, TODAY)
    order = [
        (ATTENTION.index(d.contact.stance), d.days_overdue is not None, -(d.days_overdue or 0))
        for d in listed
    ]
    assert order == sorted(order)
    for due in listed:
        if due.contact.last_contact is not None:
            assert due.days_overdue is not None and due.days_overdue > 0
            assert due.due_on == due.contact.last_contact + timedelta(days=due.contact.every_days)


def test_an_opponent_a_day_late_comes_before_a_supporter_a_year_late() -> None:
    supporter = Contact(1, Stance.SUPPORTER, 7, TODAY - timedelta(days=400))
    opponent = Contact(2, Stance.OPPONENT, 7, TODAY - timedelta(days=8))
    sceptic = Contact(3, Stance.SCEPTIC, 7, None)
    listed = [d.contact.key for d in rules.overdue_contacts([supporter, opponent, sceptic], TODAY)]
    assert listed == [2, 3, 1]


@given(
    st.dictionaries(st.sampled_from(list(rules.DEFAULT_RHYTHM)), st.one_of(st.none(), days)),
    st.dictionaries(st.sampled_from(list(rules.DEFAULT_RHYTHM)), last_contacts.filter(bool)),
)
def test_a_kind_is_overdue_only_with_a_rhythm_and_past_it(
    expected: dict[str, int | None], last_done: dict[str, date]
) -> None:
    for beat in rules.rhythm(expected, last_done, {}, TODAY):
        every = expected[beat.kind]
        last = last_done.get(beat.kind)
        if every is None:
            assert not beat.is_overdue and beat.due_on is None
        elif last is None:
            assert beat.is_overdue  # a rhythm never kept
        else:
            assert beat.is_overdue == (last + timedelta(days=every) < TODAY)


def test_the_default_rhythm_is_an_update_every_two_weeks_and_a_steering_meeting_every_four() -> (
    None
):
    assert rules.DEFAULT_RHYTHM["update"] == 14
    assert rules.DEFAULT_RHYTHM["steering"] == 28


# The grid's drawing.


def draw(points: list[grid.Point]) -> str:
    return grid.grid(
        points,
        key="g",
        title="Grid",
        description="About",
        influence="Influence",
        interest="Interest",
        quadrants=("a", "b", "c", "d"),
        stances={stance: stance.value for stance in Stance},
    )


def test_each_stance_has_its_own_colour_and_its_own_shape() -> None:
    # Circle, square, diamond (4 corners), triangle (3) and cross (12).
    shapes = {
        (grid.marker(stance, 10, 10).split()[0], grid.marker(stance, 10, 10).count(","))
        for stance in Stance
    }
    assert len(shapes) == len(Stance)
    assert len(set(grid.COLOURS.values())) == len(Stance)


def test_every_point_is_a_link_with_its_name_and_the_text_is_escaped() -> None:
    points = [
        grid.Point('<b>"Ann"</b>: opponent', Stance.OPPONENT, 5, 1, "/p/1/?a=1&b=2"),
        grid.Point("Bo: champion", Stance.CHAMPION, 5, 1, "/p/2/"),
    ]
    drawn = draw(points)
    assert drawn.count("<a href=") == 2
    assert "<b>" not in drawn
    assert 'aria-label="&lt;b&gt;&quot;Ann&quot;&lt;/b&gt;: opponent"' in drawn
    assert 'href="/p/1/?a=1&amp;b=2"' in drawn
    assert 'role="group"' in drawn  # not role="img": that would hide the links


def test_two_stakeholders_in_one_cell_do_not_cover_each_other() -> None:
    drawn = draw(
        [
            grid.Point("A", Stance.CHAMPION, 3, 3, "/a/"),
            grid.Point("B", Stance.CHAMPION, 3, 3, "/b/"),
        ]
    )
    centres = re.findall(r'<circle cx="([\d.]+)" cy="([\d.]+)"', drawn)
    assert len(set(centres[:2])) == 2
