from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from koers.core.tokens import HashedToken


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> "User":
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> "User":
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)

    def get_by_natural_key(self, username: str | None) -> "User":
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in to Koers; identified by e-mail address."""

    email = models.EmailField(_("e-mail address"), unique=True)
    name = models.CharField(_("name"), max_length=150)
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("Empty: follow the browser."),
    )
    weekly_digest = models.BooleanField(
        _("weekly digest"),
        default=True,
        help_text=_("On Monday morning, a mail of what needs attention in your projects."),
    )
    is_staff = models.BooleanField(_("staff"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["name", "email"]

    def __str__(self) -> str:
        return self.name or self.email

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Whoever changed the password (reset link, password page, admin, `changepassword`)
        # may have done it because the old one leaked: API tokens made with it stop working
        # too, as the other sessions do. A hash upgrade at log-in is no change (Django clears
        # _password before that save).
        is_new_password = getattr(self, "_password", None) is not None and not self._state.adding
        super().save(*args, **kwargs)
        if is_new_password:
            self.api_tokens.filter(revoked_at=None).update(revoked_at=timezone.now())

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.name.split(" ")[0] if self.name else self.email


class PendingSignup(HashedToken):
    """A sign-up waiting for its address to be confirmed by the link mailed to it.

    The account and its workspace are made only when the link is followed, so signing up
    tells nobody whether an address has an account, and nobody gets an account for an
    address that is not theirs. Only the token's hash and the password's hash are kept.
    """

    email = models.EmailField(_("e-mail address"))
    name = models.CharField(_("name"), max_length=150)
    password = models.CharField(_("password"), max_length=128)  # hashed, as User.password
    language = models.CharField(_("language"), max_length=8, blank=True)
    workspace_name = models.CharField(_("workspace name"), max_length=120)
    workspace_slug = models.CharField(_("workspace short name"), max_length=40)
    created_at = models.DateTimeField(_("signed up"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)

    class Meta:
        verbose_name = _("sign-up awaiting confirmation")
        verbose_name_plural = _("sign-ups awaiting confirmation")
        indexes = [models.Index(fields=["expires_at"])]

    def __str__(self) -> str:
        return self.email
