"""The first ring and the pilot: confirm the ring, choose the pilot, swap someone out."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from koers.core import paging
from koers.core.errors import KoersError, show_error
from koers.core.formatting import number
from koers.population.models import Person
from koers.population.queries import active_people, headcount
from koers.projects.models import Project
from koers.projects.queries import project_for
from koers.workspaces.models import Role
from koers.workspaces.tenancy import WorkspaceRequest, workspace_view

from .. import (
    pilot_words,
    queries,
    selection,
)
from ..forms import (
    PilotForm,
    RingForm,
    SwapForm,
)
from ..models import Pilot
from ..pilot import default_size

PAGE = 50  # pilot users a page
RING_PAGE = 25  # people of the first ring found by job title or added one by one, a page


def _pilot(project: Project) -> Pilot | None:
    return Pilot.objects.filter(project=project).first()


@workspace_view(guests=True)
@require_safe
def pilot(request: WorkspaceRequest, project: str) -> HttpResponse:
    """The first ring (IT and service desk), then the pilot chosen from the rest: who is in
    it, how close it is to the rest, and which marked people it could take."""
    found = project_for(request, project)
    chosen = _pilot(found)
    attributes = queries.attribute_choices(found.client)
    counted = headcount(found.client)
    population = counted.present
    ring = queries.ring_view(found, counted=counted)
    initial = {
        "size": chosen.size if chosen else max(default_size(population - ring.size), 1),
        "attributes": chosen.attributes if chosen else ["department", "location", "job_title"],
        "seed": chosen.seed if chosen else 0,
    }
    ring_page, ring_cursor = paging.page_of_request(
        request,
        ring.singles,
        name="ring",
        # In the order of the client's people (their ids): read from the (ring, person)
        # index a page at a time; sorting by department joined and sorted the whole ring.
        ordering=["person_id"],
        limit=RING_PAGE,
        param="ring",
        count=ring.single_count,
    )
    page = cursor = measure = None
    if chosen:
        page, cursor = paging.page_of_request(
            request,
            chosen.members.select_related("person"),
            name="pilot",
            ordering=["person_id"],  # as the ring: by the (pilot, person) index
            limit=PAGE,
        )
        measure = queries.pilot_measure(chosen, counted=counted)
    return render(
        request,
        "rollout/pilot.html",
        {
            "project": found,
            "pilot": chosen,
            "page": page,
            "cursor": cursor,
            "likeness": pilot_words.likeness(measure, chosen.random_median)
            if chosen and measure
            else None,
            "marks": pilot_words.marks(chosen.marks, chosen.attributes[0]) if chosen else [],
            "population": population,
            "ring": ring,
            "ring_page": ring_page,
            "ring_cursor": ring_cursor,
            "form": PilotForm(initial=initial, attributes=attributes),
            "swap_form": SwapForm(),
        },
    )


@workspace_view(Role.MEMBER)
@require_POST
def first_ring(request: WorkspaceRequest, project: str) -> HttpResponse:
    """Find the first ring again, or change it: a department or a person in or out, confirm."""
    found = project_for(request, project)
    form = RingForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(found.url("rollout:pilot"))
    try:
        change = selection.first_ring_change(project=found, actor=request.user, **form.cleaned_data)
    except KoersError as error:
        show_error(request, error)
    else:
        messages.success(
            request,
            ngettext(
                "The first ring holds %(count)s person.",
                "The first ring holds %(count)s people.",
                change.ring.size,
            )
            % {"count": number(change.ring.size)},
        )
        if change.pilot is not None:
            messages.info(request, _("The pilot is chosen anew from the rest, with its settings."))
    return redirect(found.url("rollout:pilot"))


@workspace_view(Role.MEMBER)
@require_POST
def pilot_select(request: WorkspaceRequest, project: str) -> HttpResponse:
    found = project_for(request, project)
    form = PilotForm(request.POST, attributes=queries.attribute_choices(found.client))
    if form.is_valid():
        try:
            choice = selection.pilot_select(project=found, actor=request.user, **form.cleaned_data)
        except KoersError as error:
            show_error(request, error)
        else:
            messages.success(
                request,
                _("Pilot of %(size)d people chosen.") % {"size": len(choice.selection.keys)},
            )
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect(found.url("rollout:pilot"))


@workspace_view(Role.MEMBER)
@require_POST
def pilot_swap(request: WorkspaceRequest, project: str) -> HttpResponse:
    found = project_for(request, project)
    chosen = get_object_or_404(Pilot.objects.filter(project=found))
    form = SwapForm(request.POST)
    if form.is_valid():
        people = active_people(found.client)
        # Someone who has left can be swapped out, never in.
        out = get_object_or_404(
            Person.objects.filter(client=found.client), pk=form.cleaned_data["out"]
        )
        into = None
        if form.cleaned_data["into"]:
            into = people.filter(key=form.cleaned_data["into"].strip()).first()
            if into is None:
                messages.error(request, _("Nobody of this client has that employee id."))
                return redirect(found.url("rollout:pilot"))
        try:
            came = selection.pilot_swap(pilot=chosen, actor=request.user, out=out, into=into)
        except KoersError as error:
            show_error(request, error)
        else:
            messages.success(request, _("%(out)s out, %(into)s in.") % {"out": out, "into": came})
    return redirect(found.url("rollout:pilot"))
