"""The portfolio's reasons in words, in the active language: "gate due Thursday,
understanding 2.7". One place, so the page, the API, the CLI and the digest say the same."""

from datetime import date

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from koers.core.formatting import day, number

from .attention import SOON_DAYS, Attention, Cause, Moment, MomentKind, Reason


def when(on: date, today: date) -> str:
    """`today`, `tomorrow`, a weekday within the week ahead, else the day itself."""
    days = (on - today).days
    if days == 0:
        return _("today")
    if days == 1:
        return _("tomorrow")
    if 1 < days < SOON_DAYS:
        return str(formats.date_format(on, "l"))  # Thursday, donderdag: as each language writes it
    return day(on)


def _understanding(cause: Cause) -> str:
    if cause.understanding is None:
        return ""
    return ", " + _("understanding %(score)s") % {"score": number(cause.understanding)}


def cause_text(cause: Cause, today: date) -> str:
    """One cause in words."""
    count = {"count": cause.count}
    match cause.reason:
        case Reason.WATERMELON:
            return _("reported green, measured red")
        case Reason.REPORTED_RED:
            return _("reported red")
        case Reason.MEASURED_RED:
            return _("measured red") + _understanding(cause)
        case Reason.GATE_DUE:
            assert cause.on is not None
            return _("gate due %(when)s") % {"when": when(cause.on, today)} + _understanding(cause)
        case Reason.GATE_OVERDUE:
            assert cause.on is not None
            return _("gate overdue since %(day)s") % {"day": day(cause.on)} + _understanding(cause)
        case Reason.LATE_WAVES:
            return ngettext("%(count)s wave late", "%(count)s waves late", cause.count) % count
        case Reason.LATE_PHASES:
            return ngettext("%(count)s phase late", "%(count)s phases late", cause.count) % count
        case Reason.GUARDRAIL_ERRORS:
            return (
                ngettext(
                    "%(count)s guardrail error open", "%(count)s guardrail errors open", cause.count
                )
                % count
            )
        case Reason.DECISIONS_OVERDUE:
            return (
                ngettext(
                    "%(count)s decision past its day",
                    "%(count)s decisions past their day",
                    cause.count,
                )
                % count
            )
        case Reason.FEEDBACK_DUE:
            assert cause.on is not None
            return _("pulse round closes %(when)s") % {"when": when(cause.on, today)}
        case Reason.MILESTONE_DUE:
            assert cause.on is not None
            return _("milestone “%(milestone)s” %(when)s") % {
                "milestone": cause.title,
                "when": when(cause.on, today),
            }
        case Reason.STAKEHOLDERS_OVERDUE:
            return (
                ngettext(
                    "%(count)s stakeholder overdue for contact",
                    "%(count)s stakeholders overdue for contact",
                    cause.count,
                )
                % count
            )
        case Reason.DECISIONS_WAITING:
            return (
                ngettext("%(count)s decision waiting", "%(count)s decisions waiting", cause.count)
                % count
            )


def reasons(found: Attention, today: date) -> str:
    """The causes in words, the weightiest first: what the portfolio shows as the reason."""
    return "; ".join(cause_text(cause, today) for cause in found.causes)


def moment_text(moment: Moment, today: date) -> str:
    """The next moment in words: "gate of Wave 2 Thursday"."""
    what = {
        MomentKind.GATE: _("gate of %(title)s"),
        MomentKind.FEEDBACK: _("pulse round closes"),
        MomentKind.MILESTONE: "%(title)s",
    }[moment.kind] % {"title": moment.title}
    if moment.on < today:  # a gate not held yet
        return f"{what} ({day(moment.on)})"
    return f"{what} {when(moment.on, today)}"
