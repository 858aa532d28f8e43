from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from koers.core import ratelimit
from koers.core.errors import KoersError, show_error
from koers.core.forms import add_domain_error
from koers.workspaces.models import ApiToken, Workspace
from koers.workspaces.services import invitation_accept, invitation_for_token
from koers.workspaces.tenancy import AuthenticatedRequest

from . import services
from .forms import (
    ApiTokenForm,
    LoginForm,
    PasswordResetForm,
    ProfileForm,
    SignupConfirmForm,
    SignupForm,
)
from .models import User

LANGUAGE_SESSION_KEY = "koers_language"


@receiver(user_logged_in)
def remember_language(sender: object, request: HttpRequest, user: User, **kwargs: object) -> None:
    if user.language:
        request.session[LANGUAGE_SESSION_KEY] = user.language


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


def signup(request: HttpRequest) -> HttpResponse:
    """Join by invitation, or sign up with a workspace of one's own, confirmed by mail."""
    token = request.GET.get("invitation") or request.POST.get("invitation") or ""
    invitation = None
    if token:
        try:
            invitation = invitation_for_token(token)
        except KoersError as error:  # an unusable link: say why, and offer a plain sign-up
            show_error(request, error)
            token = ""
    initial = {"email": invitation.email} if invitation else {}
    form = SignupForm(request.POST or None, initial=initial, with_workspace=invitation is None)
    if invitation:
        form.fields["email"].disabled = True  # the invitation is for this address only
    context = {"form": form, "invitation": invitation, "token": token}
    if request.method != "POST" or not form.is_valid():
        return render(request, "accounts/signup.html", context)
    data = form.cleaned_data
    language = translation.get_language() or ""
    if invitation:
        # The invitation link came to this address: it is confirmed already.
        with transaction.atomic():
            user = User.objects.create_user(
                data["email"], data["password"], name=data["name"], language=language
            )
            workspace = invitation_accept(token=token, user=user).workspace
        return _welcome(request, user, workspace)
    if _over_account_limit(request, "signup", form):
        return render(request, "accounts/signup.html", context, status=429)
    services.signup_request(
        name=data["name"],
        email=data["email"],
        password=data["password"],
        language=language,
        workspace_name=data["workspace_name"],
        workspace_slug=data["workspace_slug"],
        confirm_url=lambda secret: request.build_absolute_uri(
            reverse("accounts:signup_confirm", kwargs={"token": secret})
        ),
        reset_url=lambda user: request.build_absolute_uri(
            reverse(
                "accounts:password_reset_confirm",
                kwargs={
                    "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                    "token": default_token_generator.make_token(user),
                },
            )
        ),
    )
    return redirect("accounts:signup_sent")


def _welcome(request: HttpRequest, user: User, workspace: Workspace) -> HttpResponse:
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(request, _("Welcome to Koers, %(name)s.") % {"name": user.name})
    return redirect("workspaces:dashboard", workspace=workspace.slug)


def signup_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/signup_sent.html")


@ratelimit.per_address("signup-confirm")
def signup_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """Confirm a sign-up from the mailed link: one button makes the account and logs in.

    A button, not the link alone, because mail scanners open links in mails, and a
    single-use link opened by one would be used up before its owner clicks it.
    """
    try:
        pending = services.signup_for_token(token)
    except KoersError as error:
        return render(request, "accounts/signup_confirm.html", {"gone": error.message}, status=410)
    form = SignupConfirmForm(
        request.POST or None, initial={"workspace_slug": pending.workspace_slug}
    )
    if request.method == "POST" and form.is_valid():
        try:
            user, workspace = services.signup_confirm(
                token=token, workspace_slug=form.cleaned_data["workspace_slug"]
            )
        except KoersError as error:
            if error.field is None:
                context = {"gone": error.message}
                return render(request, "accounts/signup_confirm.html", context, status=410)
            add_domain_error(form, error)
        else:
            return _welcome(request, user, workspace)
    return render(request, "accounts/signup_confirm.html", {"form": form, "pending": pending})


@login_required
def profile(request: AuthenticatedRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        request.session[LANGUAGE_SESSION_KEY] = user.language
        response = redirect("accounts:profile")
        _set_language_cookie(response, user.language)
        messages.success(request, _("Your settings are saved."))
        return response
    return render(request, "accounts/profile.html", {"form": form})


def _set_language_cookie(response: HttpResponse, language: str) -> None:
    if language:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            secure=settings.HTTPS,
        )
    else:
        response.delete_cookie(settings.LANGUAGE_COOKIE_NAME)


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language; remembered for the account when logged in."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = "/"
    if not translation.check_for_language(language):
        return redirect(next_url)
    if request.user.is_authenticated:
        request.user.language = language
        request.user.save(update_fields=["language"])
    request.session[LANGUAGE_SESSION_KEY] = language
    response = redirect(next_url)
    _set_language_cookie(response, language)
    return response


def _over_account_limit(request: HttpRequest, scope: str, form: Any) -> bool:
    """Count a request that mails an address the client names (a sign-up, a reset request);
    past settings.ACCOUNT_RATE_LIMIT of them from its client address in the hour, put the
    refusal on the form and return True. Counted per client, never per address, so the
    answer reveals nothing about which addresses have an account."""
    count = ratelimit.hit(scope, ratelimit.client_address(request), window=3600)
    if count <= settings.ACCOUNT_RATE_LIMIT:
        return False
    form.add_error(
        None, _("Too many requests came from your network in the last hour. Try again later.")
    )
    return True


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form: Any) -> HttpResponse:
        if _over_account_limit(self.request, "password-reset-request", form):
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        return super().form_valid(form)


# The page is reached without log-in like the reset link itself, and counts with it in the
# public per-address limit (docs/settings.md); requests sent count in the hourly one too.
password_reset = ratelimit.per_address("password-reset")(PasswordResetView.as_view())
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_done.html"
)
password_reset_confirm = ratelimit.per_address("password-reset")(
    auth_views.PasswordResetConfirmView.as_view(
        template_name="accounts/password_reset_confirm.html",
        success_url=reverse_lazy("accounts:password_reset_complete"),
    )
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(
            self.request,
            _("Your password is changed. Your API tokens stopped working; make new ones."),
        )
        return response


password_change = PasswordChangeView.as_view()


@login_required
def tokens(request: AuthenticatedRequest) -> HttpResponse:
    """The user's API tokens; a new one is shown once."""
    form = ApiTokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        token = ApiToken(
            user=request.user,
            name=form.cleaned_data["name"],
            expires_at=timezone.now() + timedelta(days=form.cleaned_data["days"]),
        )
        new_token = token.new_token()
        token.save()
        form = ApiTokenForm()
    user_tokens = ApiToken.objects.filter(user=request.user)
    return render(
        request,
        "accounts/tokens.html",
        {"form": form, "tokens": user_tokens, "new_token": new_token},
    )


@require_POST
@login_required
def token_revoke(request: AuthenticatedRequest, token: int) -> HttpResponse:
    found = get_object_or_404(ApiToken, user=request.user, pk=token)
    if found.revoked_at is None:
        found.revoked_at = timezone.now()
        found.save(update_fields=["revoked_at"])
    messages.success(request, _("Token %(name)s revoked.") % {"name": found.name})
    return redirect("accounts:tokens")
