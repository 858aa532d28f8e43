"""Reads on user instructions that the pages, the API and the CLI share."""

from django.db.models import Prefetch, QuerySet
from django_scopes import scopes_disabled

from koers.core.tokens import hash_token
from koers.projects.models import Project

from .models import Instructions, InstructionsLink

MAX_TOKEN = 200


def instructions_of(project: Project) -> QuerySet[Instructions]:
    """The project's instructions with their wave and live link (two queries)."""
    live = InstructionsLink.objects.filter(revoked_at__isnull=True)
    return project.instructions.select_related("project__workspace", "wave").prefetch_related(
        Prefetch("links", queryset=live, to_attr="live_links")
    )


def published(token: str) -> Instructions | None:
    """Return the instructions a public token opens, across workspaces, or None.

    The token (256 bits, stored hashed) is the access right: revoked, it opens nothing."""
    if not token or len(token) > MAX_TOKEN:
        return None
    with scopes_disabled():
        link = (
            InstructionsLink.objects.select_related(
                "instructions__project__workspace",
                "instructions__project__client",
                "instructions__wave",
            )
            .filter(token_hash=hash_token(token), revoked_at__isnull=True)
            .first()
        )
    return link.instructions if link else None


def published_path(project: Project, wave_id: int | None) -> str | None:
    """The path of the public page of the wave's instructions, else of the project's; None
    when neither is published (for the wave announcement)."""
    links = InstructionsLink.objects.filter(
        instructions__project=project, revoked_at__isnull=True
    ).select_related("instructions")
    paths = {link.instructions.wave_id: link.path for link in links}
    return paths.get(wave_id) or paths.get(None)
