from datetime import datetime, timedelta
from typing import ClassVar

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from koers.core.scoping import workspace_scoped
from koers.core.tokens import HashedToken

slug_validator = RegexValidator(
    r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
    _("Use lower-case letters, digits and single hyphens, e.g. 'van-dijk-it'."),
)
RESERVED_SLUGS = {"new", "admin", "api", "static", "settings", "members", "invitations"}


class Country(models.TextChoices):
    NETHERLANDS = "NL", _("Netherlands")
    BELGIUM = "BE", _("Belgium")


class Workspace(models.Model):
    """One MSP, consultancy or government team: the unit of tenancy."""

    slug = models.SlugField(
        _("short name"),
        max_length=40,
        unique=True,
        validators=[slug_validator],
        help_text=_("Used in web addresses and on the command line."),
    )
    name = models.CharField(_("name"), max_length=120)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("workspace")
        verbose_name_plural = _("workspaces")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    """Roles in order of power; a guest sees only the projects of one client."""

    OWNER = "owner", _("Owner")
    MANAGER = "manager", _("Manager")
    MEMBER = "member", _("Member")
    VIEWER = "viewer", _("Viewer")
    GUEST = "guest", _("Client guest")

    @property
    def rank(self) -> int:
        return RANKS[self]


RANKS = {Role.OWNER: 4, Role.MANAGER: 3, Role.MEMBER: 2, Role.VIEWER: 1, Role.GUEST: 0}


class Membership(models.Model):
    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("workspace")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    # Only for guests: the one client whose projects they may read.
    client = models.ForeignKey(
        "workspaces.Client",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="guest_memberships",
        verbose_name=_("client"),
    )
    created_at = models.DateTimeField(_("member since"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["workspace", "user"], name="one_membership_per_user"),
            models.CheckConstraint(
                condition=models.Q(role="guest", client__isnull=False)
                | (~models.Q(role="guest") & models.Q(client__isnull=True)),
                name="guest_has_client",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.workspace} ({self.role})"

    def has_role(self, role: Role) -> bool:
        """Return whether this membership is at least as powerful as `role`."""
        return Role(self.role).rank >= role.rank

    @property
    def is_guest(self) -> bool:
        return self.role == Role.GUEST


class Client(models.Model):
    """An organisation the workspace serves."""

    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="clients", verbose_name=_("workspace")
    )
    slug = models.SlugField(
        _("short name"),
        max_length=40,
        validators=[slug_validator],
        help_text=_("Used in web addresses and on the command line."),
    )
    name = models.CharField(_("name"), max_length=120)
    country = models.CharField(
        _("country"),
        max_length=2,
        choices=Country.choices,
        default=Country.NETHERLANDS,
        help_text=_("Decides which public holidays a rollout skips."),
    )
    has_liberation_day_off = models.BooleanField(
        _("Liberation Day (5 May) off every year"),
        default=False,
        help_text=_(
            "By law only every five years (2025, 2030); tick it if this client gives it "
            "every year, so no rollout is planned on it."
        ),
    )
    sector = models.CharField(_("sector"), max_length=120, blank=True)
    notes = models.TextField(_("notes"), max_length=5000, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects: ClassVar[models.Manager["Client"]] = workspace_scoped("workspace")

    class Meta:
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "slug"], name="client_slug_per_workspace")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return self.url()

    def url(self, name: str = "workspaces:client", **kwargs: object) -> str:
        """Return the address of one of the client's pages: said once, here."""
        return reverse(
            name, kwargs={"workspace": self.workspace.slug, "client": self.slug, **kwargs}
        )


class ContactPerson(models.Model):
    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("client")
    )
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("e-mail address"), blank=True)
    job_title = models.CharField(_("job title"), max_length=120, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    objects: ClassVar[models.Manager["ContactPerson"]] = workspace_scoped("client__workspace")

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def invitation_expiry() -> datetime:
    return timezone.now() + timedelta(days=settings.INVITATION_MAX_AGE_DAYS)


class Invitation(HashedToken):
    """An e-mailed, single-use link that makes its acceptor a member in the given role.

    The link carries a random token; only its SHA-256 is stored, so a database copy
    cannot be used to join a workspace.
    """

    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("workspace")
    )
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    client = models.ForeignKey(
        Client,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("client"),
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), default=invitation_expiry)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.workspace}"

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at


class ApiToken(HashedToken):
    """A personal token for the API; it acts with its user's memberships.

    Only the SHA-256 of the token is stored; the token is shown once, when made.
    """

    TOKEN_PREFIX = "koers_"  # noqa: S105 (a public marker, not a secret)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=80, help_text=_("What the token is for."))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and (
            self.expires_at is None or timezone.now() < self.expires_at
        )
