"""Personal answer links, mailed by Koers: the token only ever exists in the person's mail.

The team asks Koers to mail the links of a round to the people of its wave (or of one
department), and to remind those who have not answered. It sees counts only: how many were
invited, answered, reminded, could not be mailed (no address) and whose mail failed, plus
the failed addresses so they can be corrected or retried. It never sees who answered.

A reminder carries a fresh token for the same personal link: Koers keeps only the hash of
a token, so it cannot repeat the old one, and a fresh one also closes a link that was
forwarded or leaked from the first mail. The old link then stops working; the reminder
says so. Only people who have not answered are reminded, so no earlier answer is tied to
the old token (an answer is found again through its token, see models.edit_key_for).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koers.core.errors import KoersError
from koers.outbox.models import Message
from koers.outbox.registry import EditableTemplate, register
from koers.outbox.services import mail_send
from koers.population.models import Person
from koers.population.queries import department_names
from koers.rollout.queries import active_people

from .models import PersonalLink, Round

# A mailing to more people than this runs in the task worker: each person costs a few
# milliseconds and a few queries, which a page should not make anyone wait for.
BACKGROUND_PEOPLE = 200
INVITATION = "pulse/mail/invitation"
REMINDER = "pulse/mail/reminder"
VARIABLES = {
    "name": gettext_lazy("the person's name"),
    "project": gettext_lazy("the project's name"),
    "round": gettext_lazy("the pulse round's title"),
    "closes": gettext_lazy("the day the round closes"),
    "link": gettext_lazy("the person's own answer link (never shown to the team)"),
}
# What a person's "further attributes" from the people import may call their language.
LANGUAGE_ATTRIBUTES = ("language", "taal", "lang")
LANGUAGE_NAMES = {"nederlands": "nl", "dutch": "nl", "engels": "en", "english": "en"}


def _sample() -> dict[str, str]:
    return {
        "name": "Sam de Vries",
        "project": _("Move to the cloud"),
        "round": _("Before the pilot"),
        "closes": date_format(timezone.localdate(), "DATE_FORMAT"),
        "link": "https://koers.example/a/p/example-link/",
    }


register(
    EditableTemplate(
        INVITATION, "pulse-invitation", gettext_lazy("Pulse round: invitation"), VARIABLES, _sample
    )
)
register(
    EditableTemplate(
        REMINDER, "pulse-reminder", gettext_lazy("Pulse round: reminder"), VARIABLES, _sample
    )
)


def personal_url(base_url: str) -> Callable[[str], str]:
    """Return how a token becomes the absolute link in a person's mail (and nowhere else)."""
    return lambda token: base_url + reverse("pulse_personal_answer", args=[token])


def invitation_key(round: Round, person_id: int) -> str:
    return f"pulse-invite:{round.pk}:{person_id}"


def reminder_key(round: Round, person_id: int, day: str) -> str:
    return f"pulse-remind:{round.pk}:{person_id}:{day}"


@dataclass(frozen=True)
class MailSummary:
    mailed: int  # mails queued now
    before: int  # mailed before (or answered already): nothing sent again
    no_address: int  # no usable e-mail address


@dataclass(frozen=True)
class MailCounts:
    invited: int
    answered: int
    reminded: int
    failed: int
    no_address: int


def person_language(person: Person, fallback: str) -> str:
    """Return the person's language if the people file gave one Koers speaks, else `fallback`."""
    attributes = {str(k).strip().lower(): v for k, v in (person.attributes or {}).items()}
    for name in LANGUAGE_ATTRIBUTES:
        value = str(attributes.get(name) or "").strip().lower()
        code = LANGUAGE_NAMES.get(value, value[:2])
        if value and code in dict(settings.LANGUAGES):
            return code
    return fallback


def audience(round: Round, department: str = "") -> QuerySet[Person]:
    """Return the people a round's links go to: its wave's, or one department's."""
    people = active_people(round.project.client)
    if round.wave is not None:
        people = people.filter(wave_memberships__wave=round.wave)
    elif not department:
        raise KoersError(
            _("This round is not for one wave: choose the department whose people get a link."),
            field="department",
        )
    if department:
        people = people.filter(department=department)
    return people.distinct()


def departments(round: Round) -> list[str]:
    """Return the departments a round's links can be mailed to, by name."""
    if round.wave is None:
        return [name for name in department_names(round.project.client) if name]
    people = active_people(round.project.client).filter(wave_memberships__wave=round.wave)
    # order_by(): the people's default order would make DISTINCT run over every person.
    found = people.exclude(department="").order_by().values_list("department", flat=True)
    return sorted(found.distinct())


def _check_open(round: Round, *, lock: bool = True) -> None:
    if not round.is_accepting:
        raise KoersError(_("Links are mailed only while the round is open: open it first."))
    if lock:
        Round.objects.select_for_update().filter(pk=round.pk).first()  # one mailing at a time


def _person_ids(round: Round, prefix: str, **filters: object) -> set[int]:
    keys = Message.objects.filter(
        workspace=round.project.workspace, key__startswith=f"{prefix}:{round.pk}:", **filters
    ).values_list("key", flat=True)
    return {int(key.split(":")[2]) for key in keys if key}


def _mail(
    round: Round,
    person: Person,
    token: str,
    *,
    template: str,
    key: str,
    answer_url: Callable[[str], str],
) -> bool:
    """Queue one person's mail with their link; return False when they have no address."""
    language = person_language(person, round.project.language)
    with translation.override(language):
        context = {
            "name": person.name or _("colleague"),
            "project": round.project.name,
            "round": round.title,
            "closes": date_format(timezone.localtime(round.closes_at), "DATE_FORMAT"),
            "link": answer_url(token),
        }
    try:
        mail_send(
            to=person.email,
            template=template,
            context=context,
            language=language,
            workspace=round.project.workspace,
            key=key,
            is_private=True,
        )
    except KoersError:  # no address, or one that is not an address
        return False
    return True


@transaction.atomic
def round_links_mail(
    *, round: Round, answer_url: Callable[[str], str], department: str = ""
) -> MailSummary:
    """Mail each person of the round's wave (or of `department`) their own link, once.

    A person mailed before, or who answered, gets nothing: doing it twice (a double click,
    a retry) makes no second mail. Someone without a usable address gets a link nobody
    holds, so they count as "no address" until their address is known and this runs again.
    """
    _check_open(round)
    people = list(audience(round, department).only("id", "name", "email", "attributes"))
    invited = _person_ids(round, "pulse-invite")
    links = {link.person_id: link for link in round.personal_links.all()}
    made, renewed = [], []
    mailed = before = no_address = 0
    for person in people:
        link = links.get(person.pk)
        if link is not None and (link.has_answered or person.pk in invited):
            before += 1
            continue
        if link is None:
            link = PersonalLink(round=round, person=person)
            made.append(link)
        else:
            renewed.append(link)
        token = link.new_token()
        key = invitation_key(round, person.pk)
        if _mail(round, person, token, template=INVITATION, key=key, answer_url=answer_url):
            mailed += 1
        else:
            no_address += 1
    # In one go: the mails are only sent once this transaction, links included, commits.
    PersonalLink.objects.bulk_create(made, batch_size=500)
    PersonalLink.objects.bulk_update(renewed, ["token_hash"], batch_size=500)
    return MailSummary(mailed, before, no_address)


@transaction.atomic
def round_reminders_mail(*, round: Round, answer_url: Callable[[str], str]) -> int:
    """Remind everyone invited who has not answered, with a fresh link; return how many.

    At most one reminder per person a day; a person whose invitation failed is left out
    (their address needs a look first: the round page lists it).
    """
    _check_open(round)
    day = timezone.localdate().isoformat()
    delivered = _person_ids(round, "pulse-invite", state=Message.State.SENT)
    reminded = _person_ids(round, "pulse-remind", key__endswith=f":{day}")
    links = round.personal_links.filter(has_answered=False).select_related("person")
    count = 0
    for link in links:
        if link.person_id not in delivered or link.person_id in reminded:
            continue
        token = link.new_token()
        # Only while they still have not answered: an answer just given keeps its token.
        if not PersonalLink.objects.filter(pk=link.pk, has_answered=False).update(
            token_hash=link.token_hash
        ):
            continue
        key = reminder_key(round, link.person_id, day)
        count += _mail(round, link.person, token, template=REMINDER, key=key, answer_url=answer_url)
    return count


def links_mail_is_large(round: Round, department: str = "") -> bool:
    """Return whether mailing the round's links would take long enough for the worker."""
    return audience(round, department).count() > BACKGROUND_PEOPLE


def reminders_are_many(round: Round) -> bool:
    """Return whether reminding would take long enough for the worker."""
    return round.personal_links.filter(has_answered=False).count() > BACKGROUND_PEOPLE


def round_links_mail_later(*, round: Round, base_url: str, department: str = "") -> None:
    """Mail the round's links from the task worker once this transaction commits."""
    from .tasks import round_links_mail_task

    _check_open(round, lock=False)  # what the worker would refuse is refused now
    audience(round, department)
    transaction.on_commit(lambda: round_links_mail_task.enqueue(round.pk, base_url, department))


def round_reminders_mail_later(*, round: Round, base_url: str) -> None:
    """Send the round's reminders from the task worker once this transaction commits."""
    from .tasks import round_reminders_mail_task

    _check_open(round, lock=False)
    transaction.on_commit(lambda: round_reminders_mail_task.enqueue(round.pk, base_url))


def mail_counts(round: Round) -> MailCounts | None:
    """Return the counts the team sees of a round's mailed links, or None if none were made."""
    links = round.personal_links.aggregate(
        total=Count("id"),
        answered=Count("id", filter=Q(has_answered=True)),
    )
    if not links["total"]:
        return None
    invite, remind = f"pulse-invite:{round.pk}:", f"pulse-remind:{round.pk}:"
    mails = Message.objects.filter(
        Q(key__startswith=invite) | Q(key__startswith=remind),
        workspace=round.project.workspace,
    ).aggregate(
        invited=Count("id", filter=Q(key__startswith=invite)),
        reminded=Count("id", filter=Q(key__startswith=remind)),
        failed=Count("id", filter=Q(state=Message.State.FAILED)),
    )
    return MailCounts(
        invited=mails["invited"],
        answered=links["answered"],
        reminded=mails["reminded"],
        failed=mails["failed"],
        # A link made without a mail: the person had no usable address.
        no_address=max(links["total"] - mails["invited"], 0),
    )


def failed_mails(round: Round) -> QuerySet[Message]:
    """Return the round's mails that failed: the address and why, not whether it was a
    reminder (that would say the person had not answered)."""
    return Message.objects.filter(
        Q(key__startswith=f"pulse-invite:{round.pk}:")
        | Q(key__startswith=f"pulse-remind:{round.pk}:"),
        workspace=round.project.workspace,
        state=Message.State.FAILED,
    ).order_by("to", "id")
