from typing import ClassVar

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from koers.core.scoping import workspace_scoped
from koers.projects.models import Project, ScopeItem
from koers.roadmap.models import Phase, PlanRevision
from koers.rollout.models import GateDecision, Wave
from koers.stakeholders.models import Stakeholder

from . import validity


class Decision(models.Model):
    """One decision of a project's log: said in one sentence, with its reasons."""

    class Status(models.TextChoices):
        PROPOSED = validity.Status.PROPOSED.value, _("Proposed")
        DECIDED = validity.Status.DECIDED.value, _("Decided")
        REVISITED = validity.Status.REVISITED.value, _("Revisited")
        SUPERSEDED = validity.Status.SUPERSEDED.value, _("Superseded")

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("project")
    )
    title = models.CharField(
        _("decision"), max_length=300, help_text=_("The decision in one sentence.")
    )
    reasons = models.TextField(_("reasons"), max_length=4000, blank=True)
    alternatives = models.TextField(_("alternatives considered"), max_length=4000, blank=True)
    # Who decided: the project's stakeholders by name, and in words whoever else (a body).
    deciders = models.ManyToManyField(
        Stakeholder, blank=True, related_name="decisions_made", verbose_name=_("decided by")
    )
    decided_by = models.CharField(
        _("decided by (others)"),
        max_length=200,
        blank=True,
        help_text=_("Who else decided, in words, e.g. 'steering group'."),
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    due_on = models.DateField(
        _("needed by"),
        null=True,
        blank=True,
        help_text=_("For a proposed decision: when it has to be made."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PROPOSED
    )
    superseded_by = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="supersedes",
        verbose_name=_("superseded by"),
    )
    # What the decision concerns: at most one of each, always of the same project.
    phase = models.ForeignKey(
        Phase,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("phase"),
    )
    wave = models.ForeignKey(
        Wave,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("wave"),
    )
    gate_decision = models.ForeignKey(
        GateDecision,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gate decision"),
    )
    scope_item = models.ForeignKey(
        ScopeItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("scope item"),
    )
    plan_revision = models.ForeignKey(
        PlanRevision,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("plan revision"),
    )
    # Where it was said; the communication log of the stakeholders replaces these later.
    communicated_on = models.DateField(_("communicated on"), null=True, blank=True)
    communicated_how = models.CharField(
        _("communicated how"),
        max_length=300,
        blank=True,
        help_text=_("Where and to whom, e.g. 'steering group, then mail to all staff'."),
    )
    logged_at = models.DateTimeField(_("logged"), default=timezone.now)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("logged by"),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects: ClassVar[models.Manager["Decision"]] = workspace_scoped("project__workspace")

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-logged_at", "-id"]
        indexes = [
            models.Index(fields=["project", "-logged_at", "-id"], name="decision_log_order"),
            models.Index(fields=["project", "status"], name="decision_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=[s.value for s in validity.Status]),
                name="decision_status_known",
            ),
            models.CheckConstraint(
                condition=~models.Q(superseded_by=models.F("pk")), name="decision_not_own_successor"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return self.url()

    def url(self, name: str = "decisions:detail") -> str:
        return reverse(
            name,
            kwargs={
                "workspace": self.project.workspace.slug,
                "project": self.project.slug,
                "decision": self.pk,
            },
        )

    @property
    def deciders_text(self) -> str:
        """Who decided in words: the stakeholders (prefetch `deciders`), then the others."""
        names = [who.name for who in self.deciders.all()]
        return ", ".join([*names, self.decided_by] if self.decided_by else names)

    @property
    def is_told(self) -> bool | None:
        """Whether the decision was communicated; None while it is only proposed."""
        return validity.is_told(validity.Status(self.status), self.communicated_on)


class DecisionChange(models.Model):
    """The history of a decision's status: from what, to what, by whom, and why."""

    decision = models.ForeignKey(
        Decision, on_delete=models.CASCADE, related_name="changes", verbose_name=_("decision")
    )
    from_status = models.CharField(
        _("from"), max_length=12, choices=Decision.Status.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=12, choices=Decision.Status.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("when"), default=timezone.now)

    objects: ClassVar[models.Manager["DecisionChange"]] = workspace_scoped(
        "decision__project__workspace"
    )

    class Meta:
        verbose_name = _("decision status change")
        verbose_name_plural = _("decision status changes")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.decision}: {self.from_status} → {self.to_status}"
