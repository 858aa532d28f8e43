"""Plans in and out of the tools clients use: MS Project XML (MSPDI), GanttProject (.gan),
a Jira CSV export, a plain CSV. Pure: bytes in, a DraftPlan out (and a plan to MSPDI bytes);
nothing here touches the database. Every file Koers cannot read raises PlanFileError that
says why and where.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from . import gan, mspdi, tables, xml
from .draft import (
    DraftMilestone,
    DraftPhase,
    DraftPlan,
    DraftScopeItem,
    PlanFileError,
    check_size,
    guardrail_plan,
)
from .mspdi_out import MilestoneOut, PhaseOut, write_mspdi

__all__ = [
    "DraftMilestone",
    "DraftPhase",
    "DraftPlan",
    "DraftScopeItem",
    "MilestoneOut",
    "PhaseOut",
    "PlanFileError",
    "guardrail_plan",
    "read_plan",
    "write_mspdi",
]

BINARY_PROJECT = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .mpp (and old Office files)


def read_plan(data: bytes, file_name: str, *, limit_bytes: int) -> DraftPlan:
    """The draft plan in a plan file, or PlanFileError."""
    if len(data) > limit_bytes:
        raise PlanFileError(
            _("The file is %(size)d KB; Koers accepts plan files up to %(limit)d KB.")
            % {"size": -(-len(data) // 1024), "limit": limit_bytes // 1024}
        )
    if not data.strip():
        raise PlanFileError(_("The file is empty."))
    if data.startswith(BINARY_PROJECT) or file_name.lower().endswith(".mpp"):
        raise PlanFileError(
            _("This is a binary MS Project file (.mpp). Save it as XML in MS Project first.")
        )
    if data.startswith(b"PK\x03\x04"):
        raise PlanFileError(_("This is a zip or Excel file. Save the plan as XML or CSV."))
    if _looks_like_xml(data):
        root = xml.parse(data)
        kind = xml.local(root.tag)
        if kind == "Project":
            return check_size(mspdi.read(root))
        if kind == "project":
            return check_size(gan.read(root))
        raise PlanFileError(
            _(
                "This XML file is neither MS Project XML nor a GanttProject file (its root "
                "is <%(tag)s>)."
            )
            % {"tag": kind[:40]}
        )
    return check_size(tables.read(data))


def _looks_like_xml(data: bytes) -> bool:
    head = data[:64].lstrip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n")
    return head.startswith(b"<")
