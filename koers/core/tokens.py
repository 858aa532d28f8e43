"""Unguessable link tokens: 256 random bits, shown once, stored only as their SHA-256.

A copy of the database therefore opens no invitation, API, share or answer link.
"""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class HashedToken(models.Model):
    """Abstract base for rows reached by a secret link."""

    TOKEN_PREFIX = ""

    token_hash = models.CharField(max_length=64, unique=True, editable=False)

    class Meta:
        abstract = True

    def new_token(self) -> str:
        """Give the row a fresh 256-bit token and return it; only its hash is kept."""
        token = self.TOKEN_PREFIX + secrets.token_urlsafe(32)
        self.token_hash = hash_token(token)
        return token


class RevocableLink(models.Model):
    """Abstract base for links the team makes and may revoke: who made it, when, revoked when."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("made by"),
    )
    created_at = models.DateTimeField(_("made"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        abstract = True
