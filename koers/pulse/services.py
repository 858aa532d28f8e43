"""Writes on pulse rounds, answers, feedback items and status updates."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core import signing
from django.db import IntegrityError, connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from koers.core.errors import KoersError
from koers.core.tokens import hash_token
from koers.projects.models import Project
from koers.workspaces.models import Workspace

from .models import (
    Answer,
    FeedbackItem,
    FeedbackPage,
    PersonalLink,
    PublicLink,
    Question,
    Round,
    StatusUpdate,
    Thresholds,
    new_key,
    week_start,
)
from .queries import waves_of_departments
from .questions import OPEN_FIELDS
from .signals import STEPS

FORM_SALT = "koers.pulse.form"
FORM_MAX_AGE = 60 * 60 * 12  # a form left open half a day may still be sent


class DuplicateSubmission(KoersError):
    """The form was sent before: a double click or a replay. The first answer stands."""


class RoundClosed(KoersError):
    """The round takes no answers (any more)."""


@dataclass(frozen=True)
class QuestionSpec:
    kind: str
    text_nl: str
    text_en: str


def _save_questions(round: Round, questions: list[QuestionSpec]) -> None:
    round.questions.all().delete()
    Question.objects.bulk_create(
        Question(round=round, position=i, kind=q.kind, text_nl=q.text_nl, text_en=q.text_en)
        for i, q in enumerate(q for q in questions if q.text_nl.strip() or q.text_en.strip())
    )


@transaction.atomic
def round_create(
    *,
    project: Project,
    actor: Any,
    title: str,
    closes_at: datetime,
    phase: Any = None,
    wave: Any = None,
    ask_department: bool = False,
    departments: str = "",
    questions: list[QuestionSpec] | None = None,
) -> Round:
    """Prepare a round with the method's questions and the team's own."""
    _check_round_links(project, phase, wave)
    # Lock the project row so two rounds made at once do not get the same number.
    Project.objects.select_for_update().filter(pk=project.pk).first()
    number = (project.pulse_rounds.aggregate(n=Max("number"))["n"] or 0) + 1
    round = Round.objects.create(
        project=project,
        number=number,
        title=title,
        closes_at=closes_at,
        phase=phase,
        wave=wave,
        ask_department=ask_department,
        departments=departments,
        actor=actor,
    )
    _save_questions(round, questions or [])
    return round


@transaction.atomic
def round_update(
    *,
    round: Round,
    title: str,
    closes_at: datetime,
    phase: Any = None,
    wave: Any = None,
    ask_department: bool = False,
    departments: str = "",
    questions: list[QuestionSpec] | None = None,
) -> Round:
    """Change a round; its questions and wave only while nobody has answered."""
    _check_round_links(round.project, phase, wave)
    if round.status == Round.Status.CLOSED:
        raise KoersError(_("A closed round cannot be changed."))
    has_answers = round.answers.exists()
    if questions is not None and has_answers and _specs(round) != questions:
        raise KoersError(_("People have answered already: the questions stay as they were asked."))
    if has_answers and wave != round.wave:
        raise KoersError(_("People have answered already: the wave stays."), field="wave")
    if wave != round.wave and round.personal_links.exists():
        # The links are in people's mailboxes: another wave would leave them dangling.
        raise KoersError(
            _("The personal links of this wave are mailed already: the wave stays."), field="wave"
        )
    round.title, round.closes_at, round.phase, round.wave = title, closes_at, phase, wave
    round.ask_department, round.departments = ask_department, departments
    round.save()
    if questions is not None and not has_answers:
        _save_questions(round, questions)
    return round


def _check_round_links(project: Project, phase: Any, wave: Any) -> None:
    if phase is not None and phase.project_id != project.pk:
        raise KoersError(_("Choose one of this project's phases."), field="phase")
    if wave is not None and wave.project_id != project.pk:
        raise KoersError(_("Choose one of this project's waves."), field="wave")


def _specs(round: Round) -> list[QuestionSpec]:
    return [QuestionSpec(q.kind, q.text_nl, q.text_en) for q in round.questions.all()]


@transaction.atomic
def round_open(*, round: Round, actor: Any = None) -> Round:
    """Open the round for answers; it gets a public link if it has no working one."""
    if round.status == Round.Status.CLOSED:
        raise KoersError(_("A closed round cannot be opened again; start a new round."))
    if round.closes_at <= timezone.now():
        raise KoersError(_("The closing moment has passed: move it to the future first."))
    round.status = Round.Status.OPEN
    round.opened_at = round.opened_at or timezone.now()
    round.save(update_fields=["status", "opened_at"])
    if not round.public_links.filter(revoked_at__isnull=True).exists():
        public_link_create(round=round, actor=actor)
    return round


@transaction.atomic
def round_close(*, round: Round) -> Round:
    """Close the round: no more answers, through any link."""
    if round.status != Round.Status.CLOSED:
        round.status = Round.Status.CLOSED
        round.closed_at = timezone.now()
        round.waves_at_close = waves_of_departments(round.project)
        round.save(update_fields=["status", "closed_at", "waves_at_close"])
        round.public_links.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
    return round


@transaction.atomic
def public_link_create(
    *, round: Round, actor: Any, expires_at: datetime | None = None
) -> PublicLink:
    """Make the round's public link; an earlier one stops working."""
    if round.status == Round.Status.CLOSED:
        raise KoersError(_("The round is closed."))
    expires_at = expires_at or round.closes_at
    if expires_at <= timezone.now():
        raise KoersError(_("The end date has passed."), field="expires_at")
    round.public_links.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
    return PublicLink.objects.create(round=round, expires_at=expires_at, actor=actor)


def public_link_revoke(*, round: Round) -> int:
    """Stop the round's public link at once; return how many links were stopped."""
    return round.public_links.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())


def personal_link_for_token(token: str) -> PersonalLink | None:
    """Return the personal link of a token, across workspaces (the token is the right)."""
    if not token or len(token) > 100:
        return None
    with scopes_disabled():
        return (
            PersonalLink.objects.select_related(
                "round__project__workspace", "round__project__client", "person"
            )
            .prefetch_related("round__questions")
            .filter(token_hash=hash_token(token))
            .first()
        )


# Answers.


def form_key_issue(scope: str) -> str:
    """Return a fresh single-use key for one answer form of `scope` (a link's key)."""
    return signing.TimestampSigner(salt=FORM_SALT).sign(f"{scope}:{new_key()}")


def form_key_check(signed: str, scope: str) -> str:
    """Return the nonce of a form key issued for `scope`, or raise KoersError."""
    try:
        value = signing.TimestampSigner(salt=FORM_SALT).unsign(signed, max_age=FORM_MAX_AGE)
    except signing.SignatureExpired as expired:
        raise KoersError(_("This form was open too long; it has been renewed.")) from expired
    except signing.BadSignature as bad:
        raise KoersError(_("This form is not valid; it has been renewed.")) from bad
    found_scope, _sep, nonce = value.rpartition(":")
    if found_scope != scope or not nonce:
        raise KoersError(_("This form is not valid; it has been renewed."))
    return nonce


def _answer_fields(
    round: Round, values: dict[str, Any], questions: Iterable[Question]
) -> dict[str, Any]:
    fields: dict[str, Any] = {step.value: values[step.value] for step in STEPS}
    fields.update({name: (values.get(name) or "").strip() for name in OPEN_FIELDS})
    own: dict[str, Any] = {}
    for question in questions:
        value = values.get(question.key)
        if value not in (None, ""):
            own[question.key] = value.strip() if isinstance(value, str) else value
    fields["own"] = own
    department = (values.get("department") or "").strip()
    if department and department not in round.department_list:
        raise KoersError(_("Choose a department from the list."), field="department")
    fields["department"] = department
    return fields


def answer_submit(
    *,
    round: Round,
    form_key: str,
    values: dict[str, Any],
    language: str,
    questions: list[Question] | None = None,
    edit_key: str | None = None,
    department: str | None = None,
    personal_link: PersonalLink | None = None,
) -> Answer:
    """Keep one answer; a second submission of the same form raises DuplicateSubmission.

    `questions` are the round's own questions when the caller has read them already (the
    answer page reads them with its link). With `edit_key` (a personal link) the person's
    earlier answer is replaced, until the round closes. `department`, when given, comes from
    the person's record, not the form.
    """
    if not round.is_accepting:
        raise RoundClosed(_("This pulse round is closed."))
    own_questions = round.questions.all() if questions is None else questions
    fields = _answer_fields(round, values, own_questions)
    if department is not None:
        fields["department"] = department
    fields["language"] = language[:8]
    if edit_key is None:
        return _answer_insert(round=round, source=Answer.Source.PUBLIC, form_key=form_key, **fields)
    try:
        with transaction.atomic():
            answer = Answer.objects.select_for_update().filter(edit_key=edit_key).first()
            if personal_link is not None and not personal_link.has_answered:
                PersonalLink.objects.filter(pk=personal_link.pk).update(has_answered=True)
            if answer is None:
                return Answer.objects.create(
                    round=round,
                    source=Answer.Source.PERSONAL,
                    form_key=form_key,
                    edit_key=edit_key,
                    **fields,
                )
            if answer.form_key == form_key:
                raise DuplicateSubmission(_("Your answer was received already."))
            for name, value in fields.items():
                setattr(answer, name, value)
            answer.form_key = form_key
            answer.submitted_on = timezone.localdate()
            answer.save()
            return answer
    except IntegrityError as duplicate:
        raise DuplicateSubmission(_("Your answer was received already.")) from duplicate


def _answer_insert(**fields: Any) -> Answer:
    """Store a new answer in one INSERT; a form key used before raises DuplicateSubmission.

    The unique form key makes the INSERT itself the single-use check. One statement commits
    on its own, so no BEGIN and COMMIT around it; inside a caller's transaction a savepoint
    keeps that transaction usable after a refused duplicate.
    """
    answer = Answer(**fields)
    try:
        # save() rather than the scoped manager's create(): an INSERT needs no scope filter.
        if connection.in_atomic_block:
            with transaction.atomic():
                answer.save(force_insert=True)
        else:
            answer.save(force_insert=True)
    except IntegrityError as duplicate:
        raise DuplicateSubmission(_("Your answer was received already.")) from duplicate
    return answer


# Feedback items.


def _check_links(project: Project, fields: dict[str, Any]) -> None:
    for name in ("phase", "wave", "plan_revision", "pulse_round"):
        linked = fields.get(name)
        if linked is not None and linked.project_id != project.pk:
            raise KoersError(_("Choose one of this project's own."), field=name)
    if (
        fields.get("status") == FeedbackItem.Status.DECLINED
        and not (fields.get("decline_reason") or "").strip()
    ):
        raise KoersError(_("Say why it is declined: people asked for it."), field="decline_reason")


@transaction.atomic
def feedback_create(*, project: Project, actor: Any, **fields: Any) -> FeedbackItem:
    _check_links(project, fields)
    return FeedbackItem.objects.create(project=project, actor=actor, **fields)


@transaction.atomic
def feedback_update(*, item: FeedbackItem, **fields: Any) -> FeedbackItem:
    merged = {
        "status": item.status,
        "decline_reason": item.decline_reason,
        "phase": item.phase,
        "wave": item.wave,
        "plan_revision": item.plan_revision,
        "pulse_round": item.pulse_round,
    } | fields
    _check_links(item.project, merged)
    for name, value in fields.items():
        setattr(item, name, value)
    item.save()
    return item


@transaction.atomic
def feedback_from_answer(
    *, round: Round, answer: Answer, question: str, actor: Any
) -> FeedbackItem:
    """Turn one open answer into a feedback item, or return the item made from it before."""
    if answer.round_id != round.pk:
        raise KoersError(_("That answer is not of this round."))
    own_open = {q.key for q in round.questions.all() if q.kind == Question.Kind.OPEN}
    if question in OPEN_FIELDS:
        text = getattr(answer, question)
    elif question in own_open:
        text = str(answer.own.get(question, ""))
    else:
        raise KoersError(_("That is not an open question."))
    if not text.strip():
        raise KoersError(_("That answer is empty."))
    existing = answer.feedback_items.filter(origin_question=question).first()
    if existing is not None:
        return existing
    return FeedbackItem.objects.create(
        project=round.project,
        source=FeedbackItem.Source.PULSE,
        text=text.strip(),
        pulse_round=round,
        phase=round.phase,
        wave=round.wave,
        origin_answer=answer,
        origin_question=question,
        actor=actor,
    )


@transaction.atomic
def feedback_page_create(*, project: Project, actor: Any) -> tuple[FeedbackPage, str]:
    """Make a new link to the 'you said, we did' page; earlier links stop working."""
    feedback_page_revoke(project=project)
    page = FeedbackPage(project=project, actor=actor)
    token = page.new_token()
    page.save()
    return page, token


def feedback_page_revoke(*, project: Project) -> int:
    return project.feedback_pages.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())


# Status updates.


@transaction.atomic
def status_update_save(
    *,
    project: Project,
    actor: Any,
    week: date,
    status: str,
    highlights: str = "",
    decisions: str = "",
    risks: str = "",
    next_steps: str = "",
) -> StatusUpdate:
    """Write the update of `week` (any day of it); a second one that week replaces it."""
    if status not in StatusUpdate.Status.values:
        raise KoersError(_("Choose red, amber or green."), field="status")
    update, _made = StatusUpdate.objects.update_or_create(
        project=project,
        week=week_start(week),
        defaults={
            "status": status,
            "highlights": highlights,
            "decisions": decisions,
            "risks": risks,
            "next_steps": next_steps,
            "actor": actor,
        },
    )
    return update


@transaction.atomic
def thresholds_update(*, workspace: Workspace, **fields: Any) -> Thresholds:
    current = Thresholds.objects.filter(workspace=workspace).first() or Thresholds(
        workspace=workspace
    )
    for name, value in fields.items():
        setattr(current, name, value)
    try:
        current.as_thresholds()
    except ValueError as wrong:
        raise KoersError(_("Amber must lie between green and red for every measure.")) from wrong
    current.save()
    return current
