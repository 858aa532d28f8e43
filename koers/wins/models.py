"""A small win of a project: a proposal of Koers that the team celebrated or dismissed.

The proposals themselves are not stored (rules.py derives them); a Win keeps what was done
with one, so it is not proposed again. A celebrated win is told through a communication of
the stakeholders' log: mailed with the celebration text, or given as a demo or meeting.
"""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from koers.core.scoping import workspace_scoped
from koers.projects.models import Project
from koers.stakeholders.models import Communication

from .rules import Source


class Win(models.Model):
    class Status(models.TextChoices):
        CELEBRATED = "celebrated", _("Celebrated")
        DISMISSED = "dismissed", _("Dismissed")

    class Kind(models.TextChoices):
        KPI = Source.KPI.value, _("KPI met")
        LIVE = Source.LIVE.value, _("Live")
        DECISION = Source.DECISION.value, _("Decision made")

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="wins", verbose_name=_("project")
    )
    key = models.CharField(max_length=40, editable=False)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    title = models.CharField(_("win"), max_length=200)
    on = models.DateField(_("date"))
    communication = models.OneToOneField(
        Communication,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="win",
        verbose_name=_("communication"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    objects: ClassVar[models.Manager["Win"]] = workspace_scoped("project__workspace")

    class Meta:
        verbose_name = _("small win")
        verbose_name_plural = _("small wins")
        ordering = ["-on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "key"], name="one_win_per_fact"),
            models.CheckConstraint(
                condition=models.Q(status__in=["celebrated", "dismissed"]),
                name="win_status_known",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def url(self, name: str = "wins:detail") -> str:
        return reverse(
            name,
            kwargs={
                "workspace": self.project.workspace.slug,
                "project": self.project.slug,
                "win": self.pk,
            },
        )
