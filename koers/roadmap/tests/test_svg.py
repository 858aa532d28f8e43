"""The roadmap drawing (pure): well-formed SVG with what the method asks to see."""

from datetime import date, timedelta
from itertools import pairwise
from xml.etree import ElementTree

from defusedxml import ElementTree as SafeElementTree
from hypothesis import given
from hypothesis import strategies as st

from koers.roadmap import svg

LABELS = svg.Labels(
    title="Roadmap",
    description="Drie fases",
    months=("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"),
    today="vandaag",
    kinds={"live": "Live", "coming": "Komt eraan", "feedback": "Feedbackmoment"},
    statuses={"planned": "Gepland", "active": "Actief", "done": "Klaar"},
    kpi_met="KPI gehaald",
    kpi_missed="KPI niet gehaald",
    finding="spelregel",
    accepted="afwijking geaccepteerd",
    late="te laat",
)
NS = "{http://www.w3.org/2000/svg}"


def draw(**kw: object) -> ElementTree.Element:
    bars = kw.get("bars") or [
        svg.Bar("1. Offertes", date(2025, 1, 1), date(2025, 2, 26), "done", kpi_met=True),
        svg.Bar("2. <Bestellen> & co", date(2025, 3, 1), date(2025, 5, 10), "active", errors=1),
        svg.Bar("3. Facturen", date(2025, 5, 1), date(2025, 7, 24), "planned"),
    ]
    moments = kw.get("moments") or [
        svg.Moment(date(2025, 2, 26), "live", "Offertetool live"),
        svg.Moment(date(2025, 4, 1), "feedback", "Pilot bevragen"),
        svg.Moment(date(2025, 5, 10), "coming", "Webshop"),
    ]
    text = svg.draw(bars, moments, kw.get("today") or date(2025, 4, 15), LABELS)  # type: ignore[arg-type]
    return SafeElementTree.fromstring(text)


def texts(root: ElementTree.Element) -> list[str]:
    """Every text of the drawing, a phase's name whole however it is broken over lines."""
    return [" ".join("".join(t.itertext()).split()) for t in root.iter(f"{NS}text")]


def test_roadmap_is_well_formed_accessible_svg_without_style_attributes() -> None:
    root = draw()
    assert root.get("role") == "img"
    assert root.find(f"{NS}title").text == "Roadmap"  # type: ignore[union-attr]
    assert all("style" not in el.attrib for el in root.iter())


def test_bars_months_today_and_kpi_result_are_drawn() -> None:
    root = draw()
    words = texts(root)
    assert "1. Offertes" in words and "2. <Bestellen> & co" in words
    assert {"jan", "feb", "mrt", "apr", "mei", "jun", "jul"} <= set(words)
    assert "2025" in words
    assert "vandaag" in words
    assert "✓ KPI gehaald" in words


def test_milestones_of_each_kind_have_a_symbol_and_a_tooltip() -> None:
    root = draw()
    tips = [t.text or "" for t in root.iter(f"{NS}title")]
    assert any(t.startswith("Live: Offertetool live") for t in tips)
    assert any(t.startswith("Feedbackmoment: Pilot bevragen") for t in tips)
    assert any(t.startswith("Komt eraan: Webshop") for t in tips)


def test_a_phase_with_findings_is_marked() -> None:
    root = draw()
    marks = [p for p in root.iter(f"{NS}polygon") if p.get("fill") == svg.ERROR]
    # One on the phase with an error, one in the legend.
    assert len(marks) == 2


def test_today_outside_the_plan_draws_no_line() -> None:
    assert "vandaag" not in texts(draw(today=date(2030, 1, 1)))[:-1]


def test_an_eighteen_month_phase_spans_eighteen_months() -> None:
    first, months = svg.month_range(
        [svg.Bar("ERP", date(2025, 1, 1), date(2026, 6, 30), "planned")], [], date(2025, 1, 1)
    )
    assert (first, months) == (date(2025, 1, 1), 18)


def test_a_late_bar_is_outlined_and_says_late_beside_it() -> None:
    root = draw(
        bars=[
            svg.Bar("1. Offertes", date(2025, 1, 1), date(2025, 2, 26), "active", is_late=True),
            svg.Bar("2. Bestellen", date(2025, 3, 1), date(2025, 5, 10), "active"),
        ]
    )
    said = texts(root)
    assert said.count("⚠ te laat") == 1
    outlines = [r for r in root.iter(f"{NS}rect") if r.get("fill") == "none"]
    # The late bar and the legend's late sample; the on-time bar has none.
    assert len(outlines) == 2


def test_milestone_labels_never_touch_in_their_lane() -> None:
    moments = [
        svg.Moment(date(2025, 1, 1) + timedelta(days=6 * n), "live", f"Mijlpaal nummer {n}")
        for n in range(60)
    ]
    bars = [
        svg.Bar(f"{n}. Fase {n}", date(2025, 1, 1), date(2025, 12, 31), "planned")
        for n in range(40)
    ]
    root = draw(bars=bars, moments=moments)
    labels = [t for t in root.iter(f"{NS}text") if (t.text or "").startswith("Mijlpaal")]
    assert len(labels) == 60
    boxes = []
    for label in labels:
        x, y = float(label.get("x", "")), float(label.get("y", ""))
        size = 6.0 * len(label.text or "")
        left = x if label.get("text-anchor") == "start" else x - size
        boxes.append((y, left, left + size))
    for y, left, right in boxes:
        for other_y, other_left, other_right in boxes:
            if (other_y, other_left) != (y, left) and other_y == y:
                assert right + svg.LABEL_GAP <= other_left or other_right + svg.LABEL_GAP <= left
    # The lane made room: the first phase starts below the lowest label.
    lowest = max(y for y, _left, _right in boxes)
    first_bar = min(float(r.get("y", "")) for r in root.iter(f"{NS}rect") if r.get("rx") == "4")
    assert lowest < first_bar


@given(st.lists(st.tuples(st.floats(0, 1000), st.floats(1, 200)), max_size=80))
def test_labels_in_one_lane_keep_their_gap(labels: list[tuple[float, float]]) -> None:
    spans = sorted((left, left + width) for left, width in labels)
    lanes = svg.label_lanes(spans)
    for lane in set(lanes):
        mine = [span for span, at in zip(spans, lanes, strict=True) if at == lane]
        for (_l1, r1), (l2, _r2) in pairwise(mine):
            assert r1 + svg.LABEL_GAP <= l2


def test_a_long_phase_name_wraps_between_words_on_two_lines() -> None:
    name = "12. Overstap van alle financiële processen naar het nieuwe ERP-systeem in de cloud"
    lines = svg.wrapped(name)
    assert len(lines) == 2 and all(len(line) <= svg.PHASE_CHARS for line in lines)
    assert lines[0] == "12. Overstap van alle financiële"
    assert lines[1].endswith("…")
    assert svg.wrapped("3. Facturen") == ["3. Facturen"]


def test_a_crowded_milestone_lane_stops_growing_and_says_what_it_left_out() -> None:
    moments = [
        svg.Moment(date(2025, 1, 1) + timedelta(days=n), "live", f"Mijlpaal nummer {n}")
        for n in range(60)
    ]
    root = draw(
        bars=[svg.Bar("1. Fase", date(2025, 1, 1), date(2025, 6, 30), "planned")], moments=moments
    )
    labelled = [t for t in root.iter(f"{NS}text") if (t.text or "").startswith("Mijlpaal")]
    lanes = {float(t.get("y", "")) for t in labelled}
    assert len(lanes) == svg.MAX_LABEL_LANES
    left_out = 60 - len(labelled)
    assert left_out > 0
    assert f"{left_out} milestones without a label: see the list" in texts(root)
    # Every milestone keeps its symbol and its tooltip.
    titles = [t.text or "" for t in root.iter(f"{NS}title") if "Mijlpaal" in (t.text or "")]
    assert len(titles) == 60


@given(st.lists(st.tuples(st.floats(0, 1000), st.floats(1, 200)), max_size=80), st.integers(1, 8))
def test_labels_use_at_most_the_lanes_allowed(labels: list[tuple[float, float]], most: int) -> None:
    lanes = svg.label_lanes(sorted((left, left + width) for left, width in labels), most)
    assert all(lane is None or 0 <= lane < most for lane in lanes)
