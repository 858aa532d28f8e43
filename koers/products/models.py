"""A project run as a product (METHOD.md §6, seed 004): its product owner with real decision
power, recorded; its team; the one team or service where it starts small; the outcomes it
serves; and the contracts that staff its phases, short like the phases.

The team's own record: a client guest sees none of it (it names people and contracts).
"""

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from koers.core.scoping import workspace_scoped
from koers.projects.models import ClientVision, Project
from koers.roadmap.models import Phase
from koers.stakeholders.models import Stakeholder


class Product(models.Model):
    project = models.OneToOneField(
        Project, on_delete=models.CASCADE, related_name="product", verbose_name=_("project")
    )
    owner = models.ForeignKey(
        Stakeholder,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="products_owned",
        verbose_name=_("product owner"),
        help_text=_("One of the client's stakeholders."),
    )
    owner_decides_alone = models.BooleanField(
        _("the product owner decides alone"),
        default=False,
        help_text=_("May they decide what comes first without asking anyone above them?"),
    )
    owner_mandate = models.TextField(
        _("what the product owner may decide"),
        max_length=1000,
        blank=True,
        help_text=_("e.g. the order of the work, up to EUR 10,000 a quarter, not the contracts."),
    )
    starts_in = models.CharField(
        _("where it starts small"),
        max_length=200,
        blank=True,
        help_text=_("The one team or service where the product starts."),
    )

    objects: ClassVar[models.Manager["Product"]] = workspace_scoped("project__workspace")

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")

    def __str__(self) -> str:
        return str(self.project)


class TeamMember(models.Model):
    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="team", verbose_name=_("product")
    )
    name = models.CharField(_("name"), max_length=150)
    role = models.CharField(_("role"), max_length=120)

    objects: ClassVar[models.Manager["TeamMember"]] = workspace_scoped(
        "product__project__workspace"
    )

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.role})"


class Outcome(models.Model):
    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="outcomes", verbose_name=_("product")
    )
    text = models.CharField(_("outcome"), max_length=300)
    vision = models.ForeignKey(
        ClientVision,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outcomes",
        verbose_name=_("part of the client's vision"),
    )

    objects: ClassVar[models.Manager["Outcome"]] = workspace_scoped("product__project__workspace")

    class Meta:
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text


class Contract(models.Model):
    class Kind(models.TextChoices):
        SUPPLIER = "supplier", _("Supplier")
        PERSON = "person", _("Person")

    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="contracts", verbose_name=_("product")
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.SUPPLIER)
    party = models.CharField(_("supplier or person"), max_length=150)
    role = models.CharField(_("for"), max_length=150, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), help_text=_("The contract's last day."))
    phases = models.ManyToManyField(
        Phase, blank=True, related_name="contracts", verbose_name=_("phases it staffs")
    )

    objects: ClassVar[models.Manager["Contract"]] = workspace_scoped("product__project__workspace")

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        ordering = ["starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="contract_ends_after_it_starts",
                violation_error_message=_("A contract ends on or after the day it starts."),
            )
        ]

    def __str__(self) -> str:
        return self.party
