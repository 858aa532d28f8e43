"""The landscape map: islands read without colour, every system is a named link, no line
crosses the map between groups, and 60 systems stay apart."""

import re

from koers.landscape.analysis import Kind, Link, System, groups
from koers.landscape.svg import TILE_H, TILE_W, WIDTH, Line, Tile, landscape_map

KINDS = {Kind.API: "API", Kind.FILE: "File", Kind.MANUAL: "Manual", Kind.NONE: "None"}


def draw(count: int, links: list[tuple[int, int, Kind]]) -> str:
    systems = [System(n, f"Systeem {n}", f"Functie {n % 4}") for n in range(1, count + 1)]
    found = groups(systems, [Link(n, a, b, k) for n, (a, b, k) in enumerate(links, 1)])
    tiles = [
        Tile(s.key, s.name, s.capability, f"{s.name} <&>", f"/s/{s.key}/", 2 if s.key % 4 else 1)
        for s in systems
    ]
    return landscape_map(
        tiles,
        [Line(a, b, k) for a, b, k in links],
        found,
        key="map",
        title="Landschap",
        description="Beschrijving",
        headings=["Eiland" if g.is_island else "Vasteland" for g in found],
        kinds=KINDS,
        island_word="eiland",
        retyped_word="overgetypt",
    )


def test_an_island_has_a_dashed_box_a_mark_and_its_word() -> None:
    svg = draw(3, [(1, 2, Kind.API)])
    assert svg.count('stroke-dasharray="6 4"') == 1  # one island: system 3
    assert ">Eiland</text>" in svg and ">Vasteland</text>" in svg
    assert 'aria-labelledby="map-title map-desc"' in svg
    assert svg.count("<a href=") == 3
    assert 'aria-label="Systeem 3 &lt;&amp;&gt;"' in svg  # escaped


def test_a_manual_link_between_groups_is_a_count_not_a_line() -> None:
    svg = draw(3, [(1, 2, Kind.API), (2, 3, Kind.MANUAL), (2, 3, Kind.NONE)])
    lines = re.findall(r"<line [^>]*>", svg)
    drawn = [line for line in lines if 'stroke-width="1.5"' in line]
    assert len(drawn) == 1  # the API inside the mainland
    assert svg.count('stroke-dasharray="3 2"') == 2 + 1  # both ends, and the legend


def test_sixty_systems_do_not_overlap_and_fit_the_width() -> None:
    links = [(n, n + 1, Kind.API) for n in range(1, 40)] + [(45, 46, Kind.FILE)]
    svg = draw(60, links)
    spots = [
        (float(x), float(y))
        for x, y in re.findall(
            rf'<rect x="([\d.]+)" y="([\d.]+)" width="{TILE_W}" height="{TILE_H}"', svg
        )
    ]
    assert len(spots) == 60
    for n, (x, y) in enumerate(spots):
        assert x + TILE_W <= WIDTH
        for ox, oy in spots[n + 1 :]:
            assert abs(x - ox) >= TILE_W or abs(y - oy) >= TILE_H
