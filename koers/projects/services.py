"""Writes on projects: intake, vision, scope canvas and lifecycle."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from koers.core.errors import KoersError
from koers.workspaces.models import Client, Workspace

from . import closing
from .models import BusinessGoal, ClientVision, Project, ScopeChange, ScopeItem, Vision

LIFECYCLE = list(Project.Status)


def lifecycle_neighbours(status: str) -> tuple[str | None, str | None]:
    """Return the statuses a project can move back to and forward to from `status`."""
    index = LIFECYCLE.index(Project.Status(status))
    back = LIFECYCLE[index - 1] if index > 0 else None
    forward = LIFECYCLE[index + 1] if index < len(LIFECYCLE) - 1 else None
    return back, forward


def _save_goals(project: Project, goals: list[str]) -> None:
    project.goals.all().delete()
    BusinessGoal.objects.bulk_create(
        BusinessGoal(project=project, text=text, position=i)
        for i, text in enumerate(text for text in (g.strip() for g in goals) if text)
    )


@transaction.atomic
def project_create(
    *,
    workspace: Workspace,
    client: Client,
    slug: str,
    name: str,
    request: str,
    goals: list[str],
    current_situation: str = "",
    tried_before: str = "",
    bottleneck: str = "",
    behaviour_change: str = "",
    smallest_version: str = "",
    manager: Any = None,
    language: str = "nl",
) -> Project:
    if client.workspace_id != workspace.pk:
        raise KoersError(_("Choose one of this workspace's clients."), field="client")
    if workspace.projects.filter(slug=slug).exists():
        raise KoersError(_("A project with this short name already exists."), field="slug")
    project = Project.objects.create(
        workspace=workspace,
        client=client,
        slug=slug,
        name=name,
        request=request,
        current_situation=current_situation,
        tried_before=tried_before,
        bottleneck=bottleneck,
        behaviour_change=behaviour_change,
        smallest_version=smallest_version,
        manager=manager,
        language=language,
    )
    _save_goals(project, goals)
    Vision.objects.bulk_create(Vision(project=project, horizon=h) for h in Vision.Horizon)
    return project


@transaction.atomic
def intake_update(*, project: Project, goals: list[str], **fields: Any) -> Project:
    if "slug" in fields and (
        project.workspace.projects.filter(slug=fields["slug"]).exclude(pk=project.pk).exists()
    ):
        raise KoersError(_("A project with this short name already exists."), field="slug")
    for name, value in fields.items():
        setattr(project, name, value)
    project.save()
    _save_goals(project, goals)
    return project


@transaction.atomic
def project_move(*, project: Project, to_status: str, reason: str = "") -> Project:
    """Move the project one step along its lifecycle; closing asks the closing guards, and
    `reason` is why it closes although one of them would refuse."""
    if to_status not in lifecycle_neighbours(project.status):
        raise KoersError(
            _("A project moves one step at a time: from %(current)s it cannot go to %(to)s.")
            % {
                "current": Project.Status(project.status).label,
                "to": Project.Status(to_status).label if to_status in Project.Status else to_status,
            }
        )
    if to_status == Project.Status.CLOSED:
        closing.check_closing(project, reason.strip())
    project.status = to_status
    project.save(update_fields=["status", "updated_at"])
    return project


def _renumber(project: Project, column: str, ordered: list[ScopeItem]) -> None:
    for position, item in enumerate(ordered):
        item.position = position
        item.column = column
    ScopeItem.objects.bulk_update(ordered, ["position", "column"])


def _column_items(project: Project, column: str) -> list[ScopeItem]:
    return list(project.scope_items.filter(column=column).order_by("position", "id"))


@transaction.atomic
def scope_item_add(
    *, project: Project, actor: Any, column: str, title: str, reason: str
) -> ScopeItem:
    position = project.scope_items.filter(column=column).count()
    item = ScopeItem.objects.create(
        project=project, column=column, title=title, reason=reason, position=position
    )
    ScopeChange.objects.create(
        project=project,
        item=item,
        title=title,
        action=ScopeChange.Action.ADDED,
        to_column=column,
        reason=reason,
        actor=actor,
    )
    return item


@transaction.atomic
def scope_item_edit(*, item: ScopeItem, actor: Any, title: str, reason: str) -> ScopeItem:
    if (item.title, item.reason) == (title, reason):
        return item
    item.title, item.reason = title, reason
    item.save(update_fields=["title", "reason"])
    ScopeChange.objects.create(
        project=item.project,
        item=item,
        title=title,
        action=ScopeChange.Action.EDITED,
        from_column=item.column,
        to_column=item.column,
        reason=reason,
        actor=actor,
    )
    return item


@transaction.atomic
def scope_item_move(*, item: ScopeItem, actor: Any, column: str, position: int) -> ScopeItem:
    """Put the item at `position` (0-based, clamped) in `column` and renumber both columns."""
    project = item.project
    from_column = item.column
    target = [other for other in _column_items(project, column) if other.pk != item.pk]
    position = max(0, min(position, len(target)))
    if from_column == column and _column_items(project, column).index(item) == position:
        return item
    target.insert(position, item)
    if from_column != column:
        _renumber(
            project,
            from_column,
            [o for o in _column_items(project, from_column) if o.pk != item.pk],
        )
    _renumber(project, column, target)
    ScopeChange.objects.create(
        project=project,
        item=item,
        title=item.title,
        action=ScopeChange.Action.MOVED if from_column != column else ScopeChange.Action.REORDERED,
        from_column=from_column,
        to_column=column,
        actor=actor,
    )
    return item


@transaction.atomic
def scope_item_remove(*, item: ScopeItem, actor: Any) -> None:
    project, column = item.project, item.column
    ScopeChange.objects.create(
        project=project,
        item=None,
        title=item.title,
        action=ScopeChange.Action.REMOVED,
        from_column=column,
        reason=item.reason,
        actor=actor,
    )
    item.delete()
    _renumber(project, column, _column_items(project, column))


def client_vision_save(*, client: Client, horizon: int, **fields: str) -> ClientVision:
    """Write the client's vision at one horizon (24 or 48 months); the fields not given stay."""
    if horizon not in ClientVision.Horizon.values:
        raise KoersError(_("The horizon is 24 or 48 months."), field="horizon")
    vision, _made = ClientVision.objects.get_or_create(client=client, horizon=horizon)
    for name, value in fields.items():
        field = ClientVision._meta.get_field(name)
        if len(value) > (field.max_length or 0):  # type: ignore[union-attr]
            raise KoersError(
                _("At most %(max)d characters.") % {"max": field.max_length},  # type: ignore[union-attr]
                field=name,
            )
        setattr(vision, name, value.strip())
    vision.save()
    return vision
