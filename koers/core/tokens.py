"""Unguessable link tokens: 256 random bits, shown once, stored only as their SHA-256.

A copy of the database therefore opens no invitation, API, share or answer link.
"""

import hashlib
import secrets

from django.conf import settings
from django.core import signing
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


class ReshowableToken(HashedToken):
    """Abstract base for a link the team can copy again: the token is a random key (256 bits)
    signed with the secret key; the row keeps the key and the token's SHA-256, by which a
    visit finds it. A copy of the database alone cannot be turned into a working link."""

    SALT = ""  # each kind of link its own

    # Null, not "", for links made before keys were kept: unique allows many nulls.
    key = models.CharField(max_length=64, unique=True, null=True, editable=False)  # noqa: DJ001

    class Meta:
        abstract = True

    def new_token(self) -> str:
        """Give the link a fresh signed key and return its token."""
        self.key = secrets.token_urlsafe(32)
        token = signing.Signer(salt=self.SALT).sign(self.key)
        self.token_hash = hash_token(token)
        return token

    @property
    def token(self) -> str | None:
        """Return the link's token again, or None when it cannot be made any more.

        None for a link made before keys were kept, and for one signed with a secret key
        that has since been replaced: showing that link would show one that does not work.
        """
        if self.key is None:
            return None
        token = signing.Signer(salt=self.SALT).sign(self.key)
        return token if hash_token(token) == self.token_hash else None


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
