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


@task()
def send_messages_task(message_ids: list[int]) -> int:
    """Send many queued messages (a mailing to a wave); return how many were sent."""
    messages_recover()
    sent = [message_deliver(message_id=pk) for pk in message_ids]
    return sum(1 for message in sent if message is not None and message.state == "sent")


@receiver(task_finished)
def send_task_failed(sender: Any, task_result: TaskResult[Any], **kwargs: Any) -> None:
    """A send task that failed (its worker died, or an error) fails its message: the outbox
    says so instead of "sending" for ever, and the message is not sent again by itself."""
    sending = (send_message_task.module_path, send_messages_task.module_path)
    if task_result.status != TaskResultStatus.FAILED or task_result.task.module_path not in sending:
        return
    message_lost(message_id=task_result.args[0])
