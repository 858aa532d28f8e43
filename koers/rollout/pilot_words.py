"""The pilot in plain words: how close it is to the organisation, and which marks it honoured.

The pure module (pilot.py) speaks of total variation distance; the page never does. It says
how alike the pilot and the rest of the organisation are, as a percentage, beside what a
random pick reaches, and per mark how many marked people are in and why not the others.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from koers.core.formatting import number
from koers.population.models import FIELD_LABELS

from . import pilot as pilot_rules


@dataclass(frozen=True)
class Alike:
    label: str
    percent: float  # 100 is a perfect mirror
    shares: tuple[pilot_rules.Share, ...]


@dataclass(frozen=True)
class Likeness:
    percent: float  # how alike the pilot and the rest are, over every attribute
    random_percent: float  # what a random pick of the same size typically reaches
    verdict: str  # twice (at least twice as close as chance), closer, no_better
    attributes: tuple[Alike, ...]


def _percent(distance: float) -> float:
    return round(100 * (1 - distance), 1)


def attribute_label(attribute: str) -> str:
    return str(FIELD_LABELS.get(attribute, attribute))


def likeness(measure: pilot_rules.Measure, random_median: float) -> Likeness:
    """Return how close the pilot is to the rest of the organisation, in percentages."""
    if random_median <= 0:
        verdict = "no_better" if measure.mean_tvd > 0 else "twice"
    else:
        ratio = measure.mean_tvd / random_median
        verdict = "twice" if ratio <= 0.5 else "closer" if ratio < 1 else "no_better"
    return Likeness(
        percent=_percent(measure.mean_tvd),
        random_percent=_percent(random_median),
        verdict=verdict,
        attributes=tuple(
            Alike(attribute_label(m.attribute), _percent(m.tvd), m.shares)
            for m in measure.attributes
        ),
    )


@dataclass(frozen=True)
class MarkWords:
    mark: str
    summary: str
    reasons: tuple[str, ...]


def _names(seated: Sequence[str], seats: int) -> str:
    shown = list(seated)
    more = seats - len(shown)
    if more > 0:
        tail = ngettext("%(count)s other", "%(count)s others", more) % {"count": number(more)}
        shown.append(tail)
    if len(shown) <= 1:
        return "".join(shown)
    return _("%(list)s and %(last)s") % {"list": ", ".join(shown[:-1]), "last": shown[-1]}


def _summary(mark: str, honoured: int, marked: int) -> str:
    values = {"honoured": number(honoured), "marked": number(marked)}
    if mark == "well_known":
        text = ngettext(
            "%(honoured)s of %(marked)s person marked well known is in the pilot.",
            "%(honoured)s of %(marked)s people marked well known are in the pilot.",
            marked,
        )
    elif mark == "constructive":
        text = ngettext(
            "%(honoured)s of %(marked)s person marked constructive is in the pilot.",
            "%(honoured)s of %(marked)s people marked constructive are in the pilot.",
            marked,
        )
    else:
        text = ngettext(
            "%(honoured)s of %(marked)s ambassador is in the pilot.",
            "%(honoured)s of %(marked)s ambassadors are in the pilot.",
            marked,
        )
    return text % values


def _reason(missed: dict[str, Any]) -> str:
    seats = int(missed["seats"])
    values = {
        "count": number(int(missed["people"])),
        "value": missed["value"] or _("(empty)"),
        "seats": number(seats),
        "names": _names(missed["seated"], seats),
    }
    match missed["reason"]:
        case "no_seat":
            text = _(
                "%(count)s in %(value)s: too few people there for a seat in a pilot of this size."
            )
        case "seats_marked":
            text = ngettext(
                "%(count)s in %(value)s, whose seat went to %(names)s, marked too.",
                "%(count)s in %(value)s, whose %(seats)s seats went to %(names)s, marked too.",
                seats,
            )
        case _:
            text = ngettext(
                "%(count)s in %(value)s, whose seat went to %(names)s: that keeps the pilot "
                "closer to the organisation on the other attributes.",
                "%(count)s in %(value)s, whose %(seats)s seats went to %(names)s: that keeps "
                "the pilot closer to the organisation on the other attributes.",
                seats,
            )
    return text % values


def marks(reports: Sequence[dict[str, Any]], stratum: str) -> list[MarkWords]:
    """Return per mark that someone has: how many are in the pilot, and why not the others.

    `reports` is the pilot's stored marks report (selection.marks_json); `stratum` the
    attribute whose seats were shared out (department by default).
    """
    words = []
    for report in reports:
        if not report["marked"]:
            continue
        reasons = tuple(_reason(missed) for missed in report["missed"])
        summary = _summary(report["mark"], report["honoured"], report["marked"])
        if reasons:
            others = _("The others, by %(attribute)s:") % {
                "attribute": attribute_label(stratum).lower()
            }
            summary = f"{summary} {others}"
        words.append(MarkWords(report["mark"], summary, reasons))
    return words
