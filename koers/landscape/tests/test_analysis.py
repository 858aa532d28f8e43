"""The audit's rules: islands, duplicated capabilities, the score and a phase's warnings, on
examples from the seeds and on landscapes hypothesis makes up."""

from collections import defaultdict

from hypothesis import given
from hypothesis import strategies as st

from koers.landscape.analysis import (
    Change,
    Kind,
    Lifecycle,
    Link,
    Reason,
    Risk,
    System,
    audit,
    groups,
    phase_warnings,
    score,
)


def system(key: int, capability: str = "", **fields: object) -> System:
    return System(key, f"S{key}", capability or f"capability {key}", **fields)  # type: ignore[arg-type]


def link(source: int, target: int, kind: Kind = Kind.API, key: int = 0) -> Link:
    return Link(key or source * 1000 + target, source, target, kind)


def test_the_antwerp_wholesaler_has_five_systems_and_five_islands() -> None:
    """Seed 003: five small successful projects, five systems that do not talk."""
    found = audit([system(n) for n in range(1, 6)], [])
    assert len(found.islands) == 5
    assert all(found.on_island(n) for n in range(1, 6))


def test_manual_re_typing_and_none_do_not_join_systems() -> None:
    found = audit(
        [system(1), system(2), system(3)],
        [link(1, 2, Kind.MANUAL), link(2, 3, Kind.NONE)],
    )
    assert len(found.islands) == 3
    assert [m.key for m in found.manual] == [1002]


def test_the_one_largest_group_is_the_mainland_and_the_rest_are_islands() -> None:
    systems = [system(n) for n in range(1, 7)]
    found = audit(systems, [link(1, 2), link(2, 3, Kind.FILE), link(4, 5)])
    assert [g.systems for g in found.groups] == [(1, 2, 3), (4, 5), (6,)]
    assert [g.systems for g in found.islands] == [(4, 5), (6,)]
    assert not found.on_island(1)


def test_two_equal_groups_are_both_islands_and_one_group_is_none() -> None:
    two = audit([system(n) for n in range(1, 5)], [link(1, 2), link(3, 4)])
    assert len(two.islands) == 2
    one = audit([system(1), system(2)], [link(2, 1, Kind.FILE)])
    assert one.islands == ()
    assert audit([system(1)], []).islands == ()


def test_five_systems_five_truths_and_a_retiring_one_is_not_a_second_truth() -> None:
    found = audit(
        [
            system(1, "Klantbeheer"),
            system(2, " klantbeheer "),
            system(3, "KLANTBEHEER", lifecycle=Lifecycle.RETIRE),
            system(4, "Facturatie"),
        ],
        [],
    )
    assert [(d.capability, d.systems) for d in found.duplicates] == [("Klantbeheer", (1, 2))]


def test_the_score_explains_itself_part_by_part() -> None:
    scored = score(system(1, debt=4, users=99), manual_links=6, on_island=True, duplicated=True)
    parts = {p.reason: p.points for p in scored.parts}
    assert parts == {
        Reason.DEBT: 40,
        Reason.USERS: 20,
        Reason.MANUAL: 60,  # six manual links, four counted
        Reason.ISLAND: 20,
        Reason.DUPLICATE: 15,
    }
    assert scored.points == 155


def test_debt_users_and_manual_links_rank_first() -> None:
    found = audit(
        [system(1, debt=1, users=5), system(2, debt=5, users=400), system(3, debt=2)],
        [link(2, 3, Kind.MANUAL), link(1, 3)],
    )
    assert found.ranking[0].system == 2


def test_a_phase_that_brings_a_system_nothing_talks_to_makes_a_new_island() -> None:
    systems = [system(1, "Boekhouding"), system(2, "Offertes"), system(3, "Boekhouding")]
    links = [link(2, 1)]
    warnings = phase_warnings(systems, links, [(2, Change.INTRODUCES), (3, Change.INTRODUCES)])
    assert [(w.risk, w.system, w.others) for w in warnings] == [
        (Risk.NEW_ISLAND, 3, ()),
        (Risk.SECOND_SYSTEM, 3, (1,)),
    ]


def test_a_replacement_retired_in_the_same_phase_is_no_second_truth_nor_a_partner() -> None:
    systems = [system(1, "CRM"), system(2, "CRM")]
    warnings = phase_warnings(systems, [link(1, 2)], [(2, Change.INTRODUCES), (1, Change.RETIRES)])
    # Its only partner goes: nothing left to talk to, but no second CRM.
    assert [w.risk for w in warnings] == [Risk.NEW_ISLAND]


# Properties on made-up landscapes.

landscapes = st.integers(min_value=0, max_value=30).flatmap(
    lambda n: st.tuples(
        st.just([system(k, f"c{k % 5}", debt=1 + k % 5, users=k * 7) for k in range(1, n + 1)]),
        st.lists(
            st.tuples(
                st.integers(1, max(n, 1)), st.integers(1, max(n, 1)), st.sampled_from(list(Kind))
            ),
            max_size=60,
        ),
    )
)


def _links(raw: list[tuple[int, int, Kind]]) -> list[Link]:
    return [Link(n, a, b, kind) for n, (a, b, kind) in enumerate(raw, 1)]


@given(landscapes)
def test_every_system_is_in_exactly_one_group(case: tuple[list[System], list]) -> None:
    systems, raw = case
    found = groups(systems, _links(raw))
    keys = [k for g in found for k in g.systems]
    assert sorted(keys) == [s.key for s in systems]


@given(landscapes)
def test_no_talking_link_crosses_groups_and_every_group_is_connected(
    case: tuple[list[System], list],
) -> None:
    systems, raw = case
    links = _links(raw)
    found = groups(systems, links)
    where = {k: n for n, g in enumerate(found) for k in g.systems}
    near: dict[int, set[int]] = defaultdict(set)
    for k in links:
        if k.kind in (Kind.API, Kind.FILE) and k.source in where and k.target in where:
            assert where[k.source] == where[k.target]
            near[k.source].add(k.target)
            near[k.target].add(k.source)
    for g in found:  # a breadth-first walk from its first system reaches all of it
        seen, todo = {g.systems[0]}, [g.systems[0]]
        while todo:
            for other in near[todo.pop()] - seen:
                seen.add(other)
                todo.append(other)
        assert seen == set(g.systems)


@given(landscapes)
def test_islands_are_every_group_but_a_strictly_largest_one(
    case: tuple[list[System], list],
) -> None:
    systems, raw = case
    found = groups(systems, _links(raw))
    islands = [g for g in found if g.is_island]
    if len(found) < 2:
        assert not islands
    elif len(found[0].systems) >= 2 and len(found[0].systems) > len(found[1].systems):
        assert islands == list(found[1:])
    else:
        assert islands == list(found)


@given(landscapes)
def test_the_ranking_holds_every_system_once_highest_first_and_adds_up(
    case: tuple[list[System], list],
) -> None:
    systems, raw = case
    found = audit(systems, _links(raw))
    assert sorted(s.system for s in found.ranking) == [s.key for s in systems]
    points = [s.points for s in found.ranking]
    assert points == sorted(points, reverse=True)
    for s in found.ranking:
        assert s.points == sum(p.points for p in s.parts)
        assert (Reason.ISLAND in {p.reason for p in s.parts}) == found.on_island(s.system)


@given(landscapes)
def test_adding_a_talking_link_never_adds_an_island_group(case: tuple[list[System], list]) -> None:
    systems, raw = case
    if len(systems) < 2:
        return
    before = groups(systems, _links(raw))
    after = groups(systems, [*_links(raw), Link(0, systems[0].key, systems[-1].key, Kind.API)])
    assert len(after) <= len(before)
