"""The merged log: own decisions, gate decisions and accepted deviations, newest first, paged
by keyset across the three without repeating or skipping one, in a fixed number of queries."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from koers.core.paging import CursorError
from koers.decisions import queries
from koers.decisions.queries import Source
from tests.factories import Cast

from .conftest import deviation_of, gate_decision_of, log, phase_of, url, wave_of

pytestmark = pytest.mark.django_db


def test_the_log_shows_all_three_sources_without_copies(cast: Cast) -> None:
    own = log(cast.project, "Eerst een pilot")
    gate = gate_decision_of(wave_of(cast.project), cast.member)
    deviation = deviation_of(cast.project, phase_of(cast.project, "Migratie"))
    with scope(workspace=cast.workspace):
        shown = queries.log_page(cast.project)
    by_source = {e.source: e for e in shown.entries}
    assert shown.count == 3
    assert by_source[Source.LOG].item == own
    assert by_source[Source.GATE].item == gate
    assert by_source[Source.GUARDRAIL].item == deviation
    assert by_source[Source.GUARDRAIL].about == "Phase longer than the limit (Migratie)"


def _fill(cast: Cast, n: int) -> None:
    """n entries of each source, several at the very same moment; each own decision
    superseded by the one before it and linked to what it concerns, as far as it can be."""
    moment = timezone.now() - timedelta(days=1)
    later = None
    for i in range(n):
        wave = wave_of(cast.project, number=i + 1)
        gate = gate_decision_of(wave, cast.member)
        phase = phase_of(cast.project, f"Fase {i}")
        deviation_of(cast.project, phase)
        later = log(
            cast.project,
            f"Besluit {i}",
            logged_at=moment - timedelta(hours=i % 3),
            phase=phase,
            wave=wave,
            gate_decision=gate,
            **({"status": "superseded", "superseded_by": later} if later else {}),
        )


def test_paging_walks_every_entry_once_in_order(cast: Cast) -> None:
    _fill(cast, 7)
    seen: list[tuple[Any, ...]] = []
    cursor = None
    with scope(workspace=cast.workspace):
        while True:
            shown = queries.log_page(cast.project, cursor=cursor, limit=4)
            seen += [(e.at, e.source, e.item.pk) for e in shown.entries]
            if shown.next is None:
                break
            cursor = shown.next
    assert len(seen) == len(set(seen)) == 21 == shown.count
    assert seen == sorted(seen, key=lambda k: (-k[0].timestamp(), k[1], -k[2]))


def test_a_changed_or_foreign_cursor_is_refused(cast: Cast, other_project: Any) -> None:
    _fill(cast, 2)
    with scope(workspace=cast.workspace):
        cursor = queries.log_page(cast.project, limit=1).next
        assert cursor
        with pytest.raises(CursorError):
            queries.log_page(other_project, cursor=cursor)
        with pytest.raises(CursorError):
            queries.log_page(cast.project, cursor=cursor[:-2] + "xx")


@pytest.mark.parametrize("size", [1, 12])
def test_the_log_page_asks_a_fixed_number_of_queries(
    cast: Cast, size: int, django_assert_num_queries: Any
) -> None:
    _fill(cast, size)
    log(cast.project, "Nog te beslissen")  # one needed, to show it
    web = cast.login(cast.viewer)
    web.get(url("decisions:log"))  # warm: session and language
    # The page's frame (session, user, memberships, project) and the log: needed (2), each
    # source counted and read (6), the stakeholders who decided (1), the phase titles of
    # deviations (1). The same at any size.
    with django_assert_num_queries(15):
        response = web.get(url("decisions:log"))
    assert response.status_code == 200


def test_needed_are_the_proposed_ones_soonest_first(cast: Cast) -> None:
    today = timezone.localdate()
    later = log(cast.project, "Later", due_on=today + timedelta(days=30))
    undated = log(cast.project, "Ooit")
    soon = log(cast.project, "Snel", due_on=today + timedelta(days=3))
    log(cast.project, "Al beslist", status="decided", decided_on=today)
    with scopes_disabled():
        assert list(queries.needed(cast.project)) == [soon, later, undated]
        assert queries.needed_shown(cast.project, 2) == ([soon, later], 3)
