from typing import ClassVar

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from koers.core.scoping import workspace_scoped
from koers.workspaces.models import Client, Workspace, slug_validator


class Project(models.Model):
    """One change project for a client, from intake to closing."""

    class Status(models.TextChoices):
        INTAKE = "intake", _("Intake")
        PLANNING = "planning", _("Planning")
        DELIVERY = "delivery", _("Delivery")
        AFTERCARE = "aftercare", _("Aftercare")
        CLOSED = "closed", _("Closed")

    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="projects", verbose_name=_("workspace")
    )
    client = models.ForeignKey(
        Client, on_delete=models.PROTECT, related_name="projects", verbose_name=_("client")
    )
    slug = models.SlugField(
        _("short name"),
        max_length=40,
        validators=[slug_validator],
        help_text=_("Used in web addresses and on the command line."),
    )
    name = models.CharField(_("name"), max_length=120)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.INTAKE
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="managed_projects",
        verbose_name=_("project manager"),
    )
    language = models.CharField(
        _("language of documents"),
        max_length=8,
        choices=settings.LANGUAGES,
        default="nl",
        help_text=_("The language of the proposal and reports for the client."),
    )
    request = models.TextField(
        _("request"),
        max_length=4000,
        help_text=_("The client's question as they asked it, e.g. 'We want to go to the cloud'."),
    )
    current_situation = models.TextField(_("current situation"), max_length=8000, blank=True)
    tried_before = models.TextField(_("tried before"), max_length=8000, blank=True)
    # The method's questions behind the request (METHOD.md section 1): the real bottleneck is
    # almost never technical, and the smallest valuable version becomes the first phase.
    bottleneck = models.TextField(
        _("real bottleneck"),
        max_length=4000,
        blank=True,
        help_text=_("What really holds the client back? It is almost never technical."),
    )
    behaviour_change = models.TextField(
        _("behaviour that must change"),
        max_length=4000,
        blank=True,
        help_text=_("What must people do differently for the change to have worked?"),
    )
    serves_vision = models.TextField(
        _("part of the client's vision it serves"),
        max_length=2000,
        blank=True,
        help_text=_("Which part of the client's vision does this project bring closer?"),
    )
    smallest_version = models.TextField(
        _("smallest valuable version"),
        max_length=4000,
        blank=True,
        help_text=_(
            "The smallest version that already delivers value: Koers suggests it as the first "
            "phase."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects: ClassVar[models.Manager["Project"]] = workspace_scoped("workspace")

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["client__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "slug"], name="project_slug_per_workspace")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return self.url()

    def url(self, name: str = "projects:overview", **kwargs: object) -> str:
        """Return the address of one of the project's pages: said once, here."""
        return reverse(
            name, kwargs={"workspace": self.workspace.slug, "project": self.slug, **kwargs}
        )


class BusinessGoal(models.Model):
    """What keeps the client awake: one goal behind the request."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="goals", verbose_name=_("project")
    )
    text = models.CharField(_("business goal"), max_length=300)
    position = models.PositiveIntegerField(_("position"), default=0)

    objects: ClassVar[models.Manager["BusinessGoal"]] = workspace_scoped("project__workspace")

    class Meta:
        verbose_name = _("business goal")
        verbose_name_plural = _("business goals")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text


class VisionText(models.Model):
    """Think big: the digital organisation at a horizon of 24 or 48 months, in four answers."""

    class Horizon(models.IntegerChoices):
        MONTHS_24 = 24, _("24 months")
        MONTHS_48 = 48, _("48 months")

    horizon = models.PositiveSmallIntegerField(_("horizon"), choices=Horizon.choices)
    summary = models.TextField(_("in one paragraph"), max_length=2000, blank=True)
    automated_processes = models.TextField(
        _("Which processes are automated?"), max_length=4000, blank=True
    )
    connected_systems = models.TextField(
        _("How do the systems talk to each other?"), max_length=4000, blank=True
    )
    biggest_gains = models.TextField(
        _("Where are the biggest efficiency gains?"), max_length=4000, blank=True
    )

    class Meta:
        abstract = True
        ordering = ["horizon"]

    @property
    def is_empty(self) -> bool:
        return not any(
            [self.summary, self.automated_processes, self.connected_systems, self.biggest_gains]
        )


class Vision(VisionText):
    """A project's own vision: it may sharpen the client's for itself."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="visions", verbose_name=_("project")
    )

    objects: ClassVar[models.Manager["Vision"]] = workspace_scoped("project__workspace")

    class Meta(VisionText.Meta):
        verbose_name = _("vision")
        verbose_name_plural = _("visions")
        constraints = [
            models.UniqueConstraint(fields=["project", "horizon"], name="one_vision_per_horizon")
        ]

    def __str__(self) -> str:
        return f"{self.project} ({self.horizon})"


class ClientVision(VisionText):
    """The client's vision for its whole digital future, written once; every project says
    which part of it it serves (seed 003: five small projects, five systems that do not talk)."""

    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="visions", verbose_name=_("client")
    )

    objects: ClassVar[models.Manager["ClientVision"]] = workspace_scoped("client__workspace")

    class Meta(VisionText.Meta):
        verbose_name = _("client vision")
        verbose_name_plural = _("client visions")
        constraints = [
            models.UniqueConstraint(
                fields=["client", "horizon"], name="one_client_vision_per_horizon"
            )
        ]

    def __str__(self) -> str:
        return f"{self.client} ({self.horizon})"


class ScopeItem(models.Model):
    """One card on the scope canvas: in, out, or maybe later, with its reason."""

    class Column(models.TextChoices):
        IN = "in", _("In scope")
        OUT = "out", _("Out of scope")
        LATER = "later", _("Maybe later")

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="scope_items", verbose_name=_("project")
    )
    column = models.CharField(_("column"), max_length=8, choices=Column.choices)
    title = models.CharField(_("item"), max_length=200)
    reason = models.CharField(_("reason"), max_length=500)
    position = models.PositiveIntegerField(_("position"), default=0)

    objects: ClassVar[models.Manager["ScopeItem"]] = workspace_scoped("project__workspace")

    class Meta:
        verbose_name = _("scope item")
        verbose_name_plural = _("scope items")
        ordering = ["column", "position", "id"]

    def __str__(self) -> str:
        return self.title


class ScopeChange(models.Model):
    """The canvas' history: who changed which item, how, and when."""

    class Action(models.TextChoices):
        ADDED = "added", _("added")
        EDITED = "edited", _("edited")
        MOVED = "moved", _("moved")
        REORDERED = "reordered", _("reordered")
        REMOVED = "removed", _("removed")

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="scope_changes", verbose_name=_("project")
    )
    item = models.ForeignKey(
        ScopeItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="changes",
        verbose_name=_("item"),
    )
    title = models.CharField(_("item"), max_length=200)
    action = models.CharField(_("change"), max_length=16, choices=Action.choices)
    from_column = models.CharField(
        _("from"), max_length=8, choices=ScopeItem.Column.choices, blank=True
    )
    to_column = models.CharField(
        _("to"), max_length=8, choices=ScopeItem.Column.choices, blank=True
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("when"), auto_now_add=True)

    objects: ClassVar[models.Manager["ScopeChange"]] = workspace_scoped("project__workspace")

    class Meta:
        verbose_name = _("scope change")
        verbose_name_plural = _("scope changes")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.title}: {self.action}"
