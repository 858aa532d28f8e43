"""Reads on pulse rounds: scores per round and group, trend, signals, open answers.

Every figure leaves this module through `signals.disclose`: no group under five answers, and
nothing that subtracting a shown group from a total would give away.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum
from django.shortcuts import get_object_or_404

from koers.projects.models import Project
from koers.rollout.models import Wave
from koers.workspaces.models import Workspace

from . import signals
from .models import Answer, FeedbackItem, Question, Round, StatusUpdate, Thresholds
from .questions import OPEN_QUESTIONS
from .signals import MIN_GROUP, STEPS, Scores, StepScore


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


def grouped_scores(answers: QuerySet[Answer], by: str) -> dict[str, Scores]:
    """Return the scores of `answers` per value of field `by`, in one query."""
    rows = answers.order_by().values(by).annotate(**_aggregates())
    return {str(row[by] or ""): _scores(row) for row in rows}


def round_scores(round: Round) -> Scores:
    row = round.answers.order_by().aggregate(**_aggregates())
    return _scores(row)


GROUPINGS = ("department", "wave")
NOT_GIVEN = ""


def _by_wave(round: Round, by_department: dict[str, Scores]) -> dict[str, Scores]:
    """Regroup department scores by the wave each department goes live in."""
    if round.wave_id is not None:
        # Everyone in a round for one wave belongs to that wave.
        return {round.wave.label: signals.combine(by_department.values())}  # type: ignore[union-attr]
    wave_of: dict[str, str] = {}
    for wave in Wave.objects.filter(project_id=round.project_id).order_by("number"):
        for department in wave.departments or []:
            wave_of.setdefault(str(department), wave.label)
    groups: dict[str, list[Scores]] = defaultdict(list)
    for department, scores in by_department.items():
        groups[wave_of.get(department, NOT_GIVEN)].append(scores)
    return {key: signals.combine(parts) for key, parts in groups.items()}


@dataclass(frozen=True)
class Results:
    """What may be shown of a round: its total, the rows per group, and what was merged."""

    round: Round
    scores: Scores | None  # None: fewer than five answers in all
    answers: int
    by: str | None
    disclosure: signals.Disclosure | None
    rows: tuple[signals.Row, ...]

    @property
    def is_shown(self) -> bool:
        return self.scores is not None

    @property
    def barrier(self) -> signals.Step | None:
        return self.scores.barrier_point if self.scores else None


def results(round: Round, by: str | None = None) -> Results:
    """Return the round's results, per group if `by` names a grouping."""
    total = round_scores(round)
    shown = total if total.answers >= MIN_GROUP else None
    if by not in GROUPINGS or shown is None:
        return Results(round, shown, total.answers, None, None, ())
    groups = grouped_scores(round.answers.all(), "department")
    if by == "wave":
        groups = _by_wave(round, groups)
    disclosure, rows = signals.disclosed_rows(groups)
    return Results(round, shown, total.answers, by, disclosure, rows)


@dataclass(frozen=True)
class Response:
    """Who answered a round with personal links: counts only, per department."""

    invited: int
    answered: int
    per_department: list[tuple[str, int, int]]  # department, invited, answered

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
            (row["person__department"], row["invited"], row["answered"]) for row in rows
        ],
    )


@dataclass(frozen=True)
class OpenAnswer:
    answer_id: int
    question: str  # an Answer field, or an own question's key
    label: str
    text: str
    feedback_id: int | None


def open_answers(round: Round) -> list[OpenAnswer]:
    """Return the round's open answers, only when five or more people answered."""
    if round.answers.count() < MIN_GROUP:
        return []
    own_open = [q for q in round.questions.all() if q.kind == Question.Kind.OPEN]
    made = {
        (item.origin_answer_id, item.origin_question): item.pk
        for item in FeedbackItem.objects.filter(pulse_round=round, origin_answer__isnull=False)
    }
    found: list[OpenAnswer] = []
    for answer in round.answers.only("id", "unsure", "unclear", "risky", "own"):
        for question in OPEN_QUESTIONS:
            text = getattr(answer, question.field)
            if text:
                found.append(
                    OpenAnswer(
                        answer.pk,
                        question.field,
                        str(question.short),
                        text,
                        made.get((answer.pk, question.field)),
                    )
                )
        for own in own_open:
            text = str(answer.own.get(own.key, ""))
            if text:
                found.append(
                    OpenAnswer(answer.pk, own.key, str(own), text, made.get((answer.pk, own.key)))
                )
    return found


@dataclass(frozen=True)
class OwnResult:
    question: Question
    answers: int
    average: float | None


def own_results(round: Round) -> list[OwnResult]:
    """Return the average of each own statement, only when five or more people answered."""
    scale = [q for q in round.questions.all() if q.kind == Question.Kind.SCALE]
    if not scale or round.answers.count() < MIN_GROUP:
        return []
    totals: dict[str, list[int]] = defaultdict(list)
    for own in round.answers.values_list("own", flat=True):
        for question in scale:
            value = own.get(question.key)
            if isinstance(value, int):
                totals[question.key].append(value)
    found = []
    for question in scale:
        values = totals[question.key]
        shown = len(values) >= MIN_GROUP
        found.append(OwnResult(question, len(values), round_average(values) if shown else None))
    return found


def round_average(values: list[int]) -> float:
    return round(sum(values) / len(values), 2)


def trend(project: Project) -> list[signals.TrendPoint]:
    """Return every opened round's scores in order, in one query."""
    rounds = list(project.pulse_rounds.exclude(status=Round.Status.DRAFT).order_by("number"))
    rows: Iterable[Any] = (
        Answer.objects.filter(round__in=rounds)
        .order_by()
        .values("round_id")
        .annotate(**_aggregates())
    )
    by_round = {row["round_id"]: _scores(row) for row in rows}
    empty = signals.scores([])
    return signals.trend([(str(r.number), by_round.get(r.pk, empty)) for r in rounds])


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
    # The last measurement: per project the newest opened round with five or more answers.
    rows: Iterable[Any] = (
        Answer.objects.filter(round__project_id__in=ids)
        .exclude(round__status=Round.Status.DRAFT)
        .order_by()
        .values("round_id", "round__project_id", "round__number")
        .annotate(**_aggregates())
    )
    measured: dict[int, tuple[int, Scores]] = {}
    for row in rows:
        if row["answers"] < MIN_GROUP:
            continue
        owner, newest = row["round__project_id"], row["round__number"]
        if owner not in measured or measured[owner][0] < newest:
            measured[owner] = (newest, _scores(row))
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
    rows: Iterable[Any] = (
        Answer.objects.filter(round__wave_id__in=ids)
        .exclude(round__status=Round.Status.DRAFT)
        .order_by()
        .values("round_id", "round__wave_id", "round__number")
        .annotate(**_aggregates())
    )
    newest: dict[int, tuple[int, int, Scores]] = {}
    for row in rows:
        if row["answers"] < MIN_GROUP:
            continue
        wave_id, number = row["round__wave_id"], row["round__number"]
        if wave_id not in newest or newest[wave_id][0] < number:
            newest[wave_id] = (number, row["round_id"], _scores(row))
    rounds = (
        Round.objects.in_bulk([round_id for _n, round_id, _s in newest.values()]) if newest else {}
    )
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
        scores: Scores | None = None
        measured: Round | None = None
        if wave_id in newest:
            _number, round_id, scores = newest[wave_id]
            measured = rounds[round_id]
        found[wave_id] = GateMeasure(
            round=measured,
            check=signals.understanding_gate(scores, reached=reached),
            understanding=scores.understanding if scores else None,
            open_blocking=blocking.get(wave_id, 0),
        )
    return found


def open_blocking(project: Project) -> QuerySet[FeedbackItem]:
    return project.feedback_items.filter(Q(is_blocking=True), status__in=FeedbackItem.OPEN_STATUSES)
