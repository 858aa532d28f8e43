"""The phases' links to systems, kept with every plan revision (koers.roadmap.parts).

A revision names each system by id and by name: a system deleted since is named in what the
restore could not bring back, instead of failing the restore."""

from collections.abc import Mapping

from django.utils.translation import gettext as _

from koers.projects.models import Project
from koers.roadmap.models import Phase
from koers.roadmap.parts import Part, Rows

from .models import PhaseSystem, System


def read(project: Project) -> Rows:
    links = (
        PhaseSystem.objects.filter(phase__project=project)
        .select_related("phase", "system")
        .order_by("phase__key", "system_id")
    )
    return [
        {
            "phase": link.phase.key,
            "system": link.system_id,
            "name": link.system.name,
            "change": link.change,
        }
        for link in links
    ]


def restore(project: Project, phases: Mapping[str, Phase], rows: Rows) -> list[str]:
    systems = System.objects.filter(client=project.client).in_bulk([row["system"] for row in rows])
    wanted: dict[tuple[int, int], str] = {}
    problems = []
    for row in rows:
        phase = phases.get(row["phase"])
        if phase is None:
            continue  # the revision does not have the phase either
        if row["system"] not in systems:
            problems.append(
                _("%(system)s for phase %(phase)s (the system was deleted)")
                % {"system": row["name"], "phase": phase.title}
            )
            continue
        wanted[(phase.pk, row["system"])] = row["change"]
    current = {
        (link.phase_id, link.system_id): link
        for link in PhaseSystem.objects.filter(phase__project=project)
    }
    PhaseSystem.objects.filter(
        pk__in=[link.pk for key, link in current.items() if key not in wanted]
    ).delete()
    for (phase_id, system), change in wanted.items():
        link = current.get((phase_id, system))
        if link is None:
            PhaseSystem.objects.create(phase_id=phase_id, system_id=system, change=change)
        elif link.change != change:
            link.change = change
            link.save(update_fields=["change"])
    return problems


PART = Part("systems", read, restore)
