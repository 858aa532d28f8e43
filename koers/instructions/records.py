"""One record per instructions: the API and the CLI's --json share it."""

from typing import Any

from .models import LANGUAGES, TEXTS, Instructions


def instructions_record(instructions: Instructions) -> dict[str, Any]:
    """Needs `live_links` (queries.instructions_of)."""
    live = instructions.live_links  # type: ignore[attr-defined]
    wave = instructions.wave
    return {
        "id": instructions.pk,
        "wave": wave.pk if wave else None,
        "wave_label": wave.label if wave else None,
        **{
            f"{text}_{code}": getattr(instructions, f"{text}_{code}")
            for text in TEXTS
            for code in LANGUAGES
        },
        "support_phone": instructions.support_phone,
        "support_email": instructions.support_email,
        "support_portal": instructions.support_portal,
        "published": bool(live),
        "link": live[0].path if live else None,
        "updated_at": instructions.updated_at,
    }
