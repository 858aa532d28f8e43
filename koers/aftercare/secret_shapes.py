"""Text that looks like a secret: Koers keeps where secrets are, never the secrets themselves.

Pure (no Django). The shapes are the common ones: `password=...` and its kin with a value that
is not a plain word, private key blocks, and API keys and tokens of well-known forms. "The
password is in the team vault" passes; "wachtwoord: Zomer2026!" does not.
"""

import re

_ASSIGNED = re.compile(
    r"\b(?:password|passwd|pwd|passphrase|wachtwoord|secret|token|api[_ -]?key|client[_ -]?secret)"
    r"\s*[:=]\s*(?P<value>\S{6,})",
    re.IGNORECASE,
)
_SHAPES = [
    re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY( BLOCK)?-----"),
    re.compile(r"\bAKIA[0-9A-Z]{16}\b"),  # AWS access key
    re.compile(r"\bgh[pousr]_[A-Za-z0-9]{30,}\b"),  # GitHub
    re.compile(r"\bxox[abprs]-[A-Za-z0-9-]{10,}"),  # Slack
    re.compile(r"\bsk-[A-Za-z0-9_-]{20,}"),  # OpenAI, Stripe and alike
    re.compile(r"\bAIza[0-9A-Za-z_-]{35}\b"),  # Google
    re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"),  # JWT
    re.compile(r"\bBearer\s+[A-Za-z0-9._~+/-]{20,}", re.IGNORECASE),
]


def looks_secret(text: str) -> bool:
    """Whether `text` holds something shaped like a password, key or token."""
    for found in _ASSIGNED.finditer(text):
        # A plain word after "password:" names a place ("password: Bitwarden"); a value with
        # a digit or a sign in it is a password.
        if not found["value"].isalpha():
            return True
    return any(shape.search(text) for shape in _SHAPES)
