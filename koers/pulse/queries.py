"""Reads on pulse rounds: scores per round and group, trend, signals, open answers.

Every figure about answers leaves this module through `disclosure.publish`, the one
group-size rule: while a round is open only the overall figure, in steps of five answers;
once it is closed the groups, open answers and exports too, all over the same answers, with
no group under five and nothing that comparing two figures would give away.
"""

import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import DatabaseError, connection, transaction
from django.db.models import (
    BooleanField,
    Count,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.expressions import RawSQL
from django.shortcuts import get_object_or_404
from django.utils.crypto import salted_hmac

from koers.core import memo
from koers.projects.models import Project
from koers.rollout.measures import Measured
from koers.rollout.models import Wave
from koers.workspaces.models import Workspace

from . import disclosure, signals
from .disclosure import MIN_GROUP
from .models import Answer, FeedbackItem, Question, Round, StatusUpdate, Thresholds
from .questions import OPEN_QUESTIONS
from .signals import STEPS, Scores, StepScore


def round_for(project: Project, number: int) -> Round:
    return get_object_or_404(project.pulse_rounds.select_related("phase", "project"), number=number)


def thresholds_for(workspace: Workspace) -> signals.Thresholds:
    found = Thresholds.objects.filter(workspace=workspace).first()
    return found.as_thresholds() if found else signals.Thresholds()


def _aggregates() -> dict[str, Any]:
    fields: dict[str, Any] = {"answers": Count("id")}
    for step in STEPS:
        fields[f"{step.value}__sum"] = Sum(step.value)
    return fields


def _scores(row: Mapping[str, Any]) -> Scores:
    # Every step is required on the form, so each step was answered by every answer.
    count = row["answers"]
    return Scores(
        answers=count,
        steps=tuple(StepScore(step, count, row[f"{step.value}__sum"] or 0) for step in STEPS),
    )


def round_scores(round: Round) -> Scores | None:
    """Return the round's overall figure as it may be published, None below five answers."""
    return overall([round])[round.pk].scores


# The overall figure, for any number of rounds at once.


@dataclass(frozen=True)
class Overall:
    """A round's overall figure: what may be published, and its scores (None: nothing)."""

    publication: disclosure.Publication
    scores: Scores | None


def overall(rounds: Iterable[Round]) -> dict[int, Overall]:
    """Return the overall figure of each round as it may be published, in two queries.

    The figure is over the first `disclosure.basis` answers by arrival; the database numbers
    each round's answers by id and sums the first ones, so no answer row leaves it.
    """
    found = list(rounds)
    publications = _publications(found)
    sums = _sums(found, publications, found)
    return {pk: Overall(p, sums.get(pk)) for pk, p in publications.items()}


def newest_overall(
    rounds: Iterable[Round], owner: Callable[[Round], int | None]
) -> dict[int, tuple[Round, Scores]]:
    """Per owner of rounds (a project, a wave), its newest round by number with a published
    overall figure, and that figure: as `overall`, but only those rounds' answers are summed."""
    found = list(rounds)
    publications = _publications(found)
    newest: dict[int, Round] = {}
    for candidate in found:
        key = owner(candidate)
        if key is None or not publications[candidate.pk].basis:
            continue
        if key not in newest or newest[key].number < candidate.number:
            newest[key] = candidate
    sums = _sums(found, publications, newest.values())
    return {key: (r, sums[r.pk]) for key, r in newest.items() if r.pk in sums}


# A settled round (see Round.is_settled) keeps its figures in `overall_kept`: its number of
# answers, and once a page summed them, the published sums ("sums"); pages read them there.


def _publications(rounds: list[Round]) -> dict[int, disclosure.Publication]:
    kept = {r.pk: r.overall_kept["answers"] for r in rounds if r.overall_kept}
    counts = memo.batch("pulse.answers", [r.pk for r in rounds if r.pk not in kept], _answer_counts)
    counts.update(kept)
    return {
        r.pk: disclosure.publish_overall(
            counts.get(r.pk, 0), is_closed=r.status == Round.Status.CLOSED
        )
        for r in rounds
    }


def _sums(
    rounds: list[Round],
    publications: Mapping[int, disclosure.Publication],
    wanted: Iterable[Round],
) -> dict[int, Scores]:
    """Return the published sums of the `wanted` rounds that have any (kept, else summed),
    and keep what was counted of the settled rounds among `rounds`."""
    found: dict[int, Scores] = {}
    missing: dict[int, int] = {}
    for r in wanted:
        basis = publications[r.pk].basis
        kept = (r.overall_kept or {}).get("sums")
        if basis and kept is not None:
            steps = zip(STEPS, kept, strict=True)
            found[r.pk] = Scores(basis, tuple(StepScore(s, basis, t) for s, t in steps))
        elif basis:
            missing[r.pk] = basis
    summed = _first_sums(missing)
    found.update(summed)
    for r in rounds:
        if not r.is_settled:
            continue
        record = dict(r.overall_kept or {"answers": publications[r.pk].answers})
        if r.pk in summed:
            record["sums"] = [step.total for step in summed[r.pk].steps]
        if record != r.overall_kept:
            # Written in a savepoint, as the other kept figures: a database that takes no
            # writes still shows the page, and a caller's transaction stays usable.
            with suppress(DatabaseError), transaction.atomic():
                Round.objects.filter(pk=r.pk).update(overall_kept=record)
            r.overall_kept = record
    return found


def _answer_counts(round_ids: list[int]) -> dict[int, int]:
    if not round_ids:
        return {}
    return dict(
        Answer.objects.filter(round_id__in=round_ids)
        .order_by()
        .values("round_id")
        .annotate(n=Count("id"))
        .values_list("round_id", "n")
    )


def _first_sums(limits: Mapping[int, int]) -> dict[int, Scores]:
    """The scores of the first `limits[round]` answers of each round, by arrival (id)."""
    found = memo.batch("pulse.first_sums", list(limits.items()), _count_first_sums)
    return {pk: scores for (pk, _n), scores in found.items()}


def _count_first_sums(wanted: list[tuple[int, int]]) -> dict[tuple[int, int], Scores]:
    """Two queries: the id of each round's last counted answer (each an index step to its
    offset), then the sums up to it. Numbering every answer in a window costs twice that
    at ten thousand answers."""
    if not wanted:
        return {}
    limits = dict(wanted)
    # Written out, not as a Subquery per round: compiling two hundred of those (a portfolio's
    # rounds) took longer than running them.
    table = connection.ops.quote_name(Answer._meta.db_table)
    rounds = connection.ops.quote_name(Round._meta.db_table)
    # Our own names; the values are parameters.
    step = f"(SELECT id FROM {table} WHERE round_id = %s ORDER BY id LIMIT 1 OFFSET %s)"  # noqa: S608
    nth = f"WHEN {rounds}.id = %s THEN {step}"
    last_counted = RawSQL(  # noqa: S611
        "CASE " + " ".join([nth] * len(limits)) + " END",
        [value for pk, n in limits.items() for value in (pk, pk, n - 1)],
        output_field=IntegerField(),
    )
    lasts = (
        Round.objects.filter(pk__in=limits).annotate(last=last_counted).values_list("pk", "last")
    )
    ends = [(pk, last) for pk, last in lasts if last is not None]  # None: answers went since
    if not ends:
        return {}
    # Each round's answers up to its last counted one, as one condition written out.
    upto = " OR ".join([f"({table}.round_id = %s AND {table}.id <= %s)"] * len(ends))
    counted = RawSQL(upto, [value for end in ends for value in end], output_field=BooleanField())  # noqa: S611
    rows: Iterable[Any] = (
        Answer.objects.filter(counted, round_id__in=[pk for pk, _last in ends])
        .order_by()
        .values("round_id")
        .annotate(**_aggregates())
    )
    return {(row["round_id"], limits[row["round_id"]]): _scores(row) for row in rows}


# A round's answers, once it is closed.

GROUPINGS = ("department", "wave")
NOT_GIVEN = disclosure.NOT_GIVEN
_OPEN_FIELDS = tuple(question.field for question in OPEN_QUESTIONS)


@dataclass(frozen=True)
class Published:
    """What may be published of one round; per department only once it is closed.

    `last` is the id of the last published answer and `departments` their scores per
    department: for this module only, every face gets them combined or sorted by content.
    """

    round: Round
    publication: disclosure.Publication
    scores: Scores | None
    last: int | None = None
    departments: Mapping[str, Scores] = field(default_factory=dict)
    wave_of: Mapping[str, str] = field(default_factory=dict)

    @property
    def is_final(self) -> bool:
        return self.publication.is_final and self.publication.is_shown

    def rows(self) -> QuerySet[Answer]:
        """Return the published answers' rows, for reading their texts; none before final."""
        if not self.is_final or self.last is None:
            return self.round.answers.none()
        return self.round.answers.filter(id__lte=self.last)

    def key(self, grouping: str, department: str) -> str:
        return department if grouping == "department" else self.wave_of[department]


def waves_of_departments(project: Project) -> dict[str, str]:
    """Return the wave label of each department: the first wave it goes live in."""
    found: dict[str, str] = {}
    for label, departments in (
        Wave.objects.filter(project=project).order_by("number").values_list("label", "departments")
    ):
        for department in departments or []:
            found.setdefault(str(department), label)
    return found


def _wave_of(round: Round) -> Mapping[str, str]:
    """Return the wave of each department for this round's results: as it was at closing."""
    if round.wave_id is not None:
        # Everyone in a round for one wave belongs to that wave, department given or not.
        label = Wave.objects.filter(pk=round.wave_id).values_list("label", flat=True).first()
        return defaultdict(lambda: label or NOT_GIVEN)
    waves = round.waves_at_close
    if waves is None:  # closed before Koers kept them: as they are now
        waves = waves_of_departments(round.project)
    return defaultdict(lambda: NOT_GIVEN, waves)


def published(round: Round) -> Published:
    """Return what may be published of the round: two queries while open, four once closed.

    A closed round's decision is kept on the round: its answers no longer change, and the
    stamp holds what could still change it (the number of answers, the waves' departments).
    """
    if round.status != Round.Status.CLOSED:
        found = overall([round])[round.pk]
        return Published(round, found.publication, found.scores)
    wave_of = _wave_of(round)
    arrivals = list(round.answers.order_by("id").values_list("id", "department"))
    records = [(department, wave_of[department]) for _id, department in arrivals]
    waves = sorted(set(records))
    stamp = [len(records), hashlib.sha256(repr(waves).encode()).hexdigest()[:16]]
    kept = round.publication_kept
    if kept and kept.get("stamp") == stamp:
        publication = disclosure.publication_from_record(kept["publication"])
    else:
        publication = disclosure.publish(records, groupings=GROUPINGS, is_closed=True)
        record = {"stamp": stamp, "publication": disclosure.publication_record(publication)}
        # A database that takes no writes still shows the results; the savepoint keeps a
        # caller's transaction usable after a refused write (PostgreSQL).
        with suppress(DatabaseError), transaction.atomic():
            Round.objects.filter(pk=round.pk).update(publication_kept=record)
        round.publication_kept = record
    if not publication.basis:
        return Published(round, publication, None)
    last = arrivals[publication.basis - 1][0]
    rows: Iterable[Any] = (
        round.answers.filter(id__lte=last).order_by().values("department").annotate(**_aggregates())
    )
    departments = {row["department"]: _scores(row) for row in rows}
    return Published(
        round, publication, signals.combine(departments.values()), last, departments, wave_of
    )


OTHER = signals.OTHER


@dataclass(frozen=True)
class Results:
    """What may be shown of a round: its overall figure and, once closed, the groups shown.

    `rows` are the shown groups, then OTHER: the hidden groups together (never fewer than
    five answers, and what a viewer gets anyway as the total minus the shown groups).
    """

    round: Round
    publication: disclosure.Publication
    scores: Scores | None  # None: fewer than five answers in all
    by: str | None
    rows: tuple[signals.Row, ...]
    hidden: tuple[str, ...]

    @property
    def answers(self) -> int:
        return self.publication.answers

    @property
    def basis(self) -> int:
        return self.publication.basis

    @property
    def is_final(self) -> bool:
        return self.publication.is_final

    @property
    def unpublished(self) -> int:
        return self.publication.unpublished

    @property
    def is_shown(self) -> bool:
        return self.scores is not None

    @property
    def barrier(self) -> signals.Step | None:
        return self.scores.barrier_point if self.scores else None


def results(round: Round, by: str | None = None, *, found: Published | None = None) -> Results:
    """Return the round's results, per group if `by` names a grouping and the round is closed."""
    found = found or published(round)
    grouping = found.publication.groupings.get(by or "")
    if grouping is None:
        return Results(round, found.publication, found.scores, None, (), ())
    cells: dict[str, list[Scores]] = defaultdict(list)
    for department, scores in found.departments.items():
        key = found.key(grouping.name, department)
        cells[key if grouping.is_shown(key) else OTHER].append(scores)
    rows = [signals.Row(key, signals.combine(cells[key])) for key in grouping.shown]
    if cells[OTHER]:
        rows.append(signals.Row(OTHER, signals.combine(cells[OTHER])))
    return Results(round, found.publication, found.scores, by, tuple(rows), grouping.hidden)


@dataclass(frozen=True)
class Response:
    """Who answered a round with personal links: counts only.

    Per department only where five or more were invited, and its answered count in the steps
    the results move in, so that no count tells who answered; the others are in the total.
    """

    invited: int
    answered: int
    per_department: list[tuple[str, int, int]]  # department, invited, answered (stepped)

    @property
    def rate(self) -> int | None:
        return round_percent(self.answered, self.invited) if self.invited else None


def round_percent(part: int, whole: int) -> int:
    return int(part * 100 / whole + 0.5)


def response(round: Round) -> Response | None:
    """Return the response rate of the round's personal links, or None when it has none."""
    rows = list(
        round.personal_links.order_by()
        .values("person__department")
        .annotate(invited=Count("id"), answered=Count("id", filter=Q(has_answered=True)))
        .order_by("person__department")
    )
    if not rows:
        return None
    return Response(
        invited=sum(row["invited"] for row in rows),
        answered=sum(row["answered"] for row in rows),
        per_department=[
            (row["person__department"], row["invited"], disclosure.basis(row["answered"]))
            for row in rows
            if row["person__department"] and row["invited"] >= MIN_GROUP
        ],
    )


@dataclass(frozen=True)
class OpenAnswer:
    """One open answer of a closed round; `ref` names it without telling when it came.

    The answer's id stays in `_answer`: templates cannot read a name that starts with "_".
    """

    _answer: int
    question: str  # an Answer field, or an own question's key
    label: str
    text: str
    feedback_id: int | None

    @property
    def ref(self) -> str:
        # Worked out for the answers shown only: a keyed hash per answer costs time.
        return _ref(self._answer, self.question)


def _ref(answer_id: int, question: str) -> str:
    return salted_hmac("koers.pulse.open-answer", f"{answer_id}:{question}").hexdigest()[:24]


def _open_texts(round: Round, found: Published) -> list[tuple[int, str, str, str]]:
    """Return (answer id, question, label, text) of every open answer published."""
    own_open = [q for q in round.questions.all() if q.kind == Question.Kind.OPEN]
    written = Q()
    for name in _OPEN_FIELDS:
        written |= ~Q(**{name: ""})
    for own in own_open:
        written |= Q(own__has_key=own.key)
    texts = []
    fields = ("id", *_OPEN_FIELDS, "own") if own_open else ("id", *_OPEN_FIELDS)
    for values in found.rows().filter(written).values_list(*fields):
        pk, open_texts = values[0], values[1 : 1 + len(_OPEN_FIELDS)]
        own_texts = values[-1] if own_open else {}
        for question, text in zip(OPEN_QUESTIONS, open_texts, strict=True):
            if text:
                texts.append((pk, question.field, str(question.short), text))
        for own in own_open:
            text = str((own_texts or {}).get(own.key, ""))
            if text:
                texts.append((pk, own.key, str(own), text))
    return texts


def open_answers(round: Round, *, found: Published | None = None) -> list[OpenAnswer]:
    """Return the open answers of a closed round, by question and sorted by their text.

    Sorted by content, never by arrival, and without ids or dates: nobody can line an
    answer up with who answered when.
    """
    found = found or published(round)
    if not found.is_final:
        return []
    made = {
        (item.origin_answer_id, item.origin_question): item.pk
        for item in FeedbackItem.objects.filter(pulse_round=round, origin_answer__isnull=False)
    }
    order = {question.field: index for index, question in enumerate(OPEN_QUESTIONS)}
    answers = [
        OpenAnswer(pk, question, label, text, made.get((pk, question)))
        for pk, question, label, text in _open_texts(round, found)
    ]
    # Equal texts cannot be told apart, so their order among themselves gives nothing away.
    return sorted(answers, key=lambda a: (order.get(a.question, len(order)), a.question, a.text))


def open_answer(round: Round, ref: str) -> tuple[int, str] | None:
    """Return (answer id, question) of the published open answer `ref` names, or None."""
    for pk, question, _label, _text in _open_texts(round, published(round)):
        if _ref(pk, question) == ref:
            return pk, question
    return None


@dataclass(frozen=True)
class OwnResult:
    question: Question
    answers: int
    average: Decimal | None


def own_results(round: Round, *, found: Published | None = None) -> list[OwnResult]:
    """Return the average of each own statement of a closed round, from five answers on."""
    scale = [q for q in round.questions.all() if q.kind == Question.Kind.SCALE]
    found = found or published(round)
    if not scale or not found.is_final:
        return []
    totals: dict[str, list[int]] = defaultdict(list)
    answered = Q()
    for question in scale:
        answered |= Q(own__has_key=question.key)
    for own in found.rows().filter(answered).values_list("own", flat=True):
        for question in scale:
            value = own.get(question.key)
            if isinstance(value, int):
                totals[question.key].append(value)
    results = []
    for question in scale:
        values = totals[question.key]
        shown = len(values) >= MIN_GROUP
        results.append(OwnResult(question, len(values), round_average(values) if shown else None))
    return results


def round_average(values: list[int]) -> Decimal:
    return signals.average(sum(values), len(values))


def trend(project: Project) -> list[signals.TrendPoint]:
    """Return every opened round's published scores in order, in three queries."""
    rounds = list(project.pulse_rounds.exclude(status=Round.Status.DRAFT).order_by("number"))
    figures = overall(rounds)
    empty = signals.scores([])
    return signals.trend([(str(r.number), figures[r.pk].scores or empty) for r in rounds])


# Signals per project, for the dashboard and the status report.


@dataclass(frozen=True)
class ProjectSignal:
    signal: signals.Signal
    update: StatusUpdate | None
    round_number: int | None


def project_signals(projects: Iterable[Project], workspace: Workspace) -> dict[int, ProjectSignal]:
    """Return the watermelon signal of each project, in a fixed number of queries."""
    ids = [project.pk for project in projects]
    if not ids:
        return {}
    latest_update = StatusUpdate.objects.filter(project=OuterRef("pk")).order_by("-week")
    updates = {
        u.project_id: u
        for u in StatusUpdate.objects.filter(
            pk__in=Subquery(
                Project.objects.filter(pk__in=ids)
                .annotate(latest=Subquery(latest_update.values("pk")[:1]))
                .values("latest")
            )
        )
    }
    # The last measurement: per project the newest opened round with a published figure.
    rounds = (
        Round.objects.filter(project_id__in=ids)
        .exclude(status=Round.Status.DRAFT)
        .only("id", "project_id", "number", "status", "closed_at", "overall_kept")
    )
    measured = {
        project_id: (found.number, scores)
        for project_id, (found, scores) in newest_overall(rounds, lambda r: r.project_id).items()
    }
    risks = dict(
        FeedbackItem.objects.filter(
            project_id__in=ids, is_blocking=True, status__in=FeedbackItem.OPEN_STATUSES
        )
        .order_by()
        .values("project_id")
        .annotate(n=Count("id"))
        .values_list("project_id", "n")
    )
    limits = thresholds_for(workspace)
    found = {}
    for project_id in ids:
        update = updates.get(project_id)
        number: int | None = None
        scores: Scores | None = None
        if project_id in measured:
            number, scores = measured[project_id]
        signal = signals.watermelon(
            reported=signals.Rag(update.status) if update else None,
            scores=scores,
            open_risks=risks.get(project_id, 0),
            thresholds=limits,
        )
        found[project_id] = ProjectSignal(signal, update, number)
    return found


def rounds_closing(projects: Iterable[Project]) -> dict[int, datetime]:
    """When each project's open pulse round that closes first closes: its next feedback
    moment (projects without an open round are left out), in one query."""
    return dict(
        Round.objects.filter(project__in=list(projects), status=Round.Status.OPEN)
        .order_by()
        .values("project_id")
        .annotate(first=Min("closes_at"))
        .values_list("project_id", "first")
    )


@dataclass(frozen=True)
class GateMeasure:
    """What the pulse measured for a wave's gate: understanding and open blocking feedback."""

    round: Round | None
    check: signals.GateCheck
    understanding: Decimal | None
    open_blocking: int


def gate_measure(wave: Wave, *, reached: signals.Step = signals.Step.KNOWLEDGE) -> GateMeasure:
    """Measure a wave for its gate from its newest round of five or more answers.

    The wave passes on understanding when no barrier point lies at or before `reached`
    (by default Knowledge: people know what changes for them and how).
    """
    return gate_measures([wave], reached=reached)[wave.pk]


def gate_measures(
    waves: Iterable[Wave], *, reached: signals.Step = signals.Step.KNOWLEDGE
) -> dict[int, GateMeasure]:
    """Measure the gates of any set of waves at once, in a fixed number of queries.

    Per wave: its newest opened round of five or more answers, and its open blocking
    feedback items. `gate_measure` is this for one wave; the wave board asks for all.
    """
    ids = [wave.pk for wave in waves]
    if not ids:
        return {}
    # The wave's newest round with a published overall figure: as everyone sees it.
    candidates = Round.objects.filter(wave_id__in=ids).exclude(status=Round.Status.DRAFT)
    newest = newest_overall(candidates.order_by(), lambda r: r.wave_id)
    blocking = dict(
        FeedbackItem.objects.filter(
            wave_id__in=ids, is_blocking=True, status__in=FeedbackItem.OPEN_STATUSES
        )
        .order_by()
        .values("wave_id")
        .annotate(n=Count("id"))
        .values_list("wave_id", "n")
    )
    found = {}
    for wave_id in ids:
        measured, scores = newest.get(wave_id, (None, None))
        found[wave_id] = GateMeasure(
            round=measured,
            check=signals.understanding_gate(scores, reached=reached),
            understanding=scores.understanding if scores else None,
            open_blocking=blocking.get(wave_id, 0),
        )
    return found


def gate_facts(waves: Iterable[Wave]) -> dict[int, Measured]:
    """The waves' gate measures as the rollout's gates take them (see `koers.rollout.measures`)."""
    return {
        wave_id: Measured(
            open_blocking=measure.open_blocking,
            understanding=measure.understanding,
            barrier_measured=measure.check.measured,
            barrier=measure.check.barrier,
            reached=measure.check.reached,
            barrier_passed=measure.check.passed,
        )
        for wave_id, measure in gate_measures(waves).items()
    }


def open_blocking(project: Project) -> QuerySet[FeedbackItem]:
    return project.feedback_items.filter(Q(is_blocking=True), status__in=FeedbackItem.OPEN_STATUSES)
