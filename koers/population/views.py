"""A client's people: the list, and the import in steps (upload, columns, result)."""

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from koers.core import paging
from koers.core.errors import KoersError, show_error
from koers.core.forms import add_domain_error
from koers.workspaces.models import Client, Role
from koers.workspaces.tenancy import WorkspaceRequest, workspace_view

from . import queries, services
from .forms import MappingForm, MarksForm, UploadForm
from .models import MAPPING_FIELDS, ImportRun, Person

PAGE = 50


def _client(request: WorkspaceRequest, slug: str) -> Client:
    return get_object_or_404(request.workspace.clients, slug=slug)


@workspace_view()
@require_safe
def people(request: WorkspaceRequest, client: str) -> HttpResponse:
    """The client's people, paged and searchable; who has left is shown apart."""
    found = _client(request, client)
    show_left = request.GET.get("left") == "1"
    present = queries.present_on(timezone.localdate())
    shown = Person.objects.filter(client=found).filter(~present if show_left else present)
    search = request.GET.get("q", "").strip()[:100]
    if search:
        shown = shown.filter(
            Q(key__icontains=search) | Q(name__icontains=search) | Q(department__icontains=search)
        )
    counts = Person.objects.filter(client=found).aggregate(
        active=Count("pk", filter=present), left=Count("pk", filter=~present)
    )
    # By key, not by number: a deep page of 100,000 people costs what the first does.
    page, cursor = paging.page_of_request(
        request,
        shown,
        name="people",
        ordering=["name", "key"],
        limit=PAGE,
        count=None if search else counts["left" if show_left else "active"],
    )
    return render(
        request,
        "population/people.html",
        {
            "client": found,
            "page": page,
            "cursor": cursor,
            "search": search,
            "counts": counts,
            "show_left": show_left,
            "runs": services.recent_imports(found),
            "marks_form": MarksForm(),
        },
    )


@workspace_view(Role.MEMBER)
def import_upload(request: WorkspaceRequest, client: str) -> HttpResponse:
    """Step 1 of an import: upload the file."""
    found = _client(request, client)
    # A body far over the upload limit is refused before it is read (core upload_limit).
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            run = services.import_upload(
                client=found, actor=request.user, file_name=upload.name, data=upload.read()
            )
        except KoersError as error:
            add_domain_error(form, error)
        else:
            return redirect(found.url("people:import_run", run=run.pk))
    return render(request, "population/import_upload.html", {"client": found, "form": form})


@workspace_view(Role.MEMBER)
def import_run(request: WorkspaceRequest, client: str, run: int) -> HttpResponse:
    """Step 2: map the columns; then the progress bar, the errors or the result."""
    found = _client(request, client)
    services.fail_stopped_imports(found)
    existing = get_object_or_404(ImportRun.objects.filter(client=found), pk=run)
    findings = services.stored_findings(existing)
    form = MappingForm(
        request.POST or None,
        run=existing,
        sensitive={f.column: str(services.SENSITIVE_WORDS[f.kind]) for f in findings},
    )
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data.get("sheet") and form.cleaned_data["sheet"] != existing.sheet:
                services.import_sheet(run=existing, sheet=form.cleaned_data["sheet"])
                messages.info(request, _("Sheet changed: check the columns again."))
                return redirect(found.url("people:import_run", run=existing.pk))
            services.import_configure(
                run=existing,
                mapping=form.mapping,
                keep=form.cleaned_data["keep"],
                mark_left=form.cleaned_data["mark_left"],
                left_before=form.cleaned_data["left_before"],
                new_keys=form.cleaned_data["new_keys"],
            )
        except KoersError as error:
            add_domain_error(form, error)
        else:
            return redirect(found.url("people:import_run", run=existing.pk))
    has_people = Person.objects.filter(client=found).exists()
    key_check = services.stored_key_check(existing)
    return render(
        request,
        "population/import_run.html",
        {
            "client": found,
            "run": existing,
            "form": form,
            "field_rows": [form[f"map_{name}"] for name in MAPPING_FIELDS],
            "has_people": has_people,
            "sensitive": [services.sensitive_warning(f) for f in findings],
            "merge_notes": [services.merge_note(m) for m in services.stored_merges(existing)],
            "kept_sensitive": [
                services.sensitive_warning(f) for f in findings if f.column in existing.keep
            ],
            "key_warning": services.key_warning(key_check)
            if key_check and key_check.is_mismatch
            else "",
        },
    )


@workspace_view(Role.MEMBER)
@require_POST
def import_mark_left(request: WorkspaceRequest, client: str, run: int) -> HttpResponse:
    found = _client(request, client)
    existing = get_object_or_404(ImportRun.objects.filter(client=found), pk=run)
    try:
        services.import_mark_left(run=existing, actor=request.user)
    except KoersError as error:
        show_error(request, error)
    return redirect(found.url("people:import_run", run=existing.pk))


@workspace_view(Role.MEMBER)
@require_POST
def import_discard(request: WorkspaceRequest, client: str, run: int) -> HttpResponse:
    found = _client(request, client)
    existing = get_object_or_404(ImportRun.objects.filter(client=found), pk=run)
    try:
        services.import_discard(run=existing)
    except KoersError as error:
        show_error(request, error)
    else:
        messages.success(request, _("The uploaded file is thrown away."))
    return redirect(found.url("people:list"))


@workspace_view(Role.MEMBER)
@require_POST
def people_marks(request: WorkspaceRequest, client: str) -> HttpResponse:
    """Give a mark to, or take it from, the people ticked on a page of the list, in one save."""
    found = _client(request, client)
    form = MarksForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        count = services.people_mark(
            client=found, people=data["person"], mark=data["mark"], give=data["give"]
        )
        mark = dict(form.fields["mark"].choices)[data["mark"]]  # type: ignore[attr-defined]
        if data["give"]:
            text = ngettext(
                "Marked %(count)d person as “%(mark)s”.",
                "Marked %(count)d people as “%(mark)s”.",
                count,
            )
        else:
            text = ngettext(
                "Took “%(mark)s” from %(count)d person.",
                "Took “%(mark)s” from %(count)d people.",
                count,
            )
        messages.success(request, text % {"count": count, "mark": mark})
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(str(error) for error in errors))
    # Back to the same page of the list (its cursor and search), at the table.
    next_url = request.POST.get("next", "")
    if not next_url.startswith(found.url("people:list")):
        next_url = found.url("people:list")
    return redirect(f"{next_url}#people")
