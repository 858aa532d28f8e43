"""A project's steering group meetings: the date, the minutes and the decisions taken there.

The agenda is not stored: agenda.py reads it from the decision log, the pulse, the last
status update and the plan when the meeting is shown. The minutes are a communication of the
stakeholders' log (kind: steering group meeting), so mailing them to the steering group goes
through the outbox once per member, like any communication.
"""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from koers.core.scoping import workspace_scoped
from koers.decisions.models import Decision
from koers.projects.models import Project
from koers.stakeholders.models import Communication


class Meeting(models.Model):
    project = models.ForeignKey(
        Project,
        on_delete=models.CASCADE,
        related_name="steering_meetings",
        verbose_name=_("project"),
    )
    on = models.DateField(_("date"))
    minutes = models.TextField(_("minutes"), max_length=8000, blank=True)
    decisions = models.ManyToManyField(
        Decision, blank=True, related_name="steering_meetings", verbose_name=_("decisions taken")
    )
    communication = models.OneToOneField(
        Communication,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="steering_meeting",
        verbose_name=_("minutes in the communication log"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("planned"), auto_now_add=True)

    objects: ClassVar[models.Manager["Meeting"]] = workspace_scoped("project__workspace")

    class Meta:
        verbose_name = _("steering group meeting")
        verbose_name_plural = _("steering group meetings")
        ordering = ["-on", "-id"]

    def __str__(self) -> str:
        return f"{self.project}: {self.on}"

    def url(self, name: str = "steering:meeting") -> str:
        return reverse(
            name,
            kwargs={
                "workspace": self.project.workspace.slug,
                "project": self.project.slug,
                "meeting": self.pk,
            },
        )
