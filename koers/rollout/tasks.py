"""Background work of the rollout: large people imports, with progress on the run."""

from django_scopes import scope, scopes_disabled
from django_tasks import task

from .models import ImportRun
from .services import import_execute


@task()
def import_people_task(run_id: int) -> str:
    """Import a queued people file; the page shows the run's progress meanwhile."""
    with scopes_disabled():
        run = ImportRun.objects.select_related("client__workspace", "actor").get(pk=run_id)
    with scope(workspace=run.client.workspace):
        import_execute(run=run)
        return str(ImportRun.objects.get(pk=run_id).status)
