"""Short names made from a name when the user leaves them empty: "Gemeente Ede" → gemeente-ede."""

from collections.abc import Callable

from django.utils.text import slugify

from .models import RESERVED_SLUGS

MAX_LENGTH = 40


def short_name_from(name: str, *, is_taken: Callable[[str], bool]) -> str:
    """Return a free short name made from `name`, numbered (`-2`, `-3`) when it is taken.

    Returns "" when the name has no letter or digit to make one from.
    """
    base = slugify(name)[:MAX_LENGTH].strip("-")
    if not base:
        return ""
    candidate, number = base, 1
    while candidate in RESERVED_SLUGS or is_taken(candidate):
        number += 1
        suffix = f"-{number}"
        candidate = base[: MAX_LENGTH - len(suffix)].strip("-") + suffix
    return candidate
