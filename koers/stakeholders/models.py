"""A client's stakeholders, their role and stance per project, and the communication log.

Stakeholders are personal data of the client: kept once per client, seen only by members of
the workspace (never by a client guest), and deleted with everything that names them.
"""

from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from koers.core.scoping import workspace_scoped
from koers.outbox.models import Message
from koers.projects.models import Project
from koers.workspaces.models import Client

from .rules import Stance as StanceRule

SCALE = [MinValueValidator(1), MaxValueValidator(5)]
phone_validator = RegexValidator(
    r"^\+?[0-9(][0-9 ()./-]{5,22}[0-9]$",
    _("Enter a phone number of digits, e.g. +32 9 123 45 67 or 06-12345678."),
)


class Stance(models.TextChoices):
    CHAMPION = StanceRule.CHAMPION, _("Champion")
    SUPPORTER = StanceRule.SUPPORTER, _("Supporter")
    NEUTRAL = StanceRule.NEUTRAL, _("Neutral")
    SCEPTIC = StanceRule.SCEPTIC, _("Sceptic")
    OPPONENT = StanceRule.OPPONENT, _("Opponent")


class Channel(models.TextChoices):
    CALL = "call", _("Call")
    MAIL = "mail", _("Mail")
    MEETING = "meeting", _("Meeting")
    DEMO = "demo", _("Demo")


class Stakeholder(models.Model):
    """Someone at (or around) the client whose support the projects need."""

    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="stakeholders", verbose_name=_("client")
    )
    name = models.CharField(_("name"), max_length=150)
    organisation = models.CharField(
        _("organisation"),
        max_length=150,
        blank=True,
        help_text=_("Leave empty when it is the client itself."),
    )
    job_title = models.CharField(_("function"), max_length=120, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True, validators=[phone_validator])
    cares_about = models.TextField(_("what they care about"), max_length=2000, blank=True)
    concerns = models.TextField(_("concerns"), max_length=2000, blank=True)
    channel = models.CharField(
        _("preferred channel"), max_length=8, choices=Channel.choices, default=Channel.MEETING
    )
    contact_every_days = models.PositiveSmallIntegerField(
        _("contact every (days)"),
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("Past this without contact, they are overdue."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects: ClassVar[models.Manager["Stakeholder"]] = workspace_scoped("client__workspace")

    class Meta:
        verbose_name = _("stakeholder")
        verbose_name_plural = _("stakeholders")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def url(self, name: str = "stakeholders:edit") -> str:
        return reverse(
            name,
            kwargs={
                "workspace": self.client.workspace.slug,
                "client": self.client.slug,
                "stakeholder": self.pk,
            },
        )


class Involvement(models.Model):
    """A stakeholder's role in one project: steering group, decision maker, stance, weight."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="involvements", verbose_name=_("project")
    )
    stakeholder = models.ForeignKey(
        Stakeholder,
        on_delete=models.CASCADE,
        related_name="involvements",
        verbose_name=_("stakeholder"),
    )
    is_steering_member = models.BooleanField(_("steering group member"), default=False)
    is_decision_maker = models.BooleanField(_("decision maker"), default=False)
    stance = models.CharField(
        _("stance"), max_length=10, choices=Stance.choices, default=Stance.NEUTRAL
    )
    influence = models.PositiveSmallIntegerField(_("influence"), default=3, validators=SCALE)
    interest = models.PositiveSmallIntegerField(_("interest"), default=3, validators=SCALE)

    objects: ClassVar[models.Manager["Involvement"]] = workspace_scoped("project__workspace")

    class Meta:
        verbose_name = _("project role")
        verbose_name_plural = _("project roles")
        ordering = ["stakeholder__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "stakeholder"], name="one_role_per_stakeholder_and_project"
            ),
            models.CheckConstraint(
                condition=models.Q(influence__gte=1, influence__lte=5)
                & models.Q(interest__gte=1, interest__lte=5),
                name="involvement_scales_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.stakeholder} @ {self.project}"


class StanceChange(models.Model):
    """A stakeholder's stance in a project changed (or was first noted): when and why."""

    involvement = models.ForeignKey(
        Involvement,
        on_delete=models.CASCADE,
        related_name="stance_changes",
        verbose_name=_("project role"),
    )
    before = models.CharField(_("stance before"), max_length=10, choices=Stance.choices, blank=True)
    after = models.CharField(_("stance"), max_length=10, choices=Stance.choices)
    on = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("noted by"),
    )
    created_at = models.DateTimeField(_("noted"), auto_now_add=True)

    objects: ClassVar[models.Manager["StanceChange"]] = workspace_scoped(
        "involvement__project__workspace"
    )

    class Meta:
        verbose_name = _("stance change")
        verbose_name_plural = _("stance changes")
        ordering = ["-on", "-id"]

    def __str__(self) -> str:
        return f"{self.involvement}: {self.before or '-'} -> {self.after}"


class CommunicationKind(models.TextChoices):
    UPDATE = "update", _("Short update")
    DEMO = "demo", _("Live demo with Q&A")
    CALL = "call", _("Call")
    MEETING = "meeting", _("Meeting")
    STEERING = "steering", _("Steering group meeting")


class Communication(models.Model):
    """One planned or done communication of a project, with its audience."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        DONE = "done", _("Done")

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="communications", verbose_name=_("project")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=CommunicationKind.choices)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.DONE
    )
    on = models.DateField(_("date"))
    subject = models.CharField(_("subject"), max_length=200)
    content = models.TextField(_("content"), max_length=8000, blank=True)
    audience = models.ManyToManyField(
        Stakeholder, blank=True, related_name="communications", verbose_name=_("audience")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("logged by"),
    )
    created_at = models.DateTimeField(_("logged"), auto_now_add=True)

    objects: ClassVar[models.Manager["Communication"]] = workspace_scoped("project__workspace")

    class Meta:
        verbose_name = _("communication")
        verbose_name_plural = _("communications")
        ordering = ["-on", "-id"]
        indexes = [models.Index(fields=["project", "kind", "status", "on"])]

    def __str__(self) -> str:
        return self.subject


class Rhythm(models.Model):
    """How often the project means to communicate in one way (none: no rhythm for it)."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="rhythms", verbose_name=_("project")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=CommunicationKind.choices)
    every_days = models.PositiveSmallIntegerField(
        _("every (days)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )

    objects: ClassVar[models.Manager["Rhythm"]] = workspace_scoped("project__workspace")

    class Meta:
        verbose_name = _("communication rhythm")
        verbose_name_plural = _("communication rhythms")
        constraints = [
            models.UniqueConstraint(fields=["project", "kind"], name="one_rhythm_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.project}: {self.kind} every {self.every_days}"


class CommunicationMail(models.Model):
    """A communication mailed to one stakeholder through the outbox: one message each, once.

    Deleting the stakeholder deletes their messages too (services.stakeholder_delete): the
    outbox keeps the address and the text, which are theirs.
    """

    communication = models.ForeignKey(
        Communication,
        on_delete=models.CASCADE,
        related_name="mails",
        verbose_name=_("communication"),
    )
    stakeholder = models.ForeignKey(
        Stakeholder, on_delete=models.CASCADE, related_name="mails", verbose_name=_("stakeholder")
    )
    message = models.OneToOneField(
        Message, on_delete=models.CASCADE, related_name="+", verbose_name=_("message")
    )

    objects: ClassVar[models.Manager["CommunicationMail"]] = workspace_scoped(
        "communication__project__workspace"
    )

    class Meta:
        verbose_name = _("mailed communication")
        verbose_name_plural = _("mailed communications")
        ordering = ["stakeholder__name", "id"]

    def __str__(self) -> str:
        return f"{self.communication} -> {self.stakeholder}"
