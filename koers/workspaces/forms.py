from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import RESERVED_SLUGS, Client, ContactPerson, Role, Workspace


class SlugFormMixin:
    """Lower-case the short name and refuse the ones our URLs use."""

    def clean_slug(self) -> str:
        slug: str = self.cleaned_data["slug"].strip().lower()  # type: ignore[attr-defined]
        if slug in RESERVED_SLUGS:
            raise forms.ValidationError(_("This short name is reserved; choose another."))
        return slug


class WorkspaceForm(SlugFormMixin, forms.ModelForm):
    class Meta:
        model = Workspace
        fields = ["name", "slug"]


class WorkspaceSettingsForm(forms.ModelForm):
    class Meta:
        model = Workspace
        fields = ["name"]


class ClientForm(SlugFormMixin, forms.ModelForm):
    class Meta:
        model = Client
        fields = ["name", "slug", "country", "has_liberation_day_off", "sector", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.workspace = workspace

    def clean_slug(self) -> str:
        slug = super().clean_slug()
        taken = self.workspace.clients.filter(slug=slug).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("A client with this short name already exists."))
        return slug


class ContactPersonForm(forms.ModelForm):
    class Meta:
        model = ContactPerson
        fields = ["name", "email", "job_title", "phone"]


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    client = forms.ModelChoiceField(
        label=_("Client (for a client guest)"),
        queryset=Client.objects.none(),
        required=False,
        help_text=_("A client guest reads this client's projects and nothing else."),
    )

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["client"].queryset = workspace.clients.all()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("role") == Role.GUEST and not cleaned.get("client"):
            self.add_error("client", _("Choose the client whose projects the guest may see."))
        return cleaned


class RoleForm(InvitationForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["email"]
