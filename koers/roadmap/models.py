import uuid
from datetime import date, timedelta
from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from koers.core.scoping import workspace_scoped
from koers.core.tokens import ReshowableToken, RevocableLink
from koers.projects.models import Project, Vision
from koers.workspaces.models import Membership, Workspace

from . import guardrails

MAX_PHASE_WEEKS = 260  # five years: anything longer is a typo, not a plan


def new_key() -> str:
    return uuid.uuid4().hex[:12]


class GuardrailLimits(models.Model):
    """A workspace's own limits for the guardrails; the method's numbers by default."""

    workspace = models.OneToOneField(
        Workspace,
        on_delete=models.CASCADE,
        related_name="guardrail_limits",
        verbose_name=_("workspace"),
    )
    max_phase_weeks = models.PositiveSmallIntegerField(
        _("longest phase (weeks)"),
        default=guardrails.Limits.max_phase_weeks,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_PHASE_WEEKS)],
    )
    min_phase_budget = models.DecimalField(
        _("smallest phase budget (EUR)"),
        max_digits=12,
        decimal_places=2,
        default=guardrails.Limits.min_phase_budget,
        validators=[MinValueValidator(Decimal(0))],
    )
    max_phase_budget = models.DecimalField(
        _("largest phase budget (EUR)"),
        max_digits=12,
        decimal_places=2,
        default=guardrails.Limits.max_phase_budget,
        validators=[MinValueValidator(Decimal(1))],
    )
    first_delivery_weeks = models.PositiveSmallIntegerField(
        _("first live delivery within (weeks)"),
        default=guardrails.Limits.first_delivery_weeks,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_PHASE_WEEKS)],
    )
    max_phases_at_once = models.PositiveSmallIntegerField(
        _("most phases one consultant is on at once"),
        default=guardrails.Limits.max_phases_at_once,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text=_("Across all projects, in any month; above it the portfolio roadmap warns."),
    )

    objects: ClassVar[models.Manager["GuardrailLimits"]] = workspace_scoped("workspace")

    class Meta:
        verbose_name = _("guardrail limits")
        verbose_name_plural = _("guardrail limits")

    def __str__(self) -> str:
        return str(self.workspace)

    def as_limits(self) -> guardrails.Limits:
        return guardrails.Limits(
            max_phase_weeks=self.max_phase_weeks,
            min_phase_budget=self.min_phase_budget,
            max_phase_budget=self.max_phase_budget,
            first_delivery_weeks=self.first_delivery_weeks,
            max_phases_at_once=self.max_phases_at_once,
        )


class Phase(models.Model):
    """Act small: a part of the plan of at most 12 weeks that is worth it on its own."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ACTIVE = "active", _("Active")
        DONE = "done", _("Done")
        STOPPED = "stopped", _("Stopped")

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="phases", verbose_name=_("project")
    )
    # Stays the same across plan revisions, so a restored phase is the same phase.
    key = models.CharField(max_length=12, default=new_key, editable=False)
    position = models.PositiveIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=120)
    goal = models.TextField(_("goal"), max_length=1000, blank=True)
    standalone_value = models.TextField(
        _("standalone value"),
        max_length=1000,
        blank=True,
        help_text=_("Why this phase is worth it even if nothing follows."),
    )
    vision_horizon = models.PositiveSmallIntegerField(
        _("vision horizon"), choices=Vision.Horizon.choices, null=True, blank=True
    )
    vision_contribution = models.CharField(
        _("serves this part of the vision"),
        max_length=300,
        blank=True,
        help_text=_("Which part of the 24/48-month vision this phase brings closer."),
    )
    start_month = models.DateField(_("start month"))
    weeks = models.PositiveSmallIntegerField(
        _("duration (weeks)"),
        validators=[MinValueValidator(1), MaxValueValidator(MAX_PHASE_WEEKS)],
    )
    budget = models.DecimalField(
        _("budget (EUR)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PLANNED
    )
    builds_on = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="followed_by",
        verbose_name=_("builds on"),
    )

    objects: ClassVar[models.Manager["Phase"]] = workspace_scoped("project__workspace")

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["start_month", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "key"], name="phase_key_per_project"),
            models.CheckConstraint(condition=models.Q(weeks__gte=1), name="phase_weeks_positive"),
            models.CheckConstraint(
                condition=models.Q(budget__gte=0), name="phase_budget_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def end(self) -> date:
        return self.start_month + timedelta(weeks=self.weeks)

    def is_late_on(self, today: date) -> bool:
        return guardrails.is_late(status=self.status, end=self.end, today=today)

    @property
    def is_late(self) -> bool:
        """Past its end and not done, as of today."""
        return self.is_late_on(timezone.localdate())

    @property
    def has_vision_link(self) -> bool:
        return self.vision_horizon is not None and bool(self.vision_contribution.strip())


class PhaseConsultant(models.Model):
    """A consultant of the workspace working on a phase: the portfolio roadmap shows who is
    on what, and warns when someone is on more phases at once than the workspace allows."""

    phase = models.ForeignKey(
        Phase, on_delete=models.CASCADE, related_name="consultants", verbose_name=_("phase")
    )
    member = models.ForeignKey(
        Membership,
        on_delete=models.CASCADE,
        related_name="phase_assignments",
        verbose_name=_("consultant"),
    )

    objects: ClassVar[models.Manager["PhaseConsultant"]] = workspace_scoped(
        "phase__project__workspace"
    )

    class Meta:
        verbose_name = _("consultant of a phase")
        verbose_name_plural = _("consultants of phases")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["phase", "member"], name="consultant_once_per_phase")
        ]

    def __str__(self) -> str:
        return f"{self.member.user} · {self.phase}"


class Kpi(models.Model):
    """The measurable result of a phase: baseline, target and actual."""

    class Direction(models.TextChoices):
        LOWER = "lower", _("Lower is better")
        HIGHER = "higher", _("Higher is better")

    phase = models.ForeignKey(
        Phase, on_delete=models.CASCADE, related_name="kpis", verbose_name=_("phase")
    )
    key = models.CharField(max_length=12, default=new_key, editable=False)
    name = models.CharField(_("KPI"), max_length=120)
    unit = models.CharField(_("unit"), max_length=30, blank=True)
    direction = models.CharField(
        _("direction"), max_length=8, choices=Direction.choices, default=Direction.LOWER
    )
    baseline = models.DecimalField(
        _("baseline"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    baseline_on = models.DateField(_("baseline measured on"), null=True, blank=True)
    target = models.DecimalField(
        _("target"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    actual = models.DecimalField(
        _("actual"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    actual_on = models.DateField(_("actual measured on"), null=True, blank=True)

    objects: ClassVar[models.Manager["Kpi"]] = workspace_scoped("phase__project__workspace")

    class Meta:
        verbose_name = _("KPI")
        verbose_name_plural = _("KPIs")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name

    def as_guardrail(self) -> guardrails.Kpi:
        return guardrails.Kpi(
            name=self.name,
            baseline=self.baseline,
            target=self.target,
            actual=self.actual,
            lower_is_better=self.direction == self.Direction.LOWER,
        )

    @property
    def is_met(self) -> bool | None:
        return guardrails.kpi_is_met(self.as_guardrail())


class Milestone(models.Model):
    """A moment on the roadmap: something goes live, is coming, or the users are asked."""

    class Kind(models.TextChoices):
        LIVE = "live", _("Live")
        COMING = "coming", _("Coming")
        FEEDBACK = "feedback", _("Feedback moment")

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("project")
    )
    key = models.CharField(max_length=12, default=new_key, editable=False)
    phase = models.ForeignKey(
        Phase,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="milestones",
        verbose_name=_("phase"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=120)
    on = models.DateField(_("date"))
    decision_needed = models.CharField(
        _("decision needed"),
        max_length=300,
        blank=True,
        help_text=_("What the client has to decide at this moment, if anything."),
    )

    objects: ClassVar[models.Manager["Milestone"]] = workspace_scoped("project__workspace")

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return self.title


class Deviation(models.Model):
    """A guardrail finding the team accepted on purpose, with the written justification."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="deviations", verbose_name=_("project")
    )
    rule = models.CharField(
        _("guardrail"), max_length=32, choices=[(r.value, r.value) for r in guardrails.Rule]
    )
    # The phase's key, or empty for a finding on the plan as a whole. A key, not a foreign
    # key: the acceptance survives restoring a revision in which the phase comes back.
    subject = models.CharField(max_length=12, blank=True)
    justification = models.TextField(_("justification"), max_length=2000)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )
    accepted_at = models.DateTimeField(_("accepted"), auto_now_add=True)

    objects: ClassVar[models.Manager["Deviation"]] = workspace_scoped("project__workspace")

    class Meta:
        verbose_name = _("accepted deviation")
        verbose_name_plural = _("accepted deviations")
        ordering = ["accepted_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "rule", "subject"], name="one_deviation_per_finding"
            )
        ]

    def __str__(self) -> str:
        return f"{self.rule} {self.subject}"

    def as_guardrail(self) -> guardrails.Acceptance:
        return guardrails.Acceptance(
            rule=guardrails.Rule(self.rule), subject=self.subject, justification=self.justification
        )


class PlanRevision(models.Model):
    """One recorded version of the plan, with the reason it changed."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="plan_revisions", verbose_name=_("project")
    )
    number = models.PositiveIntegerField(_("revision"))
    reason = models.CharField(_("reason"), max_length=500)
    snapshot = models.JSONField(_("plan"))
    restored_from = models.PositiveIntegerField(_("restored from revision"), null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    objects: ClassVar[models.Manager["PlanRevision"]] = workspace_scoped("project__workspace")

    class Meta:
        verbose_name = _("plan revision")
        verbose_name_plural = _("plan revisions")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="revision_number_per_plan")
        ]

    def __str__(self) -> str:
        return f"{self.project} r{self.number}"


SHARE_LINK_SALT = "koers.roadmap.share"


class ShareLink(ReshowableToken, RevocableLink):
    """A revocable, unguessable link to one project's roadmap or calendar feed; the team can
    copy it again (core.tokens.ReshowableToken). Links made before keys were kept have none
    and cannot be shown again.
    """

    SALT = SHARE_LINK_SALT

    class Kind(models.TextChoices):
        ROADMAP = "roadmap", _("Read-only roadmap")
        CALENDAR = "calendar", _("Calendar feed (iCal)")
        WAVES = "waves", _("Wave calendar feed (iCal)")

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="share_links", verbose_name=_("project")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)

    objects: ClassVar[models.Manager["ShareLink"]] = workspace_scoped("project__workspace")

    class Meta:
        verbose_name = _("share link")
        verbose_name_plural = _("share links")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.project} {self.kind}"
