"""A client's people, as the HR system or directory knows them, and the imports that fill
them. Rings, pilots, waves and pulse rounds of projects read them (`queries.active_people`)."""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from koers.core.scoping import workspace_scoped
from koers.workspaces.models import Client

# Fields of a person an import can fill, in the order the mapping step shows them.
PERSON_FIELDS = (
    "key",
    "email",
    "name",
    "department",
    "location",
    "job_title",
    "manager",
    "device",
)
# Columns the mapping step can name besides: they make the name, or say who has left.
MAPPING_FIELDS = (
    *PERSON_FIELDS,
    "first_name",
    "name_prefix",
    "last_name",
    "status",
    "leaving_on",
)

# How the mapping step and the pilot page name each field.
FIELD_LABELS = {
    "key": _("Employee id (key)"),
    "email": _("E-mail address"),
    "name": _("Name"),
    "department": _("Department"),
    "location": _("Location / office"),
    "job_title": _("Job title"),
    "manager": pgettext_lazy("a person's boss", "Manager"),
    "device": _("Device"),
    "first_name": _("First name (when there is no full name)"),
    "name_prefix": _("Tussenvoegsel (van, de, van der)"),
    "last_name": _("Last name (when there is no full name)"),
    "status": _("Leaving status (Terminated, Uit dienst, Enabled = False)"),
    "leaving_on": _("Leaving date (last day)"),
}


class Person(models.Model):
    """Someone of the client's organisation, as the HR system or directory knows them."""

    client = models.ForeignKey(  # indexed by the unique (client, key) index
        Client,
        on_delete=models.CASCADE,
        related_name="people",
        verbose_name=_("client"),
        db_index=False,
    )
    key = models.CharField(
        _("employee id"), max_length=150, help_text=_("What identifies the person in the file.")
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.CharField(_("e-mail address"), max_length=254, blank=True)
    department = models.CharField(_("department"), max_length=150, blank=True)
    location = models.CharField(_("location"), max_length=150, blank=True)
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    manager = models.CharField(_("manager"), max_length=200, blank=True)
    device = models.CharField(_("device"), max_length=150, blank=True)
    attributes = models.JSONField(_("further attributes"), default=dict, blank=True)
    is_well_known = models.BooleanField(_("well known"), default=False)
    is_constructive = models.BooleanField(_("gives constructive feedback"), default=False)
    is_ambassador = models.BooleanField(_("ambassador"), default=False)
    left_at = models.DateTimeField(_("left"), null=True, blank=True)
    # The leaving date the HR system gives, also one still to come: someone leaving before
    # their wave's day is not planned in it (queries.active_people).
    leaving_on = models.DateField(_("leaving date"), null=True, blank=True)
    created_at = models.DateTimeField(_("added"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    objects: ClassVar[models.Manager["Person"]] = workspace_scoped("client__workspace")

    class Meta:
        # The tables keep the names they had when people were part of the rollout app.
        db_table = "rollout_person"
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name", "key"]
        constraints = [
            models.UniqueConstraint(fields=["client", "key"], name="person_key_per_client")
        ]
        indexes = [
            models.Index(fields=["client", "department", "key"]),
            # Who is there, who has left and the last change (`queries.headcount`), read from
            # this index alone; and the people page's pages by name below.
            models.Index(
                fields=["client", "left_at", "leaving_on", "updated_at"],
                name="person_headcount",
            ),
            models.Index(fields=["client", "name", "key"]),
        ]

    def __str__(self) -> str:
        return self.name or self.key

    @property
    def preference(self) -> int:
        return int(self.is_well_known) + int(self.is_constructive) + int(self.is_ambassador)


class ImportRun(models.Model):
    """One upload of a people file: kept until it is imported or thrown away."""

    class Status(models.TextChoices):
        READING = "reading", _("Reading the file")  # a large workbook, by the task worker
        UPLOADED = "uploaded", _("Waiting for the mapping")
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Refused")

    class Delimiter(models.TextChoices):
        """What separates a CSV file's columns, named: a bare "," reads as a stray mark."""

        COMMA = ",", _("comma")
        SEMICOLON = ";", _("semicolon")
        TAB = "\t", _("tab")

    BUSY = (Status.READING, Status.QUEUED, Status.RUNNING)

    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="import_runs", verbose_name=_("client")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    file_name = models.CharField(_("file"), max_length=255)
    # The upload itself, until it is imported: in the database, so every web process and
    # the task worker can read it. Cleared when the run ends (data minimisation).
    content = models.BinaryField(editable=False, default=bytes)
    sheet = models.CharField(_("sheet"), max_length=100, blank=True)
    sheets = models.JSONField(_("sheets"), default=list, blank=True)
    file_format = models.CharField(_("format"), max_length=60, blank=True)
    delimiter = models.CharField(
        _("separator"), max_length=1, choices=Delimiter.choices, blank=True
    )
    # The header and first rows, for the mapping step; cleared with the content.
    header = models.JSONField(_("columns"), default=list, blank=True)
    preview = models.JSONField(_("first rows"), default=list, blank=True)
    mapping = models.JSONField(_("mapping"), default=dict, blank=True)
    keep = models.JSONField(_("further columns kept"), default=list, blank=True)
    mark_left = models.BooleanField(_("mark people missing from the file as left"), default=False)
    # People whose leaving date in the file is before this day are imported as left.
    left_before = models.DateField(_("left when leaving before"), null=True, blank=True)
    # What the mapping step warns about and what the import noted (merged spellings).
    key_check = models.JSONField(_("keys against the people there"), default=dict, blank=True)
    notes = models.JSONField(_("notes"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.UPLOADED
    )
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows done"), default=0)
    created = models.PositiveIntegerField(_("added"), default=0)
    updated = models.PositiveIntegerField(_("changed"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    left = models.PositiveIntegerField(_("marked as left"), default=0)
    missing = models.PositiveIntegerField(_("not in the file"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # An import run inside a web request holds the run until then: a request never lives
    # longer, so a run still importing past it was cut off (its process killed) and failed.
    # Runs of the task worker have none: the worker's heartbeat fails their task instead.
    lease_until = models.DateTimeField(null=True, blank=True, editable=False)

    objects: ClassVar[models.Manager["ImportRun"]] = workspace_scoped("client__workspace")

    class Meta:
        db_table = "rollout_importrun"
        verbose_name = _("people import")
        verbose_name_plural = _("people imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.file_name

    @property
    def percent(self) -> int:
        return int(100 * self.rows_done / self.rows_total) if self.rows_total else 0

    @property
    def is_busy(self) -> bool:
        return self.status in self.BUSY
