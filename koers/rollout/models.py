"""Small releases: the first ring, the pilot, the waves, their gates and support load."""

from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from koers.core import dates
from koers.core.scoping import workspace_scoped
from koers.population.models import Person
from koers.projects.models import Project
from koers.roadmap.models import Phase

from . import waves as wave_rules

# Attributes a pilot can be made representative over; `attributes` keys come on top.
SELECTION_FIELDS = ("department", "location", "job_title", "device", "manager")


class Rollout(models.Model):
    """A project's rollout settings: capacity, start, template and the support figures."""

    class Template(models.TextChoices):
        DEPARTMENTS = "departments", _("Per department")
        RINGS = "rings", _("Rings: pilot, 1%, 9%, 90%")
        CUSTOM = "custom", _("Rings with my own percentages")

    project = models.OneToOneField(
        Project, on_delete=models.CASCADE, related_name="rollout", verbose_name=_("project")
    )
    # The phase of the plan that delivers the rollout: the waves start with it by default and
    # are drawn under it on the roadmap.
    phase = models.ForeignKey(
        Phase,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="rollouts",
        verbose_name=_("phase that delivers the rollout"),
    )
    start_on = models.DateField(
        _("first day of the pilot"),
        null=True,
        blank=True,
        help_text=_("Empty: the first working day of the phase that delivers the rollout."),
    )
    capacity = models.PositiveIntegerField(
        _("people per working day"),
        default=40,
        validators=[MinValueValidator(1), MaxValueValidator(100_000)],
        help_text=_("How many people the service desk can take live per working day."),
    )
    template = models.CharField(
        _("waves"), max_length=16, choices=Template.choices, default=Template.DEPARTMENTS
    )
    percentages = models.JSONField(_("ring percentages"), default=list, blank=True)
    soak_days = models.JSONField(_("soak days per ring"), default=list, blank=True)
    pilot_soak_days = models.PositiveSmallIntegerField(
        _("working days to evaluate the pilot"),
        default=wave_rules.PILOT_SOAK_DAYS,
        validators=[MaxValueValidator(60)],
    )
    wave_days = models.PositiveSmallIntegerField(
        _("working days per department wave"),
        default=wave_rules.DAYS_PER_WAVE,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("Large departments are split, small ones combined, to about this size."),
    )
    blackout_dates = models.JSONField(_("blackout dates"), default=list, blank=True)
    ticket_rate = models.DecimalField(
        _("tickets per 100 people going live"),
        max_digits=7,
        decimal_places=2,
        default=Decimal(15),
        validators=[MinValueValidator(Decimal(0))],
    )
    desk_capacity = models.DecimalField(
        _("tickets the service desk handles per day"),
        max_digits=9,
        decimal_places=2,
        default=Decimal(20),
        validators=[MinValueValidator(Decimal(0))],
    )
    seed = models.PositiveIntegerField(_("seed"), default=0)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    objects: ClassVar[models.Manager["Rollout"]] = workspace_scoped("project__workspace")

    class Meta:
        verbose_name = _("rollout")
        verbose_name_plural = _("rollouts")

    def __str__(self) -> str:
        return str(self.project)


class FirstRing(models.Model):
    """IT and the service desk, live before the pilot: what the user changed of Koers's find.

    Koers finds them by department and job title (ring.py); the user adds or leaves out whole
    departments or single people (by key). The members are written anew whenever the pilot
    is chosen, the ring changes or the waves are planned, so leavers drop out.
    """

    project = models.OneToOneField(
        Project, on_delete=models.CASCADE, related_name="first_ring", verbose_name=_("project")
    )
    add_departments = models.JSONField(_("departments added"), default=list, blank=True)
    remove_departments = models.JSONField(_("departments left out"), default=list, blank=True)
    add_people = models.JSONField(_("people added"), default=list, blank=True)
    remove_people = models.JSONField(_("people left out"), default=list, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    # The members counted per department and reason, kept with what they were counted on
    # (queries.py): counted again only when the members or the client's people changed.
    departments_kept = models.JSONField(null=True, blank=True, editable=False)

    objects: ClassVar[models.Manager["FirstRing"]] = workspace_scoped("project__workspace")

    class Meta:
        verbose_name = _("first ring")
        verbose_name_plural = _("first rings")

    def __str__(self) -> str:
        return str(self.project)


class FirstRingMember(models.Model):
    class Reason(models.TextChoices):
        DEPARTMENT = "department", _("Department")
        JOB_TITLE = "job_title", _("Job title")
        ADDED_DEPARTMENT = "added_department", _("Department added")
        ADDED = "added", _("Added")

    ring = models.ForeignKey(  # indexed by the unique (ring, person) index
        FirstRing,
        on_delete=models.CASCADE,
        related_name="members",
        verbose_name=_("first ring"),
        db_index=False,
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="first_ring_memberships",
        verbose_name=_("person"),
    )
    reason = models.CharField(_("why"), max_length=16, choices=Reason.choices)

    objects: ClassVar[models.Manager["FirstRingMember"]] = workspace_scoped(
        "ring__project__workspace"
    )

    class Meta:
        verbose_name = _("first ring member")
        verbose_name_plural = _("first ring members")
        constraints = [
            models.UniqueConstraint(fields=["ring", "person"], name="person_once_per_first_ring")
        ]

    def __str__(self) -> str:
        return str(self.person)


class Pilot(models.Model):
    """The pilot group of a project and how it was chosen: from the rest, after the first ring."""

    project = models.OneToOneField(
        Project, on_delete=models.CASCADE, related_name="pilot", verbose_name=_("project")
    )
    size = models.PositiveIntegerField(_("size"))
    attributes = models.JSONField(_("representative over"), default=list)
    seed = models.PositiveIntegerField(_("seed"), default=0)
    # The median mean TVD of random picks of the same size: what the choice is measured by.
    random_median = models.FloatField(_("median of random picks"), default=0)
    # Per mark: how many marked people are in the pilot and why not the others (pilot.py).
    marks = models.JSONField(_("marks honoured"), default=list, blank=True)
    # How close the pilot is to the rest, kept with what it was measured on (queries.py):
    # measured again only when the people, the pilot or the first ring have changed.
    measure = models.JSONField(null=True, blank=True, editable=False)
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("chosen by"),
    )
    chosen_at = models.DateTimeField(_("chosen"), auto_now=True)

    objects: ClassVar[models.Manager["Pilot"]] = workspace_scoped("project__workspace")

    class Meta:
        verbose_name = _("pilot")
        verbose_name_plural = _("pilots")

    def __str__(self) -> str:
        return str(self.project)


class PilotMember(models.Model):
    class Source(models.TextChoices):
        SELECTED = "selected", _("Selected")
        SWAPPED_IN = "swapped", _("Swapped in")

    pilot = models.ForeignKey(
        Pilot, on_delete=models.CASCADE, related_name="members", verbose_name=_("pilot")
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="pilot_memberships", verbose_name=_("person")
    )
    source = models.CharField(_("how"), max_length=16, choices=Source.choices)

    objects: ClassVar[models.Manager["PilotMember"]] = workspace_scoped("pilot__project__workspace")

    class Meta:
        verbose_name = _("pilot member")
        verbose_name_plural = _("pilot members")
        constraints = [
            models.UniqueConstraint(fields=["pilot", "person"], name="person_once_per_pilot")
        ]

    def __str__(self) -> str:
        return str(self.person)


class Wave(models.Model):
    """A group of people that goes live together, with its dates and a gate after it."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ACTIVE = "active", _("Active")
        EVALUATING = "evaluating", _("Evaluating")
        DONE = "done", _("Done")
        PAUSED = "paused", _("Paused")
        ROLLED_BACK = "rolled_back", _("Rolled back")

    class Kind(models.TextChoices):
        FIRST_RING = "first_ring", _("First ring (IT and service desk)")
        PILOT = "pilot", _("Pilot")
        DEPARTMENT = "department", _("Department")
        RING = "ring", _("Ring")

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="waves", verbose_name=_("project")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    label = models.CharField(_("name"), max_length=300)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    departments = models.JSONField(_("departments"), default=list, blank=True)
    percentage = models.DecimalField(
        _("percentage"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PLANNED
    )
    start_on = models.DateField(_("first day"))
    end_on = models.DateField(_("last day"))
    days = models.JSONField(_("people per day"), default=list)  # [["2025-03-03", 80], ...]
    size = models.PositiveIntegerField(_("people"), default=0)
    soak_days = models.PositiveSmallIntegerField(_("soak days"), default=0)
    paused_reason = models.TextField(_("reason for the pause"), max_length=2000, blank=True)
    paused_from = models.CharField(max_length=16, choices=Status.choices, blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    rolled_back_at = models.DateTimeField(_("rolled back"), null=True, blank=True)

    objects: ClassVar[models.Manager["Wave"]] = workspace_scoped("project__workspace")

    class Meta:
        verbose_name = _("wave")
        verbose_name_plural = _("waves")
        ordering = ["project", "number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="wave_number_per_project")
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def weeks(self) -> str:
        return dates.iso_weeks(self.start_on, self.end_on)

    @property
    def is_late(self) -> bool:
        """Past its last day and not done (a rolled-back wave is closed, not late)."""
        return dates.is_late(
            last_day=self.end_on,
            is_finished=self.status in (self.Status.DONE, self.Status.ROLLED_BACK),
            today=timezone.localdate(),
        )

    @property
    def is_live(self) -> bool:
        return self.status in (self.Status.ACTIVE, self.Status.EVALUATING, self.Status.DONE)


class WavePin(models.Model):
    """A department moved to a wave by hand: planning the waves anew keeps it there."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="wave_pins", verbose_name=_("project")
    )
    department = models.CharField(_("department"), max_length=150, blank=True)
    # The n-th wave after the pilot (1 is the first), so it survives renumbering.
    position = models.PositiveSmallIntegerField(
        _("wave after the pilot"), validators=[MinValueValidator(1)]
    )
    pinned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("moved by"),
    )
    pinned_at = models.DateTimeField(_("moved"), auto_now=True)

    objects: ClassVar[models.Manager["WavePin"]] = workspace_scoped("project__workspace")

    class Meta:
        verbose_name = _("department moved by hand")
        verbose_name_plural = _("departments moved by hand")
        ordering = ["department"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "department"], name="wave_pin_per_department"
            )
        ]

    def __str__(self) -> str:
        return f"{self.department} → {self.position}"


class WaveMember(models.Model):
    # No index of its own: the unique (wave, person) index starts with the wave. One index
    # less to keep up for each of the 100,000 rows a plan writes.
    wave = models.ForeignKey(
        Wave,
        on_delete=models.CASCADE,
        related_name="members",
        verbose_name=_("wave"),
        db_index=False,
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="wave_memberships", verbose_name=_("person")
    )
    live_on = models.DateField(_("planned day"))

    objects: ClassVar[models.Manager["WaveMember"]] = workspace_scoped("wave__project__workspace")

    class Meta:
        verbose_name = _("wave member")
        verbose_name_plural = _("wave members")
        constraints = [
            models.UniqueConstraint(fields=["wave", "person"], name="person_once_per_wave")
        ]
        indexes = [models.Index(fields=["wave", "live_on"])]

    def __str__(self) -> str:
        return str(self.person)


class WaveEvent(models.Model):
    """The history of a wave: every status change, move and pause, with who and why."""

    class Kind(models.TextChoices):
        PLANNED = "planned", _("Planned")
        STARTED = "started", _("Started")
        EVALUATING = "evaluating", _("Evaluation started")
        PAUSED = "paused", _("Paused")
        RESUMED = "resumed", _("Resumed")
        MOVED = "moved", _("Moved")
        REPLANNED = "replanned", _("Re-planned")
        DONE = "done", _("Done")
        ROLLED_BACK = "rolled_back", _("Rolled back")

    wave = models.ForeignKey(
        Wave, on_delete=models.CASCADE, related_name="events", verbose_name=_("wave")
    )
    kind = models.CharField(_("what"), max_length=16, choices=Kind.choices)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("when"), auto_now_add=True)

    objects: ClassVar[models.Manager["WaveEvent"]] = workspace_scoped("wave__project__workspace")

    class Meta:
        verbose_name = _("wave event")
        verbose_name_plural = _("wave events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.wave}: {self.kind}"


class Gate(models.Model):
    """The go/no-go moment after a wave: criteria, evaluation notes and the decisions."""

    wave = models.OneToOneField(
        Wave, on_delete=models.CASCADE, related_name="gate", verbose_name=_("wave")
    )
    max_blocking = models.PositiveIntegerField(_("open blocking feedback allowed"), default=0)
    open_blocking = models.PositiveIntegerField(
        _("open blocking feedback"),
        default=0,
        help_text=_("Feedback items that stop the next wave until they are solved."),
    )
    max_tickets_per_100 = models.DecimalField(
        _("support tickets per 100 users, at most"),
        max_digits=7,
        decimal_places=2,
        default=Decimal(15),
        validators=[MinValueValidator(Decimal(0))],
    )
    min_understanding = models.DecimalField(
        _("understanding, at least (1–5)"),  # noqa: RUF001
        max_digits=3,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(1)), MaxValueValidator(Decimal(5))],
    )
    understanding = models.DecimalField(
        _("understanding measured (1–5)"),  # noqa: RUF001
        max_digits=3,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(1)), MaxValueValidator(Decimal(5))],
        help_text=_("How well the wave's people understand the change, from a pulse round."),
    )
    notes = models.TextField(_("evaluation notes"), max_length=5000, blank=True)

    objects: ClassVar[models.Manager["Gate"]] = workspace_scoped("wave__project__workspace")

    class Meta:
        verbose_name = _("go/no-go gate")
        verbose_name_plural = _("go/no-go gates")

    def __str__(self) -> str:
        return str(self.wave)


class GateDecision(models.Model):
    class Decision(models.TextChoices):
        GO = "go", _("Go")
        NO_GO = "no_go", _("No go")

    gate = models.ForeignKey(
        Gate, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("gate")
    )
    decision = models.CharField(_("decision"), max_length=8, choices=Decision.choices)
    notes = models.TextField(_("why"), max_length=5000, blank=True)
    criteria = models.JSONField(_("criteria at the time"), default=list)
    # The gate's verdict when the decision was made (gates.Outcome); empty on older records.
    outcome = models.CharField(_("verdict at the time"), max_length=16, blank=True)
    # Why a go passes over criteria that were not met; required for such a go.
    justification = models.TextField(_("justification"), max_length=5000, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), auto_now_add=True)

    objects: ClassVar[models.Manager["GateDecision"]] = workspace_scoped(
        "gate__wave__project__workspace"
    )

    class Meta:
        verbose_name = _("gate decision")
        verbose_name_plural = _("gate decisions")
        ordering = ["-decided_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.gate}: {self.decision}"

    @property
    def is_justified_go(self) -> bool:
        """A go over criteria that were not met, with the justification written for it."""
        return self.decision == self.Decision.GO and bool(self.justification)


class SupportLoad(models.Model):
    """Support tickets of one day that came from one wave's people."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="support_load", verbose_name=_("project")
    )
    wave = models.ForeignKey(
        Wave, on_delete=models.CASCADE, related_name="support_load", verbose_name=_("wave")
    )
    day = models.DateField(_("day"))
    tickets = models.PositiveIntegerField(_("tickets"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    objects: ClassVar[models.Manager["SupportLoad"]] = workspace_scoped("project__workspace")

    class Meta:
        verbose_name = _("support load")
        verbose_name_plural = _("support load")
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(fields=["wave", "day"], name="support_load_per_wave_and_day")
        ]

    def __str__(self) -> str:
        return f"{self.day}: {self.tickets}"
