"""The product's phases with its contracts under them on the month roadmap (the roadmap's
drawing, reused), so a contract that outlasts its phases, or ends before one, shows."""

from datetime import date, timedelta

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from koers.core import formatting
from koers.roadmap import svg
from koers.roadmap.describe import bars_svg

from .queries import ProductState
from .records import finding_text


def product_roadmap_svg(state: ProductState, *, today: date) -> str:
    bars = [
        svg.Bar(
            label=f"{number}. {phase.title}",
            start=phase.start_month,
            end=phase.end,
            status=phase.status,
            caption=_("%(weeks)s wk") % {"weeks": phase.weeks},
            note=phase.title,
            key=str(phase.pk),
        )
        for number, phase in enumerate(state.phases, 1)
    ]
    for contract in state.contracts:
        found = state.findings_of(contract)
        weeks = ((contract.ends_on - contract.starts_on).days + 1 + 6) // 7
        note = [
            f"{contract.party}: {formatting.day(contract.starts_on)} \u2013 "
            f"{formatting.day(contract.ends_on)}"
        ] + [finding_text(f, state) for f in found]
        bars.append(
            svg.Bar(
                label=_("Contract: %(party)s") % {"party": contract.party},
                start=contract.starts_on,
                end=contract.ends_on + timedelta(days=1),
                status="stopped",
                caption=_("%(weeks)s wk") % {"weeks": weeks},
                warnings=len(found),
                note="\n".join(note),
            )
        )
    description = ngettext(
        "%(phases)d phase and %(contracts)d contract.",
        "%(phases)d phases and %(contracts)d contracts.",
        len(state.contracts),
    ) % {"phases": len(state.phases), "contracts": len(state.contracts)}
    return bars_svg(bars, description, today=today)
