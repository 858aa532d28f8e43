"""Project content is marked with the project's language (WCAG 3.1.2): a screen reader reads
a Dutch status update in Dutch, also when the team works in the English UI."""

import re
from typing import Any

from django.utils import timezone
from django_scopes import scopes_disabled

from koers.pulse import services as pulse_services
from tests.access.walk import victim_kwargs_of
from tests.factories import Cast

MARKED = r'lang="nl"[^>]*>(?:<[^>]+>)*\s*[“"]?{text}'


def marked(html: str, text: str) -> bool:
    """Whether `text` starts an element (or its first child) marked as Dutch."""
    return re.search(MARKED.format(text=re.escape(text)), html) is not None


def test_notes_feedback_status_and_communications_are_marked_in_the_english_ui(
    cast: Cast,
) -> None:
    kwargs: dict[str, Any] = victim_kwargs_of(cast)
    with scopes_disabled():
        pulse_services.status_update_save(
            project=cast.project,
            actor=None,
            week=timezone.localdate(),
            status="amber",
            highlights="Pilot gestart",
            risks="Weinig tijd bij de winkels",
        )
    web = cast.login(cast.owner)
    project = f"/w/{kwargs['workspace']}/p/{kwargs['project']}"
    pages = {
        f"{project}/pulse/status/": ["Pilot gestart", "Weinig tijd bij de winkels"],
        f"{project}/pulse/report/": ["Pilot gestart", "Weinig tijd bij de winkels"],
        f"{project}/pulse/feedback/": ["Te weinig uitleg"],
        f"{project}/stakeholders/communication/": ["Bijpraten"],
        f"{project}/decisions/": ["Eerst een pilot"],
    }
    for url, texts in pages.items():
        html = web.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert 'lang="en"' in html, url
        for text in texts:
            assert text in html, (url, text)
            assert marked(html, text), f"{url}: {text!r} is not marked as Dutch"
