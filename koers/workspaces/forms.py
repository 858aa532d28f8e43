from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import RESERVED_SLUGS, Client, ContactPerson, Role, Workspace
from .slugs import short_name_from

SHORT_NAME_HELP = _(
    "Used in web addresses and on the command line. Left empty, Koers makes one from the name."
)


class SlugFormMixin:
    """A short name: made from the name when left empty, lower-cased, free in its scope."""

    fields: dict[str, forms.Field]
    cleaned_data: dict[str, Any]
    taken_message = _("This short name is taken; choose another.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.fields["slug"].help_text = SHORT_NAME_HELP

    def slug_is_taken(self, slug: str) -> bool:
        """Return whether another object in this form's scope has the short name."""
        raise NotImplementedError

    def clean_slug(self) -> str:
        slug: str = (self.cleaned_data.get("slug") or "").strip().lower()
        if not slug:
            slug = short_name_from(self.cleaned_data.get("name", ""), is_taken=self.slug_is_taken)
            if not slug and self.cleaned_data.get("name"):
                raise forms.ValidationError(
                    _("The name has no letters or digits to make a short name of; write one.")
                )
            return slug
        if slug in RESERVED_SLUGS:
            raise forms.ValidationError(_("This short name is reserved; choose another."))
        if self.slug_is_taken(slug):
            raise forms.ValidationError(self.taken_message)
        return slug


class WorkspaceForm(SlugFormMixin, forms.ModelForm):
    class Meta:
        model = Workspace
        fields = ["name", "slug"]

    def slug_is_taken(self, slug: str) -> bool:
        return Workspace.objects.filter(slug=slug).exclude(pk=self.instance.pk).exists()


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

    taken_message = _("A client with this short name already exists.")

    def slug_is_taken(self, slug: str) -> bool:
        return self.workspace.clients.filter(slug=slug).exclude(pk=self.instance.pk).exists()


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
