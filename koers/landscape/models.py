"""A client's IT landscape: its systems, the integrations between them, and which phases of a
plan change which system (METHOD.md §1, the landscape audit).

Kept once per client, like its people and stakeholders, and seen only by members of the
workspace: a client guest sees none of it (it names owners and what data each system holds).
"""

from typing import ClassVar

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from koers.core.scoping import workspace_scoped
from koers.roadmap.models import Phase
from koers.workspaces.models import Client

from . import analysis


class Hosting(models.TextChoices):
    ON_PREMISES = "on_premises", _("On premises")
    HOSTED = "hosted", _("Hosted by a supplier")
    SAAS = "saas", _("SaaS")
    CLOUD = "cloud", _("Own cloud")
    DESKTOP = "desktop", _("Desktop or spreadsheet")


class Lifecycle(models.TextChoices):
    KEEP = analysis.Lifecycle.KEEP, _("Keep")
    IMPROVE = analysis.Lifecycle.IMPROVE, _("Improve")
    REPLACE = analysis.Lifecycle.REPLACE, _("Replace")
    RETIRE = analysis.Lifecycle.RETIRE, _("Retire")


class IntegrationKind(models.TextChoices):
    API = analysis.Kind.API, _("API")
    FILE = analysis.Kind.FILE, _("File transfer")
    MANUAL = analysis.Kind.MANUAL, _("Manual re-typing")
    NONE = analysis.Kind.NONE, _("None (data should flow, does not)")


class Frequency(models.TextChoices):
    REALTIME = "realtime", _("Real time")
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")
    AD_HOC = "ad_hoc", _("Now and then")


class Change(models.TextChoices):
    INTRODUCES = analysis.Change.INTRODUCES, _("Introduces it")
    CHANGES = analysis.Change.CHANGES, _("Changes it")
    RETIRES = analysis.Change.RETIRES, _("Retires it")


DEBT = [MinValueValidator(1), MaxValueValidator(5)]


class System(models.Model):
    """One system of the client: what it does for them, who owns it, and how it fares."""

    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="systems", verbose_name=_("client")
    )
    name = models.CharField(_("name"), max_length=120)
    capability = models.CharField(
        _("capability"),
        max_length=120,
        help_text=_("What it does for the business, e.g. 'Invoicing' or 'Case handling'."),
    )
    owner = models.CharField(_("owner"), max_length=120, blank=True)
    users = models.PositiveIntegerField(_("users"), default=0)
    hosting = models.CharField(
        _("hosting"), max_length=12, choices=Hosting.choices, default=Hosting.SAAS
    )
    lifecycle = models.CharField(
        _("lifecycle"), max_length=8, choices=Lifecycle.choices, default=Lifecycle.KEEP
    )
    debt = models.PositiveSmallIntegerField(
        _("technical debt"),
        default=1,
        validators=DEBT,
        help_text=_("1: little, up to date; 5: much, hard to change or support."),
    )
    yearly_cost = models.DecimalField(
        _("yearly cost (EUR)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    data_held = models.TextField(
        _("data it holds"),
        max_length=2000,
        blank=True,
        help_text=_("e.g. customers, orders, invoices, stock."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects: ClassVar[models.Manager["System"]] = workspace_scoped("client__workspace")

    class Meta:
        verbose_name = _("system")
        verbose_name_plural = _("systems")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["client", "name"], name="system_name_per_client"),
            models.CheckConstraint(
                condition=models.Q(debt__gte=1, debt__lte=5),
                name="system_debt_1_to_5",
                violation_error_message=_("Technical debt is 1 to 5."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def url(self, name: str = "landscape:system_edit") -> str:
        return reverse(
            name,
            kwargs={
                "workspace": self.client.workspace.slug,
                "client": self.client.slug,
                "system": self.pk,
            },
        )

    def as_rule(self) -> analysis.System:
        return analysis.System(
            key=self.pk,
            name=self.name,
            capability=self.capability,
            users=self.users,
            debt=self.debt,
            lifecycle=analysis.Lifecycle(self.lifecycle),
        )


class Integration(models.Model):
    """Data going from one system to another, and how: by API, file, a person or not at all."""

    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="integrations", verbose_name=_("client")
    )
    source = models.ForeignKey(
        System, on_delete=models.CASCADE, related_name="outgoing", verbose_name=_("from")
    )
    target = models.ForeignKey(
        System, on_delete=models.CASCADE, related_name="incoming", verbose_name=_("to")
    )
    kind = models.CharField(_("kind"), max_length=8, choices=IntegrationKind.choices)
    frequency = models.CharField(
        _("frequency"), max_length=8, choices=Frequency.choices, default=Frequency.DAILY
    )
    data = models.CharField(
        _("what data"), max_length=200, blank=True, help_text=_("e.g. orders, customer data.")
    )

    objects: ClassVar[models.Manager["Integration"]] = workspace_scoped("client__workspace")

    class Meta:
        verbose_name = _("integration")
        verbose_name_plural = _("integrations")
        ordering = ["source__name", "target__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "target", "kind"],
                name="integration_once_per_kind",
                violation_error_message=_("This integration is already recorded."),
            ),
            models.CheckConstraint(
                condition=~models.Q(source=models.F("target")),
                name="integration_two_systems",
                violation_error_message=_("An integration joins two different systems."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} → {self.target}"

    def url(self, name: str = "landscape:integration_edit") -> str:
        return reverse(
            name,
            kwargs={
                "workspace": self.client.workspace.slug,
                "client": self.client.slug,
                "integration": self.pk,
            },
        )

    def as_rule(self) -> analysis.Link:
        return analysis.Link(self.pk, self.source_id, self.target_id, analysis.Kind(self.kind))


class PhaseSystem(models.Model):
    """A phase of a plan that introduces, changes or retires one of the client's systems.

    Kept here, not on the phase, so the roadmap knows nothing of the landscape."""

    phase = models.ForeignKey(
        Phase, on_delete=models.CASCADE, related_name="system_changes", verbose_name=_("phase")
    )
    system = models.ForeignKey(
        System, on_delete=models.CASCADE, related_name="phase_changes", verbose_name=_("system")
    )
    change = models.CharField(_("change"), max_length=12, choices=Change.choices)

    objects: ClassVar[models.Manager["PhaseSystem"]] = workspace_scoped("system__client__workspace")

    class Meta:
        verbose_name = _("system a phase changes")
        verbose_name_plural = _("systems phases change")
        ordering = ["system__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["phase", "system"], name="phase_system_once")
        ]

    def __str__(self) -> str:
        return f"{self.phase}: {self.get_change_display()} {self.system}"
