from typing import ClassVar

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from koers.core.scoping import workspace_scoped
from koers.core.tokens import HashedToken, RevocableLink
from koers.projects.models import Project
from koers.roadmap.models import Phase


class Lesson(models.Model):
    """One lesson learned of a project, or of one of its phases, for the projects after it."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="lessons", verbose_name=_("project")
    )
    phase = models.ForeignKey(
        Phase,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("phase"),
    )
    title = models.CharField(
        _("lesson"), max_length=200, help_text=_("The lesson in one sentence.")
    )
    went_well = models.TextField(_("what went well"), max_length=4000, blank=True)
    could_be_better = models.TextField(_("what could be better"), max_length=4000, blank=True)
    try_next = models.TextField(_("what to try next time"), max_length=4000, blank=True)
    # Normalised by matching.tags, comma separated: "migration,licences,go-live".
    tags = models.CharField(
        _("tags"),
        max_length=300,
        blank=True,
        help_text=_("Comma separated, e.g. 'migration, licences'."),
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    objects: ClassVar[models.Manager["Lesson"]] = workspace_scoped("project__workspace")

    class Meta:
        verbose_name = _("lesson learned")
        verbose_name_plural = _("lessons learned")
        ordering = ["-recorded_at", "-id"]
        indexes = [models.Index(fields=["project", "-recorded_at", "-id"], name="lesson_order")]

    def __str__(self) -> str:
        return self.title

    @property
    def tag_list(self) -> list[str]:
        return [t for t in self.tags.split(",") if t]

    def url(self, name: str = "aftercare:lesson_edit") -> str:
        return reverse(
            name,
            kwargs={
                "workspace": self.project.workspace.slug,
                "project": self.project.slug,
                "lesson": self.pk,
            },
        )


class TakenLesson(models.Model):
    """An earlier lesson the plan of a project takes along."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="taken_lessons", verbose_name=_("project")
    )
    lesson = models.ForeignKey(
        Lesson, on_delete=models.CASCADE, related_name="taken_by", verbose_name=_("lesson")
    )
    taken_at = models.DateTimeField(_("taken along"), default=timezone.now)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )

    objects: ClassVar[models.Manager["TakenLesson"]] = workspace_scoped("project__workspace")

    class Meta:
        verbose_name = _("lesson taken along")
        verbose_name_plural = _("lessons taken along")
        ordering = ["-taken_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "lesson"], name="lesson_taken_once")
        ]

    def __str__(self) -> str:
        return f"{self.project}: {self.lesson}"


class HandoverItem(models.Model):
    """One item of the handover to operations: where it is, who owns it, and whether it is done."""

    class Kind(models.TextChoices):
        DOCUMENTATION = "documentation", _("Documentation")
        ACCESS = "access", _("Where access and credentials are kept")
        MONITORING = "monitoring", _("Monitoring")
        SUPPORT = "support", _("Support contacts")
        KNOWN_ISSUES = "known_issues", _("Known issues")
        RUNBOOK = "runbook", _("Runbook")

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="handover_items", verbose_name=_("project")
    )
    kind = models.CharField(_("item"), max_length=16, choices=Kind.choices)
    notes = models.TextField(
        _("where and what"),
        max_length=2000,
        blank=True,
        help_text=_("Where it is kept and what operations needs to know. Never a secret itself."),
    )
    owner = models.CharField(_("owner"), max_length=200, blank=True)
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.OPEN)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects: ClassVar[models.Manager["HandoverItem"]] = workspace_scoped("project__workspace")

    class Meta:
        verbose_name = _("handover item")
        verbose_name_plural = _("handover items")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "kind"], name="handover_item_once"),
            models.CheckConstraint(
                condition=models.Q(state__in=["open", "done"]), name="handover_state_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project}: {self.get_kind_display()}"


class Handover(models.Model):
    """The shadow period of a project's handover, and why it closed with the checklist open."""

    project = models.OneToOneField(
        Project, on_delete=models.CASCADE, related_name="handover", verbose_name=_("project")
    )
    shadow_start = models.DateField(_("shadow period from"), null=True, blank=True)
    shadow_end = models.DateField(_("shadow period until"), null=True, blank=True)
    backup = models.TextField(
        _("who backs up whom"),
        max_length=1000,
        blank=True,
        help_text=_("E.g. 'Sam (project) backs up the service desk for the new portal'."),
    )
    closed_open_reason = models.TextField(
        _("why it closed with the checklist open"), max_length=1000, blank=True
    )

    objects: ClassVar[models.Manager["Handover"]] = workspace_scoped("project__workspace")

    class Meta:
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(shadow_end__gte=models.F("shadow_start"))
                | models.Q(shadow_start__isnull=True)
                | models.Q(shadow_end__isnull=True),
                name="shadow_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return str(self.project)


class Evaluation(HashedToken, RevocableLink):
    """The client's evaluation of a project: a public link that takes one answer.

    Only the SHA-256 of the token is kept; the link is shown once, when made. The answer
    lands on the same row, so one link holds at most one answer.
    """

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="evaluations", verbose_name=_("project")
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    went_well = models.TextField(_("what went well"), max_length=4000, blank=True)
    could_be_better = models.TextField(_("what could be better"), max_length=4000, blank=True)
    what_next = models.TextField(_("what next"), max_length=4000, blank=True)
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)

    objects: ClassVar[models.Manager["Evaluation"]] = workspace_scoped("project__workspace")

    class Meta:
        verbose_name = _("client evaluation")
        verbose_name_plural = _("client evaluations")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["project", "-created_at", "-id"], name="evaluation_order"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | models.Q(score__lte=10),
                name="evaluation_score_0_to_10",
            ),
            models.CheckConstraint(
                condition=models.Q(answered_at__isnull=True) | models.Q(score__isnull=False),
                name="evaluation_answer_has_score",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project}: {self.created_at:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.answered_at is None and self.revoked_at is None


class ReferenceCase(models.Model):
    """A delivered project told as an example for other clients, with what they may see of it.

    The summary, the number of phases and how many met their KPIs are always shown; each
    `show_*` flag says whether that part is shown to another client too.
    """

    project = models.OneToOneField(
        Project, on_delete=models.CASCADE, related_name="reference_case", verbose_name=_("project")
    )
    summary = models.TextField(
        _("summary"),
        max_length=1000,
        help_text=_("What the change was and what it brought, in a few sentences."),
    )
    rollout_story = models.TextField(_("how the rollout went"), max_length=1000, blank=True)
    tags = models.CharField(
        _("tags"),
        max_length=300,
        blank=True,
        help_text=_("Comma separated, e.g. 'erp, migration'. Matches it to other projects."),
    )
    show_client = models.BooleanField(
        _("show the client's name"),
        default=False,
        help_text=_("Otherwise other clients read 'a client' and not the project's name."),
    )
    show_figures = models.BooleanField(
        _("show KPI figures"),
        default=False,
        help_text=_("The KPIs with their baseline, target and result."),
    )
    show_rollout = models.BooleanField(_("show how the rollout went"), default=True)
    show_score = models.BooleanField(_("show the client's score"), default=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects: ClassVar[models.Manager["ReferenceCase"]] = workspace_scoped("project__workspace")

    class Meta:
        verbose_name = _("reference case")
        verbose_name_plural = _("reference cases")
        ordering = ["-updated_at", "-id"]

    def __str__(self) -> str:
        return str(self.project)
