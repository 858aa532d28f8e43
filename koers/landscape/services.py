"""Writes on a client's landscape: systems, integrations, and the systems a phase changes."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from koers.core.errors import KoersError
from koers.roadmap.models import Phase
from koers.workspaces.models import Client

from .models import Integration, PhaseSystem, System

SYSTEM_FIELDS = (
    "name",
    "capability",
    "owner",
    "users",
    "hosting",
    "lifecycle",
    "debt",
    "yearly_cost",
    "data_held",
)
INTEGRATION_FIELDS = ("source", "target", "kind", "frequency", "data")


def _checked(instance: Model, *, exclude: list[str]) -> None:
    """Validate the model's fields (choices, 1-5, lengths) as a KoersError on the field."""
    try:
        instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as wrong:
        field, errors = next(iter(wrong.message_dict.items()))
        raise KoersError(errors[0], field=None if field == "__all__" else field) from wrong


def _strip(fields: dict[str, Any]) -> dict[str, Any]:
    return {k: v.strip() if isinstance(v, str) else v for k, v in fields.items()}


def _name_free(client: Client, name: str, system: System | None) -> None:
    taken = System.objects.filter(client=client, name__iexact=name)
    if system is not None:
        taken = taken.exclude(pk=system.pk)
    if taken.exists():
        raise KoersError(
            _("The client already has a system called %(name)s.") % {"name": name}, field="name"
        )


def _save(system: System) -> None:
    try:
        with transaction.atomic():
            system.save()
    except IntegrityError as clash:  # the same name saved at the same moment
        raise KoersError(
            _("The client already has a system called %(name)s.") % {"name": system.name},
            field="name",
        ) from clash


def system_create(*, client: Client, **fields: Any) -> System:
    system = System(client=client, **_strip(fields))
    _checked(system, exclude=["client"])
    _name_free(client, system.name, None)
    _save(system)
    return system


def system_update(*, system: System, **fields: Any) -> System:
    for name, value in _strip(fields).items():
        setattr(system, name, value)
    _checked(system, exclude=["client"])
    _name_free(system.client, system.name, system)
    _save(system)
    return system


def system_delete(*, system: System) -> None:
    """Remove the system with its integrations and the phases' links to it."""
    system.delete()


def _integration_checked(client: Client, integration: Integration) -> None:
    if integration.source.client_id != client.pk or integration.target.client_id != client.pk:
        raise KoersError(_("Choose two systems of this client."), field="target")
    if integration.source_id == integration.target_id:
        raise KoersError(_("An integration joins two different systems."), field="target")
    _checked(integration, exclude=["client", "source", "target"])
    same = Integration.objects.filter(
        source=integration.source, target=integration.target, kind=integration.kind
    )
    if integration.pk:
        same = same.exclude(pk=integration.pk)
    if same.exists():
        raise KoersError(
            _("This integration is already recorded; change that one instead."), field="kind"
        )


def integration_create(*, client: Client, **fields: Any) -> Integration:
    integration = Integration(client=client, **_strip(fields))
    _integration_checked(client, integration)
    try:
        with transaction.atomic():
            integration.save()
    except IntegrityError as clash:  # the same one saved at the same moment
        raise KoersError(_("This integration is already recorded."), field="kind") from clash
    return integration


def integration_update(*, integration: Integration, **fields: Any) -> Integration:
    for name, value in _strip(fields).items():
        setattr(integration, name, value)
    _integration_checked(integration.client, integration)
    integration.save()
    return integration


def integration_delete(*, integration: Integration) -> None:
    integration.delete()


def phase_system_save(*, phase: Phase, system: System, change: str) -> PhaseSystem:
    """Record (or change) what the phase does to the system; both of the same client."""
    if system.client_id != phase.project.client_id:
        raise KoersError(_("Choose a system of the project's client."), field="system")
    _checked(PhaseSystem(phase=phase, system=system, change=change), exclude=["phase", "system"])
    link, _made = PhaseSystem.objects.update_or_create(
        phase=phase, system=system, defaults={"change": change}
    )
    return link


def phase_system_remove(*, link: PhaseSystem) -> None:
    link.delete()
