"""Every mail Koers sends, with its state; and a workspace's own wording of a mail."""

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from koers.core.scoping import workspace_scoped


class Message(models.Model):
    """One mail: rendered when asked for, sent by a background task, never twice.

    queued -> sending -> sent | failed. The task claims a queued message with a conditional
    UPDATE before it talks to the mail server, so two workers (or a task run twice) cannot
    both send it. A private message (one holding a secret link) never shows its body, and
    its body is blanked once it is sent.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    class Failure(models.TextChoices):
        REFUSED = "refused", _("The mail server refused the address")
        ERROR = "error", _("Sending failed")
        UNKNOWN = (
            "unknown",
            _(
                "Outcome unknown: sending stopped halfway (the worker stopped). It may have "
                "arrived; retry only if the recipient did not get it."
            ),
        )

    # Named, not imported: the workspaces app sends its invitations through this one.
    workspace = models.ForeignKey(
        "workspaces.Workspace",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="messages",
        verbose_name=_("workspace"),
    )
    to = models.CharField(_("to"), max_length=254)
    template = models.CharField(_("template"), max_length=200)
    language = models.CharField(_("language"), max_length=8)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("text"), blank=True)
    # NULL, not "": most messages have no key, and each key is unique.
    key = models.CharField(max_length=200, unique=True, null=True, editable=False)  # noqa: DJ001
    message_id = models.CharField(_("Message-ID"), max_length=200, editable=False)
    is_private = models.BooleanField(_("private"), default=False)
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    failure = models.CharField(_("failure"), max_length=8, choices=Failure.choices, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("made"), auto_now_add=True)
    # Set by every change of state (the conditional UPDATEs pass it themselves).
    changed_at = models.DateTimeField(_("changed"), auto_now=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    objects: ClassVar[models.Manager["Message"]] = workspace_scoped("workspace")

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["workspace", "is_private", "created_at"]),
            models.Index(fields=["state", "changed_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.to}: {self.subject}"

    @property
    def reason_text(self) -> str:
        """Return why it failed, in the reader's language, with the server's own words."""
        if not self.failure:
            return ""
        label = str(self.Failure(self.failure).label)
        return f"{label}: {self.reason}" if self.reason else label


class MailTemplate(models.Model):
    """A workspace's own subject and text of an editable mail, in one language."""

    workspace = models.ForeignKey(
        "workspaces.Workspace",
        on_delete=models.CASCADE,
        related_name="mail_templates",
        verbose_name=_("workspace"),
    )
    template = models.CharField(_("template"), max_length=200)
    language = models.CharField(_("language"), max_length=8)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("text"), max_length=10_000)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    objects: ClassVar[models.Manager["MailTemplate"]] = workspace_scoped("workspace")

    class Meta:
        verbose_name = _("mail text")
        verbose_name_plural = _("mail texts")
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "template", "language"], name="one_mail_text_per_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.template} ({self.language})"
