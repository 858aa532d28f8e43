"""A project run as a product: its owner and their decision power, its team, where it starts
small, its outcomes, and its contracts against its phases. The team's own record: client
guests get 404; viewers read, members change."""

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from koers.core.errors import KoersError
from koers.core.forms import add_domain_error
from koers.projects.models import Project
from koers.projects.queries import project_for
from koers.workspaces.models import Role
from koers.workspaces.tenancy import WorkspaceRequest, workspace_view

from . import queries, services
from .forms import ContractForm, MemberForm, OutcomeForm, ProductForm
from .models import Contract, Outcome, Product, TeamMember
from .records import finding_text
from .timeline import product_roadmap_svg


def _page(
    request: WorkspaceRequest, project: Project, **forms_given: forms.BaseForm
) -> HttpResponse:
    state = queries.product_of(project)
    context: dict[str, Any] = {"project": project, "state": state, "product": state.product}
    if state.product is not None:
        context |= {
            "svg": mark_safe(product_roadmap_svg(state, today=timezone.localdate())),  # noqa: S308 (svg.py escapes every text)
            "contracts": [
                (c, [finding_text(f, state) for f in state.findings_of(c)]) for c in state.contracts
            ],
            "member_form": forms_given.get("member") or MemberForm(prefix="member"),
            "outcome_form": forms_given.get("outcome")
            or OutcomeForm(prefix="outcome", project=project),
            "contract_form": forms_given.get("contract")
            or ContractForm(prefix="contract", project=project),
        }
    return render(request, "products/product.html", context, status=400 if forms_given else 200)


@workspace_view()
@require_safe
def product(request: WorkspaceRequest, project: str) -> HttpResponse:
    return _page(request, project_for(request, project))


@workspace_view(Role.MEMBER)
def product_edit(request: WorkspaceRequest, project: str) -> HttpResponse:
    """Run the project as a product, or change its owner, their mandate and where it starts."""
    found = project_for(request, project)
    current = Product.objects.filter(project=found).first()
    form = ProductForm(request.POST or None, instance=current, project=found)
    if request.method == "POST" and form.is_valid():
        try:
            services.product_save(project=found, **form.cleaned_data)
        except KoersError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The product is saved."))
            return redirect(found.url("products:product"))
    return render(
        request, "products/product_form.html", {"project": found, "form": form, "product": current}
    )


def _product_or_404(project: Project) -> Product:
    found = Product.objects.filter(project=project).first()
    if found is None:
        raise Http404
    return found


@workspace_view(Role.MEMBER)
@require_POST
def member_add(request: WorkspaceRequest, project: str) -> HttpResponse:
    found = project_for(request, project)
    form = MemberForm(request.POST, prefix="member")
    if form.is_valid():
        try:
            services.member_add(product=_product_or_404(found), **form.cleaned_data)
        except KoersError as error:
            add_domain_error(form, error)
        else:
            return redirect(found.url("products:product"))
    return _page(request, found, member=form)


@workspace_view(Role.MEMBER)
@require_POST
def outcome_add(request: WorkspaceRequest, project: str) -> HttpResponse:
    found = project_for(request, project)
    form = OutcomeForm(request.POST, prefix="outcome", project=found)
    if form.is_valid():
        try:
            services.outcome_add(product=_product_or_404(found), **form.cleaned_data)
        except KoersError as error:
            add_domain_error(form, error)
        else:
            return redirect(found.url("products:product"))
    return _page(request, found, outcome=form)


@workspace_view(Role.MEMBER)
@require_POST
def contract_add(request: WorkspaceRequest, project: str) -> HttpResponse:
    found = project_for(request, project)
    form = ContractForm(request.POST, prefix="contract", project=found)
    if form.is_valid():
        try:
            services.contract_add(product=_product_or_404(found), **form.cleaned_data)
        except KoersError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The contract is saved."))
            return redirect(found.url("products:product"))
    return _page(request, found, contract=form)


@workspace_view(Role.MEMBER)
@require_POST
def member_remove(request: WorkspaceRequest, project: str, team_member: int) -> HttpResponse:
    found = project_for(request, project)
    services.member_remove(
        member=get_object_or_404(TeamMember, product__project=found, pk=team_member)
    )
    return redirect(found.url("products:product"))


@workspace_view(Role.MEMBER)
@require_POST
def outcome_remove(request: WorkspaceRequest, project: str, outcome: int) -> HttpResponse:
    found = project_for(request, project)
    services.outcome_remove(outcome=get_object_or_404(Outcome, product__project=found, pk=outcome))
    return redirect(found.url("products:product"))


@workspace_view(Role.MEMBER)
@require_POST
def contract_remove(request: WorkspaceRequest, project: str, contract: int) -> HttpResponse:
    found = project_for(request, project)
    services.contract_remove(
        contract=get_object_or_404(Contract, product__project=found, pk=contract)
    )
    return redirect(found.url("products:product"))
