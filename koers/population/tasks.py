"""Background work of the rollout: large people imports, with progress on the run, and the
reading of large workbooks for the mapping step."""

from typing import Any

from django.dispatch import receiver
from django.utils import timezone
from django_scopes import scope, scopes_disabled
from django_tasks import task
from django_tasks.base import TaskResult, TaskResultStatus
from django_tasks.signals import task_finished

from .models import ImportRun
from .services import STOPPED, import_execute, import_read


@task()
def import_people_task(run_id: int) -> str:
    """Import a queued people file; the page shows the run's progress meanwhile."""
    with scopes_disabled():
        run = ImportRun.objects.select_related("client__workspace", "actor").get(pk=run_id)
    with scope(workspace=run.client.workspace):
        import_execute(run=run)
        return str(ImportRun.objects.get(pk=run_id).status)


@task()
def import_read_task(run_id: int) -> str:
    """Read a large uploaded workbook for the mapping step; the page waits meanwhile."""
    with scopes_disabled():
        run = ImportRun.objects.select_related("client__workspace").get(pk=run_id)
    with scope(workspace=run.client.workspace):
        return str(import_read(run=run).status)


@receiver(task_finished)
def import_task_failed(sender: Any, task_result: TaskResult[Any], **kwargs: Any) -> None:
    """An import task that failed (its worker died, or an unexpected error) fails its run too,
    so the import page says it stopped instead of showing "Importing…" for ever. The import
    writes in one transaction, so nothing of it was written."""
    if task_result.status != TaskResultStatus.FAILED or task_result.task.module_path not in (
        import_people_task.module_path,
        import_read_task.module_path,
    ):
        return
    with scopes_disabled():
        ImportRun.objects.filter(pk=task_result.args[0], status__in=ImportRun.BUSY).update(
            status=ImportRun.Status.FAILED, finished_at=timezone.now(), errors=[STOPPED]
        )
