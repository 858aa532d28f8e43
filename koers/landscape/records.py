"""One record per system, integration and audit: the API and the CLI's --json share them."""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import analysis
from .models import Integration, PhaseSystem, System
from .queries import Landscape, PhaseRisks


def system_record(system: System) -> dict[str, Any]:
    return {
        "id": system.pk,
        "name": system.name,
        "capability": system.capability,
        "owner": system.owner,
        "users": system.users,
        "hosting": system.hosting,
        "lifecycle": system.lifecycle,
        "debt": system.debt,
        "yearly_cost": None if system.yearly_cost is None else f"{system.yearly_cost:.2f}",
        "data_held": system.data_held,
    }


def integration_record(integration: Integration) -> dict[str, Any]:
    return {
        "id": integration.pk,
        "source": integration.source_id,
        "source_name": integration.source.name,
        "target": integration.target_id,
        "target_name": integration.target.name,
        "kind": integration.kind,
        "frequency": integration.frequency,
        "data": integration.data,
    }


def reason_text(part: analysis.Part) -> str:
    """The reason of a part of the score, in words."""
    if part.reason == analysis.Reason.DEBT:
        return _("technical debt %(debt)s of 5") % {"debt": part.count}
    if part.reason == analysis.Reason.USERS:
        return _("%(users)s users") % {"users": part.count}
    if part.reason == analysis.Reason.MANUAL:
        return ngettext(
            "%(links)s manual integration", "%(links)s manual integrations", part.count
        ) % {"links": part.count}
    if part.reason == analysis.Reason.ISLAND:
        return _("on a digital island")
    return _("another system serves the same capability")


def explained(score: analysis.Score) -> str:
    return ", ".join(f"{reason_text(p)} +{p.points}" for p in score.parts)


def audit_record(found: Landscape) -> dict[str, Any]:
    audit = found.audit
    names = {s.pk: s.name for s in found.systems}
    return {
        "systems": len(found.systems),
        "integrations": len(found.integrations),
        "islands": [
            {"systems": [{"id": k, "name": names[k]} for k in group.systems]}
            for group in audit.islands
        ],
        "groups": len(audit.groups),
        "duplicates": [
            {
                "capability": d.capability,
                "systems": [{"id": k, "name": names[k]} for k in d.systems],
            }
            for d in audit.duplicates
        ],
        "manual": [link.key for link in audit.manual],
        "ranking": [
            {
                "system": s.system,
                "name": names[s.system],
                "score": s.points,
                "parts": [
                    {"reason": str(p.reason), "points": p.points, "count": p.count} for p in s.parts
                ],
                "explained": explained(s),
            }
            for s in audit.ranking
        ],
    }


def warning_text(warning: analysis.PhaseWarning, names: dict[int, str]) -> str:
    if warning.risk == analysis.Risk.NEW_ISLAND:
        return _(
            "%(system)s talks to no other system: this phase would make a new digital island."
        ) % {"system": names[warning.system]}
    return _("%(system)s serves a capability %(others)s already serve(s): a second truth.") % {
        "system": names[warning.system],
        "others": ", ".join(names[k] for k in warning.others),
    }


def phase_link_record(link: PhaseSystem) -> dict[str, Any]:
    return {
        "id": link.pk,
        "phase": link.phase_id,
        "system": link.system_id,
        "system_name": link.system.name,
        "change": link.change,
    }


def phase_risks_record(found: Landscape, risks: PhaseRisks) -> dict[str, Any]:
    names = {s.pk: s.name for s in found.systems}
    return {
        "phase": risks.phase.title,
        "systems": [phase_link_record(link) for link in risks.links],
        "warnings": [
            {
                "risk": str(w.risk),
                "system": w.system,
                "others": list(w.others),
                "message": warning_text(w, names),
            }
            for w in risks.warnings
        ],
    }
