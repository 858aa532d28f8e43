"""Background work of the pulse: mailing the personal links of a large wave."""

from django_scopes import scope, scopes_disabled
from django_tasks import task

from . import mailing
from .models import Round


def _round(round_id: int) -> Round:
    with scopes_disabled():
        return Round.objects.select_related("project__workspace", "project__client", "wave").get(
            pk=round_id
        )


@task()
def round_links_mail_task(round_id: int, base_url: str, department: str) -> str:
    """Mail a round's links; run twice, it mails nobody twice (the keys see to that)."""
    round = _round(round_id)
    with scope(workspace=round.project.workspace):
        summary = mailing.round_links_mail(
            round=round, answer_url=mailing.personal_url(base_url), department=department
        )
    return f"mailed {summary.mailed}, before {summary.before}, no address {summary.no_address}"


@task()
def round_reminders_mail_task(round_id: int, base_url: str) -> str:
    """Remind a round's people who have not answered; at most once a day each."""
    round = _round(round_id)
    with scope(workspace=round.project.workspace):
        count = mailing.round_reminders_mail(round=round, answer_url=mailing.personal_url(base_url))
    return f"reminded {count}"
