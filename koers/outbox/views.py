"""The workspace's outbox and its own mail texts (managers and owners)."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from koers.core.errors import KoersError, show_error
from koers.core.forms import add_domain_error
from koers.workspaces.models import Role
from koers.workspaces.tenancy import WorkspaceRequest, workspace_view

from . import services
from .forms import MailTemplateForm
from .models import Message
from .registry import EDITABLE, EditableTemplate
from .rendering import render_edited

PAGE = 50


@workspace_view(Role.MANAGER)
@require_safe
def outbox(request: WorkspaceRequest) -> HttpResponse:
    """Every mail of the workspace with its state, newest first; private ones only counted.

    A private mail (a personal answer link) is not listed one by one: the list would tell
    who was reminded, so who has not answered. Its round's page counts them.
    """
    shown = Message.objects.filter(workspace=request.workspace, is_private=False)
    state = request.GET.get("state", "")
    if state in Message.State.values:
        shown = shown.filter(state=state)
    page = Paginator(shown.order_by("-created_at", "-id"), PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "outbox/outbox.html",
        {"page": page, "state": state, "states": Message.State},
    )


@workspace_view(Role.MANAGER)
@require_POST
def retry(request: WorkspaceRequest, message: int) -> HttpResponse:
    """Send a failed mail again (not a private one: its round's page retries those)."""
    found = get_object_or_404(
        Message.objects.filter(workspace=request.workspace, is_private=False), pk=message
    )
    try:
        services.mail_retry(message=found)
    except KoersError as error:
        show_error(request, error)
    else:
        messages.success(request, _("The mail is queued to be sent again."))
    return redirect("outbox:outbox", workspace=request.workspace.slug)


def _spec(template: str, language: str) -> EditableTemplate:
    spec = EDITABLE.get(template)
    if spec is None or language not in dict(settings.LANGUAGES):
        raise Http404
    return spec


@workspace_view(Role.MANAGER)
@require_safe
def mail_templates(request: WorkspaceRequest) -> HttpResponse:
    """The mails the workspace may word itself, per language, and which it changed."""
    edited = set(request.workspace.mail_templates.values_list("template", "language"))
    rows = [
        (spec, [(code, name, (spec.name, code) in edited) for code, name in settings.LANGUAGES])
        for spec in sorted(EDITABLE.values(), key=lambda spec: str(spec.label))
    ]
    return render(request, "outbox/templates.html", {"rows": rows})


@workspace_view(Role.MANAGER)
def mail_template_edit(request: WorkspaceRequest, template: str, language: str) -> HttpResponse:
    """Edit one mail's text in one language, with a preview; save only a text that renders."""
    spec = _spec(template, language)
    subject, body, is_edited = services.mail_template_source(
        workspace=request.workspace, spec=spec, language=language
    )
    form = MailTemplateForm(request.POST or None, initial={"subject": subject, "body": body})
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if "preview" in request.POST:
                preview = render_edited(spec, data["subject"], data["body"], spec.sample())
            else:
                services.mail_template_save(
                    workspace=request.workspace,
                    spec=spec,
                    language=language,
                    subject=data["subject"],
                    body=data["body"],
                )
                messages.success(request, _("The mail text is saved."))
                return redirect(
                    "outbox:template",
                    workspace=request.workspace.slug,
                    template=spec.slug,
                    language=language,
                )
        except KoersError as error:
            add_domain_error(form, error)
    elif request.method != "POST":
        preview = render_edited(spec, subject, body, spec.sample())
    return render(
        request,
        "outbox/template_form.html",
        {
            "spec": spec,
            "language": language,
            "language_name": dict(settings.LANGUAGES)[language],
            "form": form,
            "preview": preview,
            "is_edited": is_edited,
        },
    )


@workspace_view(Role.MANAGER)
@require_POST
def mail_template_reset(request: WorkspaceRequest, template: str, language: str) -> HttpResponse:
    """Go back to Koers's own text of the mail in this language."""
    spec = _spec(template, language)
    services.mail_template_reset(workspace=request.workspace, spec=spec, language=language)
    messages.success(request, _("The mail uses Koers's own text again."))
    return redirect(
        "outbox:template", workspace=request.workspace.slug, template=spec.slug, language=language
    )
