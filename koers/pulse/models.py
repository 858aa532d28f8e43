import hashlib
import hmac
import secrets
from datetime import date, timedelta
from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.core import signing
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from koers.core.scoping import workspace_scoped
from koers.core.tokens import HashedToken, RevocableLink
from koers.population.models import Person
from koers.projects.models import Project
from koers.roadmap.models import Phase, PlanRevision
from koers.rollout.models import Wave
from koers.workspaces.models import Workspace

from . import signals
from .signals import Step

SCORE = [MinValueValidator(1), MaxValueValidator(5)]
LINK_SALT = "koers.pulse.link"
# Seconds after the web timeout before a closed round counts as settled (clocks, commit).
SETTLE_MARGIN = 60


def new_key() -> str:
    """Return 192 random bits, URL-safe."""
    return secrets.token_urlsafe(24)


def edit_key_for(token: str) -> str:
    """Return the key an answer given through a personal link is found by again.

    Keyed with the secret key and different from the link's own hash, so neither the
    database nor the secret key alone ties a person to an answer: it takes the link.
    """
    return hmac.new(
        settings.SECRET_KEY.encode(), b"koers.pulse.answer:" + token.encode(), hashlib.sha256
    ).hexdigest()


class Thresholds(models.Model):
    """When measured understanding, readiness and open risks count as red or amber."""

    workspace = models.OneToOneField(
        Workspace,
        on_delete=models.CASCADE,
        related_name="pulse_thresholds",
        verbose_name=_("workspace"),
    )
    understanding_red = models.DecimalField(
        _("understanding red at or below"),
        max_digits=3,
        decimal_places=2,
        default=signals.Thresholds.understanding_red,
        validators=SCORE,
    )
    understanding_amber = models.DecimalField(
        _("understanding amber at or below"),
        max_digits=3,
        decimal_places=2,
        default=signals.Thresholds.understanding_amber,
        validators=SCORE,
    )
    readiness_red = models.DecimalField(
        _("readiness red at or below"),
        max_digits=3,
        decimal_places=2,
        default=signals.Thresholds.readiness_red,
        validators=SCORE,
    )
    readiness_amber = models.DecimalField(
        _("readiness amber at or below"),
        max_digits=3,
        decimal_places=2,
        default=signals.Thresholds.readiness_amber,
        validators=SCORE,
    )
    open_risks_red = models.PositiveSmallIntegerField(
        _("open risks red from"),
        default=signals.Thresholds.open_risks_red,
        validators=[MinValueValidator(1)],
    )
    open_risks_amber = models.PositiveSmallIntegerField(
        _("open risks amber from"),
        default=signals.Thresholds.open_risks_amber,
        validators=[MinValueValidator(1)],
    )

    objects: ClassVar[models.Manager["Thresholds"]] = workspace_scoped("workspace")

    class Meta:
        verbose_name = _("watermelon thresholds")
        verbose_name_plural = _("watermelon thresholds")

    def __str__(self) -> str:
        return str(self.workspace)

    def as_thresholds(self) -> signals.Thresholds:
        return signals.Thresholds(
            understanding_red=Decimal(self.understanding_red),
            understanding_amber=Decimal(self.understanding_amber),
            readiness_red=Decimal(self.readiness_red),
            readiness_amber=Decimal(self.readiness_amber),
            open_risks_red=self.open_risks_red,
            open_risks_amber=self.open_risks_amber,
        )


class Round(models.Model):
    """A pulse round (pulsmeting): the method's questions and the team's own, for a while."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Being prepared")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="pulse_rounds", verbose_name=_("project")
    )
    number = models.PositiveIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=120)
    phase = models.ForeignKey(
        Phase,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pulse_rounds",
        verbose_name=_("phase"),
        help_text=_("Leave empty for a round about the project as a whole."),
    )
    wave = models.ForeignKey(
        Wave,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pulse_rounds",
        verbose_name=_("wave"),
        help_text=_("A round for one wave can also go out as personal links to its people."),
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.DRAFT
    )
    closes_at = models.DateTimeField(_("closes"))
    ask_department = models.BooleanField(
        _("ask for the department"),
        default=False,
        help_text=_("Respondents with a public link choose their department from the list."),
    )
    departments = models.TextField(
        _("departments"), max_length=4000, blank=True, help_text=_("One per line.")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("made by"),
    )
    created_at = models.DateTimeField(_("made"), auto_now_add=True)
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # Each department's wave when the round closed: results per wave stay as first published,
    # so a wave re-planned later cannot be compared with its earlier self.
    waves_at_close = models.JSONField(null=True, blank=True, editable=False)
    # What may be published of the closed round (`disclosure.publish` over 12,000 answers takes
    # a while), with a stamp of what it was decided on: counted again when that changed.
    publication_kept = models.JSONField(null=True, blank=True, editable=False)
    # The overall figure (answers, and the published sums) once the round is settled: its
    # answers can no longer change, so pages read it here instead of counting them again.
    overall_kept = models.JSONField(null=True, blank=True, editable=False)

    objects: ClassVar[models.Manager["Round"]] = workspace_scoped("project__workspace")

    class Meta:
        verbose_name = _("pulse round")
        verbose_name_plural = _("pulse rounds")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="pulse_round_number")
        ]

    def __str__(self) -> str:
        return f"{self.project} #{self.number}"

    @property
    def department_list(self) -> list[str]:
        return [line.strip() for line in self.departments.splitlines() if line.strip()]

    @property
    def is_settled(self) -> bool:
        """Whether the round's answers can no longer change: closed, and longer ago than a
        request that was let in just before the closing may take (it is cut off then)."""
        if self.status != self.Status.CLOSED or self.closed_at is None:
            return False
        settles = self.closed_at + timedelta(seconds=settings.WEB_TIMEOUT + SETTLE_MARGIN)
        return timezone.now() >= settles

    @property
    def is_accepting(self) -> bool:
        """Whether answers are taken now: open, and before its closing moment."""
        return self.status == self.Status.OPEN and timezone.now() < self.closes_at


class Question(models.Model):
    """A question of the team's own, asked after the method's fixed questions."""

    class Kind(models.TextChoices):
        SCALE = "scale", _("Statement, scored 1 to 5")
        OPEN = "open", _("Open question")

    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="questions", verbose_name=_("pulse round")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.SCALE)
    text_nl = models.CharField(_("text in Dutch"), max_length=300, blank=True)
    text_en = models.CharField(_("text in English"), max_length=300, blank=True)

    objects: ClassVar[models.Manager["Question"]] = workspace_scoped("round__project__workspace")

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(text_nl="", text_en=""), name="pulse_question_has_text"
            )
        ]

    def __str__(self) -> str:
        return self.text_nl or self.text_en

    def text(self, language: str) -> str:
        """Return the text in `language`, or in the other language when it has none."""
        if language.startswith("en"):
            return self.text_en or self.text_nl
        return self.text_nl or self.text_en

    @property
    def key(self) -> str:
        return f"q{self.pk}"


class PublicLink(RevocableLink):
    """The one public link of a round: signed, revocable, ending at a set moment.

    The URL carries the key signed with the secret key, so a copy of the database alone
    cannot be turned into a working link, while the team can show it (and its QR code)
    again whenever needed.
    """

    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="public_links", verbose_name=_("pulse round")
    )
    key = models.CharField(max_length=64, unique=True, default=new_key, editable=False)
    expires_at = models.DateTimeField(_("works until"))

    objects: ClassVar[models.Manager["PublicLink"]] = workspace_scoped("round__project__workspace")

    class Meta:
        verbose_name = _("public link")
        verbose_name_plural = _("public links")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.round} link"

    @property
    def token(self) -> str:
        return signing.Signer(salt=LINK_SALT).sign(self.key)

    @staticmethod
    def key_from_token(token: str) -> str | None:
        """Return the key in a token whose signature holds, else None."""
        try:
            return signing.Signer(salt=LINK_SALT).unsign(token)
        except signing.BadSignature:
            return None

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None and timezone.now() < self.expires_at


class PersonalLink(HashedToken):
    """One person's link to a round, so each answers once and may change it until it closes.

    Records only whether the person answered: not when, and not which answer. Only the
    SHA-256 of the token is stored; the links are handed out once, when made.
    """

    round = models.ForeignKey(
        Round,
        on_delete=models.CASCADE,
        related_name="personal_links",
        verbose_name=_("pulse round"),
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="pulse_links", verbose_name=_("person")
    )
    has_answered = models.BooleanField(_("has answered"), default=False)

    objects: ClassVar[models.Manager["PersonalLink"]] = workspace_scoped(
        "round__project__workspace"
    )

    class Meta:
        verbose_name = _("personal link")
        verbose_name_plural = _("personal links")
        constraints = [
            models.UniqueConstraint(fields=["round", "person"], name="one_link_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.round} {self.person}"


class Answer(models.Model):
    """One person's answers, anonymous: no name, no address, no link to a person.

    `form_key` is the single-use key of the form it came from: a second submission of the
    same form (a double click, a replay) cannot make a second answer. `edit_key` is set only
    for answers given through a personal link, so that person can change them.
    """

    class Source(models.TextChoices):
        PUBLIC = "public", _("Public link")
        PERSONAL = "personal", _("Personal link")

    round = models.ForeignKey(
        Round,
        on_delete=models.CASCADE,
        related_name="answers",
        verbose_name=_("pulse round"),
        db_index=False,  # the first column of `pulse_answer_scores`
    )
    source = models.CharField(_("answered through"), max_length=8, choices=Source.choices)
    department = models.CharField(_("department"), max_length=120, blank=True)
    language = models.CharField(_("language"), max_length=8)
    # The day only: a time of day could be matched with other records.
    submitted_on = models.DateField(_("answered on"), default=timezone.localdate)
    awareness = models.PositiveSmallIntegerField(validators=SCORE)
    desire = models.PositiveSmallIntegerField(validators=SCORE)
    knowledge = models.PositiveSmallIntegerField(validators=SCORE)
    ability = models.PositiveSmallIntegerField(validators=SCORE)
    reinforcement = models.PositiveSmallIntegerField(validators=SCORE)
    unsure = models.TextField(max_length=2000, blank=True)
    unclear = models.TextField(max_length=2000, blank=True)
    risky = models.TextField(max_length=2000, blank=True)
    own = models.JSONField(default=dict, blank=True)
    form_key = models.CharField(max_length=64, unique=True, editable=False)
    # NULL, not "", for public answers: many rows have none, and each key is unique.
    edit_key = models.CharField(max_length=64, unique=True, null=True, editable=False)  # noqa: DJ001

    objects: ClassVar[models.Manager["Answer"]] = workspace_scoped("round__project__workspace")

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(awareness__range=(1, 5))
                & models.Q(desire__range=(1, 5))
                & models.Q(knowledge__range=(1, 5))
                & models.Q(ability__range=(1, 5))
                & models.Q(reinforcement__range=(1, 5)),
                name="pulse_answer_scores_on_scale",
            )
        ]
        # A round's figures read its answers' scores by arrival from this index alone.
        indexes = [
            models.Index(
                fields=["round", "id", *(step.value for step in signals.STEPS)],
                name="pulse_answer_scores",
            )
        ]

    def __str__(self) -> str:
        return f"{self.round} answer"

    def steps(self) -> dict[Step, int]:
        return {step: getattr(self, step.value) for step in signals.STEPS}


def week_start(day: date) -> date:
    """Return the Monday of the ISO week `day` falls in."""
    return day - timedelta(days=day.weekday())


class StatusUpdate(models.Model):
    """The project manager's weekly word: red, amber or green, and why."""

    class Status(models.TextChoices):
        GREEN = "green", _("Green")
        AMBER = "amber", _("Amber")
        RED = "red", _("Red")

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="status_updates", verbose_name=_("project")
    )
    week = models.DateField(_("week"), help_text=_("The Monday of the week it is about."))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices)
    highlights = models.TextField(_("highlights"), max_length=4000, blank=True)
    decisions = models.TextField(_("decisions"), max_length=4000, blank=True)
    risks = models.TextField(_("risks"), max_length=4000, blank=True)
    next_steps = models.TextField(_("next steps"), max_length=4000, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects: ClassVar[models.Manager["StatusUpdate"]] = workspace_scoped("project__workspace")

    class Meta:
        verbose_name = _("status update")
        verbose_name_plural = _("status updates")
        ordering = ["-week"]
        constraints = [
            models.UniqueConstraint(fields=["project", "week"], name="one_status_update_per_week"),
            models.CheckConstraint(
                condition=models.Q(status__in=["green", "amber", "red"]),
                name="status_update_rag",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.week:%G-W%V}"

    @property
    def iso_week(self) -> str:
        return f"{self.week:%G-W%V}"


class FeedbackItem(models.Model):
    """Something people said, from any source, and what the project did with it."""

    class Source(models.TextChoices):
        PULSE = "pulse", _("Pulse round")
        PILOT = "pilot", _("Pilot")
        SUPPORT = "support", _("Support desk")
        MEETING = "meeting", _("Meeting")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        NEW = "new", _("New")
        ACCEPTED = "accepted", _("Accepted")
        PLANNED = "planned", _("Planned")
        DONE = "done", _("Done")
        DECLINED = "declined", _("Declined")

    OPEN_STATUSES = (Status.NEW, Status.ACCEPTED, Status.PLANNED)

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="feedback_items", verbose_name=_("project")
    )
    source = models.CharField(_("source"), max_length=8, choices=Source.choices)
    text = models.TextField(
        _("what was said"),
        max_length=2000,
        help_text=_("In the words of the people who said it, as far as possible."),
    )
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.NEW)
    response = models.TextField(
        _("what we do with it"),
        max_length=2000,
        blank=True,
        help_text=_("Shown on the 'you said, we did' page."),
    )
    decline_reason = models.CharField(_("reason for declining"), max_length=500, blank=True)
    is_blocking = models.BooleanField(
        _("blocks the next step"),
        default=False,
        help_text=_("An open blocking item counts as an open risk and holds a wave's gate."),
    )
    is_shared = models.BooleanField(_("show on the 'you said, we did' page"), default=True)
    phase = models.ForeignKey(
        Phase,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="feedback_items",
        verbose_name=_("phase"),
    )
    wave = models.ForeignKey(
        Wave,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="feedback_items",
        verbose_name=_("wave"),
    )
    plan_revision = models.ForeignKey(
        PlanRevision,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="feedback_items",
        verbose_name=_("plan revision it caused"),
    )
    pulse_round = models.ForeignKey(
        Round,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="feedback_items",
        verbose_name=_("pulse round"),
    )
    origin_answer = models.ForeignKey(
        Answer, on_delete=models.SET_NULL, null=True, blank=True, related_name="feedback_items"
    )
    origin_question = models.CharField(max_length=16, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("noted by"),
    )
    created_at = models.DateTimeField(_("noted"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects: ClassVar[models.Manager["FeedbackItem"]] = workspace_scoped("project__workspace")

    class Meta:
        verbose_name = _("feedback item")
        verbose_name_plural = _("feedback items")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="declined") | ~models.Q(decline_reason=""),
                name="feedback_declined_with_reason",
                violation_error_message=_("Say why it is declined: people asked for it."),
            )
        ]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class FeedbackPage(HashedToken, RevocableLink):
    """A revocable link to the project's 'you said, we did' page, for the whole organisation.

    Only the SHA-256 of the token is stored; the link is shown once, when made.
    """

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="feedback_pages", verbose_name=_("project")
    )

    objects: ClassVar[models.Manager["FeedbackPage"]] = workspace_scoped("project__workspace")

    class Meta:
        verbose_name = _("'you said, we did' link")
        verbose_name_plural = _("'you said, we did' links")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.project} feedback page"
