from typing import Any

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils import translation
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from koers.core import ratelimit
from koers.outbox.services import mail_send
from koers.workspaces.models import RESERVED_SLUGS, Workspace, slug_validator
from koers.workspaces.slugs import short_name_from

from .models import User

LOGIN_SCOPE = "login"
RESET_MAILS_PER_HOUR = 3


class LoginForm(AuthenticationForm):
    """Log in by e-mail address; refuse after too many failures per address or client.

    The Django admin's log-in counts in the same scope (AdminLoginForm), so the admin is no
    way around the limit.
    """

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("This e-mail address and password do not match an account."),
        "rate_limited": _(
            "Too many failed log-in attempts. Wait %(minutes)d minutes, or reset your password."
        ),
    }

    def _identities(self) -> list[str]:
        email = (self.data.get("username") or "").strip().lower()
        return [f"email:{email}", f"ip:{ratelimit.client_address(self.request)}"]

    def clean(self) -> dict[str, Any]:
        limit = settings.LOGIN_RATE_LIMIT
        if any(ratelimit.is_limited(LOGIN_SCOPE, i, limit=limit) for i in self._identities()):
            raise forms.ValidationError(
                self.error_messages["rate_limited"],
                code="rate_limited",
                params={"minutes": settings.LOGIN_RATE_WINDOW // 60},
            )
        try:
            # AuthenticationForm sets max_length but does not check it; a longer "address"
            # matches no account, and must not reach the query (SQLite refuses a huge LIKE).
            username = self.cleaned_data.get("username") or ""
            if len(username) > (getattr(self.fields["username"], "max_length", None) or 254):
                raise self.get_invalid_login_error()
            return super().clean()
        except forms.ValidationError:
            for identity in self._identities():
                ratelimit.hit(LOGIN_SCOPE, identity, window=settings.LOGIN_RATE_WINDOW)
            raise


class AdminLoginForm(LoginForm, AdminAuthenticationForm):
    """The Django admin's log-in (staff only), under the same limit as the log-in page."""

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "rate_limited": LoginForm.error_messages["rate_limited"],
    }


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's reset form, sending one address at most RESET_MAILS_PER_HOUR mails an hour.

    Past that the page answers as always (so it tells nobody whether the address exists)
    but sends nothing: the form cannot be used to flood someone's mailbox.
    """

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        if ratelimit.hit("password-reset-mail", to_email.lower(), window=3600) > (
            RESET_MAILS_PER_HOUR
        ):
            return
        # Through the outbox, as every mail: sent by the task worker, in the user's language.
        language = context["user"].language or translation.get_language() or settings.LANGUAGE_CODE
        mail_send(
            to=to_email,
            template=email_template_name.removesuffix(".txt"),
            context=context,
            language=language,
            is_private=True,  # the link sets a new password
        )


class SignupForm(forms.Form):
    name = forms.CharField(
        label=_("Your name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters; not only digits, not a common password."),
    )
    workspace_name = forms.CharField(
        label=_("Name of your organisation"),
        max_length=120,
        help_text=_("Your workspace: the MSP, consultancy or team you work for."),
    )
    workspace_slug = forms.CharField(
        label=_("Short name of the workspace"),
        max_length=40,
        required=False,
        validators=[slug_validator],
        help_text=_(
            "Lower-case letters, digits and hyphens; used in web addresses. Left empty, Koers "
            "makes one from the organisation's name."
        ),
    )

    def __init__(self, *args: Any, with_workspace: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.with_workspace = with_workspace
        if not with_workspace:
            del self.fields["workspace_name"]
            del self.fields["workspace_slug"]

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        # Joining by invitation, the address is the invitation's own: saying it has an
        # account tells its holder nothing new. A plain sign-up never says so (see
        # services.signup_request): it would tell anyone which addresses have one.
        if not self.with_workspace and User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _("An account with this e-mail address already exists. Log in instead.")
            )
        return email

    def clean_workspace_slug(self) -> str:
        if self.cleaned_data["workspace_slug"].strip():
            return clean_slug(self.cleaned_data["workspace_slug"])
        name = self.cleaned_data.get("workspace_name", "")
        slug = short_name_from(name, is_taken=_workspace_slug_taken)
        if not slug and name:
            raise forms.ValidationError(
                _("The name has no letters or digits to make a short name of; write one.")
            )
        return slug

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        password = cleaned.get("password")
        if password:
            user = User(email=cleaned.get("email", ""), name=cleaned.get("name", ""))
            try:
                password_validation.validate_password(password, user)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return cleaned


def _workspace_slug_taken(slug: str) -> bool:
    return Workspace.objects.filter(slug=slug).exists()


def clean_slug(value: str) -> str:
    slug = value.strip().lower()
    if slug in RESERVED_SLUGS or Workspace.objects.filter(slug=slug).exists():
        raise forms.ValidationError(_("This short name is taken; choose another."))
    return slug


class SignupConfirmForm(forms.Form):
    """Confirm a sign-up: a button, and the workspace's short name when it was taken since."""

    workspace_slug = forms.CharField(
        label=_("Short name of the workspace"),
        max_length=40,
        validators=[slug_validator],
        help_text=_("Lower-case letters, digits and hyphens; used in web addresses."),
    )

    def clean_workspace_slug(self) -> str:
        return clean_slug(self.cleaned_data["workspace_slug"])


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["name", "language", "weekly_digest"]
        widgets = {"name": forms.TextInput(attrs={"autocomplete": "name"})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Each language by its own name ("English" in the Dutch pages too), as a reader of
        # that language looks for it.
        self.fields["language"].choices = [  # type: ignore[attr-defined]
            ("", _("Follow the browser")),
            *((code, get_language_info(code)["name_local"]) for code, _name in settings.LANGUAGES),
        ]


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("What is the token for?"), max_length=80)
    days = forms.IntegerField(
        label=_("Valid for (days)"),
        min_value=1,
        max_value=366,
        initial=90,
        help_text=_("After this the token stops working; make a new one."),
    )
