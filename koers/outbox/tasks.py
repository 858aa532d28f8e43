"""Background sending: one task per message."""

from typing import Any

from django.dispatch import receiver
from django_tasks import task
from django_tasks.base import TaskResult, TaskResultStatus
from django_tasks.signals import task_finished

from .services import message_deliver, message_lost, messages_recover


@task()
def send_message_task(message_id: int) -> str:
    """Send one queued message; first fail the ones a stopped worker left "sending"."""
    messages_recover()
    message = message_deliver(message_id=message_id)
    return message.state if message is not None else "not queued"


@receiver(task_finished)
def send_task_failed(sender: Any, task_result: TaskResult[Any], **kwargs: Any) -> None:
    """A send task that failed (its worker died, or an error) fails its message: the outbox
    says so instead of "sending" for ever, and the message is not sent again by itself."""
    if (
        task_result.status != TaskResultStatus.FAILED
        or task_result.task.module_path != send_message_task.module_path
    ):
        return
    message_lost(message_id=task_result.args[0])
