"""Anonymity as an attacker inside the workspace tries it: pages, API and exports compared.

Issue 11's attacks (department B inside wave "B + C", polling an open round at 6 and 7
answers, two exports compared) and a property test that collects everything a viewer could
see of a round over time and tries every difference of two figures.
"""

import csv
import io
from collections import defaultdict
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
from django.db import transaction
from django.test import Client as WebClient
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pytest_django import DjangoAssertNumQueries

from koers.population.models import Person
from koers.pulse import queries, services
from koers.pulse.models import Answer, Round
from koers.rollout.models import Wave
from koers.workspaces.models import ApiToken
from tests.factories import Cast

from .comparing import assert_nothing_small_revealed
from .conftest import add_answers, add_taking_turns, close, scores

BASE = "/api/v1/w/acme/projects/cloud/pulse"
EN = {"accept-language": "en"}
STEPS = ("awareness", "desire", "knowledge", "ability", "reinforcement")
OTHER_LABEL = "Other groups (together)"
EXPORT_KEYS = {OTHER_LABEL: "__other__", "Not given": ""}


def api(cast: Cast) -> WebClient:
    token = ApiToken(user=cast.member, name="t")
    secret = token.new_token()
    token.save()
    return WebClient(headers={"Authorization": f"Bearer {secret}"})


def wave(cast: Cast, number: int, departments: list[str]) -> Wave:
    with scopes_disabled():
        return Wave.objects.create(
            project=cast.project,
            number=number,
            label=f"Golf {number}",
            kind=Wave.Kind.DEPARTMENT,
            departments=departments,
            start_on=date.today(),
            end_on=date.today(),
        )


def new_round(cast: Cast, departments: str = "A\nB\nC") -> Round:
    with scopes_disabled():
        round = services.round_create(
            project=cast.project,
            actor=cast.owner,
            title="Meting",
            closes_at=timezone.now() + timedelta(days=7),
            ask_department=True,
            departments=departments,
        )
        services.round_open(round=round, actor=cast.owner)
    return round


def page(cast: Cast, name: str, *args: object) -> str:
    return reverse(f"pulse:{name}", args=[cast.workspace.slug, cast.project.slug, *args])


def answer_ids(round: Round) -> list[int]:
    with scopes_disabled():
        return list(Answer.objects.filter(round=round).order_by("id").values_list("id", flat=True))


def average(values: list[int]) -> Decimal:
    exact = Decimal(sum(values)) / Decimal(len(values))
    return exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# The three attacks.


def test_department_b_and_wave_b_plus_c_no_longer_give_c_away(cast: Cast) -> None:
    wave(cast, 1, ["A"])
    wave(cast, 2, ["B", "C"])
    round = new_round(cast)
    add_taking_turns(round, {"A": (30, 4), "B": (6, 3), "C": (1, 1)})
    close(round)
    web, rest = cast.login(cast.member), api(cast)
    by_department = web.get(page(cast, "round", 1) + "?by=department", headers=EN).content.decode()
    assert '<th scope="row">B</th>' not in by_department
    assert '<th scope="row">C</th>' not in by_department
    departments = rest.get(f"{BASE}/rounds/1/results?by=department").json()
    waves = rest.get(f"{BASE}/rounds/1/results?by=wave").json()
    sizes = {g["group"]: g["answers"] for g in departments["groups"]}
    assert "B" not in sizes and sizes["__other__"] >= 5
    # What is hidden by department is B and C together: the same 7 as wave 2, nothing less.
    wave_sizes = {g["group"]: g["answers"] for g in waves["groups"]}
    assert wave_sizes.get("Golf 2") in (None, sizes["__other__"])
    export = web.get(page(cast, "answers_csv", 1), headers=EN).content.decode("utf-8-sig")
    labels = {row[0] for row in list(csv.reader(io.StringIO(export)))[1:]}
    assert labels <= {"A", OTHER_LABEL}


def test_polling_an_open_round_at_six_and_seven_answers_gives_nothing_away(cast: Cast) -> None:
    round = new_round(cast)
    add_answers(round, 5, 4)
    add_answers(round, 1, 2)
    web, rest = cast.login(cast.viewer), api(cast)
    at_six = rest.get(f"{BASE}/rounds/1/results").json()
    page_six = web.get(page(cast, "round", 1), headers=EN).content.decode()
    add_answers(round, 1, 1)
    at_seven = rest.get(f"{BASE}/rounds/1/results").json()
    page_seven = web.get(page(cast, "round", 1), headers=EN).content.decode()
    assert (at_six["answers"], at_seven["answers"]) == (6, 7)  # the live count may move
    assert at_six["basis"] == at_seven["basis"] == 5
    assert at_six["steps"] == at_seven["steps"]  # the figures do not
    assert {step["average"] for step in at_seven["steps"]} == {"4.0"}  # one decimal
    table = 'class="table scores">'
    assert (
        page_six.split(table)[1].split("</table>")[0]
        == (page_seven.split(table)[1].split("</table>")[0])
    )
    assert "7 answers so far; the figures are over the first 5" in page_seven
    with scopes_disabled():
        assert queries.results(round, "department").rows == ()  # no groups while open


def test_two_exports_compared_give_nothing_away(cast: Cast) -> None:
    round = new_round(cast)
    add_answers(round, 6, 4, department="A", unsure="Wanneer?")
    web = cast.login(cast.member)
    refused = web.get(page(cast, "answers_csv", 1))
    assert refused.status_code == 302  # not while answers still come in
    add_answers(round, 1, 1, department="A", unsure="Ik ben bang voor mijn baan")
    close(round)
    first = web.get(page(cast, "answers_csv", 1), headers=EN).content
    second = web.get(page(cast, "answers_xlsx", 1))
    assert first == web.get(page(cast, "answers_csv", 1), headers=EN).content
    assert second.status_code == 200
    rows = list(csv.reader(io.StringIO(first.decode("utf-8-sig"))))
    assert len(rows) - 1 == 5  # the first 5 of 7: the last two are in no figure
    assert "Ik ben bang voor mijn baan" not in first.decode("utf-8-sig")
    assert rows[1:] == sorted(rows[1:], key=lambda row: [str(value) for value in row])
    # Department, the five statements and the three open questions: no id, date or time.
    assert rows[0][0] == "Department" and len(rows[0]) == 1 + 5 + 3


def test_response_counts_per_department_only_from_five_invited_and_in_steps(
    cast: Cast,
) -> None:
    golf = wave(cast, 1, ["A", "B"])
    round = new_round(cast)
    with scopes_disabled():
        round.wave = golf
        round.save(update_fields=["wave"])
        people = [
            Person.objects.create(
                client=cast.client, key=f"p{n}", name=f"Mens {n}", department="A" if n < 7 else "B"
            )
            for n in range(9)
        ]
        for n, person in enumerate(people):
            link = round.personal_links.create(person=person, token_hash=f"{n:064x}")
            if n in (0, 1, 2, 3, 4, 5, 7):
                link.has_answered = True
                link.save(update_fields=["has_answered"])
        found = queries.response(round)
    assert found is not None
    assert (found.invited, found.answered) == (9, 7)
    assert found.per_department == [("A", 7, 5)]  # 6 answered, shown as 5; B (2) only in total


# Query counts at two sizes.


def _many_answers(round: Round, groups: dict[str, tuple[int, int]]) -> None:
    """Store (count, value) answers per department in turns, as `add_taking_turns` does,
    written at once: the size matters here, not the path each answer takes."""
    left = {department: count for department, (count, _value) in groups.items()}
    rows = []
    while any(left.values()):
        for department, (_count, value) in groups.items():
            if left[department]:
                fields = scores(value, unsure="x") | {"department": department}
                rows.append(
                    Answer(round=round, form_key=services.new_key(), language="nl", **fields)
                )
                left[department] -= 1
    with scopes_disabled():
        Answer.objects.bulk_create(rows)


@pytest.mark.parametrize("closed", [False, True])
def test_the_round_page_does_not_grow_in_queries_with_answers(
    cast: Cast, closed: bool, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    """The same queries at 5 answers as at 5,000."""
    wave(cast, 1, ["A"])
    counts = []
    for number, groups in ((1, {"A": (5, 4)}), (2, {"A": (2500, 4), "B": (2500, 3)})):
        round = new_round(cast)
        _many_answers(round, groups)
        if closed:
            close(round)
        web = cast.login(cast.member)
        url = page(cast, "round", number) + "?by=department"
        web.get(url)
        with django_assert_max_num_queries(40) as captured:
            assert web.get(url).status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


# The property: everything a viewer could see, over time, through every face.


@st.composite
def populations(draw: st.DrawFn) -> dict[str, Any]:
    sizes = draw(st.lists(st.integers(1, 9), min_size=1, max_size=4))
    departments = [f"D{n}" for n in range(len(sizes))]
    waves = draw(st.lists(st.sampled_from(departments), unique=True, max_size=len(departments)))
    # Waves as unions of departments: each department in at most one wave here.
    split = draw(st.integers(0, len(waves)))
    people = [d for d, size in zip(departments, sizes, strict=True) for _ in range(size)]
    people += [""] * draw(st.integers(0, 3))
    order = draw(st.permutations(people))
    scores = draw(st.lists(st.integers(1, 5), min_size=len(order), max_size=len(order)))
    polls = draw(st.sets(st.integers(1, len(order)), max_size=4))
    return {
        "waves": [waves[:split], waves[split:]],
        "answers": list(zip(order, scores, strict=True)),
        "polls": polls,
    }


class Viewer:
    """Everything one viewer sees of a round, each figure tied to the answers it is over."""

    def __init__(self, cast: Cast, round: Round, wave_of: dict[str, str]) -> None:
        self.cast, self.round, self.wave_of = cast, round, wave_of
        self.web, self.rest = cast.login(cast.member), api(cast)
        self.figures: list[frozenset[int]] = []
        self.partitions: list[list[frozenset[int]]] = []
        self.scores: dict[int, int] = {}

    def look(self, scores: dict[int, int]) -> None:
        self.scores = scores
        ids = answer_ids(self.round)
        first = ids[: len(ids) - len(ids) % 5] if len(ids) >= 5 else []
        for by in (None, "department", "wave"):
            with scopes_disabled():
                found = queries.results(self.round, by)
            assert found.answers == len(ids) and found.basis == len(first)
            self.figure(found.scores.answers if found.scores else 0, found.scores, first)
            body = self.rest.get(
                f"{BASE}/rounds/{self.round.number}/results" + (f"?by={by}" if by else "")
            ).json()
            assert body["basis"] == len(first)
            if body["shown"]:
                self.figure(body["basis"], body["steps"], first)
            if by is None:
                continue
            assert bool(found.rows) == (found.is_final and found.is_shown)
            pieces = self.grouping(by, first, [(r.key, r.scores.answers) for r in found.rows])
            for group in body["groups"]:
                self.figure(group["answers"], group["steps"], pieces[group["group"]])
        response = self.web.get(page(self.cast, "answers_csv", self.round.number), headers=EN)
        if response.status_code == 200:
            self.export(response.content.decode("utf-8-sig"), first)
        else:
            assert not (found.is_final and found.is_shown)

    def key(self, by: str, department: str) -> str:
        return department if by == "department" else self.wave_of.get(department, "")

    def grouping(
        self, by: str, first: list[int], rows: list[tuple[str, int]]
    ) -> dict[str, frozenset[int]]:
        with scopes_disabled():
            department = dict(Answer.objects.filter(id__in=first).values_list("id", "department"))
        pieces = {
            key: frozenset(i for i in first if self.key(by, department[i]) == key)
            for key, _n in rows
            if key != "__other__"
        }
        shown = frozenset().union(*pieces.values())
        if any(key == "__other__" for key, _n in rows):
            pieces["__other__"] = frozenset(first) - shown
        for key, count in rows:
            assert len(pieces[key]) == count >= 5
        self.partitions.append(list(pieces.values()))
        return pieces

    def figure(self, count: int, steps: Any, answers: list[int] | frozenset[int]) -> None:
        """Keep a figure, after checking it is over exactly `answers`."""
        if not answers:
            assert steps is None or steps == []
            return
        assert count == len(answers)
        expected = average([self.scores[i] for i in answers])
        values = (
            [Decimal(s["average"]) for s in steps]
            if isinstance(steps, list)
            else [steps.average(step) for step in steps.averages()]
        )
        assert set(values) == {expected}
        self.figures.append(frozenset(answers))

    def export(self, text: str, first: list[int]) -> None:
        rows = list(csv.reader(io.StringIO(text)))[1:]
        labels: dict[str, list[int]] = defaultdict(list)
        for row in rows:
            labels[row[0]].append(int(row[1]))
        keys = {label: EXPORT_KEYS.get(label, label) for label in labels}
        pieces = self.grouping(
            "department", first, [(keys[label], len(values)) for label, values in labels.items()]
        )
        for label, values in labels.items():
            assert sorted(values) == sorted(self.scores[i] for i in pieces[keys[label]])
            self.figures.append(pieces[keys[label]])


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(populations())
def test_nothing_a_viewer_sees_over_time_reveals_fewer_than_five(
    cast: Cast, drawn: dict[str, Any]
) -> None:
    with transaction.atomic():
        wave_of: dict[str, str] = {}
        for number, departments in enumerate(drawn["waves"], start=1):
            if departments:
                wave(cast, number, departments)
                wave_of |= {d: f"Golf {number}" for d in departments}
        round = new_round(cast, "D0\nD1\nD2\nD3")
        viewer = Viewer(cast, round, wave_of)
        scores: dict[int, int] = {}
        for position, (department, score) in enumerate(drawn["answers"], start=1):
            (made,) = add_answers(round, 1, score, department=department)
            scores[made.pk] = score
            if position in drawn["polls"]:
                viewer.look(scores)
        close(round)
        viewer.look(scores)
        first = sorted(scores)[: len(scores) - len(scores) % 5] if len(scores) >= 5 else []
        viewer.partitions.append(
            [frozenset(first[start : start + 5]) for start in range(0, len(first), 5)]
        )
        viewer.figures += [frozenset(first[:end]) for end in range(5, len(first) + 1, 5)]
        assert_nothing_small_revealed(viewer.figures, viewer.partitions)
        transaction.set_rollback(True)


def test_open_answers_are_paged_and_sorted_by_content(cast: Cast) -> None:
    round = new_round(cast)
    for n in range(60):
        add_answers(round, 1, 4, unsure=f"zorg {59 - n:02d}")
    close(round)
    web = cast.login(cast.member)
    first = web.get(page(cast, "round", 1), headers=EN).content.decode()
    second = web.get(page(cast, "round", 1) + "?page=2", headers=EN).content.decode()
    shown = [f"zorg {n:02d}" for n in range(60)]
    assert all(text in first for text in shown[:50]) and shown[50] not in first
    assert all(text in second for text in shown[50:]) and "Page 2 of 2" in second
    assert first.index("zorg 00") < first.index("zorg 01") < first.index("zorg 49")


def test_results_per_wave_stay_as_at_closing_when_waves_are_re_planned(cast: Cast) -> None:
    first = wave(cast, 1, ["A", "B"])
    wave(cast, 2, ["C"])
    round = new_round(cast)
    add_taking_turns(round, {"A": (10, 4), "B": (3, 2), "C": (7, 1)})
    close(round)
    with scopes_disabled():
        before = queries.results(round, "wave").rows
        first.departments = ["A"]  # B moves out: wave 1 before minus after would be B's 3
        first.save(update_fields=["departments"])
        round.refresh_from_db()
        assert queries.results(round, "wave").rows == before


def test_a_closed_rounds_publication_is_kept_and_decided_again_when_answers_change(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    wave(cast, 1, ["A"])
    round = new_round(cast)
    add_taking_turns(round, {"A": (6, 4), "B": (5, 3), "C": (2, 2)})
    close(round)
    with scopes_disabled():
        first = queries.published(Round.objects.get(pk=round.pk))
        kept = Round.objects.get(pk=round.pk).publication_kept
        assert kept is not None and kept["stamp"][0] == 13
        monkeypatch.setattr(queries.disclosure, "publish", _not_again)
        again = queries.published(Round.objects.get(pk=round.pk))  # read, not decided again
        assert again.publication == first.publication
        monkeypatch.undo()
        Answer.objects.filter(round=round, department="C").delete()  # what was decided on changed
        changed = queries.published(Round.objects.get(pk=round.pk))
        assert changed.publication.answers == 11
        assert (Round.objects.get(pk=round.pk).publication_kept or {})["stamp"][0] == 11


def _not_again(*args: Any, **kwargs: Any) -> Any:
    raise AssertionError("a kept publication was decided again")


def test_a_settled_rounds_overall_figure_is_kept_and_read_without_counting(
    cast: Cast, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    round = new_round(cast)
    add_taking_turns(round, {"A": (7, 4), "B": (6, 2)})
    close(round)
    with scopes_disabled():
        counted = queries.overall([Round.objects.get(pk=round.pk)])[round.pk]
        # Just closed: an answer let in before the closing may still arrive; nothing kept.
        assert Round.objects.get(pk=round.pk).overall_kept is None
        Round.objects.filter(pk=round.pk).update(closed_at=timezone.now() - timedelta(hours=1))
        settled = Round.objects.get(pk=round.pk)
        assert settled.is_settled
        assert queries.overall([settled])[round.pk] == counted  # counted, then kept
        assert Round.objects.get(pk=round.pk).overall_kept == {
            "answers": 13,
            "sums": [step.total for step in counted.scores.steps],  # type: ignore[union-attr]
        }
        again = Round.objects.get(pk=round.pk)
        with django_assert_num_queries(0):  # no answer counted or summed again
            assert queries.overall([again])[round.pk] == counted
            assert queries.newest_overall([again], lambda r: r.project_id) == {
                cast.project.pk: (again, counted.scores)
            }
