"""User instructions: what the team tells the people of a project, or of one wave, about
what changed and how to reach the support team, on a public page in Dutch and English."""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from koers.core.scoping import workspace_scoped
from koers.core.tokens import ReshowableToken, RevocableLink
from koers.projects.models import Project
from koers.rollout.models import Wave
from koers.stakeholders.models import phone_validator

LANGUAGES = ("nl", "en")
TEXTS = ("what_changed", "get_help", "support_hours")  # each in both languages


class Instructions(models.Model):
    """The instructions of a project (no wave) or of one of its waves."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="instructions", verbose_name=_("project")
    )
    wave = models.ForeignKey(
        Wave,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("wave"),
        help_text=_("Empty: the instructions of the whole project."),
    )
    what_changed_nl = models.TextField(_("what changed (Dutch)"), max_length=8000, blank=True)
    what_changed_en = models.TextField(_("what changed (English)"), max_length=8000, blank=True)
    get_help_nl = models.TextField(_("how to get help (Dutch)"), max_length=4000, blank=True)
    get_help_en = models.TextField(_("how to get help (English)"), max_length=4000, blank=True)
    support_hours_nl = models.CharField(
        _("support hours (Dutch)"), max_length=200, blank=True, help_text=_("e.g. 'ma-vr 8-17 uur'")
    )
    support_hours_en = models.CharField(
        _("support hours (English)"), max_length=200, blank=True, help_text=_("e.g. 'Mon-Fri 8-17'")
    )
    support_phone = models.CharField(
        _("support phone"), max_length=40, blank=True, validators=[phone_validator]
    )
    support_email = models.EmailField(_("support e-mail address"), blank=True)
    support_portal = models.URLField(
        _("support portal"), max_length=300, blank=True, help_text=_("The address, https://…")
    )
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("changed by"),
    )

    objects: ClassVar[models.Manager["Instructions"]] = workspace_scoped("project__workspace")

    class Meta:
        verbose_name = _("user instructions")
        verbose_name_plural = _("user instructions")
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "wave"], name="instructions_per_wave"),
            models.UniqueConstraint(
                fields=["project"],
                condition=models.Q(wave__isnull=True),
                name="instructions_per_project",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project}: {self.wave or _('whole project')}"

    def url(self, name: str = "instructions:edit") -> str:
        return reverse(
            name,
            kwargs={
                "workspace": self.project.workspace.slug,
                "project": self.project.slug,
                "instructions": self.pk,
            },
        )

    def texts(self, language: str) -> dict[str, str]:
        """The texts in `language`, each one that is empty there in the other language."""
        other = "en" if language == "nl" else "nl"
        return {
            text: getattr(self, f"{text}_{language}") or getattr(self, f"{text}_{other}")
            for text in TEXTS
        }


class InstructionsLink(ReshowableToken, RevocableLink):
    """The public link to instructions; publishing anew revokes the link before."""

    SALT = "koers.instructions.link"

    instructions = models.ForeignKey(
        Instructions, on_delete=models.CASCADE, related_name="links", verbose_name=_("instructions")
    )

    objects: ClassVar[models.Manager["InstructionsLink"]] = workspace_scoped(
        "instructions__project__workspace"
    )

    class Meta:
        verbose_name = _("instructions link")
        verbose_name_plural = _("instructions links")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.instructions} link"

    @property
    def path(self) -> str | None:
        """The public page's path, or None when the link cannot be shown again."""
        token = self.token
        return reverse("instructions_public", args=[token]) if token else None
